package server_test

import (
	"net/http"
	"net/url"
	"testing"
)

// Step 2 through HTTP: the desk picks a case up, records the facts (with a
// refused attempt that keeps everything typed), sends it to the officer; a
// second desk member who posts facts a moment later gets a conflict with
// their text still there.
func TestHandlersInventoryRoundTripAndConflict(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	desk := app.as("meldpunt@demo.lekwacht.nl")
	id := itoa(app.demoCase(1))
	expect(t, "pick up", app.post(desk, "/meldingen/"+id+"/oppakken", nil), http.StatusSeeOther, "/meldingen/"+id)
	if res := app.post(desk, "/meldingen/"+id+"/naar-fg", nil); res.StatusCode != http.StatusUnprocessableEntity || !res.contains("Leg eerst de feiten vast") {
		t.Errorf("send before facts: %d", res.StatusCode)
	}
	form := app.get(desk, "/meldingen/"+id+"/inventarisatie")
	if form.StatusCode != http.StatusOK || !form.contains("adreslijst van klas 3b") {
		t.Fatalf("inventory form: %d, not prefilled from the report", form.StatusCode)
	}
	facts := url.Values{"summary": {"USB-stick met adreslijst 3b verloren in de trein"}, "nature": {"lost_device"},
		"breach_suspected": {"yes"}, "sensitive": {"no"}, "chain_shared": {"no"}, "subject_count": {"veel"},
		"subject_groups": {"leerlingen en ouders van 3b"}, "data_types": {"contact"}}
	res := app.post(desk, "/meldingen/"+id+"/inventarisatie", facts)
	if res.StatusCode != http.StatusUnprocessableEntity || !res.has("error-subject_count") {
		t.Fatalf("bad count: %d", res.StatusCode)
	}
	if v, _ := res.textarea("summary"); v != facts.Get("summary") {
		t.Errorf("typed summary lost: %q", v)
	}
	facts.Set("subject_count", "28")
	expect(t, "record facts", app.post(desk, "/meldingen/"+id+"/inventarisatie", facts), http.StatusSeeOther, "/meldingen/"+id)

	// A second desk member had the form open; the first sends the case on.
	other := app.as("meldpunt@demo.lekwacht.nl")
	expect(t, "send to officer", app.post(desk, "/meldingen/"+id+"/naar-fg", nil), http.StatusSeeOther, "/meldingen/"+id)
	facts.Set("summary", "Aanvulling van een collega die niet wist dat het al verder was")
	res = app.post(other, "/meldingen/"+id+"/inventarisatie", facts)
	if res.StatusCode != http.StatusConflict || !res.contains("Iemand anders") && !res.contains("niet (meer) in deze stap") {
		t.Fatalf("late facts: %d, want 409 with a clear message", res.StatusCode)
	}
	if v, _ := res.textarea("summary"); v != facts.Get("summary") {
		t.Errorf("the colleague's text is lost on a conflict: %q", v)
	}
	if n := app.count(`SELECT count(*) FROM case_inventories WHERE summary LIKE 'Aanvulling%'`); n != 0 {
		t.Error("the late facts were stored")
	}
	page := app.get(app.as("fg@demo.lekwacht.nl"), "/meldingen/"+id)
	if page.text("status") != "FG beoordeelt" || !page.has("inventory") {
		t.Errorf("officer's case page: status %q, inventory shown %v", page.text("status"), page.has("inventory"))
	}
}
