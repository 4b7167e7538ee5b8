package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// In a real browser, a work list longer than a page shows 50 cases and
// "Volgende" leads to the rest, "Vorige" back: plain links, as a person
// would click them.
func TestE2EWorklistPages(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	app := newTestApp(t)
	ctx := sysCtx
	reporter, _, err := app.Store.Actor(ctx, app.userID(demoReporter))
	if err != nil {
		t.Fatal(err)
	}
	for range 55 {
		if _, err := app.Svc.Incidents.Report(ctx, reporter, incident.ReportForm{SubmissionKey: uuid.NewString(), WhatHappened: "Een lijst lag op de printer."}); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, app, chromium)
	e2eSignIn(b, "/", demoDesk, "/", e2eDeskName)
	if n := b.count(`[data-testid="desk-list"] [data-testid="work-row"]`); n != 50 {
		t.Fatalf("first page: %d rows, want 50", n)
	}
	if s := b.text(testID("meldpunt-shown")); !strings.HasPrefix(s, "50 van de ") {
		t.Errorf("shown: %q", s)
	}
	b.screenshot("worklist-first-page")
	if status := b.follow("Volgende", chromedp.Click(testID("meldpunt-next"), chromedp.NodeVisible)); status != 200 {
		t.Fatalf("Volgende: status %d", status)
	}
	if loc := b.location(); !strings.Contains(loc, "meldpunt=n") {
		t.Errorf("after Volgende at %s", loc)
	}
	if n := b.count(`[data-testid="desk-list"] [data-testid="work-row"]`); n == 0 || n >= 50 {
		t.Errorf("second page: %d rows", n)
	}
	b.screenshot("worklist-second-page")
	if status := b.follow("Vorige", chromedp.Click(testID("meldpunt-prev"), chromedp.NodeVisible)); status != 200 {
		t.Fatalf("Vorige: status %d", status)
	}
	if n := b.count(`[data-testid="desk-list"] [data-testid="work-row"]`); n != 50 {
		t.Errorf("back on the first page: %d rows", n)
	}
	b.assertNoProblems("paging the work list")
}
