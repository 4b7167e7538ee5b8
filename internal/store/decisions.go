package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/assessment"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// StoredDecision is step 3 as stored: the facts, Lekwacht's advice on them,
// and the officer's decision with reasons. Decision.Version says which
// version it is; Reasons.Change why it departs from the version before.
type StoredDecision struct {
	Facts     assessment.Facts
	Advice    assessment.Advice
	Decision  incident.Decision
	Reasons   incident.DecisionReasons
	DecidedBy string
}

// errDecisionTaken is a version number taken by a save at the same moment.
var errDecisionTaken = apperr.Conflictf("Intussen is er een ander besluit over deze melding vastgelegd. Bekijk de melding opnieuw; wat u invulde is niet opgeslagen.")

// decisionColumns are the columns of a decision, the same in the current row
// (case_assessments) and in every version (case_assessment_versions).
const decisionColumns = `organisation_id, case_id, version, facts, advice, consequences, breach, breach_reason,
	notify_authority, authority_reason, notify_subjects, subjects_reason, subjects_channel, notice_plan,
	subjects_exception, decided_at, decided_by, change_reason`

// SaveDecision records a new version of the assessment of a case: the first,
// or after a reopening the next one, with r.Change saying why it departs
// from the one before. Nothing recorded before is overwritten: the current
// decision (case_assessments) first goes to the versions if it is not there
// yet (a decision written by an import), then the new version is added and
// becomes the current one. Two saves at once take the same number: the
// second is a conflict.
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
	if _, err := q.db.Exec(ctx, `
		INSERT INTO case_assessment_versions (`+decisionColumns+`)
		SELECT `+decisionColumns+` FROM case_assessments WHERE organisation_id = $1 AND case_id = $2
		ON CONFLICT (organisation_id, case_id, version) DO NOTHING`, orgID, caseID); err != nil {
		return fmt.Errorf("save decision: keep the current version: %w", err)
	}
	_, err = q.db.Exec(ctx, `
		WITH v AS (
			INSERT INTO case_assessment_versions (`+decisionColumns+`)
			VALUES ($1, $2, coalesce((SELECT version FROM case_assessments WHERE organisation_id = $1 AND case_id = $2), 0) + 1,
				$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $16, $14, $15, $17)
			RETURNING `+decisionColumns+`)
		INSERT INTO case_assessments (`+decisionColumns+`)
		SELECT `+decisionColumns+` FROM v
		ON CONFLICT (organisation_id, case_id) DO UPDATE SET
			version = EXCLUDED.version, facts = EXCLUDED.facts, advice = EXCLUDED.advice, consequences = EXCLUDED.consequences,
			breach = EXCLUDED.breach, breach_reason = EXCLUDED.breach_reason,
			notify_authority = EXCLUDED.notify_authority, authority_reason = EXCLUDED.authority_reason,
			notify_subjects = EXCLUDED.notify_subjects, subjects_reason = EXCLUDED.subjects_reason,
			subjects_channel = EXCLUDED.subjects_channel, notice_plan = EXCLUDED.notice_plan,
			decided_at = EXCLUDED.decided_at, decided_by = EXCLUDED.decided_by, subjects_exception = EXCLUDED.subjects_exception,
			change_reason = EXCLUDED.change_reason`,
		orgID, caseID, fj, aj, d.Consequences, d.Breach, r.Breach, d.NotifyAuthority, d.AuthorityReason,
		d.NotifySubjects, d.SubjectsReason, d.SubjectsChannel, d.NoticePlan, at, by, d.SubjectsException, r.Change)
	if code, constraint := pgCode(err); code == codeUniqueViolation && constraint == "case_assessment_versions_pkey" {
		return &apperr.Error{Kind: apperr.Conflict, Message: errDecisionTaken.Message, Err: err}
	}
	if err != nil {
		return fmt.Errorf("save decision: %w", err)
	}
	return nil
}

// DecisionVersion is the number of the current decision of a case; 0 before
// the first.
func (q *Queries) DecisionVersion(ctx context.Context, orgID, caseID int64) (int, error) {
	var v int
	err := q.db.QueryRow(ctx, `
		SELECT coalesce((SELECT version FROM case_assessments WHERE organisation_id = $1 AND case_id = $2), 0)`, orgID, caseID).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("decision version: %w", err)
	}
	return v, nil
}

const decisionSelect = `
	SELECT a.facts, a.advice, a.consequences, a.breach, a.breach_reason, a.notify_authority, a.authority_reason,
	       a.notify_subjects, a.subjects_reason, a.subjects_channel, a.notice_plan, a.decided_at, u.name, a.subjects_exception,
	       a.version, a.change_reason`

func scanDecision(row pgx.Row) (StoredDecision, error) {
	var s StoredDecision
	var fj, aj []byte
	d := &s.Decision
	if err := row.Scan(&fj, &aj, &d.Consequences, &d.Breach, &s.Reasons.Breach, &d.NotifyAuthority, &d.AuthorityReason,
		&d.NotifySubjects, &d.SubjectsReason, &d.SubjectsChannel, &d.NoticePlan, &d.DecidedAt, &s.DecidedBy, &d.SubjectsException,
		&d.Version, &s.Reasons.Change); err != nil {
		return s, err
	}
	if err := json.Unmarshal(fj, &s.Facts); err != nil {
		return s, fmt.Errorf("stored decision facts: %w", err)
	}
	if err := json.Unmarshal(aj, &s.Advice); err != nil {
		return s, fmt.Errorf("stored decision advice: %w", err)
	}
	s.Reasons.Authority, s.Reasons.Subjects = d.AuthorityReason, d.SubjectsReason
	d.SeverityLevel = string(s.Advice.Severity.Level)
	d.SeverityScore = strings.Replace(fmt.Sprintf("%.2f", s.Advice.Severity.Score), ".", ",", 1)
	return s, nil
}

// StoredDecisionOf loads the current decision; ok is false before there is one.
func (q *Queries) StoredDecisionOf(ctx context.Context, orgID, caseID int64) (StoredDecision, bool, error) {
	s, err := scanDecision(q.db.QueryRow(ctx, decisionSelect+`
		FROM case_assessments a JOIN users u ON u.organisation_id = a.organisation_id AND u.id = a.decided_by
		WHERE a.organisation_id = $1 AND a.case_id = $2`, orgID, caseID))
	if err == pgx.ErrNoRows {
		return s, false, nil
	}
	if err != nil {
		return s, false, fmt.Errorf("stored decision: %w", err)
	}
	return s, true, nil
}

// DecisionVersions lists every recorded version of the decision of a case,
// the first first; the last is the current one. A current decision that was
// never saved through SaveDecision (written directly, as an import does) is
// its only version.
func (q *Queries) DecisionVersions(ctx context.Context, orgID, caseID int64) ([]StoredDecision, error) {
	rows, err := q.db.Query(ctx, decisionSelect+`
		FROM case_assessment_versions a JOIN users u ON u.organisation_id = a.organisation_id AND u.id = a.decided_by
		WHERE a.organisation_id = $1 AND a.case_id = $2
		UNION ALL
		`+strings.TrimSpace(decisionSelect)+`
		FROM case_assessments a JOIN users u ON u.organisation_id = a.organisation_id AND u.id = a.decided_by
		WHERE a.organisation_id = $1 AND a.case_id = $2
		  AND NOT EXISTS (SELECT 1 FROM case_assessment_versions v
		                  WHERE v.organisation_id = a.organisation_id AND v.case_id = a.case_id AND v.version = a.version)
		ORDER BY 15`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("decision versions: %w", err)
	}
	defer rows.Close()
	var out []StoredDecision
	for rows.Next() {
		s, err := scanDecision(rows)
		if err != nil {
			return nil, fmt.Errorf("decision versions: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("decision versions: %w", err)
	}
	return out, nil
}
