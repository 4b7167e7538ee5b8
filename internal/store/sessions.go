package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// SessionRenewal is how often at most a session's idle expiry is moved on by
// a request that changes nothing in the session: a page view within a minute
// of the last renewal writes nothing. The idle timeout thus ends a session
// between idle and idle + SessionRenewal after its last request.
const SessionRenewal = time.Minute

// SessionStore keeps scs sessions in the sessions table, like scs/pgxstore,
// and keeps the idle timeout itself: scs's own idle timeout marks every
// session modified on load, so every page view became an upsert of the whole
// session and a durable commit. Here a session's expiry is
// least(deadline, last renewal + idle); Find renews it in the same statement
// that reads it, and only when the last renewal is more than SessionRenewal
// old, so a plain GET is one read. It implements scs.CtxStore: its queries run
// with the request's context.
type SessionStore struct {
	pool *pgxpool.Pool
	idle time.Duration
	// Now is the clock of session expiry (time.Now; settable for tests).
	Now func() time.Time
}

// NewSessionStore returns a session store on pool with the given idle
// timeout. Pass it to server.NewSessions with the same idle timeout.
func NewSessionStore(pool *pgxpool.Pool, idle time.Duration) *SessionStore {
	return &SessionStore{pool: pool, idle: idle, Now: time.Now}
}

// IdleTimeout is the idle timeout the store keeps (server.NewSessions then
// leaves scs's own off).
func (s *SessionStore) IdleTimeout() time.Duration { return s.idle }

// FindCtx returns the data of a session that has not expired, renewing its
// idle expiry when the last renewal is more than SessionRenewal old. The
// data-modifying CTE writes nothing (and commits nothing durable) when no
// renewal is due.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	now := s.Now()
	var b []byte
	err := s.pool.QueryRow(ctx, `
		WITH found AS (
			SELECT token, data, expiry, deadline FROM sessions WHERE token = $1 AND expiry > $2
		), renewed AS (
			UPDATE sessions s SET expiry = least(f.deadline, $3)
			FROM found f
			WHERE s.token = f.token AND f.deadline IS NOT NULL AND f.expiry < $4
			RETURNING 1
		)
		SELECT data FROM found`,
		token, now, now.Add(s.idle), now.Add(s.idle-SessionRenewal)).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return b, true, nil
}

// CommitCtx saves a session with its absolute deadline (scs passes the
// session's lifetime deadline, its own idle timeout being off); the expiry is
// the deadline or now + idle, whichever comes first.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, deadline time.Time) error {
	expiry := s.Now().Add(s.idle)
	if deadline.Before(expiry) {
		expiry = deadline
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO sessions (token, data, expiry, deadline) VALUES ($1, $2, $3, $4)
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry, deadline = EXCLUDED.deadline`,
		token, b, expiry, deadline)
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	return nil
}

// DeleteCtx removes a session.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE token = $1`, token); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Find is FindCtx without a context (scs.Store).
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context (scs.Store).
func (s *SessionStore) Commit(token string, b []byte, deadline time.Time) error {
	return s.CommitCtx(context.Background(), token, b, deadline)
}

// Delete is DeleteCtx without a context (scs.Store).
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// DeleteExpired removes the sessions that have expired and returns how many.
func (s *SessionStore) DeleteExpired(ctx context.Context) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE expiry <= $1`, s.Now())
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

// CleanUp deletes expired sessions every interval until ctx ends; failures
// are passed to onError (a log), and the next round tries again.
func (s *SessionStore) CleanUp(ctx context.Context, interval time.Duration, onError func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.DeleteExpired(ctx); err != nil && ctx.Err() == nil {
				onError(err)
			}
		}
	}
}
