package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/service"
)

// Issue 12.3: a processor's private report link: made by the officer, shown
// once, stored as a hash; the report is linked to the processor with its
// delivery deadline running; a revoked or replaced link is refused.
func TestHandlersProcessorLink(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	officer := app.as(demoOfficer)
	res := app.post(officer, "/verwerkers/nieuw", processorValues("Magister"))
	expect(t, "created", res, http.StatusSeeOther)
	pid := strings.TrimPrefix(res.Header.Get("Location"), "/verwerkers/")
	page := "/verwerkers/" + pid
	if !app.get(officer, page).has("processor-link-none") {
		t.Error("a new processor shows a link in force")
	}
	// Only who manages processors makes links.
	for _, who := range []string{demoDesk, demoBoard, demoReporter} {
		if got := app.post(app.as(who), page+"/link", url.Values{}).StatusCode; got != http.StatusForbidden {
			t.Errorf("%s makes a link: %d, want 403", who, got)
		}
	}
	expect(t, "another organisation's processor", app.post(app.as(otherDesk), page+"/link", url.Values{}), http.StatusForbidden)

	expect(t, "new link", app.post(officer, page+"/link", url.Values{}), http.StatusSeeOther, page)
	shown := app.get(officer, page)
	link := shown.text("processor-link-url")
	if !strings.HasPrefix(link, "http://lekwacht.test/verwerker-melden/") || !shown.has("processor-link-since") {
		t.Fatalf("link shown %q", link)
	}
	if app.get(officer, page).has("processor-link-url") {
		t.Error("the link is shown a second time")
	}
	token := strings.TrimPrefix(link, "http://lekwacht.test/verwerker-melden/")
	if n := app.count(`SELECT count(*) FROM processor_links WHERE position(convert_to($1, 'UTF8') IN token_hash) > 0`, token); n != 0 {
		t.Error("the token is stored in clear")
	}
	path := "/verwerker-melden/" + token
	anon := app.client()
	form := app.get(anon, path)
	expect(t, "form", form, http.StatusOK)
	if !form.contains("Magister") || !form.contains("De Regenboog") || form.contains("De Andere School") {
		t.Error("the processor form shows the wrong processor or schools")
	}
	key, _ := form.inputValue("submission_key")
	bad := app.post(anon, path, url.Values{"submission_key": {key}, "what_happened": {"Back-up gelekt"}})
	expect(t, "no contact", bad, http.StatusUnprocessableEntity)
	if !bad.has("error-name") {
		t.Error("no message beside the name")
	}
	what := "Bij ons is een back-up met leerlinggegevens van uw scholen per ongeluk openbaar gedeeld."
	f := url.Values{"submission_key": {key}, "what_happened": {what}, "name": {"Jan de Vries"}, "email": {"jan@magister.example"},
		"data_kinds": {"contact", "results"}}
	expect(t, "report", app.post(anon, path, f), http.StatusSeeOther, path+"/ontvangen")
	done := app.get(anon, path+"/ontvangen")
	if !caseNumberPattern.MatchString(done.text("processor-report-number")) {
		t.Errorf("done page: %s", snippet(done.Body))
	}
	// Linked to the processor from the start, informed now: due in its 24 hours.
	var caseID int64
	var informed, due time.Time
	if err := app.Owner.QueryRow(t.Context(), `SELECT c.id, cp.informed_at, cp.informed_at + make_interval(hours => p.delivery_hours)
		FROM cases c JOIN case_processors cp ON cp.organisation_id = c.organisation_id AND cp.case_id = c.id
		JOIN processors p ON p.organisation_id = cp.organisation_id AND p.id = cp.processor_id
		WHERE c.what_happened = $1 AND p.id = $2`, what, pid).Scan(&caseID, &informed, &due); err != nil {
		t.Fatalf("report not linked to the processor: %v", err)
	}
	if !informed.Equal(app.Clock.Now().Truncate(time.Microsecond)) || due.Sub(informed) != 24*time.Hour {
		t.Errorf("informed %s, due %s", informed, due)
	}
	cp := app.get(app.as(demoDesk), "/meldingen/"+itoa(caseID))
	if cp.text("case-processor-name") != "Magister" || cp.text("case-source") != "Melding van een verwerker" {
		t.Errorf("case page: processor %q, source %q", cp.text("case-processor-name"), cp.text("case-source"))
	}
	if !app.get(app.as(demoDesk), "/").contains("informatie van Magister") {
		t.Error("the delivery deadline is not on the desk's start page")
	}
	// Sending the same form again makes no second case.
	app.post(anon, path, f)
	if n := app.count(`SELECT count(*) FROM cases WHERE what_happened = $1`, what); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}

	// A leaked link cannot fill the inbox: after the hourly number of
	// reports the link refuses, in Dutch, saying when, and keeps the text.
	for i := 1; i < service.ProcessorLinkPerHour; i++ {
		g := app.get(anon, path)
		k, _ := g.inputValue("submission_key")
		f.Set("submission_key", k)
		f.Set("what_happened", what+" Melding "+strconv.Itoa(i)+".")
		expect(t, "report "+strconv.Itoa(i), app.post(anon, path, f), http.StatusSeeOther, path+"/ontvangen")
	}
	k, _ := app.get(anon, path).inputValue("submission_key")
	f.Set("submission_key", k)
	f.Set("what_happened", "Eén melding te veel via de link.")
	tooMany := app.post(anon, path, f)
	expect(t, "over the limit", tooMany, http.StatusTooManyRequests)
	if !tooMany.contains("Probeer het opnieuw na") || tooMany.Header.Get("Retry-After") == "" {
		t.Errorf("refusal does not say when: %s", snippet(tooMany.Body))
	}
	if v, _ := tooMany.textarea("what_happened"); v != "Eén melding te veel via de link." {
		t.Errorf("typed text lost: %q", v)
	}
	if n := app.count(`SELECT count(*) FROM cases WHERE what_happened = 'Eén melding te veel via de link.'`); n != 0 {
		t.Error("the refused report was stored")
	}
	app.Clock.Add(service.PublicWindow + time.Second)
	f.Set("submission_key", "")
	expect(t, "after the hour", app.post(anon, path, f), http.StatusSeeOther, path+"/ontvangen")

	// A new link replaces the old; a revoked link is refused.
	expect(t, "replace", app.post(officer, page+"/link", url.Values{}), http.StatusSeeOther)
	link2 := app.get(officer, page).text("processor-link-url")
	expect(t, "old link", app.get(anon, path), http.StatusNotFound)
	path2 := strings.TrimPrefix(link2, "http://lekwacht.test")
	expect(t, "new link", app.get(anon, path2), http.StatusOK)
	expect(t, "revoke", app.post(officer, page+"/link/intrekken", url.Values{}), http.StatusSeeOther)
	before := app.count(`SELECT count(*) FROM cases`)
	expect(t, "revoked GET", app.get(anon, path2), http.StatusNotFound)
	f.Set("submission_key", "")
	expect(t, "revoked POST", app.post(anon, path2, f), http.StatusNotFound)
	if app.count(`SELECT count(*) FROM cases`) != before {
		t.Error("a revoked link stored a case")
	}
	expect(t, "revoke twice", app.post(officer, page+"/link/intrekken", url.Values{}), http.StatusConflict)
	if n := app.count(`SELECT count(*) FROM audit_log WHERE action IN ('processor_link_created', 'processor_link_revoked')`); n != 3 {
		t.Errorf("%d audit rows, want 3", n)
	}
}
