package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// UserSession is one signed-in session of a user (issue 11).
type UserSession struct {
	ID                      string
	Method, Device, Network string
	SignedInAt, LastSeenAt  time.Time
}

// StartUserSession records a new signed-in session and forgets the user's
// sessions that ended or went unused before forget.
func (q *Queries) StartUserSession(ctx context.Context, userID int64, s UserSession, forget time.Time) error {
	if _, err := q.db.Exec(ctx, `DELETE FROM user_sessions WHERE person_id = (SELECT person_id FROM users WHERE id = $1) AND (ended_at IS NOT NULL OR last_seen_at < $2)`, userID, forget); err != nil {
		return fmt.Errorf("start user session: %w", err)
	}
	_, err := q.db.Exec(ctx, `
		INSERT INTO user_sessions (id, person_id, method, device, network, signed_in_at, last_seen_at)
		VALUES ($1, (SELECT person_id FROM users WHERE id = $2), $3, $4, $5, $6, $6)`, s.ID, userID, s.Method, s.Device, s.Network, s.SignedInAt)
	if err != nil {
		return fmt.Errorf("start user session: %w", err)
	}
	return nil
}

// UserSessions lists the user's sessions that are on and were used after since, latest first.
func (q *Queries) UserSessions(ctx context.Context, userID int64, since time.Time) ([]UserSession, error) {
	rows, err := q.db.Query(ctx, `
		SELECT id, method, device, network, signed_in_at, last_seen_at FROM user_sessions
		WHERE person_id = (SELECT person_id FROM users WHERE id = $1) AND ended_at IS NULL AND last_seen_at >= $2
		ORDER BY last_seen_at DESC, signed_in_at DESC`, userID, since)
	if err != nil {
		return nil, fmt.Errorf("user sessions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (UserSession, error) {
		var s UserSession
		err := r.Scan(&s.ID, &s.Method, &s.Device, &s.Network, &s.SignedInAt, &s.LastSeenAt)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("user sessions: %w", err)
	}
	return out, nil
}

// EndUserSessions ends the user's sessions: the one named by only (when
// not ""), else all but the one named by except (when not ""). It returns
// how many ended.
func (q *Queries) EndUserSessions(ctx context.Context, userID int64, only, except string, now time.Time) (int, error) {
	tag, err := q.db.Exec(ctx, `
		UPDATE user_sessions SET ended_at = $4
		WHERE person_id = (SELECT person_id FROM users WHERE id = $1) AND ended_at IS NULL AND ($2 = '' OR id = $2) AND ($3 = '' OR id <> $3)`, userID, only, except, now)
	if err != nil {
		return 0, fmt.Errorf("end user sessions: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// SessionOn reports whether session id of the person of membership userID
// is still on (not ended), whatever that membership's state.
func (q *Queries) SessionOn(ctx context.Context, userID int64, id string) (bool, error) {
	var on bool
	err := q.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM user_sessions
		WHERE $2 <> '' AND id = $2 AND person_id = (SELECT person_id FROM users WHERE id = $1) AND ended_at IS NULL)`, userID, id).Scan(&on)
	if err != nil {
		return false, fmt.Errorf("session on: %w", err)
	}
	return on, nil
}
