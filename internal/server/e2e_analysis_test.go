package server_test

import (
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// TestE2EAnalysisChartsLoad opens the half-year analysis in a real Chromium
// under the strict CSP: every chart image must load and be drawn (an SVG
// blocked by the policy, or one that fails to parse, has no natural width),
// without console errors, failed requests or CSP violations.
func TestE2EAnalysisChartsLoad(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	app := newTestApp(t)
	b := newBrowserWithin(t, app, chromium, 90*time.Second)
	period := incident.HalfYearOf(app.Clock.Now(), amsterdam).String()

	e2eSignIn(b, "/analyse?periode="+period, demoDesk, "/analyse?periode="+period, e2eDeskName)
	if b.count(`[data-testid="analysis-live"]`) != 1 {
		t.Fatal("no live figures on the analysis page")
	}
	want := len(incident.AnalysisCharts)
	if n := b.count(`img[src^="/analyse/grafiek/"]`); n != want {
		t.Fatalf("%d chart images, want %d", n, want)
	}
	// Wait for the images, then check each was decoded.
	loaded := 0
	for range 50 {
		loaded = eval[int](b, "charts loaded", `[...document.querySelectorAll('img[src^="/analyse/grafiek/"]')].filter(i => i.complete && i.naturalWidth > 0).length`)
		if loaded == want {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if loaded != want {
		t.Errorf("%d of %d chart images drawn", loaded, want)
	}
	b.screenshot("analysis")

	// Save it with a conclusion; the saved report shows its charts too.
	b.do("type the conclusions", chromedp.SendKeys(chromedp.ID("conclusions"), "Twee keer een onversleutelde laptop."))
	if status := b.follow("save the analysis", chromedp.Click(testID("analysis-create"))); status != 200 {
		t.Fatalf("save: status %d", status)
	}
	if got := b.text(testID("flash")); got != "De analyse is opgeslagen als concept." {
		t.Errorf("flash %q", got)
	}
	for range 50 {
		loaded = eval[int](b, "saved charts loaded", `[...document.querySelectorAll('img[src*="/grafiek/"]')].filter(i => i.complete && i.naturalWidth > 0).length`)
		if loaded == want {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if loaded != want {
		t.Errorf("saved report: %d of %d chart images drawn", loaded, want)
	}
	b.screenshot("analysis-report")
	b.assertNoProblems("the analysis pages")
	if os.Getenv("LEKWACHT_SCREENSHOTS") == "" {
		t.Log("set LEKWACHT_SCREENSHOTS to a directory to keep the screenshot")
	}
}
