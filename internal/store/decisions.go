package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/assessment"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// StoredDecision is step 3 as stored: the facts, Lekwacht's advice on them,
// and the officer's decision with reasons.
type StoredDecision struct {
	Facts     assessment.Facts
	Advice    assessment.Advice
	Decision  incident.Decision
	Reasons   incident.DecisionReasons
	DecidedBy string
}

// SaveDecision stores (or, after reopening, replaces) the assessment of a case.
func (q *Queries) SaveDecision(ctx context.Context, orgID, caseID, by int64, facts assessment.Facts, advice assessment.Advice,
	d incident.Decision, r incident.DecisionReasons, at time.Time) error {
	fj, err := json.Marshal(facts)
	if err != nil {
		return fmt.Errorf("save decision: %w", err)
	}
	aj, err := json.Marshal(advice)
	if err != nil {
		return fmt.Errorf("save decision: %w", err)
	}
	_, err = q.db.Exec(ctx, `
		INSERT INTO case_assessments (organisation_id, case_id, facts, advice, consequences, breach, breach_reason,
			notify_authority, authority_reason, notify_subjects, subjects_reason, subjects_channel, notice_plan, decided_at, decided_by, subjects_exception)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (organisation_id, case_id) DO UPDATE SET
			facts = EXCLUDED.facts, advice = EXCLUDED.advice, consequences = EXCLUDED.consequences,
			breach = EXCLUDED.breach, breach_reason = EXCLUDED.breach_reason,
			notify_authority = EXCLUDED.notify_authority, authority_reason = EXCLUDED.authority_reason,
			notify_subjects = EXCLUDED.notify_subjects, subjects_reason = EXCLUDED.subjects_reason,
			subjects_channel = EXCLUDED.subjects_channel, notice_plan = EXCLUDED.notice_plan,
			decided_at = EXCLUDED.decided_at, decided_by = EXCLUDED.decided_by, subjects_exception = EXCLUDED.subjects_exception`,
		orgID, caseID, fj, aj, d.Consequences, d.Breach, r.Breach, d.NotifyAuthority, d.AuthorityReason,
		d.NotifySubjects, d.SubjectsReason, d.SubjectsChannel, d.NoticePlan, at, by, d.SubjectsException)
	if err != nil {
		return fmt.Errorf("save decision: %w", err)
	}
	return nil
}

// StoredDecisionOf loads the stored assessment; ok is false before there is one.
func (q *Queries) StoredDecisionOf(ctx context.Context, orgID, caseID int64) (StoredDecision, bool, error) {
	var s StoredDecision
	var fj, aj []byte
	d := &s.Decision
	err := q.db.QueryRow(ctx, `
		SELECT a.facts, a.advice, a.consequences, a.breach, a.breach_reason, a.notify_authority, a.authority_reason,
		       a.notify_subjects, a.subjects_reason, a.subjects_channel, a.notice_plan, a.decided_at, u.name, a.subjects_exception
		FROM case_assessments a JOIN users u ON u.id = a.decided_by
		WHERE a.organisation_id = $1 AND a.case_id = $2`, orgID, caseID).
		Scan(&fj, &aj, &d.Consequences, &d.Breach, &s.Reasons.Breach, &d.NotifyAuthority, &d.AuthorityReason,
			&d.NotifySubjects, &d.SubjectsReason, &d.SubjectsChannel, &d.NoticePlan, &d.DecidedAt, &s.DecidedBy, &d.SubjectsException)
	if err == pgx.ErrNoRows {
		return s, false, nil
	}
	if err != nil {
		return s, false, fmt.Errorf("stored decision: %w", err)
	}
	if err := json.Unmarshal(fj, &s.Facts); err != nil {
		return s, false, fmt.Errorf("stored decision facts: %w", err)
	}
	if err := json.Unmarshal(aj, &s.Advice); err != nil {
		return s, false, fmt.Errorf("stored decision advice: %w", err)
	}
	s.Reasons.Authority, s.Reasons.Subjects = d.AuthorityReason, d.SubjectsReason
	d.SeverityLevel = string(s.Advice.Severity.Level)
	d.SeverityScore = strings.Replace(fmt.Sprintf("%.2f", s.Advice.Severity.Score), ".", ",", 1)
	return s, true, nil
}
