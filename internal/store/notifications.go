package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// AddNotification records a notification to the AP.
func (q *Queries) AddNotification(ctx context.Context, orgID, caseID, by int64, n incident.Notification, at time.Time) error {
	_, err := q.db.Exec(ctx, `
		INSERT INTO case_notifications (organisation_id, case_id, kind, number, sent_at, content, late_reason, board_reason, recorded_at, recorded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		orgID, caseID, n.Kind, n.Number, n.SentAt, n.Content, n.LateReason, n.BoardReason, at, by)
	if code, _ := pgCode(err); code == codeUniqueViolation {
		return apperr.Conflictf("De melding aan de AP is al vastgelegd. Gebruik aanvullen of intrekken.")
	}
	if err != nil {
		return fmt.Errorf("add notification: %w", err)
	}
	return nil
}

// Notifications lists the notifications of a case, oldest first.
func (q *Queries) Notifications(ctx context.Context, orgID, caseID int64) ([]incident.Notification, error) {
	rows, err := q.db.Query(ctx, `
		SELECT n.id, n.kind, n.number, n.sent_at, n.content, n.late_reason, n.board_reason, n.recorded_at, u.name
		FROM case_notifications n JOIN users u ON u.id = n.recorded_by
		WHERE n.organisation_id = $1 AND n.case_id = $2 ORDER BY n.sent_at, n.id`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.Notification, error) {
		var n incident.Notification
		err := r.Scan(&n.ID, &n.Kind, &n.Number, &n.SentAt, &n.Content, &n.LateReason, &n.BoardReason, &n.RecordedAt, &n.RecordedBy)
		return n, err
	})
}

// Decision loads the officer's step-3 decision; ok is false before it exists.
func (q *Queries) Decision(ctx context.Context, orgID, caseID int64) (incident.Decision, bool, error) {
	var d incident.Decision
	err := q.db.QueryRow(ctx, `
		SELECT breach, notify_authority, authority_reason, notify_subjects, subjects_reason, subjects_channel,
		       consequences, notice_plan, coalesce(advice->'severity'->>'level', ''),
		       coalesce(advice->'severity'->>'score', ''), decided_at
		FROM case_assessments WHERE organisation_id = $1 AND case_id = $2`, orgID, caseID).
		Scan(&d.Breach, &d.NotifyAuthority, &d.AuthorityReason, &d.NotifySubjects, &d.SubjectsReason, &d.SubjectsChannel,
			&d.Consequences, &d.NoticePlan, &d.SeverityLevel, &d.SeverityScore, &d.DecidedAt)
	if err == pgx.ErrNoRows {
		return d, false, nil
	}
	if err != nil {
		return d, false, fmt.Errorf("decision: %w", err)
	}
	return d, true, nil
}

// BoardInformed reports whether a board member recorded being informed.
func (q *Queries) BoardInformed(ctx context.Context, orgID, caseID int64) (bool, error) {
	var ok bool
	err := q.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM case_board_notes WHERE organisation_id = $1 AND case_id = $2)`, orgID, caseID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("board informed: %w", err)
	}
	return ok, nil
}
