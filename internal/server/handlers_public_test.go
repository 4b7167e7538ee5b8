package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

// Issue 12: the public report page, the follow-up code and the status page,
// the abuse limits, spam, and the desk's report on someone's behalf.

// publicPage sets an organisation's public page directly in the store.
func (a *testApp) publicPage(org int64, by, slug string, enabled bool) {
	a.t.Helper()
	if err := a.Store.SavePublicPage(sysCtx, org, a.userID(by), slug, enabled, a.Clock.Now()); err != nil {
		a.t.Fatal(err)
	}
}

// publicReportForm is a valid public report.
func publicReportForm(what string) url.Values {
	return url.Values{"what_happened": {what}, "role": {"parent"}, "wants_contact": {"no"}, "data_kinds": {"contact"}}
}

// postFrom posts a form from a client address (the test server trusts X-Forwarded-For).
func (a *testApp) postFromAddr(c *http.Client, addr, path string, form url.Values) *response {
	a.t.Helper()
	return a.postWith(c, path, form, map[string]string{"Origin": a.URL, "Sec-Fetch-Site": "same-origin", "X-Forwarded-For": addr})
}

var codeRe = regexp.MustCompile(`data-testid="public-code">([A-Z0-9-]+)<`)

// sendPublic sends a public report and returns the case number and the follow-up code.
func (a *testApp) sendPublic(c *http.Client, slug, addr string, form url.Values) (string, string) {
	a.t.Helper()
	res := a.postFromAddr(c, addr, "/melden/"+slug, form)
	if res.StatusCode == http.StatusInternalServerError {
		a.t.Log(a.Logs.String()[max(0, len(a.Logs.String())-1500):])
	}
	expect(a.t, "send public report", res, http.StatusSeeOther, "/melden/"+slug+"/ontvangen")
	done := a.get(c, "/melden/"+slug+"/ontvangen")
	expect(a.t, "done page", done, http.StatusOK)
	m := codeRe.FindStringSubmatch(done.Body)
	if m == nil {
		a.t.Fatalf("no follow-up code on the done page:\n%s", snippet(done.Body))
	}
	return done.text("public-number"), m[1]
}

func TestHandlersPublicPageSettingsAndQR(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)
	expect(t, "settings page", app.get(admin, "/beheer/meldpagina"), http.StatusOK)
	res := app.post(admin, "/beheer/meldpagina", url.Values{"slug": {"Niet Goed!"}, "enabled": {"yes"}})
	expect(t, "bad slug", res, http.StatusUnprocessableEntity)
	if v, _ := res.inputValue("slug"); v != "Niet Goed!" || !res.has("error-slug") {
		t.Errorf("bad slug: typed %q, error shown %v", v, res.has("error-slug"))
	}
	expect(t, "save", app.post(admin, "/beheer/meldpagina", url.Values{"slug": {"stichting-demo"}, "enabled": {"yes"}}), http.StatusSeeOther, "/beheer/meldpagina")
	page := app.get(admin, "/beheer/meldpagina")
	if got := page.text("page-url"); got != "http://lekwacht.test/melden/stichting-demo" {
		t.Errorf("page url = %q", got)
	}
	qr := app.get(admin, "/beheer/meldpagina/qr.png")
	expect(t, "qr", qr, http.StatusOK)
	if qr.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(qr.Body, "\x89PNG") {
		t.Errorf("qr: %s, %q", qr.Header.Get("Content-Type"), qr.Body[:min(8, len(qr.Body))])
	}
	if app.count(`SELECT count(*) FROM audit_log WHERE action = 'public_page_changed'`) != 1 {
		t.Error("no audit row for the page settings")
	}
	// Another organisation cannot take the slug; the desk cannot set it.
	other := app.orgID(otherOrg)
	if err := app.Store.SavePublicPage(sysCtx, other, app.userID(otherDesk), "stichting-demo", true, app.Clock.Now()); err == nil {
		t.Error("a second organisation took the same slug")
	}
	expect(t, "desk may not", app.get(app.as(demoDesk), "/beheer/meldpagina"), http.StatusForbidden)
	// Switched off: every public path answers 404.
	expect(t, "switch off", app.post(admin, "/beheer/meldpagina", url.Values{"slug": {"stichting-demo"}}), http.StatusSeeOther)
	anon := app.client()
	for _, p := range []string{"/melden/stichting-demo", "/melden/stichting-demo/volgen", "/melden/stichting-demo/status", "/melden/stichting-demo/ontvangen", "/melden/bestaat-niet", "/melden/x"} {
		expect(t, "off: GET "+p, app.get(anon, p), http.StatusNotFound)
	}
	before := app.count(`SELECT count(*) FROM cases`)
	expect(t, "off: POST", app.post(anon, "/melden/stichting-demo", publicReportForm("Er ligt een lijst met namen bij de bushalte.")), http.StatusNotFound)
	expect(t, "off: follow", app.post(anon, "/melden/stichting-demo/volgen", url.Values{"code": {"ABCD-EFGH-JKMN-PQRS"}}), http.StatusNotFound)
	if app.count(`SELECT count(*) FROM cases`) != before {
		t.Error("a switched-off page stored a case")
	}
}

func TestHandlersPublicReportFollowUpAndAnswer(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	org, other := app.demoOrgID(), app.orgID(otherOrg)
	app.publicPage(org, demoAdmin, "demo", true)
	app.publicPage(other, otherDesk, "ander", true)
	anon := app.client()

	// Each slug shows its own organisation's schools, never the other's.
	form := app.get(anon, "/melden/demo")
	expect(t, "form", form, http.StatusOK)
	if !form.contains("De Regenboog") || !form.contains("Het Baken") || form.contains("De Andere School") {
		t.Error("demo page: wrong schools")
	}
	ander := app.get(anon, "/melden/ander")
	if !ander.contains("De Andere School") || ander.contains("De Regenboog") || ander.contains("Het Baken") || ander.contains("Stichting Demo") {
		t.Error("the other organisation's page shows this organisation's schools or name")
	}
	// The other organisation's school id is refused on this page.
	f := publicReportForm("Mijn kind kreeg het rapport van een andere leerling mee naar huis.")
	f.Set("school", itoa(app.schoolID(other, "De Andere School")))
	expect(t, "foreign school", app.postFromAddr(anon, "192.0.2.1", "/melden/demo", f), http.StatusUnprocessableEntity)

	// A bad form comes back with what was typed and a message per field.
	bad := app.postFromAddr(anon, "192.0.2.1", "/melden/demo", url.Values{"what_happened": {"Iets"}, "wants_contact": {"yes"}, "email": {"geen-adres"}, "name": {"Piet"}})
	expect(t, "bad form", bad, http.StatusUnprocessableEntity)
	for _, f := range []string{"role", "email"} {
		if !bad.has("error-" + f) {
			t.Errorf("no message beside %s", f)
		}
	}
	if v, _ := bad.inputValue("name"); v != "Piet" {
		t.Errorf("typed name lost: %q", v)
	}

	what := "Mijn kind kreeg het rapport van een andere leerling mee naar huis, met cijfers en een zorgnotitie."
	f = publicReportForm(what)
	f.Set("school", itoa(app.schoolID(org, "De Regenboog")))
	f.Set("wants_contact", "yes")
	f.Set("name", "Petra Ouder")
	f.Set("email", "petra@example.org")
	number, code := app.sendPublic(anon, "demo", "192.0.2.1", f)
	if !caseNumberPattern.MatchString(number) {
		t.Fatalf("case number %q", number)
	}
	// Shown once: the done page no longer has the code.
	if again := app.get(anon, "/melden/demo/ontvangen"); codeRe.MatchString(again.Body) {
		t.Error("the follow-up code was shown a second time")
	}
	// Stored: the source, a hash of the code and never the code itself.
	var caseID int64
	var kind, role string
	var hash []byte
	if err := app.Owner.QueryRow(t.Context(), `SELECT cs.case_id, cs.kind, cs.reporter_role, cs.followup_hash FROM case_sources cs
		JOIN cases c ON c.organisation_id = cs.organisation_id AND c.id = cs.case_id WHERE c.what_happened = $1`, what).Scan(&caseID, &kind, &role, &hash); err != nil {
		t.Fatal(err)
	}
	if kind != "public" || role != "parent" || string(hash) != string(incident.HashFollowUpCode(code)) {
		t.Errorf("source %s/%s, hash matches %v", kind, role, string(hash) == string(incident.HashFollowUpCode(code)))
	}
	if n := app.count(`SELECT count(*) FROM case_sources WHERE position($1::bytea IN followup_hash) > 0`, []byte(code)); n != 0 {
		t.Error("the code is stored in clear")
	}
	if n := app.count(`SELECT count(*) FROM mail_messages WHERE kind = 'outside_code' AND recipient = 'petra@example.org' AND text_body LIKE '%' || $1 || '%'`, code); n != 1 {
		t.Errorf("%d mails with the code to the given address, want 1", n)
	}
	// The desk's inbox marks it; the case page names the source.
	desk := app.as(demoDesk)
	inbox := app.get(desk, "/meldpunt")
	if !inbox.has("from-outside") {
		t.Error("inbox does not mark the report from outside")
	}
	cp := app.get(desk, "/meldingen/"+itoa(caseID))
	if cp.text("case-source") != "Melding van buiten" || !strings.Contains(cp.text("case-reporter"), "Petra Ouder") {
		t.Errorf("case page source %q, reporter %q", cp.text("case-source"), cp.text("case-reporter"))
	}

	// A second report on the other organisation's page, with its own code.
	_, code2 := app.sendPublic(app.client(), "ander", "192.0.2.9", publicReportForm("Een lijst met telefoonnummers hing op het prikbord bij de ingang."))

	// Follow-up: a wrong code, a code of the other organisation, the right one.
	reader := app.client()
	for _, c := range []string{"ABCD-EFGH-JKMN-PQRS", code2, "nonsense!"} {
		res := app.post(reader, "/melden/demo/volgen", url.Values{"code": {c}})
		expect(t, "wrong code "+c, res, http.StatusUnprocessableEntity)
		if !res.has("error-code") {
			t.Errorf("code %q: no message beside the field", c)
		}
	}
	expect(t, "status without code", app.get(reader, "/melden/demo/status"), http.StatusSeeOther, "/melden/demo/volgen")
	expect(t, "follow", app.post(reader, "/melden/demo/volgen", url.Values{"code": {strings.ToLower(strings.ReplaceAll(code, "-", " "))}}), http.StatusSeeOther, "/melden/demo/status")
	st := app.get(reader, "/melden/demo/status")
	expect(t, "status", st, http.StatusOK)
	if st.text("status-number") != number || st.text("status-step") != incident.StatusNew.Label() {
		t.Errorf("status page: %q, %q", st.text("status-number"), st.text("status-step"))
	}
	// The status page of slug "ander" does not open this case.
	expect(t, "other slug", app.get(reader, "/melden/ander/status"), http.StatusSeeOther, "/melden/ander/volgen")

	// The desk asks the reporter a question; the reporter answers on the status page.
	expect(t, "ask", app.post(desk, "/meldingen/"+itoa(caseID)+"/vragen", url.Values{"addressee": {"reporter"}, "question": {"Welke klas zit uw kind in?"}}), http.StatusSeeOther)
	if n := app.count(`SELECT count(*) FROM mail_messages WHERE kind = 'outside_question' AND recipient = 'petra@example.org'`); n != 1 {
		t.Errorf("%d question mails to the outside reporter, want 1", n)
	}
	st = app.get(reader, "/melden/demo/status")
	if st.text("status-question-text") != "Welke klas zit uw kind in?" {
		t.Fatalf("question not on the status page:\n%s", snippet(st.Body))
	}
	// Nothing else of the case: not the report, not the school, not the desk.
	for _, s := range []string{what, "De Regenboog", "Mehmet", "Meldpunt Demo", "petra@example.org", "Petra Ouder", "zorgnotitie"} {
		if st.contains(s) {
			t.Errorf("status page shows %q", s)
		}
	}
	qid := app.scalar(`SELECT id::text FROM case_questions WHERE case_id = $1`, caseID)
	empty := app.post(reader, "/melden/demo/status/vragen/"+qid, url.Values{"answer_" + qid: {" "}})
	expect(t, "empty answer", empty, http.StatusUnprocessableEntity)
	expect(t, "answer", app.post(reader, "/melden/demo/status/vragen/"+qid, url.Values{"answer_" + qid: {"Groep 6b"}}), http.StatusSeeOther, "/melden/demo/status")
	st = app.get(reader, "/melden/demo/status")
	if st.text("status-answer") != "Groep 6b" || !st.has("status-message") {
		t.Errorf("answer not shown: %q", st.text("status-answer"))
	}
	if n := app.count(`SELECT count(*) FROM mail_messages WHERE kind = 'answer' AND case_id = $1`, caseID); n == 0 {
		t.Error("the desk got no mail about the outsider's answer")
	}
	if n := app.count(`SELECT count(*) FROM user_messages WHERE ref = 'question:'||$1::text AND done_at IS NULL`, qid); n != 0 {
		t.Errorf("%d open messages about the answered question", n)
	}
	// Answering twice is refused.
	expect(t, "answer twice", app.post(reader, "/melden/demo/status/vragen/"+qid, url.Values{"answer_" + qid: {"Nog eens"}}), http.StatusConflict)
	assertLogsClean(t, app, what, "petra@example.org", "Petra Ouder", code)
	// Once delivered, the mail with the code keeps no copy of it.
	mailID := app.scalar(`SELECT id::text FROM mail_messages WHERE kind = 'outside_code'`)
	id, _ := strconv.ParseInt(mailID, 10, 64)
	if err := app.Store.MailFinal(sysCtx, id, "sent", "", app.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if n := app.count(`SELECT count(*) FROM mail_messages WHERE position($1 IN text_body || html_body) > 0`, code); n != 0 {
		t.Error("the delivered mail still holds the follow-up code")
	}
}

func TestHandlersPublicHoneypotAndLimits(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.publicPage(app.demoOrgID(), demoAdmin, "demo", true)
	anon := app.client()
	cases := func() int { return app.count(`SELECT count(*) FROM cases`) }
	before := cases()

	// The honeypot: refused, nothing stored, nothing counted.
	hp := publicReportForm("Koop nu goedkope horloges")
	hp.Set("website", "http://spam.example")
	expect(t, "honeypot", app.postFromAddr(anon, "198.51.100.1", "/melden/demo", hp), http.StatusUnprocessableEntity)
	// Too long: the text, and the whole body.
	expect(t, "too long", app.postFromAddr(anon, "198.51.100.1", "/melden/demo", publicReportForm(strings.Repeat("a", 5001))), http.StatusUnprocessableEntity)
	expect(t, "too large", app.postFromAddr(anon, "198.51.100.1", "/melden/demo", publicReportForm(strings.Repeat("a", 70<<10))), http.StatusUnprocessableEntity)
	if cases() != before || app.count(`SELECT count(*) FROM public_report_attempts`) != 0 {
		t.Fatal("a refused report stored something")
	}

	// Per address: the limit, then a Dutch refusal that says when.
	for i := range service.PublicPerAddress {
		app.sendPublic(anon, "demo", "198.51.100.1", publicReportForm("Melding nummer "+strconv.Itoa(i)+" over een open map met leerlinggegevens."))
	}
	res := app.postFromAddr(anon, "198.51.100.1", "/melden/demo", publicReportForm("Nog een melding over dezelfde open map."))
	expect(t, "per address", res, http.StatusTooManyRequests)
	if !res.contains("Probeer het opnieuw na") || res.Header.Get("Retry-After") == "" {
		t.Errorf("refusal does not say when to try again: %s", snippet(res.Body))
	}
	if v, _ := res.textarea("what_happened"); v != "Nog een melding over dezelfde open map." {
		t.Errorf("typed text lost on the refusal: %q", v)
	}
	if cases() != before+service.PublicPerAddress {
		t.Fatalf("%d cases, want %d", cases()-before, service.PublicPerAddress)
	}
	// After the hour the address may report again.
	app.Clock.Add(service.PublicWindow + 1)
	app.sendPublic(anon, "demo", "198.51.100.1", publicReportForm("Na een uur weer een melding over een open map."))

	// Per organisation: from ever new addresses, up to the limit.
	sent := 1
	for i := 0; sent < service.PublicPerOrganisation; i++ {
		app.sendPublic(app.client(), "demo", "203.0.113."+strconv.Itoa(i+1), publicReportForm("Melding van adres "+strconv.Itoa(i)+" over een verloren schrift met cijfers."))
		sent++
	}
	n := cases()
	res = app.postFromAddr(app.client(), "203.0.113.200", "/melden/demo", publicReportForm("Eén te veel."))
	expect(t, "per organisation", res, http.StatusTooManyRequests)
	if !res.contains("Probeer het opnieuw na") {
		t.Error("organisation limit does not say when")
	}
	if cases() != n {
		t.Error("the refused report was stored")
	}
}

func TestHandlersSpamAndOnBehalf(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	org := app.demoOrgID()
	app.publicPage(org, demoAdmin, "demo", true)
	app.sendPublic(app.client(), "demo", "192.0.2.50", publicReportForm("Goedkope zonnebrillen, klik hier"))
	id := app.scalar(`SELECT id::text FROM cases WHERE what_happened = 'Goedkope zonnebrillen, klik hier'`)
	desk := app.as(demoDesk)
	// A staff report cannot be spam.
	expect(t, "staff report as spam", app.post(desk, "/meldingen/"+itoa(app.demoCase(1))+"/spam", url.Values{}), http.StatusForbidden)
	expect(t, "reporter may not", app.post(app.as(demoReporter), "/meldingen/"+id+"/spam", url.Values{}), http.StatusNotFound)
	if !app.get(desk, "/meldingen/"+id).has("action-mark_spam") {
		t.Error("no spam action on the outside report")
	}
	expect(t, "spam", app.post(desk, "/meldingen/"+id+"/spam", url.Values{"spam_reason": {"Reclame"}}), http.StatusSeeOther, "/meldingen/"+id)
	if st := app.scalar(`SELECT status || ' ' || outcome || ' ' || outcome_reason FROM cases WHERE id = $1`, id); st != "closed no_incident Spam (melding van buiten): Reclame" {
		t.Errorf("after spam: %q", st)
	}
	reg := app.get(app.as(demoOfficer), "/register")
	if !reg.contains("Melding van buiten") || !reg.contains("Spam (melding van buiten)") {
		t.Error("the register does not show the outside report with its spam reason")
	}

	// The desk reports on someone's behalf.
	expect(t, "staff may not", app.get(app.as(demoReporter), "/meldpunt/melden"), http.StatusForbidden)
	form := app.get(desk, "/meldpunt/melden")
	expect(t, "on-behalf form", form, http.StatusOK)
	key, _ := form.inputValue("submission_key")
	bad := app.post(desk, "/meldpunt/melden", url.Values{"submission_key": {key}, "what_happened": {"Een ouder belde over een mail."}})
	expect(t, "no caller", bad, http.StatusUnprocessableEntity)
	if !bad.has("error-caller_name") || !bad.has("error-channel") {
		t.Error("missing caller fields not marked")
	}
	if v, _ := bad.textarea("what_happened"); v != "Een ouder belde over een mail." {
		t.Error("typed report lost")
	}
	f := url.Values{"submission_key": {key}, "what_happened": {"Een ouder belde: zij kreeg de mail met cijfers van een andere klas."},
		"caller_name": {"Fatima Bellende"}, "caller_phone": {"06-12345678"}, "channel": {"phone"}, "caller_role": {"parent"}}
	res := app.post(desk, "/meldpunt/melden", f)
	expect(t, "on behalf", res, http.StatusSeeOther)
	again := app.post(desk, "/meldpunt/melden", f)
	expect(t, "twice", again, http.StatusSeeOther, "/meldpunt")
	var n int
	var enteredBy int64
	var name, channel string
	if err := app.Owner.QueryRow(t.Context(), `SELECT count(*) OVER (), cs.entered_by, cs.name, cs.channel FROM case_sources cs
		JOIN cases c ON c.organisation_id = cs.organisation_id AND c.id = cs.case_id WHERE c.what_happened LIKE 'Een ouder belde:%'`).Scan(&n, &enteredBy, &name, &channel); err != nil {
		t.Fatal(err)
	}
	if n != 1 || enteredBy != app.userID(demoDesk) || name != "Fatima Bellende" || channel != "phone" {
		t.Errorf("on behalf stored %d, by %d, %q, %q", n, enteredBy, name, channel)
	}
	cp := app.get(desk, res.Header.Get("Location"))
	if !strings.Contains(cp.text("case-reporter"), "Fatima Bellende") || cp.text("case-entered-by") != "Mehmet Meldpunt" {
		t.Errorf("case page: reporter %q, entered by %q", cp.text("case-reporter"), cp.text("case-entered-by"))
	}
	// A caller has no status page: the desk cannot put the question in Lekwacht.
	loc := res.Header.Get("Location")
	if strings.Contains(cp.Body, `<option value="reporter"`) {
		t.Error("the desk is offered to ask the caller in Lekwacht")
	}
	expect(t, "ask the caller", app.post(desk, loc+"/vragen", url.Values{"addressee": {"reporter"}, "question": {"Welke klas?"}}), http.StatusUnprocessableEntity)
	// The stand-in account never shows among the administrator's users.
	if app.get(app.as(demoAdmin), "/beheer/gebruikers").contains("Melder van buiten") {
		t.Error("the stand-in account is listed among the users")
	}
}

// Guessing follow-up codes is slowed down per address: after a bounded
// number of wrong codes even the right one waits, from that address only.
func TestHandlersFollowUpCodeGuessingIsThrottled(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.publicPage(app.demoOrgID(), demoAdmin, "demo", true)
	_, code := app.sendPublic(app.client(), "demo", "192.0.2.7", publicReportForm("Een klassenlijst lag in de bus."))
	guesser := app.client()
	for i := range service.FollowUpAttempts {
		res := app.postFromAddr(guesser, "198.51.100.66", "/melden/demo/volgen", url.Values{"code": {"ABCD-EFGH-JKMN-PQ" + string(rune('A'+i)) + "S"}})
		expect(t, "wrong code", res, http.StatusUnprocessableEntity)
	}
	res := app.postFromAddr(guesser, "198.51.100.66", "/melden/demo/volgen", url.Values{"code": {code}})
	expect(t, "throttled", res, http.StatusTooManyRequests)
	if !res.contains("Probeer het opnieuw na") || res.Header.Get("Retry-After") == "" {
		t.Errorf("throttled without saying when: %s", snippet(res.Body))
	}
	// Another address is not held up; the first waits out the window.
	expect(t, "other address", app.postFromAddr(app.client(), "198.51.100.67", "/melden/demo/volgen", url.Values{"code": {code}}), http.StatusSeeOther)
	app.Clock.Add(service.FollowUpWindow + time.Second)
	expect(t, "after the window", app.postFromAddr(guesser, "198.51.100.66", "/melden/demo/volgen", url.Values{"code": {code}}), http.StatusSeeOther)
}

// Sending the same public form twice (back button, double click) makes one
// case; the second answer shows the number, not a second code.
func TestHandlersPublicFormTwiceIsOneCase(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.publicPage(app.demoOrgID(), demoAdmin, "demo", true)
	anon := app.client()
	key, _ := app.get(anon, "/melden/demo").inputValue("submission_key")
	f := publicReportForm("De map met toetsen stond open voor alle ouders.")
	f.Set("submission_key", key)
	number, _ := app.sendPublic(anon, "demo", "192.0.2.20", f)
	expect(t, "again", app.postFromAddr(anon, "192.0.2.20", "/melden/demo", f), http.StatusSeeOther)
	done := app.get(anon, "/melden/demo/ontvangen")
	if done.text("public-number") != number || codeRe.MatchString(done.Body) {
		t.Errorf("second send: number %q, code shown %v", done.text("public-number"), codeRe.MatchString(done.Body))
	}
	if n := app.count(`SELECT count(*) FROM cases WHERE what_happened = $1`, f.Get("what_happened")); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
}
