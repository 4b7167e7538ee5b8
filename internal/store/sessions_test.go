package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/sqlcount"
	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/internal/testdb"
)

// The session store keeps the idle timeout itself: a read within a minute of
// the last renewal writes nothing, a later read moves the expiry on in the
// same statement, never past the absolute deadline; an idle session and one
// past its deadline are gone.
func TestSessionStoreIdleTimeout(t *testing.T) {
	t.Parallel()
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	pool := testdb.New(t)
	ss := store.NewSessionStore(pool, 30*time.Minute)
	start := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	now := start
	ss.Now = func() time.Time { return now }
	expiry := func() time.Time {
		t.Helper()
		var e time.Time
		if err := pool.QueryRow(ctx, `SELECT expiry FROM sessions WHERE token = 'tok'`).Scan(&e); err != nil {
			t.Fatal(err)
		}
		return e.UTC()
	}
	find := func(want bool) {
		t.Helper()
		b, found, err := ss.FindCtx(ctx, "tok")
		if err != nil {
			t.Fatal(err)
		}
		if found != want || (found && string(b) != "data") {
			t.Fatalf("at +%s: found %v (%q), want %v", now.Sub(start), found, b, want)
		}
	}

	deadline := start.Add(2 * time.Hour)
	if err := ss.CommitCtx(ctx, "tok", []byte("data"), deadline); err != nil {
		t.Fatal(err)
	}
	if got := expiry(); !got.Equal(start.Add(30 * time.Minute)) {
		t.Fatalf("expiry after commit %s, want idle timeout from now", got)
	}

	// Within a minute of the commit: one statement, nothing renewed.
	now = start.Add(50 * time.Second)
	cctx, c := sqlcount.WithCounter(ctx)
	if _, _, err := ss.FindCtx(cctx, "tok"); err != nil {
		t.Fatal(err)
	}
	if c.Statements() != 1 || !strings.HasPrefix(c.SQL()[0], "WITH found") {
		t.Errorf("find: %d statements:\n%s", c.Statements(), c)
	}
	if got := expiry(); !got.Equal(start.Add(30 * time.Minute)) {
		t.Errorf("a read within a minute moved the expiry to %s", got)
	}

	// Later: the read renews the idle expiry.
	now = start.Add(10 * time.Minute)
	find(true)
	if got := expiry(); !got.Equal(now.Add(30 * time.Minute)) {
		t.Errorf("expiry after a read at +10m: %s, want %s", got, now.Add(30*time.Minute))
	}

	// Idle for longer than the timeout: gone.
	now = now.Add(30*time.Minute + time.Second)
	find(false)

	// The absolute deadline caps every renewal.
	now = start
	if err := ss.CommitCtx(ctx, "tok", []byte("data"), deadline); err != nil {
		t.Fatal(err)
	}
	for now.Add(20 * time.Minute).Before(deadline) {
		now = now.Add(20 * time.Minute)
		find(true)
		if e := expiry(); e.After(deadline) {
			t.Fatalf("expiry %s after the deadline %s", e, deadline)
		}
	}
	now = deadline
	find(false)

	// A row written without a deadline (before migration 00029) is never renewed.
	if _, err := pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ('old', 'x', $1)`, start.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	now = start.Add(4 * time.Minute)
	if _, found, _ := ss.FindCtx(ctx, "old"); !found {
		t.Error("an old session is not found before its expiry")
	}
	now = start.Add(6 * time.Minute)
	if _, found, _ := ss.FindCtx(ctx, "old"); found {
		t.Error("an old session was renewed past its expiry")
	}

	// Expired rows are removed; a live one stays.
	now = deadline.Add(time.Minute) // "tok" and "old" have expired
	if err := ss.CommitCtx(ctx, "live", []byte("data"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, err := ss.DeleteExpired(ctx); err != nil || n != 2 {
		t.Errorf("DeleteExpired: %d, %v; want the 2 expired", n, err)
	}
	if _, found, _ := ss.FindCtx(ctx, "live"); !found {
		t.Error("DeleteExpired removed a live session")
	}
	if err := ss.DeleteCtx(ctx, "live"); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := ss.FindCtx(ctx, "live"); found {
		t.Error("a deleted session is found")
	}
}
