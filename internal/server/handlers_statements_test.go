package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/sqlcount"
)

// fixedStatements are what every signed-in page costs: the session read
// (which renews the idle expiry at most once a minute, in the same
// statement) and the actor with grants and unread count, the latter after
// its row-level security setting in the same batch (store/scope.go).
const fixedStatements = 3

// The statements a page sends to the database, counted by sqlcount through
// the test server (harness_test.go): a new N+1 query, or a query added to
// every request, fails here. The limits are what each page needs; raise one
// only with a reason in the commit.
func TestStatementsPerPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	officer := app.as("fg@demo.lekwacht.nl")
	id := itoa(app.demoCase(1))
	app.get(officer, "/") // the page after sign-in pops its flash, a session write
	// Row-level security (issue 15.4): every round trip on the pool starts
	// with the organisation's set_config in the same batch, one statement
	// more per round trip and no round trip more; the read recorded in the
	// security log carries it in its one message.
	for _, tc := range []struct {
		name, path  string
		page, trips int // statements and round trips of the page itself
	}{
		// Open questions, the work lists (pages and totals in one batch), messages.
		{"FG start page", "/", 4 + 3, 3},
		// The case and the actor's relation to it, then every part the
		// actor may see, in two batches (store.Gather).
		// ... and the read recorded in the security log (issue 15.4): one
		// statement, one round trip, no wait for the disk.
		// ... and the Inspectie van het Onderwijs (issue 10.4), in the batch.
		{"case page", "/meldingen/" + id, 17 + 2, 3},
		{"messages", "/berichten", 1 + 1, 1},
		{"report form", "/melden", 1 + 1, 1},
	} {
		res, c := app.statementsOf(officer, tc.path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", tc.name, res.StatusCode)
		}
		t.Logf("%s: %d statements in %d round trips", tc.name, c.Statements(), c.RoundTrips())
		if max := fixedStatements + tc.page; c.Statements() > max {
			t.Errorf("%s: %d statements, want at most %d:\n%s", tc.name, c.Statements(), max, c)
		}
		if max := fixedStatements + tc.trips; c.RoundTrips() > max {
			t.Errorf("%s: %d round trips, want at most %d:\n%s", tc.name, c.RoundTrips(), max, c)
		}
		assertReadOnly(t, tc.name, c)
	}
}

// assertReadOnly fails when a GET wrote: no INSERT, UPDATE or DELETE outside
// the session read's renewal, no transaction.
func assertReadOnly(t *testing.T, what string, c *sqlcount.Counter) {
	t.Helper()
	for _, sql := range c.SQL() {
		s := strings.ToUpper(strings.TrimPrefix(sql, "batch: "))
		if strings.HasPrefix(s, "WITH FOUND AS ( SELECT TOKEN, DATA") {
			continue // the session read
		}
		if strings.HasPrefix(s, "WITH TOUCHED AS ( UPDATE USER_SESSIONS SET LAST_SEEN_AT") {
			continue // the actor with its session row, whose last use is renewed at most once a minute
		}
		if strings.HasPrefix(s, "SET LOCAL SYNCHRONOUS_COMMIT = OFF; SELECT SET_CONFIG('LEKWACHT.ORGANISATION', ") &&
			strings.Contains(s, "; INSERT INTO AUDIT_LOG ") {
			continue // the read of a case recorded in the security log (store.RecordRead)
		}
		for _, w := range []string{"INSERT ", "UPDATE ", "DELETE ", "BEGIN", "COMMIT"} {
			if strings.Contains(s, w) {
				t.Errorf("%s writes: %s", what, sql)
			}
		}
	}
}

// A plain GET leaves the session row as it was (issue 13: scs's idle timeout
// made every page view an upsert of the session), while the idle timeout
// still ends a session: a session whose expiry passed is signed out.
func TestPlainGetDoesNotWriteTheSession(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	desk := app.as("meldpunt@demo.lekwacht.nl")
	app.get(desk, "/")
	row := func() string {
		return app.scalar(`SELECT md5(data::text) || ' ' || expiry::text || ' ' || xmin::text FROM sessions`)
	}
	before := row()
	for _, path := range []string{"/", "/meldpunt", "/berichten", "/melden"} {
		res, c := app.statementsOf(desk, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		assertReadOnly(t, path, c)
	}
	if after := row(); after != before {
		t.Errorf("a plain GET rewrote the session: %s, then %s", before, after)
	}
	if n := app.count(`SELECT count(*) FROM sessions WHERE deadline IS NULL OR deadline < expiry OR expiry > now() + interval '30 minutes'`); n != 0 {
		t.Errorf("%d sessions without a deadline or beyond it", n)
	}

	// Idle past the timeout (the expiry passed): signed out.
	if _, err := app.Owner.Exec(t.Context(), `UPDATE sessions SET expiry = $1`, time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	expect(t, "idle session", app.get(desk, "/meldpunt"), http.StatusSeeOther, "/inloggen?next=%2Fmeldpunt")
}
