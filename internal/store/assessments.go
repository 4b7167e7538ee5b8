package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/assessment"
)

// AssessmentRecord is step 3 as stored in case_assessments: the facts the
// officer established, the advice Lekwacht computed from them, and the
// officer's decision with its reasons, kept apart so that the register shows
// where the officer deviated from the advice.
type AssessmentRecord struct {
	Facts  assessment.Facts
	Advice assessment.Advice

	Breach            bool
	BreachReason      string
	NotifyAuthority   bool
	AuthorityReason   string
	NotifySubjects    bool
	SubjectsReason    string
	SubjectsChannel   string // individual, public, none
	SubjectsException string // "", no_high_risk, unintelligible, mitigated, disproportionate_effort
	// Impact is the possible consequences for the data subjects' privacy
	// (seed 000 step 3); the column is case_assessments.consequences.
	Impact     string
	NoticePlan string

	DecidedAt   time.Time
	DecidedByID int64
	DecidedBy   string // the officer's name, when loaded
}

// SaveAssessment stores the assessment of a case; a reopened case assessed
// again replaces it (one row per case).
func (q *Queries) SaveAssessment(ctx context.Context, orgID, caseID int64, r AssessmentRecord) error {
	if r.Facts.Data == nil {
		r.Facts.Data = []assessment.DataType{}
	}
	if r.Facts.Consequences == nil {
		r.Facts.Consequences = []assessment.Consequence{}
	}
	facts, err := json.Marshal(r.Facts)
	if err != nil {
		return fmt.Errorf("save assessment: facts: %w", err)
	}
	advice, err := json.Marshal(r.Advice)
	if err != nil {
		return fmt.Errorf("save assessment: advice: %w", err)
	}
	_, err = q.db.Exec(ctx, `
		INSERT INTO case_assessments (organisation_id, case_id, facts, advice, consequences, breach, breach_reason,
			notify_authority, authority_reason, notify_subjects, subjects_reason, subjects_channel, subjects_exception,
			notice_plan, decided_at, decided_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (organisation_id, case_id) DO UPDATE SET
			facts = EXCLUDED.facts, advice = EXCLUDED.advice, consequences = EXCLUDED.consequences,
			breach = EXCLUDED.breach, breach_reason = EXCLUDED.breach_reason,
			notify_authority = EXCLUDED.notify_authority, authority_reason = EXCLUDED.authority_reason,
			notify_subjects = EXCLUDED.notify_subjects, subjects_reason = EXCLUDED.subjects_reason,
			subjects_channel = EXCLUDED.subjects_channel, subjects_exception = EXCLUDED.subjects_exception,
			notice_plan = EXCLUDED.notice_plan, decided_at = EXCLUDED.decided_at, decided_by = EXCLUDED.decided_by`,
		orgID, caseID, facts, advice, r.Impact, r.Breach, r.BreachReason, r.NotifyAuthority, r.AuthorityReason,
		r.NotifySubjects, r.SubjectsReason, r.SubjectsChannel, r.SubjectsException, r.NoticePlan, r.DecidedAt, r.DecidedByID)
	if err != nil {
		return fmt.Errorf("save assessment: %w", err)
	}
	return nil
}

// Assessment loads the stored assessment of a case; ok is false before the
// officer decided.
func (q *Queries) Assessment(ctx context.Context, orgID, caseID int64) (AssessmentRecord, bool, error) {
	var r AssessmentRecord
	var facts, advice []byte
	err := q.db.QueryRow(ctx, `
		SELECT a.facts, a.advice, a.consequences, a.breach, a.breach_reason, a.notify_authority, a.authority_reason,
		       a.notify_subjects, a.subjects_reason, a.subjects_channel, a.subjects_exception, a.notice_plan,
		       a.decided_at, a.decided_by, u.name
		FROM case_assessments a JOIN users u ON u.id = a.decided_by
		WHERE a.organisation_id = $1 AND a.case_id = $2`, orgID, caseID).
		Scan(&facts, &advice, &r.Impact, &r.Breach, &r.BreachReason, &r.NotifyAuthority, &r.AuthorityReason,
			&r.NotifySubjects, &r.SubjectsReason, &r.SubjectsChannel, &r.SubjectsException, &r.NoticePlan,
			&r.DecidedAt, &r.DecidedByID, &r.DecidedBy)
	if err == pgx.ErrNoRows {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("assessment: %w", err)
	}
	if err := json.Unmarshal(facts, &r.Facts); err != nil {
		return r, false, fmt.Errorf("assessment: facts: %w", err)
	}
	if err := json.Unmarshal(advice, &r.Advice); err != nil {
		return r, false, fmt.Errorf("assessment: advice: %w", err)
	}
	return r, true, nil
}
