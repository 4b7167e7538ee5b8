package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EDossierFromTheCasePage: the officer follows the dossier link on the
// case page of a case taken through every step and reads the dossier in a
// real browser, without console errors, failed requests or CSP violations;
// the PDF link is there.
func TestE2EDossierFromTheCasePage(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	app := newTestApp(t)
	id := app.journeyCase()
	b := newBrowser(t, app, chromium)
	path := "/meldingen/" + itoa(id)
	e2eSignIn(b, path, demoOfficer, path, "Femke de Functionaris")
	if status := b.follow("open the dossier", chromedp.Click(testID("dossier-link"))); status != 200 {
		t.Fatalf("dossier: status %d", status)
	}
	if loc := b.location(); loc != path+"/dossier" {
		t.Fatalf("browser at %s", loc)
	}
	if got := b.count(`section[data-testid^="dossier-"]`); got != 12 {
		t.Errorf("%d dossier sections, want the 12 of a case without a processor (the audit trail's included)", got)
	}
	if href := b.attr(`[data-testid="dossier-pdf"]`, "href"); href != path+"/dossier.pdf" {
		t.Errorf("PDF link %q", href)
	}
	if txt := b.text(testID("dossier-notifications")); !strings.Contains(txt, jAPNumber) {
		t.Errorf("notifications section: %q", txt)
	}
	b.screenshot("dossier")
	b.assertNoProblems("reading the dossier")
}
