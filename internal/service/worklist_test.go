package service_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
)

func TestWorklistDeadlinesToTheMinute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// Reported on Friday 23 October 2026, 12:00 in Amsterdam; the clocks go
	// back on Sunday 25 October, so 72 hours later is Monday 11:00 on the wall.
	e.clock.Set(time.Date(2026, 10, 23, 12, 0, 0, 0, amsterdam))
	early := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("vroeg", e.a1))).ID
	e.clock.Add(2 * time.Hour)
	late := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("later", e.a2))).ID

	e.clock.Set(time.Date(2026, 10, 26, 9, 0, 0, 0, amsterdam)) // Monday 09:00
	w := must(e.svc.Incidents.Worklist(e.ctx, e.actors["desk"]))
	if len(w.Desk) != 2 || w.Desk[0].ID != early || w.Desk[1].ID != late {
		t.Fatalf("desk list = %+v, want nearest deadline first", w.Desk)
	}
	d := w.Desk[0].Deadlines[0]
	if want := time.Date(2026, 10, 26, 11, 0, 0, 0, amsterdam); !d.At.Equal(want) {
		t.Errorf("AP deadline %v, want %v (72 hours across the DST change)", d.At, want)
	}
	if !d.Urgent || d.Overdue || d.Text != "nog 2 uur" {
		t.Errorf("at 09:00: %+v, want urgent, 'nog 2 uur'", d)
	}
	if len(w.Officer) != 0 || len(w.Technician) != 0 {
		t.Errorf("a desk-only user has officer or technician work: %+v", w)
	}

	// Send the early case to the officer; at 11:01 it is overdue on the officer's list.
	desk := e.actors["desk"]
	must(0, e.svc.Incidents.StartInventory(e.ctx, desk, early))
	inv := goodInventory()
	inv.PeriodFrom = "2026-10-23T08:00"
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, early, inv))
	must(0, e.svc.Incidents.SendToOfficer(e.ctx, desk, early))
	e.clock.Set(time.Date(2026, 10, 26, 11, 1, 0, 0, amsterdam))
	w = must(e.svc.Incidents.Worklist(e.ctx, e.actors["officer"]))
	if len(w.Officer) != 1 || w.Officer[0].ID != early {
		t.Fatalf("officer list = %+v", w.Officer)
	}
	if d := w.Officer[0].Deadlines[0]; !d.Overdue || d.Text != "1 minuut te laat" {
		t.Errorf("at 11:01: %+v, want overdue by 1 minute", d)
	}
	if w := must(e.svc.Incidents.Worklist(e.ctx, e.actors["desk"])); len(w.Desk) != 1 || w.Desk[0].ID != late {
		t.Errorf("desk list after sending = %+v", w.Desk)
	}
	// A desk limited to school A1 does not see the case at A2.
	if w := must(e.svc.Incidents.Worklist(e.ctx, e.actors["desk_a1"])); len(w.Desk) != 0 {
		t.Errorf("desk of A1 sees %+v", w.Desk)
	}
}

func TestTechnicianWorklist(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tech := e.actors["technician"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("server gehackt", e.a1))).ID
	must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("niet toegewezen", e.a1)))
	if w := must(e.svc.Incidents.Worklist(e.ctx, tech)); len(w.Technician) != 0 {
		t.Fatalf("unassigned work: %+v", w.Technician)
	}
	must(0, e.svc.Incidents.AssignTechnician(e.ctx, e.actors["desk"], id, strconv.FormatInt(tech.UserID, 10)))
	if w := must(e.svc.Incidents.Worklist(e.ctx, tech)); len(w.Technician) != 1 || w.Technician[0].ID != id {
		t.Fatalf("technician list = %+v", w.Technician)
	}
	must(0, e.svc.Incidents.RecordRepair(e.ctx, tech, id, incident.RepairForm{Cause: "Lek wachtwoord",
		TechnicalIncidental: "Wachtwoorden gereset", Unintelligible: "no", Completed: true}))
	if w := must(e.svc.Incidents.Worklist(e.ctx, tech)); len(w.Technician) != 0 {
		t.Errorf("completed repair still listed: %+v", w.Technician)
	}
}
