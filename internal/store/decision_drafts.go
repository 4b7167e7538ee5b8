package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// errDraftStep: the case left step 3 while the officer worked on the page.
var errDraftStep = apperr.Conflictf("De melding ligt niet meer bij de FG (stap 3): het concept is niet opgeslagen. Bekijk de melding opnieuw.")

// SaveDecisionDraft keeps step 3's page as typed (issue 10.1), replacing the
// draft saved before. The insert is guarded by the case's status, so a draft
// can only be saved while the case is in step 3: zero rows is a conflict.
// The version the officer saw is not part of a draft: the page takes it from
// the current decision.
func (q *Queries) SaveDecisionDraft(ctx context.Context, orgID, caseID, by int64, f incident.DecisionForm, at time.Time) error {
	f.Version = ""
	fj, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("save decision draft: %w", err)
	}
	tag, err := q.db.Exec(ctx, `
		INSERT INTO case_decision_drafts (organisation_id, case_id, form, saved_at, saved_by)
		SELECT organisation_id, id, $3, $4, $5 FROM cases
		WHERE organisation_id = $1 AND id = $2 AND status = $6
		ON CONFLICT (organisation_id, case_id) DO UPDATE SET
			form = EXCLUDED.form, saved_at = EXCLUDED.saved_at, saved_by = EXCLUDED.saved_by`,
		orgID, caseID, fj, at, by, incident.StatusAssessment)
	if err != nil {
		return fmt.Errorf("save decision draft: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return errDraftStep
	}
	return nil
}

// DecisionDraft is step 3's page as the officer left it.
type DecisionDraft struct {
	Form    incident.DecisionForm
	SavedAt time.Time
}

// DecisionDraft loads the draft of step 3; ok is false when there is none.
func (q *Queries) DecisionDraft(ctx context.Context, orgID, caseID int64) (DecisionDraft, bool, error) {
	var d DecisionDraft
	var fj []byte
	err := q.db.QueryRow(ctx, `SELECT form, saved_at FROM case_decision_drafts WHERE organisation_id = $1 AND case_id = $2`,
		orgID, caseID).Scan(&fj, &d.SavedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, false, nil
	}
	if err != nil {
		return d, false, fmt.Errorf("decision draft: %w", err)
	}
	if err := json.Unmarshal(fj, &d.Form); err != nil {
		return d, false, fmt.Errorf("decision draft: %w", err)
	}
	return d, true, nil
}

// DeleteDecisionDraft removes the draft once the decision is recorded (or the
// case's personal data are erased).
func (q *Queries) DeleteDecisionDraft(ctx context.Context, orgID, caseID int64) error {
	if _, err := q.db.Exec(ctx, `DELETE FROM case_decision_drafts WHERE organisation_id = $1 AND case_id = $2`, orgID, caseID); err != nil {
		return fmt.Errorf("delete decision draft: %w", err)
	}
	return nil
}
