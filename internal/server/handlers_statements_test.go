package server_test

import (
	"net/http"
	"testing"
)

// The statements a page sends to the database, counted by sqlcount through
// the test server (harness_test.go): a new N+1 query, or a query added to
// every request, fails here. The limits are what each page needs; raise one
// only with a reason in the commit.
func TestStatementsPerPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	officer := app.as("fg@demo.lekwacht.nl")
	id := itoa(app.demoCase(1))
	for _, tc := range []struct {
		name, path string
		max        int
	}{
		{"FG start page", "/", 100},
		{"case page", "/meldingen/" + id, 100},
		{"messages", "/berichten", 100},
		{"report form", "/melden", 100},
	} {
		res, c := app.statementsOf(officer, tc.path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", tc.name, res.StatusCode)
		}
		t.Logf("%s: %d statements, %d round trips:\n%s", tc.name, c.Statements(), c.RoundTrips(), c)
		if c.Statements() > tc.max {
			t.Errorf("%s: %d statements, want at most %d:\n%s", tc.name, c.Statements(), tc.max, c)
		}
	}
}
