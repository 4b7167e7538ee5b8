package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EInspectorate walks issue 10.4's Inspectie part in a real Chromium:
// for a breach of test or exam results the FG's case page asks whether the
// Inspectie van het Onderwijs was informed; "ja" without a date comes back
// with the Dutch message beside the date and the choice kept; with the date
// it is recorded and shown. axe-core and the console are checked at both
// widths on each page state.
func TestE2EInspectorate(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	app := newTestApp(t)
	id := app.journeyCaseToClose()
	app.exec(`UPDATE case_assessments SET facts = jsonb_set(facts, '{data}', '["basic", "performance"]') WHERE case_id = $1`, id)
	path := "/meldingen/" + itoa(id)
	b := newBrowser(t, app, chromium)

	e2eSignIn(b, path, demoOfficer, path, "Femke de Functionaris")
	if b.count(`[data-testid="inspectorate-form"]`) != 1 {
		t.Fatal("the FG's case page does not ask about the Inspectie")
	}
	b.assertNoProblems("the Inspectie asked")

	b.do("choose 'ja' without a date", chromedp.Click(chromedp.CSS(`input[name="inspectorate_informed"][value="yes"]`)))
	b.expectHTTPError(http.StatusUnprocessableEntity, path+"/inspectie")
	if status := b.follow("record without a date", chromedp.Click(testID("inspectorate-submit"))); status != http.StatusUnprocessableEntity {
		t.Fatalf("without a date: status %d, want 422", status)
	}
	b.expectErrorSummary("the refused Inspectie form", "inspectorate_on")
	if msg := b.text(testID("error-inspectorate_on")); !strings.Contains(msg, "Vul de datum in waarop de Inspectie is geïnformeerd") {
		t.Errorf("message beside the date = %q", msg)
	}
	if !eval[bool](b, "the choice kept", `document.querySelector('input[name="inspectorate_informed"][value="yes"]').checked`) {
		t.Error("the choice 'ja' was not kept")
	}
	b.assertNoProblems("the refused Inspectie form")

	b.do("fill in the date", chromedp.SetValue(chromedp.ID("inspectorate_on"), "2026-01-15"))
	if status := b.follow("record with the date", chromedp.Click(testID("inspectorate-submit"))); status != http.StatusOK {
		t.Fatalf("with the date: status %d", status)
	}
	if got := b.text(testID("inspectorate-recorded")); !strings.HasPrefix(got, "Ja, op 15-01-2026") {
		t.Errorf("recorded = %q", got)
	}
	b.assertNoProblems("the Inspectie recorded")
}
