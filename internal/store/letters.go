package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lekwacht/lekwacht/internal/letter"
)

// Letters loads the texts kept for a case (step 7, issue 10.4), by kind.
func (q *Queries) Letters(ctx context.Context, orgID, caseID int64) (map[letter.Kind]letter.Text, error) {
	rows, err := q.db.Query(ctx, `
		SELECT l.kind, l.body, l.edited_at, coalesce(u.name, '')
		FROM case_letters l
		LEFT JOIN users u ON u.organisation_id = l.organisation_id AND u.id = l.edited_by
		WHERE l.organisation_id = $1 AND l.case_id = $2`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("letters: %w", err)
	}
	defer rows.Close()
	out := map[letter.Kind]letter.Text{}
	for rows.Next() {
		var t letter.Text
		var at time.Time
		if err := rows.Scan(&t.Kind, &t.Body, &at, &t.EditedBy); err != nil {
			return nil, fmt.Errorf("letters: %w", err)
		}
		t.Kept, t.EditedAt = true, &at
		out[t.Kind] = t
	}
	return out, rows.Err()
}

// SaveLetter stores the officer's text of one kind.
func (q *Queries) SaveLetter(ctx context.Context, orgID, caseID int64, kind letter.Kind, body string, by int64, at time.Time) error {
	if _, err := q.db.Exec(ctx, `
		INSERT INTO case_letters (organisation_id, case_id, kind, body, edited_at, edited_by)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (organisation_id, case_id, kind) DO UPDATE SET
			body = EXCLUDED.body, edited_at = EXCLUDED.edited_at, edited_by = EXCLUDED.edited_by`,
		orgID, caseID, string(kind), body, at, by); err != nil {
		return fmt.Errorf("save letter: %w", err)
	}
	return nil
}

// KeepLetterDrafts keeps Lekwacht's drafts of the kinds not kept yet (at
// approval: what was approved is what is sent); kept texts stay as they are.
func (q *Queries) KeepLetterDrafts(ctx context.Context, orgID, caseID int64, drafts map[letter.Kind]string, at time.Time) (int64, error) {
	var n int64
	for kind, body := range drafts {
		tag, err := q.db.Exec(ctx, `
			INSERT INTO case_letters (organisation_id, case_id, kind, body, edited_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organisation_id, case_id, kind) DO NOTHING`,
			orgID, caseID, string(kind), body, at)
		if err != nil {
			return n, fmt.Errorf("keep letter drafts: %w", err)
		}
		n += tag.RowsAffected()
	}
	return n, nil
}

// WithdrawSubjectsApproval takes the approval off a notice not sent yet (a
// letter it sends changed); ok is false when it was not approved.
func (q *Queries) WithdrawSubjectsApproval(ctx context.Context, orgID, caseID int64) (bool, error) {
	if err := q.keepVersion(ctx, recordNotice, orgID, caseID); err != nil {
		return false, err
	}
	tag, err := q.db.Exec(ctx, `
		UPDATE case_subject_notices SET approved_at = NULL, approved_by = NULL, self_approval_reason = ''
		WHERE organisation_id = $1 AND case_id = $2 AND approved_at IS NOT NULL AND sent_at IS NULL`, orgID, caseID)
	if err != nil {
		return false, fmt.Errorf("withdraw subjects approval: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return false, nil
	}
	return true, q.keepVersion(ctx, recordNotice, orgID, caseID)
}
