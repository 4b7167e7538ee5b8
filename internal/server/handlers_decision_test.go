package server_test

import (
	"net/http"
	"net/url"
	"testing"
)

// Step 3 through HTTP: the officer opens the page (facts prefilled, advice
// shown), changes a fact and asks the advice again (nothing stored), decides
// without the reasons a deviation needs (422, everything typed kept), then
// decides properly (303) and the case moves on.
func TestHandlersDecisionRoundTrip(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	desk, officer := app.as("meldpunt@demo.lekwacht.nl"), app.as("fg@demo.lekwacht.nl")
	id := itoa(app.demoCase(1))
	app.post(desk, "/meldingen/"+id+"/oppakken", nil)
	app.post(desk, "/meldingen/"+id+"/inventarisatie", url.Values{"summary": {"USB-stick met adreslijst 3b verloren"},
		"nature": {"lost_device"}, "breach_suspected": {"yes"}, "sensitive": {"no"}, "chain_shared": {"no"},
		"subject_count": {"28"}, "data_types": {"contact"}, "subject_groups": {"leerlingen en ouders"}})
	expect(t, "send to officer", app.post(desk, "/meldingen/"+id+"/naar-fg", nil), http.StatusSeeOther, "/meldingen/"+id)
	expect(t, "desk opens step 3", app.get(desk, "/meldingen/"+id+"/besluit"), http.StatusForbidden)

	page := app.get(officer, "/meldingen/"+id+"/besluit")
	if page.StatusCode != http.StatusOK || page.text("advice-breach") != "Ja" || page.text("advice-authority") != "Ja" ||
		!page.has("severity-score") || !page.has("ap-deadline") {
		t.Fatalf("step 3 page: %d, advice %q/%q", page.StatusCode, page.text("advice-breach"), page.text("advice-authority"))
	}
	if v, _ := page.inputValue("subjects"); v != "28" || !page.checked("data", "contact") || !page.checked("children", "1") {
		t.Errorf("facts not prefilled from the report and inventory: subjects %q", v)
	}
	// The facts of the bounced e-mail: advice changes, nothing is stored.
	facts := url.Values{"step": {"advice"}, "incident": {"1"}, "personal_data": {"1"}, "confidentiality": {"1"},
		"availability": {"none"}, "excluded": {"bounced"}, "subjects": {"28"}, "data": {"contact"}, "recipient": {"unknown"}}
	res := app.post(officer, "/meldingen/"+id+"/besluit", facts)
	if res.StatusCode != http.StatusOK || res.text("advice-breach") != "Nee" {
		t.Fatalf("advice round trip: %d, breach %q", res.StatusCode, res.text("advice-breach"))
	}
	if !res.checked("excluded", "bounced") {
		t.Error("the typed fact is not kept")
	}
	if n := app.count(`SELECT count(*) FROM case_assessments`); n != 0 {
		t.Fatal("asking advice stored something")
	}
	// Decide "breach, notify the AP" against that advice, without reasons: 422.
	decide := url.Values{}
	for k, v := range facts {
		decide[k] = v
	}
	decide.Set("step", "decide")
	decide.Set("breach", "yes")
	decide.Set("notify_authority", "yes")
	decide.Set("notify_subjects", "no")
	decide.Set("effects", "Spam naar de ouders.")
	decide.Set("notice_plan", "Via het meldloket van de AP.")
	res = app.post(officer, "/meldingen/"+id+"/besluit", decide)
	if res.StatusCode != http.StatusUnprocessableEntity || !res.has("error-breach_reason") || !res.has("error-authority_reason") {
		t.Fatalf("deviation without reasons: %d", res.StatusCode)
	}
	if v, _ := res.textarea("effects"); v != "Spam naar de ouders." {
		t.Errorf("typed consequences lost: %q", v)
	}
	decide.Set("breach_reason", "De e-mail kwam terug, maar er ging ook een kopie naar een privéadres.")
	decide.Set("authority_reason", "Om dezelfde reden: de kopie is niet uit te sluiten.")
	decide.Set("subjects_reason", "Alleen e-mailadressen, geen hoog risico.")
	decide.Set("subjects_exception", "no_high_risk")
	expect(t, "decide", app.post(officer, "/meldingen/"+id+"/besluit", decide), http.StatusSeeOther, "/meldingen/"+id)
	casePage := app.get(app.as("bestuur@demo.lekwacht.nl"), "/meldingen/"+id)
	if casePage.text("status") != "Melden aan de AP" || !casePage.has("decision-summary") || !casePage.has("deviation") {
		t.Errorf("board's case page: status %q, summary %v, deviation marked %v", casePage.text("status"),
			casePage.has("decision-summary"), casePage.has("deviation"))
	}
}
