package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

// TestInspectorateIsRecordedForTheRegister: a breach of test or exam results
// asks the officer whether the Inspectie van het Onderwijs was informed
// (issue 10.4); the answer is checked, kept with its timeline entry, and the
// register shows whether and when.
func TestInspectorateIsRecordedForTheRegister(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Cijferlijst 4havo naar verkeerde ouder", e.a1))).ID
	other := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("USB-stick kwijt", e.a1))).ID
	e.decided(id, true, "Cijfers van leerlingen bij een andere ouder", incident.StatusNotification)
	e.decided(other, true, "Adressen op straat", incident.StatusNotification)
	if _, err := e.owner.Exec(e.ctx, `UPDATE case_assessments SET facts = '{"data": ["basic", "performance"]}' WHERE case_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if v := must(e.svc.Incidents.Case(e.ctx, officer, id)); !v.AsksInspectorate || v.Inspectorate != nil {
		t.Errorf("results case: asks %v, recorded %+v; want asked, nothing recorded", v.AsksInspectorate, v.Inspectorate)
	}
	if v := must(e.svc.Incidents.Case(e.ctx, officer, other)); v.AsksInspectorate {
		t.Error("a breach without results asks about the Inspectie")
	}

	// 4 December 2026 in Amsterdam.
	e.clock.Set(time.Date(2026, 12, 4, 9, 0, 0, 0, amsterdam))
	for _, tc := range []struct {
		form  incident.InspectorateForm
		field string
	}{
		{incident.InspectorateForm{}, "inspectorate_informed"},
		{incident.InspectorateForm{Informed: "yes"}, "inspectorate_on"},
		{incident.InspectorateForm{Informed: "yes", InformedOn: "32-12-2026"}, "inspectorate_on"},
		{incident.InspectorateForm{Informed: "yes", InformedOn: "2026-12-05"}, "inspectorate_on"},
		{incident.InspectorateForm{Informed: "no", Reason: "  "}, "inspectorate_reason"},
		{incident.InspectorateForm{Informed: "no", Reason: strings.Repeat("x", 2001)}, "inspectorate_reason"},
	} {
		err := e.svc.Incidents.RecordInspectorate(e.ctx, officer, id, tc.form)
		if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.Invalid || ae.Fields[tc.field] == "" {
			t.Errorf("%+v: %v, want a message on %s", tc.form, err, tc.field)
		}
	}
	if err := e.svc.Incidents.RecordInspectorate(e.ctx, e.actors["desk"], id, incident.InspectorateForm{Informed: "yes", InformedOn: "2026-12-03"}); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("desk records: %v, want Forbidden", err)
	}
	if err := e.svc.Incidents.RecordInspectorate(e.ctx, e.actors["desk_b"], id, incident.InspectorateForm{Informed: "yes", InformedOn: "2026-12-03"}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another organisation records: %v, want NotFound", err)
	}
	if n := e.count(`SELECT count(*) FROM case_inspectorate`); n != 0 {
		t.Fatalf("%d rows after refusals", n)
	}

	// First "not needed", then informed after all (dd-mm-jjjj is read too):
	// the register has the last answer, the timeline both.
	must(0, e.svc.Incidents.RecordInspectorate(e.ctx, officer, id, incident.InspectorateForm{Informed: "no", Reason: "Het gaat om een oefentoets."}))
	must(0, e.svc.Incidents.RecordInspectorate(e.ctx, officer, id, incident.InspectorateForm{Informed: "yes", InformedOn: "4-12-2026", Reason: "Toch een schoolexamen."}))
	v := must(e.svc.Incidents.Case(e.ctx, officer, id))
	if r := v.Inspectorate; r == nil || !r.Informed || r.InformedOn.Format("2006-01-02") != "2026-12-04" || r.RecordedBy != "Gebruiker officer" {
		t.Fatalf("recorded %+v", v.Inspectorate)
	}
	if n := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'record_inspectorate'`, id); n != 2 {
		t.Errorf("%d timeline entries, want 2", n)
	}
	reg := must(e.svc.Incidents.Register(e.ctx, officer, service.RegisterQuery{}))
	var cell string
	for _, en := range reg.Entries {
		if en.ID == id {
			for _, c := range incident.RegisterColumns {
				if strings.HasPrefix(c.Header, "Inspectie") {
					cell = c.Value(en, amsterdam).Text
				}
			}
		}
	}
	if cell != "Ja, op 04-12-2026 (Toch een schoolexamen.)" {
		t.Errorf("register says %q", cell)
	}
}
