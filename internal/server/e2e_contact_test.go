package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EContactDetailsValidationRoundTrip is issue 10.3's "validation round
// trip in the browser": in a real Chromium the administrator opens the
// organisation's contact details from the schools page, types a KvK number
// of seven digits, gets the form back with the Dutch message beside that
// field and everything typed kept, corrects it, saves and sees the stored
// value, normalised, after the redirect; the same for a school's BRIN.
func TestE2EContactDetailsValidationRoundTrip(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	app := newTestApp(t)
	b := newBrowser(t, app, chromium)

	e2eSignIn(b, "/beheer/scholen", demoAdmin, "/beheer/scholen", "Bea Beheerder")
	if status := b.follow("open the organisation's contact details", chromedp.Click(testID("organisation-contact-link"))); status != http.StatusOK {
		t.Fatalf("contact details: status %d", status)
	}
	if loc := b.location(); loc != "/beheer/contactgegevens" {
		t.Fatalf("at %s", loc)
	}
	b.assertNoProblems("the organisation's contact details")

	b.do("type a KvK number of seven digits and a new city",
		chromedp.Clear(chromedp.ID("kvk")), chromedp.SendKeys(chromedp.ID("kvk"), "1234 567"),
		chromedp.Clear(chromedp.ID("city")), chromedp.SendKeys(chromedp.ID("city"), "Amersfoort"),
		chromedp.Clear(chromedp.ID("fg_phone")), chromedp.SendKeys(chromedp.ID("fg_phone"), "06 1234 5678"))
	b.expectHTTPError(http.StatusUnprocessableEntity, "/beheer/contactgegevens")
	if status := b.follow("save with a bad KvK number", chromedp.Click(testID("contact-save"))); status != http.StatusUnprocessableEntity {
		t.Fatalf("bad KvK number: status %d, want 422", status)
	}
	b.expectErrorSummary("the refused contact details", "kvk")
	if msg := b.text(testID("error-kvk")); !strings.Contains(msg, "Een KvK-nummer heeft acht cijfers") {
		t.Errorf("message beside the KvK number = %q", msg)
	}
	if b.count(`[data-testid="error-city"], [data-testid="error-fg_phone"]`) != 0 {
		t.Error("a message beside a right field")
	}
	if got := b.attr(`#kvk`, "aria-invalid"); got != "true" {
		t.Errorf("KvK field aria-invalid = %q", got)
	}
	// The message is beside the field: inside the KvK field's own block.
	if !eval[bool](b, "message inside the field", `document.getElementById('kvk').closest('.lw-field').contains(document.querySelector('[data-testid="error-kvk"]'))`) {
		t.Error("the message is not beside the KvK field")
	}
	for id, want := range map[string]string{"kvk": "1234 567", "city": "Amersfoort", "fg_phone": "06 1234 5678", "street": "Stationsplein 1"} {
		if got := b.value(chromedp.CSS("#" + id)); got != want {
			t.Errorf("%s came back as %q, want %q", id, got, want)
		}
	}
	b.assertNoProblems("the refused form")

	b.do("correct the KvK number", chromedp.Clear(chromedp.ID("kvk")), chromedp.SendKeys(chromedp.ID("kvk"), "8765 4321"))
	if status := b.follow("save the corrected form", chromedp.Click(testID("contact-save"))); status != http.StatusOK {
		t.Fatalf("corrected form: status %d", status)
	}
	if loc := b.location(); loc != "/beheer/contactgegevens" {
		t.Errorf("after saving at %s", loc)
	}
	if got := b.text(testID("flash")); got != "De contactgegevens van de organisatie zijn opgeslagen." {
		t.Errorf("flash %q", got)
	}
	for id, want := range map[string]string{"kvk": "87654321", "city": "Amersfoort", "fg_phone": "06 1234 5678"} {
		if got := b.value(chromedp.CSS("#" + id)); got != want {
			t.Errorf("stored %s shown as %q, want %q", id, got, want)
		}
	}
	if b.count(`[data-testid^="error-"]`) != 0 {
		t.Error("messages left after saving")
	}
	b.assertNoProblems("the saved form")

	// A school's BRIN, from its link on the schools page.
	b.navigate("/beheer/scholen")
	if status := b.follow("open Het Baken's contact details", chromedp.Click(chromedp.CSS(`a[data-testid="school-contact-link"][href$="/`+itoa(app.schoolID(app.demoOrgID(), "Het Baken"))+`/contactgegevens"]`))); status != http.StatusOK {
		t.Fatalf("school contact details: status %d", status)
	}
	path := b.location()
	b.do("type a BRIN the wrong way round", chromedp.Clear(chromedp.ID("brin")), chromedp.SendKeys(chromedp.ID("brin"), "AB12"))
	b.expectHTTPError(http.StatusUnprocessableEntity, path)
	if status := b.follow("save with a bad BRIN", chromedp.Click(testID("contact-save"))); status != http.StatusUnprocessableEntity {
		t.Fatalf("bad BRIN: status %d, want 422", status)
	}
	if msg := b.text(testID("error-brin")); !strings.Contains(msg, "twee cijfers en twee letters") {
		t.Errorf("message beside the BRIN = %q", msg)
	}
	b.assertNoProblems("the refused school form")
	b.do("correct the BRIN", chromedp.Clear(chromedp.ID("brin")), chromedp.SendKeys(chromedp.ID("brin"), "12ab"))
	if status := b.follow("save the corrected school form", chromedp.Click(testID("contact-save"))); status != http.StatusOK {
		t.Fatalf("corrected school form: status %d", status)
	}
	if got := b.value(chromedp.CSS("#brin")); got != "12AB" {
		t.Errorf("stored BRIN shown as %q", got)
	}
	b.assertNoProblems("the saved school form")
}
