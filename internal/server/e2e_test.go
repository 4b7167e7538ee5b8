package server_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lekwacht/lekwacht/internal/service"
)

// The report the e2e reporter types: the USB stick with the addresses of
// class 3b. The text differs from the demo data's USB report, so that the
// database check below finds only what this test made. It holds non-ASCII
// characters (é, ë, ’) to check that they survive the whole way.
const (
	e2eWhatHappened = "Na de ouderavond van gisteren merkte ik dat mijn USB-stick weg is. Daarop stond de adreslijst " +
		"van klas 3b: namen, adressen en telefoonnummers van de leerlingen en hun ouders. De stick was niet " +
		"versleuteld. Ik ben ’m waarschijnlijk in de aula verloren; één collega heeft daar al gezocht."
	e2eActionsTaken = "Aula en gevonden voorwerpen doorzocht; de conciërge kijkt morgenochtend op het schoolplein."
	e2eSchool       = "De Regenboog"
	e2eEstimate     = "28"
	e2eReporterName = "Olga Ontdekker"
	e2eDeskName     = "Mehmet Meldpunt"
)

// TestE2EReportReachesTheDesk drives a real headless Chromium through the
// journey of a report: a staff member signs in, makes a mistake in the
// form, reports the lost USB stick, sees the case number and finds it under
// "Mijn meldingen"; going back in the browser and sending the form again
// makes no second case; then the desk signs in and finds the report in its
// inbox, with what was typed. No console errors, failed requests or CSP
// violations are allowed on the way.
func TestE2EReportReachesTheDesk(t *testing.T) {
	t.Parallel()
	start := time.Now()
	chromium := chromiumPath(t) // first: without a browser, fail before the database work
	app := newTestApp(t)
	b := newBrowser(t, app, chromium)
	t.Logf("app and browser ready in %s", time.Since(start).Round(time.Millisecond))
	before := e2eCaseCount(t, app, "")

	e2eSignIn(b, "/", demoReporter, "/", e2eReporterName)
	id, number := e2eReport(b)
	e2eResubmitFromHistory(b, id, number)
	e2eMine(b, id, number)
	e2eSignOut(b)

	// Exactly one case with this text, and exactly one case more in all.
	if n := e2eCaseCount(t, app, e2eWhatHappened); n != 1 {
		t.Errorf("database: %d cases hold the typed text, want exactly 1 (a resubmission made a duplicate?)", n)
	}
	if n := e2eCaseCount(t, app, ""); n != before+1 {
		t.Errorf("database: %d cases after the journey, want %d (before) + 1", n, before)
	}

	// The desk signs in on the page the app sent us to after signing out.
	e2eSignIn(b, "", demoDesk, "/", e2eDeskName)
	e2eDesk(b, id, number)
	b.assertNoProblems("the whole journey")
	t.Logf("journey done in %s", time.Since(start).Round(time.Millisecond))
	if os.Getenv("LEKWACHT_SCREENSHOTS") == "" {
		t.Log("set LEKWACHT_SCREENSHOTS to a directory to keep the screenshots")
	}
}

// e2eCaseCount counts the cases (with this exact text, unless text is "").
func e2eCaseCount(t *testing.T, app *testApp, text string) int {
	t.Helper()
	var n int
	err := app.Owner.QueryRow(t.Context(),
		`SELECT count(*) FROM cases WHERE $1 = '' OR what_happened = $1`, text).Scan(&n)
	if err != nil {
		t.Fatalf("count cases: %v", err)
	}
	return n
}

// e2eSignIn opens path (or stays where the browser is when path is ""),
// expects the sign-in page, signs in and expects to land on want, greeted
// by name in the header.
func e2eSignIn(b *browser, path, email, want, name string) {
	t := b.t
	if path != "" {
		if status := b.navigate(path); status != 200 {
			t.Fatalf("open %s: status %d, want 200 (the sign-in page after a redirect)", path, status)
		}
	}
	if loc := b.location(); !strings.HasPrefix(loc, "/inloggen") {
		t.Fatalf("want the sign-in page, browser is at %s", loc)
	}
	if h := b.text(chromedp.CSS(`[data-testid="signin"] h1`)); h != "Inloggen" {
		t.Errorf("sign-in page heading = %q, want %q", h, "Inloggen")
	}
	if path == "/" {
		if loc := b.location(); loc != "/inloggen?next=%2F" {
			t.Errorf("anonymous / redirected to %s, want /inloggen?next=%%2F", loc)
		}
		b.checkCSPIsWatched()
	}
	// E-mail first (issue 11): an address without single sign-on then gets
	// the password field.
	b.do("fill in the e-mail address",
		chromedp.Clear(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email))
	if status := b.follow("e-mail step for "+email, chromedp.Click(testID("signin-next"))); status != 200 {
		t.Fatalf("e-mail step for %s: status %d, want 200", email, status)
	}
	b.do("fill in the password", chromedp.SendKeys(chromedp.ID("password"), service.DemoPassword))
	if status := b.follow("sign in as "+email, chromedp.Click(testID("signin-submit"))); status != 200 {
		t.Fatalf("sign in as %s: status %d, want 200", email, status)
	}
	b.e2eSecondStep(email)
	if loc := b.location(); loc != want {
		if b.count(`[data-testid="form-error"]`) > 0 {
			t.Fatalf("sign in as %s refused: %q", email, b.text(testID("form-error")))
		}
		t.Fatalf("after signing in as %s the browser is at %s, want %s", email, loc, want)
	}
	if got := b.text(testID("user-name")); got != name {
		t.Errorf("signed in as %s, the header shows %q, want %q", email, got, name)
	}
	b.assertNoProblems("sign in as " + email)
}

// e2eSecondStep finishes a sign-in at the second factor, as a person does:
// at the first sign-in of the desk, FG, board or administrator it types the
// secret shown over into "the app" (the test's TOTP) and the code back,
// then goes on from the recovery codes; later it types the current code.
func (b *browser) e2eSecondStep(email string) {
	t := b.t
	switch loc := b.location(); {
	case strings.HasPrefix(loc, "/inloggen/tweestaps-instellen"):
		if b.count(`[data-testid="totp-qr"]`) != 1 {
			t.Errorf("sign in as %s: the set-up page shows no QR code", email)
		}
		secret := strings.ReplaceAll(b.text(testID("totp-secret")), " ", "")
		b.app.secrets.Store(email, secret)
		b.do("type the code from the app", chromedp.SendKeys(chromedp.ID("code"), b.app.totpCode(email)))
		if status := b.follow("set up the second factor", chromedp.Click(testID("enrol-submit"))); status != 200 {
			t.Fatalf("set up the second factor for %s: status %d", email, status)
		}
		if n := b.count(`[data-testid="recovery-code"]`); n != 10 {
			t.Errorf("set up the second factor for %s: %d recovery codes shown, want 10", email, n)
		}
		if status := b.follow("go on after the recovery codes", chromedp.Click(testID("recovery-continue"))); status != 200 {
			t.Fatalf("after the recovery codes: status %d", status)
		}
	case strings.HasPrefix(loc, "/inloggen/code"):
		if _, err := b.app.Owner.Exec(context.Background(),
			`UPDATE user_totp SET last_step = 0 WHERE person_id = (SELECT id FROM people WHERE email = $1)`, email); err != nil {
			t.Fatal(err)
		}
		b.do("type the code from the app", chromedp.SendKeys(chromedp.ID("code"), b.app.totpCode(email)))
		if status := b.follow("sign in with the code", chromedp.Click(testID("code-submit"))); status != 200 {
			t.Fatalf("code step for %s: status %d", email, status)
		}
	}
}

// checkCSPIsWatched proves that the test notices a Content-Security-Policy
// violation: it injects an inline style, which the policy (style-src
// 'self') must block, and expects exactly that report. Without this, a
// broken listener would let every later "no CSP violations" check pass.
func (b *browser) checkCSPIsWatched() {
	t := b.t
	eval[bool](b, "inject an inline style", `(() => {
		const s = document.createElement("style");
		s.textContent = "body { outline: 1px solid red }";
		document.head.appendChild(s);
		return true
	})()`)
	deadline := time.Now().Add(3 * time.Second)
	var seen []string
	for time.Now().Before(deadline) {
		b.settle()
		if seen = append(seen, b.takeProblems()...); len(seen) > 0 {
			break
		}
	}
	if len(seen) != 1 || !strings.Contains(seen[0], "Content Security Policy") {
		t.Fatalf("an inline style injected on purpose should give exactly one CSP violation report; got %q "+
			"(is the Content-Security-Policy header missing, or does the test no longer see the browser log?)", seen)
	}
}

// e2eReport reports the lost USB stick: the start page's button, an empty
// form refused, a form without the required answer refused with everything
// typed kept, and then the full report. It returns the case id and number.
func e2eReport(b *browser) (int64, string) {
	t := b.t
	if status := b.follow("click Incident melden", chromedp.Click(testID("start-report"), chromedp.NodeVisible)); status != 200 {
		t.Fatalf("report form: status %d, want 200", status)
	}
	if loc := b.location(); loc != "/melden" {
		t.Fatalf("Incident melden led to %s, want /melden", loc)
	}
	if h := b.text(chromedp.CSS("main h1")); h != "Incident melden" {
		t.Errorf("report form heading = %q, want %q", h, "Incident melden")
	}
	key := b.value(chromedp.CSS(`[data-testid="report-form"] input[name="submission_key"]`))
	if key == "" {
		t.Fatal("the report form has no submission key: a resubmission could not be recognised")
	}
	discovered := b.value(chromedp.CSS("#discovered_at"))
	if discovered == "" {
		t.Error("'Wanneer ontdekte u het?' is not filled in with now")
	}

	// 1. Send the form empty: it comes back with the message beside the
	// one required question.
	b.expectHTTPError(422, "/melden")
	if status := b.follow("send the empty report form", chromedp.Click(testID("report-submit"))); status != 422 {
		t.Fatalf("empty report form: status %d, want 422", status)
	}
	e2eExpectRefused(b, key)
	if got := b.value(chromedp.CSS("#discovered_at")); got != discovered {
		t.Errorf("after the refusal 'Wanneer ontdekte u het?' = %q, want %q as before", got, discovered)
	}
	b.screenshot("01-report-form-refused")
	b.assertNoProblems("the empty report form")

	// 2. Answer every question but the required one: refused again, and
	// everything typed must still be there.
	e2eFillDetails(b)
	b.expectHTTPError(422, "/melden")
	if status := b.follow("send the report without what happened", chromedp.Click(testID("report-submit"))); status != 422 {
		t.Fatalf("report without 'what happened': status %d, want 422", status)
	}
	e2eExpectRefused(b, key)
	e2eExpectDetails(b, "after the refused form")
	b.assertNoProblems("the report form without what happened")

	// 3. Type what happened and send.
	b.do("type what happened", chromedp.SendKeys(chromedp.ID("what_happened"), e2eWhatHappened))
	if got := b.value(chromedp.CSS("#what_happened")); got != e2eWhatHappened {
		t.Fatalf("the text area holds %q after typing, want %q", got, e2eWhatHappened)
	}
	b.screenshot("02-report-form")
	b.phoneScreenshot("03-report-form-phone-390", true)

	if status := b.follow("send the report", chromedp.Click(testID("report-submit"))); status != 200 {
		if b.count(`[data-testid="form-error"]`) > 0 {
			t.Fatalf("report refused (status %d): %q", status, b.text(testID("form-error")))
		}
		t.Fatalf("send the report: status %d, want 200 after the redirect", status)
	}
	loc := b.location()
	m := regexp.MustCompile(`^/meldingen/(\d+)/ontvangen$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("after sending, the browser is at %s, want /meldingen/{id}/ontvangen", loc)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	number := e2eExpectConfirmation(b)
	if b.count(`[data-testid="flash"]`) != 0 {
		t.Errorf("first confirmation shows a message %q; that belongs only to a resubmission", b.text(testID("flash")))
	}
	b.screenshot("04-confirmation")
	b.assertNoProblems("sending the report")
	return id, number
}

// e2eExpectRefused checks a refused report form: status message, the
// message beside "what happened", marked for screen readers, same key.
func e2eExpectRefused(b *browser, key string) {
	t := b.t
	if loc := b.location(); loc != "/melden" {
		t.Errorf("refused form at %s, want /melden", loc)
	}
	if msg := b.text(testID("form-error")); !strings.Contains(msg, "Niet alles is goed ingevuld") {
		t.Errorf("error summary = %q, want it to say the form is not complete", msg)
	}
	// The error summary has the focus when the page opens, and each of its
	// links moves the focus to the field it names (issue 14.3).
	b.expectErrorSummary("the refused report", "what_happened")
	msg := b.text(chromedp.CSS(`.utrecht-form-field:has(#what_happened) [data-testid="error-what_happened"]`))
	if !strings.Contains(msg, "Beschrijf kort wat er is gebeurd") {
		t.Errorf("message beside 'what happened' = %q, want it to ask for a description", msg)
	}
	attrs, err := runQuick(b, chromedp.Attributes(chromedp.ID("what_happened")))
	if err != nil {
		b.fatal("read the attributes of what_happened", err)
	}
	if attrs["aria-invalid"] != "true" || !strings.Contains(attrs["aria-describedby"], "what_happened-error") {
		t.Errorf("what_happened is not marked invalid for screen readers: aria-invalid=%q aria-describedby=%q",
			attrs["aria-invalid"], attrs["aria-describedby"])
	}
	if n := b.count(`[data-testid^="error-"]`); n != 1 {
		t.Errorf("%d field messages on the refused form, want 1 (only 'what happened' is required)", n)
	}
	if got := b.value(chromedp.CSS(`input[name="submission_key"]`)); got != key {
		t.Errorf("submission key changed from %q to %q on refusal: a resubmission would make a second case", key, got)
	}
}

// e2eFillDetails answers every question of the report form but the first.
func e2eFillDetails(b *browser) {
	b.chooseOption("#school", e2eSchool)
	b.do("tick and type the details",
		chromedp.Click(chromedp.CSS(`input[name="carriers"][value="usb"]`), chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(`input[name="personal_data"][value="yes"]`), chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(`input[name="data_kinds"][value="contact"]`), chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.ID("subjects_estimate"), e2eEstimate),
		chromedp.Click(chromedp.CSS(`input[name="subject_groups"][value="students"]`), chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(`input[name="subject_groups"][value="parents"]`), chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(`input[name="ongoing"][value="no"]`), chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.ID("actions_taken"), e2eActionsTaken),
	)
	e2eExpectDetails(b, "after filling in")
}

// e2eExpectDetails checks that the form shows the answers of e2eFillDetails.
func e2eExpectDetails(b *browser, when string) {
	t := b.t
	if got := b.selectedText("#school"); got != e2eSchool {
		t.Errorf("%s: school = %q, want %q", when, got, e2eSchool)
	}
	for _, c := range []struct {
		name  string
		ticks []string
	}{
		{"carriers", []string{"usb"}},
		{"personal_data", []string{"yes"}},
		{"data_kinds", []string{"contact"}},
		{"subject_groups", []string{"students", "parents"}},
		{"ongoing", []string{"no"}},
	} {
		got := eval[[]string](b, "read the ticks of "+c.name, fmt.Sprintf(
			`[...document.querySelectorAll('input[name=%q]:checked')].map(e => e.value)`, c.name))
		if strings.Join(got, ",") != strings.Join(c.ticks, ",") {
			t.Errorf("%s: %s ticked = %q, want %q", when, c.name, got, c.ticks)
		}
	}
	// The radio buttons say what they mean in Dutch.
	if got := b.text(chromedp.CSS(`label.utrecht-form-label:has(input[name="personal_data"][value="yes"])`)); got != "Ja" {
		t.Errorf("%s: the personal-data answer ticked reads %q, want Ja", when, got)
	}
	if got := b.value(chromedp.CSS("#subjects_estimate")); got != e2eEstimate {
		t.Errorf("%s: number of people = %q, want %q", when, got, e2eEstimate)
	}
	if got := b.value(chromedp.CSS("#actions_taken")); got != e2eActionsTaken {
		t.Errorf("%s: what was done = %q, want %q", when, got, e2eActionsTaken)
	}
}

// e2eExpectConfirmation checks the confirmation page and returns the case
// number it shows.
func e2eExpectConfirmation(b *browser) string {
	t := b.t
	if h := b.text(chromedp.CSS(`[data-testid="report-done"] h1`)); h != "Uw melding is ontvangen" {
		t.Errorf("confirmation heading = %q", h)
	}
	number := b.text(testID("case-number"))
	if !caseNumberPattern.MatchString(number) {
		t.Fatalf("case number %q on the confirmation page, want the form YYYY-NNNN", number)
	}
	if year := strconv.Itoa(b.app.Clock.Now().In(amsterdam).Year()); !strings.HasPrefix(number, year+"-") {
		t.Errorf("case number %q does not start with this year, %s", number, year)
	}
	return number
}

// e2eResubmitFromHistory goes back in the browser after the confirmation
// and sends the form again, as a user unsure whether it went through would:
// Back lands on the refused form, which was a POST, so Chromium shows
// "Confirm form resubmission" (ERR_CACHE_MISS); reloading sends that POST
// again; the user types what happened once more and sends. That must show
// the existing case, say so, and not make a second one.
func e2eResubmitFromHistory(b *browser, id int64, number string) {
	t := b.t
	// Chromium will not show a POST result from its cache: expect that.
	b.expectLoadFailure("/melden", "net::ERR_CACHE_MISS")
	err := chromedp.Do(b.ctx, chromedp.NavigateBack())
	var loadErr *chromedp.LoadError
	switch {
	case err == nil:
		// A browser that keeps the page (back/forward cache) shows the form.
	case errors.As(err, &loadErr) && loadErr.ErrorText == "net::ERR_CACHE_MISS":
		b.expectHTTPError(422, "/melden")
		if status := b.follow("reload to send the form again", chromedp.Reload()); status != 422 {
			t.Fatalf("reloading the refused form after Back: status %d, want 422 (the POST sent again)", status)
		}
	default:
		b.fatal("go back after the confirmation", err)
	}
	if loc := b.location(); loc != "/melden" || b.count(`[data-testid="report-form"]`) != 1 {
		t.Fatalf("after Back the browser is at %s, want the report form at /melden", loc)
	}
	if b.value(chromedp.CSS("#what_happened")) == "" {
		b.do("type what happened again", chromedp.SendKeys(chromedp.ID("what_happened"), e2eWhatHappened))
	}
	e2eExpectDetails(b, "after going back")
	if status := b.follow("send the form again", chromedp.Click(testID("report-submit"))); status != 200 {
		t.Fatalf("send the form again: status %d, want 200 after the redirect", status)
	}
	if loc, want := b.location(), fmt.Sprintf("/meldingen/%d/ontvangen", id); loc != want {
		t.Errorf("sending again led to %s, want the first case's confirmation %s", loc, want)
	}
	if again := e2eExpectConfirmation(b); again != number {
		t.Errorf("sending again showed case %s, want the same case %s", again, number)
	}
	if b.count(`[data-testid="flash"]`) == 0 {
		t.Error("sending again shows no message that the report was already sent")
	} else if msg := b.text(testID("flash")); !strings.Contains(msg, "geen tweede melding") {
		t.Errorf("sending again says %q, want it to say no second report was made", msg)
	}
	b.assertNoProblems("going back and sending again")
}

// e2eMine opens "Mijn meldingen" from the navigation and finds the case.
func e2eMine(b *browser, id int64, number string) {
	t := b.t
	if status := b.follow("open Mijn meldingen", chromedp.Click(chromedp.CSS(`nav a[href="/mijn-meldingen"]`), chromedp.NodeVisible)); status != 200 {
		t.Fatalf("Mijn meldingen: status %d", status)
	}
	if cur := b.text(chromedp.CSS(`nav a[aria-current="page"]`)); cur != "Mijn meldingen" {
		t.Errorf("the navigation marks %q as the current page, want Mijn meldingen", cur)
	}
	rows := b.tableRows(`[data-testid="mine-list"]`)
	row := rowWith(rows, number)
	if row == nil {
		t.Fatalf("case %s is not in Mijn meldingen: %q", number, rows)
	}
	var mine int
	if err := b.app.Owner.QueryRow(t.Context(),
		`SELECT count(*) FROM cases c JOIN users u ON u.id = c.reporter_id WHERE u.email = $1`, demoReporter).Scan(&mine); err != nil {
		t.Fatalf("count the reporter's cases: %v", err)
	}
	if len(rows) != mine {
		t.Errorf("Mijn meldingen lists %d cases, want the %d the reporter made: %q", len(rows), mine, rows)
	}
	if want := []string{number, "", e2eSchool, "", "Nieuw, wacht op het meldpunt"}; len(row) != len(want) ||
		row[2] != want[2] || row[4] != want[4] || !strings.HasPrefix(e2eWhatHappened, strings.TrimSuffix(row[3], "…")) {
		t.Errorf("Mijn meldingen row = %q, want school %q, an excerpt of the text and status %q", row, e2eSchool, want[4])
	}
	if href := b.attr(fmt.Sprintf(`//table[@data-testid="mine-list"]//a[normalize-space()=%q]`, number), "href"); href != fmt.Sprintf("/meldingen/%d", id) {
		t.Errorf("the number in Mijn meldingen links to %q, want /meldingen/%d", href, id)
	}
	b.assertNoProblems("Mijn meldingen")
}

// e2eSignOut signs out with the header's button and checks the session is
// gone.
func e2eSignOut(b *browser) {
	t := b.t
	if status := b.follow("sign out", chromedp.Click(chromedp.CSS(`form.lw-signout button`), chromedp.NodeVisible)); status != 200 {
		t.Fatalf("sign out: status %d", status)
	}
	if loc := b.location(); loc != "/inloggen" {
		t.Errorf("after signing out the browser is at %s, want /inloggen", loc)
	}
	if b.count(`[data-testid="flash"]`) == 0 {
		t.Error("after signing out the page does not say so")
	} else if msg := b.text(testID("flash")); msg != "U bent uitgelogd." {
		t.Errorf("after signing out the page says %q, want %q", msg, "U bent uitgelogd.")
	}
	if n := b.count(`[data-testid="user-name"]`); n != 0 {
		t.Error("after signing out the header still shows a user")
	}
	b.assertNoProblems("signing out")
}

// e2eDesk opens Meldpunt from the navigation, finds the case in the inbox,
// opens it and checks what the reporter typed.
func e2eDesk(b *browser, id int64, number string) {
	t := b.t
	if status := b.follow("open Meldpunt", chromedp.Click(chromedp.CSS(`nav a[href="/meldpunt"]`), chromedp.NodeVisible)); status != 200 {
		t.Fatalf("Meldpunt: status %d", status)
	}
	if loc := b.location(); loc != "/meldpunt" {
		t.Fatalf("Meldpunt led to %s", loc)
	}
	rows := b.tableRows(`[data-testid="inbox-list"]`)
	row := rowWith(rows, number)
	if row == nil {
		t.Fatalf("case %s is not in the desk's inbox: %q", number, rows)
	}
	if rows[0][0] != number {
		t.Errorf("the inbox shows newest first, but case %s is not on top: %q", number, rows)
	}
	// Nummer, Binnengekomen, School, Melder, Persoonsgegevens?, Wat
	if len(row) != 6 || row[2] != e2eSchool || row[3] != e2eReporterName || row[4] != "Ja" {
		t.Errorf("inbox row = %q, want school %q, reporter %q and personal data Ja", row, e2eSchool, e2eReporterName)
	}
	if status := b.follow("open case "+number,
		chromedp.Click(chromedp.Search(fmt.Sprintf(`//table[@data-testid="inbox-list"]//a[normalize-space()=%q]`, number)), chromedp.NodeVisible)); status != 200 {
		t.Fatalf("open case %s: status %d", number, status)
	}
	if loc, want := b.location(), fmt.Sprintf("/meldingen/%d", id); loc != want {
		t.Errorf("the inbox link led to %s, want %s", loc, want)
	}
	if got := b.text(chromedp.CSS(`h1 [data-testid="case-number"]`)); got != number {
		t.Errorf("case page shows number %q, want %q", got, number)
	}
	if got := b.text(testID("what-happened")); got != e2eWhatHappened {
		t.Errorf("case page: what happened = %q,\nwant %q", got, e2eWhatHappened)
	}
	if got := b.text(testID("school")); got != e2eSchool {
		t.Errorf("case page: school = %q, want %q", got, e2eSchool)
	}
	if got := b.text(testID("personal-data")); got != "Ja" {
		t.Errorf("case page: personal data = %q, want Ja", got)
	}
	if got := b.text(testID("status")); got != "Nieuw, wacht op het meldpunt" {
		t.Errorf("case page: status = %q", got)
	}
	facts := b.facts()
	for term, want := range map[string]string{
		"Apparaat, systeem of plek": "USB-stick of externe schijf",
		"Soorten gegevens":          "Namen en contactgegevens (adres, e-mail, telefoon)",
		"Aantal mensen":             "ongeveer 28",
		"Van wie":                   "Leerlingen; Ouders of verzorgers",
		"Nog gaande":                "Nee",
		"Al gedaan":                 e2eActionsTaken,
	} {
		if facts[term] != want {
			t.Errorf("case page: %s = %q, want %q", term, facts[term], want)
		}
	}
	events := b.count(`[data-testid="timeline"] [data-testid="event"]`)
	if events != 1 {
		t.Errorf("case page: %d timeline entries, want exactly 1 (the report; the resubmission adds none)", events)
	} else if ev := b.text(chromedp.CSS(`[data-testid="timeline"] [data-testid="event"]`)); !strings.Contains(ev, "Melding gedaan") ||
		!strings.Contains(ev, "door "+e2eReporterName) {
		t.Errorf("timeline entry = %q, want 'Melding gedaan … door %s'", ev, e2eReporterName)
	}
	b.screenshot("05-desk-case")
	b.assertNoProblems("the desk's case page")
}

// rowWith returns the row whose first cell is first, or nil.
func rowWith(rows [][]string, first string) []string {
	for _, r := range rows {
		if len(r) > 0 && r[0] == first {
			return r
		}
	}
	return nil
}
