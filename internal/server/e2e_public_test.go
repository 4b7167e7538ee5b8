package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// TestE2EPublicReportOnAPhone drives a real Chromium at phone width (390 CSS
// pixels) through the public report page of issue 12: a parent without an
// account reports, keeps the follow-up code, opens the status page with it,
// sees the desk's question there, answers it, and sees nothing else of the
// case. No JavaScript of ours runs; no console errors or CSP violations.
func TestE2EPublicReportOnAPhone(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	app := newTestApp(t)
	app.publicPage(app.demoOrgID(), demoAdmin, "demo", true)
	b := newBrowser(t, app, chromium)
	phone := func() {
		b.do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait))
	}
	phone()
	const what = "Op het schoolplein lag een uitgeprinte lijst met namen en telefoonnummers van ouders uit groep 4."

	if status := b.navigate("/melden/demo"); status != 200 {
		t.Fatalf("public page: status %d", status)
	}
	if h := b.text(chromedp.CSS("h1")); !strings.Contains(h, "Stichting Demo Onderwijs") {
		t.Errorf("heading %q", h)
	}
	b.phoneScreenshot("public-form", true)
	phone()
	// Accessible without a tool: every visible control has a label, every
	// group a legend, the page a language and one h1.
	unlabelled := eval[[]string](b, "check labels", `[...document.querySelectorAll("input, select, textarea")]
		.filter(e => e.type !== "hidden" && e.offsetParent !== null && e.labels.length === 0 && !e.getAttribute("aria-label"))
		.map(e => e.name)
		.concat([...document.querySelectorAll("fieldset")].filter(f => !f.querySelector("legend")).map(f => "fieldset " + f.id))
		.concat(document.documentElement.lang === "nl" ? [] : ["lang"])
		.concat(document.querySelectorAll("h1").length === 1 ? [] : ["h1 count"])`)
	if len(unlabelled) > 0 {
		t.Errorf("public form: without a label or legend: %v", unlabelled)
	}
	// The honeypot is not shown to people (nor to screen readers).
	if visible := eval[bool](b, "honeypot hidden", `document.getElementById("website").offsetParent !== null`); visible {
		t.Error("the honeypot field is visible")
	}
	b.do("fill in the public form",
		chromedp.SendKeys(chromedp.ID("what_happened"), what),
		chromedp.Click(chromedp.CSS(`input[name="data_kinds"][value="contact"]`)),
		chromedp.Click(chromedp.CSS(`input[name="subject_groups"][value="parents"]`)),
		chromedp.Click(chromedp.CSS(`input[name="role"][value="parent"]`)),
		chromedp.Click(chromedp.CSS(`input[name="wants_contact"][value="no"]`)),
		chromedp.Click(testID("public-anonymous")))
	b.chooseOption("#school", "De Regenboog")
	if status := b.follow("send the public report", chromedp.Click(testID("public-submit"))); status != 200 {
		t.Fatalf("after sending: status %d at %s", status, b.location())
	}
	if loc := b.location(); loc != "/melden/demo/ontvangen" {
		t.Fatalf("after sending the browser is at %s", loc)
	}
	number, code := b.text(testID("public-number")), b.text(testID("public-code"))
	if !caseNumberPattern.MatchString(number) {
		t.Fatalf("case number %q", number)
	}
	if _, ok := incident.ParseFollowUpCode(code); !ok {
		t.Fatalf("follow-up code %q", code)
	}
	b.phoneScreenshot("public-done", true)
	phone()
	// Shown once: a reload no longer shows the code.
	b.navigate("/melden/demo/ontvangen")
	if n := b.count(`[data-testid="public-code"]`); n != 0 {
		t.Error("the code is shown again after a reload")
	}

	// The desk asks the reporter a question (in its own session).
	id := app.scalar(`SELECT id::text FROM cases WHERE what_happened = $1`, what)
	desk := app.as(demoDesk)
	expect(t, "ask", app.post(desk, "/meldingen/"+id+"/vragen", url.Values{"addressee": {"reporter"}, "question": {"Waar op het schoolplein lag de lijst?"}}), 303)

	// The reporter opens the status page with the code.
	b.navigate("/melden/demo/volgen")
	b.do("type the code", chromedp.SendKeys(chromedp.ID("code"), code))
	if status := b.follow("open the status page", chromedp.Click(testID("follow-submit"))); status != 200 {
		t.Fatalf("status page: status %d", status)
	}
	if got := b.text(testID("status-number")); got != number {
		t.Errorf("status page number %q, want %q", got, number)
	}
	if got := b.text(testID("status-step")); got != incident.StatusNew.Label() {
		t.Errorf("step %q", got)
	}
	if got := b.text(testID("status-question-text")); got != "Waar op het schoolplein lag de lijst?" {
		t.Errorf("question %q", got)
	}
	body := eval[string](b, "read the status page", `document.querySelector("main").innerText`)
	for _, s := range []string{what, "De Regenboog", "Mehmet", "groep 4", "Meldpunt inventariseert"} {
		if strings.Contains(body, s) {
			t.Errorf("the status page shows %q", s)
		}
	}
	b.phoneScreenshot("public-status", true)
	phone()
	qid := app.scalar(`SELECT id::text FROM case_questions WHERE case_id = $1`, id)
	b.do("type the answer", chromedp.SendKeys(chromedp.ID("answer_"+qid), "Bij het hek naast de fietsenstalling."))
	if status := b.follow("send the answer", chromedp.Click(testID("status-answer-submit"))); status != 200 {
		t.Fatalf("after answering: status %d", status)
	}
	if got := b.text(testID("status-answer")); got != "Bij het hek naast de fietsenstalling." {
		t.Errorf("answer shown %q", got)
	}
	if n := b.count(`[data-testid="status-answer-submit"]`); n != 0 {
		t.Error("an answered question still has its form")
	}
	// The desk sees the answer on the case page.
	if !app.get(desk, "/meldingen/"+id).contains("Bij het hek naast de fietsenstalling.") {
		t.Error("the desk does not see the outsider's answer")
	}
	b.assertNoProblems("the public journey")
}
