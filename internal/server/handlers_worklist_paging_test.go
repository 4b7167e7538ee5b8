package server_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// A work list longer than a page shows 50 cases, how many there are in all,
// and "Volgende" / "Vorige" as plain links (no JavaScript) that keep the
// other lists where they are.
func TestHandlersWorklistPages(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	ctx := sysCtx
	reporter, _, err := app.Store.Actor(ctx, app.userID("ontdekker@demo.lekwacht.nl"))
	if err != nil {
		t.Fatal(err)
	}
	for range 55 {
		if _, err := app.Svc.Incidents.Report(ctx, reporter, incident.ReportForm{SubmissionKey: uuid.NewString(), WhatHappened: "Een lijst lag op de printer."}); err != nil {
			t.Fatal(err)
		}
	}
	open := app.count(`SELECT count(*) FROM cases WHERE organisation_id = $1 AND status IN ('new', 'inventory', 'recording')`, app.demoOrgID())
	desk := app.as("meldpunt@demo.lekwacht.nl")
	home := app.get(desk, "/?fg=n1-1") // a cursor of a list the desk does not have is kept in its links
	if n := strings.Count(home.Body, `data-testid="work-row"`); n != 50 {
		t.Fatalf("first page: %d rows, want 50", n)
	}
	if got, want := home.text("meldpunt-shown"), "50 van de "+itoa(int64(open))+" meldingen"; got != want {
		t.Errorf("shown: %q, want %q", got, want)
	}
	if home.has("meldpunt-prev") || !home.has("meldpunt-next") {
		t.Fatalf("first page: prev %v, next %v", home.has("meldpunt-prev"), home.has("meldpunt-next"))
	}
	next := href(t, home, "meldpunt-next")
	if !strings.HasPrefix(next, "/?") || !strings.Contains(next, "fg=n1-1") || !strings.HasSuffix(next, "#werk-meldpunt") {
		t.Errorf("next link %q", next)
	}
	page2 := app.get(desk, next)
	if n := strings.Count(page2.Body, `data-testid="work-row"`); n != open-50 {
		t.Errorf("second page: %d rows, want %d", n, open-50)
	}
	if !page2.has("meldpunt-prev") || page2.has("meldpunt-next") || !page2.has("desk-work") {
		t.Errorf("second page: prev %v, next %v", page2.has("meldpunt-prev"), page2.has("meldpunt-next"))
	}
	back := app.get(desk, href(t, page2, "meldpunt-prev"))
	if n := strings.Count(back.Body, `data-testid="work-row"`); n != 50 || back.has("meldpunt-prev") {
		t.Errorf("back: %d rows, prev %v", n, back.has("meldpunt-prev"))
	}
	// A list that fits on one page has no pager.
	if page := app.get(app.as("fg@demo.lekwacht.nl"), "/"); page.has("fg-pager") {
		t.Error("the FG's short list has a pager")
	}
	expect(t, "start page", home, http.StatusOK)
	// A cursor typed into the address bar that is no cursor shows the first page.
	for _, c := range []string{"n-9223372036854775808-1", "v99999999999999999-1", "xyz", "n1-1-1"} {
		if res := app.get(desk, "/?meldpunt="+c); res.StatusCode != http.StatusOK || strings.Count(res.Body, `data-testid="work-row"`) != 50 {
			t.Errorf("cursor %q: status %d", c, res.StatusCode)
		}
	}
}

// href returns the decoded href of the element with data-testid id.
func href(t *testing.T, r *response, id string) string {
	t.Helper()
	m := regexp.MustCompile(`href="([^"]*)"[^>]*data-testid="` + regexp.QuoteMeta(id) + `"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no link %s", id)
	}
	return html.UnescapeString(m[1])
}
