package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lekwacht/lekwacht/internal/service"
)

// TestE2EOnePersonTwoOrganisations (issue 11.3) in Chromium: an FG of two
// boards signs in once and lands on "Al mijn organisaties"; opening a case
// of the demo board from it switches there; the menu's select switches back,
// without JavaScript doing the work. axe-core and the width checks run on
// each page at 1280 and 390 px.
func TestE2EOnePersonTwoOrganisations(t *testing.T) {
	t.Parallel()
	path := chromiumPath(t)
	app := newTestApp(t)
	addPersonOfBothWith(app, service.DemoPassword)
	b := newBrowser(t, app, path)

	e2eSignIn(b, "/", bothPerson, "/organisaties", "Fleur Beide")
	b.checkPage("al mijn organisaties")
	if got := b.text(testID("org-name")); got != otherOrg {
		t.Errorf("after signing in the person works in %q, want %q", got, otherOrg)
	}
	rows := b.tableRows(`[data-testid="org-cases"]`)
	if len(rows) == 0 {
		t.Fatal("\"Al mijn organisaties\" lists no case")
	}
	demoRows := 0
	for _, r := range rows {
		if strings.Contains(strings.Join(r, " "), service.DemoOrganisation) {
			demoRows++
		}
	}
	if demoRows != len(rows) {
		t.Errorf("%d of %d rows name the demo board (the other board has no cases)", demoRows, len(rows))
	}

	// Open the first case: the browser lands on it, in the demo organisation.
	if status := b.follow("open the first case from the list", chromedp.Click(testID("org-case-open"))); status != 200 {
		t.Fatalf("open a case from the list: status %d", status)
	}
	if loc := b.location(); !strings.HasPrefix(loc, "/meldingen/") {
		t.Fatalf("after opening a case the browser is at %s", loc)
	}
	if got := b.text(testID("org-name")); got != service.DemoOrganisation {
		t.Errorf("the case opened in %q, want %q", got, service.DemoOrganisation)
	}
	if !strings.Contains(b.text(testID("flash")), "U werkt nu in "+service.DemoOrganisation) {
		t.Errorf("no word that the organisation changed: %q", b.text(testID("flash")))
	}
	b.checkPage("melding na wisselen")

	// The menu's select goes back to the other board.
	if got := b.selectedText("#org-switch-select"); got != service.DemoOrganisation {
		t.Errorf("the menu's select shows %q, want the organisation worked in", got)
	}
	b.chooseOption("#org-switch-select", otherOrg)
	if status := b.follow("switch in the menu", chromedp.Click(chromedp.CSS(`[data-testid="org-switch"] button`))); status != 200 {
		t.Fatalf("switch in the menu: status %d", status)
	}
	if loc, got := b.location(), b.text(testID("org-name")); loc != "/" || got != otherOrg {
		t.Errorf("after switching in the menu: at %s in %q, want / in %q", loc, got, otherOrg)
	}
	b.checkPage("start na wisselen")
	b.phoneScreenshot("organisaties-telefoon", true)
	b.assertNoProblems("switching organisations")
}
