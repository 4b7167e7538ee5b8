package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// AddBoardNote records that a board member was informed, with their view
// (kind incident.BoardInformed), or its view during the assessment
// (incident.BoardView).
func (q *Queries) AddBoardNote(ctx context.Context, orgID, caseID, userID int64, kind, view string, at time.Time) error {
	_, err := q.db.Exec(ctx, `INSERT INTO case_board_notes (organisation_id, case_id, user_id, at, view, kind) VALUES ($1, $2, $3, $4, $5, $6)`,
		orgID, caseID, userID, at, view, kind)
	if err != nil {
		return fmt.Errorf("add board note: %w", err)
	}
	return nil
}

// BoardNotes lists the board's notes on a case, oldest first.
func (q *Queries) BoardNotes(ctx context.Context, orgID, caseID int64) ([]incident.BoardNote, error) {
	rows, err := q.db.Query(ctx, `
		SELECT n.id, u.name, n.at, n.view, n.kind FROM case_board_notes n JOIN users u ON u.id = n.user_id
		WHERE n.organisation_id = $1 AND n.case_id = $2 ORDER BY n.at, n.id`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("board notes: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.BoardNote, error) {
		var n incident.BoardNote
		err := r.Scan(&n.ID, &n.Name, &n.At, &n.View, &n.Kind)
		return n, err
	})
}

// AddMessage stores a message for a user of the organisation: kind says
// what it is about, ref is the notification's key (a question's is
// "question:<id>"), by which it is marked done.
func (q *Queries) AddMessage(ctx context.Context, orgID, userID int64, caseID *int64, kind, ref, subject, body string, at time.Time) error {
	_, err := q.db.Exec(ctx, `INSERT INTO user_messages (organisation_id, user_id, case_id, kind, ref, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		orgID, userID, caseID, kind, ref, subject, body, at)
	if err != nil {
		return fmt.Errorf("add message: %w", err)
	}
	return nil
}

// NewMessage is one message to a user in the app.
type NewMessage struct {
	OrganisationID, UserID int64
	CaseID                 *int64
	Kind, Ref              string
	Subject, Body          string
	At                     time.Time
}

// AddMessages stores many messages in one statement.
func (q *Queries) AddMessages(ctx context.Context, list []NewMessage) error {
	if len(list) == 0 {
		return nil
	}
	n := len(list)
	orgs, users, cases, ats := make([]int64, n), make([]int64, n), make([]*int64, n), make([]time.Time, n)
	kinds, refs, subjects, bodies := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, m := range list {
		orgs[i], users[i], cases[i], ats[i] = m.OrganisationID, m.UserID, m.CaseID, m.At
		kinds[i], refs[i], subjects[i], bodies[i] = m.Kind, m.Ref, m.Subject, m.Body
	}
	_, err := q.db.Exec(ctx, `
		INSERT INTO user_messages (organisation_id, user_id, case_id, kind, ref, subject, body, created_at)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])`,
		orgs, users, cases, kinds, refs, subjects, bodies, ats)
	if err != nil {
		return fmt.Errorf("add messages: %w", err)
	}
	return nil
}

// Messages lists a user's latest messages, newest first; open limits them
// to those not done (the start page).
func (q *Queries) Messages(ctx context.Context, orgID, userID int64, limit int, open bool) ([]incident.Message, error) {
	rows, err := q.db.Query(ctx, `
		SELECT m.id, m.case_id, c.year, c.seq, m.subject, m.body, m.created_at, m.read_at IS NOT NULL, m.done_at IS NOT NULL
		FROM user_messages m LEFT JOIN cases c ON c.id = m.case_id
		WHERE m.organisation_id = $1 AND m.user_id = $2 AND (NOT $4 OR m.done_at IS NULL)
		ORDER BY m.created_at DESC, m.id DESC LIMIT $3`, orgID, userID, limit, open)
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.Message, error) {
		var m incident.Message
		var year, seq *int
		err := r.Scan(&m.ID, &m.CaseID, &year, &seq, &m.Subject, &m.Body, &m.CreatedAt, &m.Read, &m.Done)
		if year != nil && seq != nil {
			m.CaseNumber = &incident.Number{Year: *year, Seq: *seq}
		}
		return m, err
	})
}

// UnreadMessages counts a user's messages not yet marked as read.
func (q *Queries) UnreadMessages(ctx context.Context, orgID, userID int64) (int, error) {
	var n int
	err := q.db.QueryRow(ctx, `SELECT count(*) FROM user_messages
		WHERE organisation_id = $1 AND user_id = $2 AND read_at IS NULL`, orgID, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("unread messages: %w", err)
	}
	return n, nil
}

// MarkMessagesRead marks a user's unread messages up to and including id
// upTo as read at at (a message that arrived after the page was shown stays
// unread), and returns how many.
// A message that only informs (its kind not among actionable) is then done too.
func (q *Queries) MarkMessagesRead(ctx context.Context, orgID, userID, upTo int64, actionable []string, at time.Time) (int64, error) {
	tag, err := q.db.Exec(ctx, `UPDATE user_messages
		SET read_at = $4, done_at = CASE WHEN done_at IS NULL AND kind <> ALL($5) THEN $4 ELSE done_at END
		WHERE organisation_id = $1 AND user_id = $2 AND id <= $3 AND read_at IS NULL`, orgID, userID, upTo, at, actionable)
	if err != nil {
		return 0, fmt.Errorf("mark messages read: %w", err)
	}
	return tag.RowsAffected(), nil
}

// MessagesDone marks the open messages of a case done: those of the given
// kinds (all kinds when kinds is nil), for every user.
func (q *Queries) MessagesDone(ctx context.Context, orgID, caseID int64, kinds []string, at time.Time) error {
	_, err := q.db.Exec(ctx, `UPDATE user_messages SET done_at = $4
		WHERE case_id = $2 AND organisation_id = $1 AND done_at IS NULL AND ($3::text[] IS NULL OR kind = ANY($3))`, orgID, caseID, kinds, at)
	if err != nil {
		return fmt.Errorf("messages done: %w", err)
	}
	return nil
}

// MessagesDoneByRef marks the open messages of one notification done (a
// question, once answered), for every user it went to.
func (q *Queries) MessagesDoneByRef(ctx context.Context, orgID, caseID int64, ref string, at time.Time) error {
	_, err := q.db.Exec(ctx, `UPDATE user_messages SET done_at = $4
		WHERE case_id = $2 AND organisation_id = $1 AND done_at IS NULL AND ref = $3`, orgID, caseID, ref, at)
	if err != nil {
		return fmt.Errorf("messages done: %w", err)
	}
	return nil
}
