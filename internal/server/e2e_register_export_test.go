package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2ERegisterExportPage: the administrator reaches the export page from
// the menu in a real browser (no console errors, failed requests or CSP
// violations), picks a school, and what the CSV button would send is the
// export of that school.
func TestE2ERegisterExportPage(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	app := newTestApp(t)
	org := app.demoOrgID()
	num := func(seq int) string {
		return app.scalar(`SELECT year || '-' || lpad(seq::text, 4, '0') FROM cases WHERE id = $1`, app.demoCase(seq))
	}
	num1, num2 := num(1), num(2) // De Regenboog, Het Baken
	b := newBrowser(t, app, chromium)
	e2eSignIn(b, "/", demoAdmin, "/", "Bea Beheerder")
	if status := b.follow("open the export page from the menu", chromedp.Click(chromedp.CSS(`nav a[href="/register/exporteren"]`))); status != 200 {
		t.Fatalf("export page: status %d", status)
	}
	if loc := b.location(); loc != "/register/exporteren" {
		t.Fatalf("browser at %s", loc)
	}
	b.chooseOption(`[data-testid="filter-school"]`, "De Regenboog")
	b.screenshot("register-export")
	sent := eval[string](b, "the CSV button's request", `(() => {
		const f = document.querySelector('[data-testid="export-filter"]'), btn = document.querySelector('[data-testid="export-button-csv"]');
		return btn.formAction + "?" + new URLSearchParams(new FormData(f, btn)).toString();
	})()`)
	path := strings.TrimPrefix(sent, app.URL)
	if !strings.HasPrefix(path, "/register/export.csv?") || !strings.Contains(path, "school="+itoa(app.schoolID(org, "De Regenboog"))) {
		t.Fatalf("the CSV button sends %s", sent)
	}
	csv := app.get(app.as(demoAdmin), path)
	expect(t, "CSV", csv, http.StatusOK)
	if !strings.Contains(csv.Body, num1) || strings.Contains(csv.Body, num2) {
		t.Errorf("the CSV of De Regenboog: %s", snippet(csv.Body))
	}
	b.assertNoProblems("exporting the register")
}
