package service_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// TestDeadlineRunsFromTheDiscovery: a stick found on Friday at 17:00 and
// reported on Monday at 09:00 must be notified by Monday 17:00 (seed 000:
// "binnen 72 uur na ontdekking"), on the case page, the start page and in
// the reminders at 48, 24 and 6 hours before that moment. When the FG sets
// the moment of awareness later, with a reason, every view shows that and why.
func TestDeadlineRunsFromTheDiscovery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, amsterdam)
	e.clock.Set(monday)
	f := e.form("USB-stick met cijferlijsten kwijt", e.a1)
	f.DiscoveredAt = "2026-11-27T17:00"
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], f)).ID
	due := time.Date(2026, 11, 30, 17, 0, 0, 0, amsterdam)

	for _, name := range []string{"staff", "desk", "officer", "board"} {
		v := must(e.svc.Incidents.Case(e.ctx, e.actors[name], id))
		if len(v.Deadlines) == 0 || !v.Deadlines[0].At.Equal(due) || v.Deadlines[0].Kind != incident.DueAuthority {
			t.Errorf("%s sees on the case page %+v, want the 72 hours ending %v", name, v.Deadlines, due)
		}
	}
	w := must(e.svc.Incidents.Worklist(e.ctx, e.actors["desk"]))
	if len(w.Desk) != 1 || !w.Desk[0].Deadlines[0].At.Equal(due) || w.Desk[0].WaitingOn != "het meldpunt" {
		t.Fatalf("desk's start page: %+v", w.Desk)
	}
	if got, want := w.Desk[0].Deadlines[0].Sentence(amsterdam), "Uiterlijk melden aan de AP (72 uur): ma 30 november 17:00 — nog 8 uur"; got != want {
		t.Errorf("sentence %q, want %q", got, want)
	}

	// The reminders follow the same moment: at the report, 8 hours are left,
	// so only the 24-hour reminder is sent (the 48 hours were passed over).
	s := e.servers(1)
	steps := []struct {
		at   time.Time
		want []string
	}{
		{monday, []string{"48h false", "24h true"}},
		{due.Add(-6*time.Hour - time.Minute), []string{"48h false", "24h true"}},
		{due.Add(-6 * time.Hour), []string{"48h false", "24h true", "6h true"}},
		{due.Add(-time.Minute), []string{"48h false", "24h true", "6h true"}},
		{due, []string{"48h false", "24h true", "6h true", "passed true"}},
	}
	for _, st := range steps {
		e.clock.Set(st.at)
		scanAll(t, e, s)
		var got []string
		for _, r := range e.reminders(t, id) {
			got = append(got, r.Threshold+" "+map[bool]string{true: "true", false: "false"}[r.Notified])
		}
		slices.Sort(got)
		slices.Sort(st.want)
		if !slices.Equal(got, st.want) {
			t.Errorf("at %v: reminders %q, want %q", st.at, got, st.want)
		}
	}

	// The FG moves the awareness later, with a reason: the deadline moves,
	// and the note says from what and why.
	e.clock.Set(monday.Add(time.Hour))
	e.toAssessment(id)
	reason := "Pas maandag bleek dat de lijsten op deze stick stonden."
	must(0, e.svc.Incidents.SetAwareAt(e.ctx, e.actors["officer"], id, "2026-11-30T09:30", reason))
	moved := time.Date(2026, 12, 3, 9, 30, 0, 0, amsterdam)
	wantNote := "De FG zette het begin van de 72 uur later dan de ontdekking (vr 27 november 17:00): ma 30 november 09:30. Reden: " + reason
	v := must(e.svc.Incidents.Case(e.ctx, e.actors["desk"], id))
	if len(v.Deadlines) == 0 || !v.Deadlines[0].At.Equal(moved) || v.Deadlines[0].Note != wantNote {
		t.Errorf("case page after moving: %+v, want %v with note %q", v.Deadlines, moved, wantNote)
	}
	w = must(e.svc.Incidents.Worklist(e.ctx, e.actors["officer"]))
	if len(w.Officer) != 1 || !w.Officer[0].Deadlines[0].At.Equal(moved) || w.Officer[0].Deadlines[0].Note != wantNote || w.Officer[0].WaitingOn != "de FG" {
		t.Errorf("officer's start page after moving: %+v", w.Officer)
	}
	p := must(e.svc.Incidents.DecisionPageFor(e.ctx, e.actors["officer"], id))
	if !p.Due.At.Equal(moved) || !strings.Contains(p.Due.Note, reason) {
		t.Errorf("decision page after moving: %+v", p.Due)
	}
}
