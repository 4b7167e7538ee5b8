package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
)

func processorValues(name string) url.Values {
	return url.Values{"name": {name}, "processes": {"Leerlingadministratie: namen, adressen, cijfers"},
		"breach_contact": {"Servicedesk, 088 123 45 67"}, "how_inform": {"Telefonisch en per e-mail aan de FG"},
		"off_hours": {"Piketnummer 06 12345678, ook in het weekend"}, "ap_notifier": {"school"},
		"information": {"Aard van het lek, welke gegevens, hoeveel betrokkenen"}, "delivery_hours": {"24"},
		"communicator": {"processor"}}
}

func TestProcessorPagesAccess(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	officer := app.as(demoOfficer)
	res := app.post(officer, "/verwerkers/nieuw", processorValues("Magister"))
	expect(t, "officer creates", res, http.StatusSeeOther)
	id := strings.TrimPrefix(res.Header.Get("Location"), "/verwerkers/")
	for _, tc := range []struct {
		who                 string
		list, show, newForm int
	}{
		{demoOfficer, 200, 200, 200}, {demoAdmin, 200, 200, 200},
		{demoDesk, 200, 200, 403}, {demoBoard, 200, 200, 403},
		{demoTechnician, 403, 403, 403}, {demoReporter, 403, 403, 403},
		{otherDesk, 200, 404, 403}, // another organisation: its own (empty) list; ours is not found
	} {
		c := app.as(tc.who)
		for path, want := range map[string]int{"/verwerkers": tc.list, "/verwerkers/" + id: tc.show,
			"/verwerkers/nieuw": tc.newForm, "/verwerkers/" + id + "/bewerken": tc.newForm} {
			if tc.who == otherDesk && path == "/verwerkers/"+id+"/bewerken" {
				want = 403 // refused before looking the processor up
			}
			if got := app.get(c, path).StatusCode; got != want {
				t.Errorf("%s GET %s: %d, want %d", tc.who, path, got, want)
			}
		}
		if tc.newForm != 200 {
			if got := app.post(c, "/verwerkers/nieuw", processorValues("Van "+tc.who)).StatusCode; got != http.StatusForbidden {
				t.Errorf("%s POST new: %d, want 403", tc.who, got)
			}
			if got := app.post(c, "/verwerkers/"+id+"/bewerken", processorValues("Gekaapt")).StatusCode; got != http.StatusForbidden {
				t.Errorf("%s POST edit: %d, want 403", tc.who, got)
			}
		}
	}
	if n := app.count(`SELECT count(*) FROM processors`); n != 1 {
		t.Errorf("%d processors stored, want only the officer's", n)
	}
	list := app.get(app.as(otherDesk), "/verwerkers")
	if strings.Contains(list.Body, "Magister") {
		t.Error("another organisation lists our processor")
	}
	if page := app.get(app.as(demoBoard), "/"); !strings.Contains(page.Body, `href="/verwerkers"`) {
		t.Error("no menu item for the board")
	}
}

func TestProcessorFormRoundTrip(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.as(demoAdmin)
	bad := processorValues("Somtoday")
	bad.Set("delivery_hours", "een dag")
	bad.Set("off_hours", "")
	res := app.post(c, "/verwerkers/nieuw", bad)
	expect(t, "refused form", res, http.StatusUnprocessableEntity)
	if v, _ := res.inputValue("name"); v != "Somtoday" {
		t.Errorf("name not kept: %q", v)
	}
	if v, _ := res.inputValue("delivery_hours"); v != "een dag" {
		t.Errorf("hours not kept: %q", v)
	}
	if v, _ := res.textarea("processes"); v != bad.Get("processes") {
		t.Errorf("processes not kept: %q", v)
	}
	if !res.checked("communicator", "processor") {
		t.Error("choice of communicator not kept")
	}
	if res.text("error-delivery_hours") == "" || res.text("error-off_hours") == "" {
		t.Errorf("no message beside the fields: %s", snippet(res.Body))
	}
	if n := app.count(`SELECT count(*) FROM processors`); n != 0 {
		t.Errorf("refused form stored %d", n)
	}
	res = app.post(c, "/verwerkers/nieuw", processorValues("Somtoday"))
	expect(t, "created", res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	page := app.get(c, loc)
	expect(t, "detail", page, http.StatusOK)
	if !page.contains("Piketnummer 06 12345678") || !page.contains("De verwerker, in overleg met het schoolbestuur") || !page.contains("binnen 24 uur") {
		t.Errorf("agreements not shown: %s", snippet(page.Body))
	}
	// Edit: a refused edit keeps what was typed; a good one is audited.
	edit := processorValues("Somtoday")
	edit.Set("delivery_hours", "500")
	res = app.post(c, loc+"/bewerken", edit)
	expect(t, "refused edit", res, http.StatusUnprocessableEntity)
	if v, _ := res.inputValue("delivery_hours"); v != "500" || !strings.Contains(res.text("error-delivery_hours"), "168") {
		t.Errorf("edit round trip: %q %q", v, res.text("error-delivery_hours"))
	}
	edit.Set("delivery_hours", "12")
	expect(t, "edited", app.post(c, loc+"/bewerken", edit), http.StatusSeeOther)
	if n := app.count(`SELECT count(*) FROM audit_log WHERE action IN ('processor_created', 'processor_updated')`); n != 2 {
		t.Errorf("audit rows: %d, want 2", n)
	}
	if form := app.get(c, loc+"/bewerken"); func() string { v, _ := form.inputValue("delivery_hours"); return v }() != "12" {
		t.Error("edit form does not show the stored hours")
	}
}

func TestCaseLinkedToProcessorShowsAgreementsAndDeadline(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	officer, desk := app.as(demoOfficer), app.as(demoDesk)
	res := app.post(officer, "/verwerkers/nieuw", processorValues("Magister"))
	expect(t, "created", res, http.StatusSeeOther)
	pid := strings.TrimPrefix(res.Header.Get("Location"), "/verwerkers/")
	id := app.demoCase(1)
	path := "/meldingen/" + itoa(id)
	if page := app.get(desk, path); !strings.Contains(page.Body, `data-testid="processor-link-form"`) {
		t.Fatalf("the desk has no link form in step 2")
	}
	if page := app.get(app.as(demoBoard), path); strings.Contains(page.Body, `data-testid="processor-link-form"`) {
		t.Error("the board gets a link form")
	}
	// Refused: kept, with the message beside the field.
	informed := app.Clock.Now().In(amsterdam).Add(-time.Hour).Format(incident.DateTimeLayout)
	res = app.post(desk, path+"/verwerker", url.Values{"processor": {""}, "informed_at": {informed}})
	expect(t, "refused link", res, http.StatusUnprocessableEntity)
	if v, _ := res.inputValue("informed_at"); v != informed || res.text("error-processor") == "" {
		t.Errorf("link round trip: %q, %q", v, res.text("error-processor"))
	}
	if got := app.post(app.as(demoBoard), path+"/verwerker", url.Values{"processor": {pid}, "informed_at": {informed}}).StatusCode; got != http.StatusForbidden {
		t.Errorf("board links: %d, want 403", got)
	}
	res = app.post(desk, path+"/verwerker", url.Values{"processor": {pid}, "informed_at": {informed}})
	expect(t, "linked", res, http.StatusSeeOther, path)
	page := app.get(officer, path)
	if page.text("case-processor-name") != "Magister" || !page.contains("Piketnummer 06 12345678") || strings.Contains(page.Body, `data-overdue="true"`) {
		t.Errorf("case page after linking: %s", snippet(page.Body))
	}
	// A day later the deadline (23 hours away) has passed: red on the case page and on the desk's start page.
	app.Clock.Add(24 * time.Hour)
	if page := app.get(officer, path); !strings.Contains(page.Body, `data-overdue="true"`) {
		t.Error("overdue delivery not marked on the case page")
	}
	home := app.get(desk, "/")
	if !home.contains("informatie van Magister") || !strings.Contains(home.Body, `data-overdue="true"`) {
		t.Errorf("desk start page: %s", snippet(home.Body))
	}
	// Delivered: the deadline is gone.
	expect(t, "delivered", app.post(desk, path+"/verwerker/ontvangen", nil), http.StatusSeeOther, path)
	if page := app.get(officer, path); page.text("processor-delivered") == "" || strings.Contains(page.Body, "Informatie uiterlijk") {
		t.Errorf("after delivery: %s", snippet(page.Body))
	}
	if n := app.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind IN ('link_processor', 'processor_delivered')`, id); n != 2 {
		t.Errorf("timeline rows: %d", n)
	}
	// The dossier names the processor and its agreements.
	d := app.get(officer, path+"/dossier")
	if s := sectionText(d, "dossier-processor"); !strings.Contains(s, "Magister") || !strings.Contains(s, "Piketnummer") || !strings.Contains(s, "binnen 24 uur") {
		t.Errorf("dossier processor section: %q", s)
	}
}
