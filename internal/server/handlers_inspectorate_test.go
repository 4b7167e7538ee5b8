package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Issue 10.4 through HTTP: for a breach of test or exam results the case
// page asks the FG whether the Inspectie van het Onderwijs was informed; a
// "yes" without a date comes back with the message beside the field and the
// choice kept, nothing stored; the recorded answer shows on the case page
// and in the register. The desk sees no form.
func TestHandlersInspectorate(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	id := a.journeyCaseToClose()
	a.exec(`UPDATE case_assessments SET facts = jsonb_set(facts, '{data}', '["basic", "performance"]') WHERE case_id = $1`, id)
	officer, desk := a.as(demoOfficer), a.as(demoDesk)
	path := "/meldingen/" + itoa(id)

	page := a.get(officer, path)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="inspectorate-form"`) {
		t.Fatalf("the officer's case page (%d) does not ask about the Inspectie", page.StatusCode)
	}
	if p := a.get(desk, path); !strings.Contains(p.Body, `data-testid="inspectorate"`) || strings.Contains(p.Body, `data-testid="inspectorate-form"`) {
		t.Error("the desk should see the part without its form")
	}
	r := a.post(officer, path+"/inspectie", url.Values{"inspectorate_informed": {"yes"}, "inspectorate_reason": {"Schoolexamen wiskunde"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Vul de datum in waarop de Inspectie is geïnformeerd.") ||
		!strings.Contains(r.Body, ">Schoolexamen wiskunde</textarea>") || !strings.Contains(r.Body, `value="yes" checked`) {
		t.Fatalf("yes without a date: %d, want 422 with the message and what was typed", r.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM case_inspectorate WHERE case_id = $1`, id); n != 0 {
		t.Fatalf("%d rows stored after a refusal", n)
	}
	if r := a.post(desk, path+"/inspectie", url.Values{"inspectorate_informed": {"no"}, "inspectorate_reason": {"Geen examen"}}); r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("the desk records: %d", r.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM case_inspectorate WHERE case_id = $1`, id); n != 0 {
		t.Fatal("the desk's answer was stored")
	}
	r = a.post(officer, path+"/inspectie", url.Values{"inspectorate_informed": {"yes"}, "inspectorate_on": {"2026-01-15"}, "inspectorate_reason": {"Schoolexamen wiskunde"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d", r.StatusCode)
	}
	if p := a.get(officer, path); !strings.Contains(p.Body, "Ja, op 15-01-2026 (Schoolexamen wiskunde)") {
		t.Error("the case page does not show what was recorded")
	}
	if reg := a.get(officer, "/register"); !strings.Contains(reg.Body, "Ja, op 15-01-2026 (Schoolexamen wiskunde)") {
		t.Error("the register does not show the Inspectie")
	}
}
