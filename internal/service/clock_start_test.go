package service_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

// TestClockStartsAtTheDiscovery (issue 9.1, seed 000: "binnen 72 uur na
// ontdekking"): a teacher who found the lost stick on Friday at 17:00 and
// reports on Monday at 09:00 has until Monday 17:00, not Thursday; the
// worklist, the case page, the decision page, the register and the
// reminders at 48/24/6 hours all follow that moment.
func TestClockStartsAtTheDiscovery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, amsterdam)
	e.clock.Set(monday)
	f := e.form("USB-stick met cijferlijsten kwijt", e.a1)
	f.OccurredFrom = "2026-11-27T12:00"
	f.DiscoveredAt = "2026-11-27T17:00" // Friday
	f.PersonalData = "yes"
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], f)).ID
	want := time.Date(2026, 11, 30, 17, 0, 0, 0, amsterdam) // Monday 17:00

	w := must(e.svc.Incidents.Worklist(e.ctx, e.actors["desk"]))
	if len(w.Desk) != 1 || len(w.Desk[0].Deadlines) == 0 {
		t.Fatalf("desk list = %+v", w.Desk)
	}
	d := w.Desk[0].Deadlines[0]
	if !d.At.Equal(want) || d.Kind != incident.DueAuthority || d.Text != "nog 8 uur" || !d.Urgent {
		t.Errorf("worklist deadline %+v, want %v, 'nog 8 uur', urgent", d, want)
	}
	if got, wantS := d.Sentence(amsterdam), "Uiterlijk melden aan de AP (72 uur): ma 30 november 17:00 — nog 8 uur"; got != wantS {
		t.Errorf("sentence %q, want %q", got, wantS)
	}
	if w.Desk[0].WaitingOn != "het meldpunt" {
		t.Errorf("waiting on %q, want het meldpunt", w.Desk[0].WaitingOn)
	}
	v := must(e.svc.Incidents.Case(e.ctx, e.actors["staff"], id))
	if len(v.Deadlines) == 0 || !v.Deadlines[0].At.Equal(want) || !v.Case.AwareAt.Equal(time.Date(2026, 11, 27, 17, 0, 0, 0, amsterdam)) {
		t.Errorf("case page for the reporter: deadlines %+v, clock start %v", v.Deadlines, v.Case.AwareAt)
	}
	if v.Deadlines[0].Note != "" {
		t.Errorf("a note without a moved start: %q", v.Deadlines[0].Note)
	}

	// The reminders count from the discovery: at Monday 09:00 the 48 and 24
	// hours are already past (only the most urgent is sent), the 6 hours
	// come at 11:00 and the deadline passes at 17:00.
	servers := e.servers(1)
	steps := []struct {
		at   time.Time
		want []string
	}{
		{monday, []string{"48h false", "24h true"}},
		{monday.Add(time.Hour + 59*time.Minute), []string{"48h false", "24h true"}},
		{monday.Add(2 * time.Hour), []string{"48h false", "24h true", "6h true"}},
		{want.Add(time.Minute), []string{"48h false", "24h true", "6h true", "passed true"}},
	}
	for _, st := range steps {
		e.clock.Set(st.at)
		scanAll(t, e, servers)
		var got []string
		for _, r := range e.reminders(t, id) {
			got = append(got, r.Threshold+" "+map[bool]string{true: "true", false: "false"}[r.Notified])
		}
		slices.Sort(got)
		slices.Sort(st.want)
		if !slices.Equal(got, st.want) {
			t.Errorf("at %s: reminders %q, want %q", st.at.Format("Mon 15:04"), got, st.want)
		}
	}

	// The one definition every query reads (the register's "op tijd / te
	// laat" and the analysis count from it too).
	if n := e.count(`SELECT count(*) FROM cases WHERE id = $1 AND clock_start = $2`, id, time.Date(2026, 11, 27, 17, 0, 0, 0, amsterdam)); n != 1 {
		t.Errorf("cases.clock_start is not the discovery")
	}
}

// TestDiscoveryNeverLaterThanTheReport: a discovery typed a few minutes
// after the report (within the tolerance for clocks) does not start the 72
// hours later than the report itself; no discovery starts them at the report.
func TestDiscoveryNeverLaterThanTheReport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, amsterdam)
	e.clock.Set(at)
	f := e.form("Mail naar verkeerde ouder", e.a1)
	f.DiscoveredAt = "2026-11-30T09:03"
	later := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], f)).ID
	none := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Zonder ontdekking", e.a1))).ID
	for _, id := range []int64{later, none} {
		if c := must(e.svc.Incidents.Case(e.ctx, e.actors["staff"], id)).Case; !c.AwareAt.Equal(at) {
			t.Errorf("case %d: clock starts %v, want the report %v", id, c.AwareAt, at)
		}
	}
}

// TestDiscoveryRefused: a discovery in the future or before the incident
// began is refused beside the field, in Dutch.
func TestDiscoveryRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clock.Set(time.Date(2026, 11, 30, 9, 0, 0, 0, amsterdam))
	for name, tc := range map[string][2]string{
		"future":       {"", "2026-11-30T10:00"},
		"before start": {"2026-11-27T12:00", "2026-11-26T17:00"},
	} {
		f := e.form("Stick kwijt", e.a1)
		f.OccurredFrom, f.DiscoveredAt = tc[0], tc[1]
		_, err := e.svc.Incidents.Report(e.ctx, e.actors["staff"], f)
		ae, ok := apperr.As(err)
		if !ok || ae.Fields["discovered_at"] == "" {
			t.Errorf("%s: %v, want a message beside discovered_at", name, err)
		}
	}
}

// TestAwarenessMovedLaterIsShownWithItsReason: the FG sets the moment of
// awareness later than the discovery (seed 001: when it was established);
// the deadline moves and every page that shows it says that and why.
func TestAwarenessMovedLaterIsShownWithItsReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, amsterdam)
	e.clock.Set(monday)
	f := e.form("Vreemde inlog op het leerlingvolgsysteem", e.a1)
	f.DiscoveredAt = "2026-11-27T17:00"
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], f)).ID
	e.toAssessment(id)
	e.clock.Set(monday.Add(3 * time.Hour))
	officer := e.actors["officer"]
	reason := "Pas na de logcontrole op maandag stond vast dat er was ingelogd."
	must(0, e.svc.Incidents.SetAwareAt(e.ctx, officer, id, "2026-11-30T12:00", reason))
	want := time.Date(2026, 12, 3, 12, 0, 0, 0, amsterdam) // Thursday 12:00
	wantNote := "De FG zette het begin van de 72 uur later dan de ontdekking (vr 27 november 17:00): ma 30 november 12:00. Reden: " + reason

	check := func(where string, d incident.Due) {
		t.Helper()
		if !d.At.Equal(want) || d.Note != wantNote {
			t.Errorf("%s: %v, note %q; want %v, note %q", where, d.At, d.Note, want, wantNote)
		}
	}
	w := must(e.svc.Incidents.Worklist(e.ctx, officer))
	if len(w.Officer) != 1 || len(w.Officer[0].Deadlines) == 0 {
		t.Fatalf("officer list %+v", w.Officer)
	}
	check("worklist", w.Officer[0].Deadlines[0])
	v := must(e.svc.Incidents.Case(e.ctx, e.actors["staff"], id))
	check("case page (reporter)", v.Deadlines[0])
	check("decision page", must(e.svc.Incidents.DecisionPageFor(e.ctx, officer, id)).Due)
	r := must(e.svc.Incidents.Register(e.ctx, officer, service.RegisterQuery{}))
	var found bool
	for _, en := range r.Entries {
		if en.ID == id {
			found = true
			if got := en.GoverningText(amsterdam); !strings.Contains(got, "do 3 december 12:00") || !strings.Contains(got, reason) {
				t.Errorf("register governing deadline %q", got)
			}
		}
	}
	if !found {
		t.Errorf("case not in the register")
	}
}

// TestClockStartAcrossDST: discovered on Friday 23 October 2026 12:00,
// reported on Saturday; the clocks go back on Sunday 25 October, so 72
// hours after the discovery is Monday 11:00 on the wall.
func TestClockStartAcrossDST(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clock.Set(time.Date(2026, 10, 24, 10, 0, 0, 0, amsterdam))
	f := e.form("Laptop gestolen", e.a1)
	f.DiscoveredAt = "2026-10-23T12:00"
	must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], f))
	e.clock.Set(time.Date(2026, 10, 26, 9, 0, 0, 0, amsterdam))
	w := must(e.svc.Incidents.Worklist(e.ctx, e.actors["desk"]))
	if len(w.Desk) != 1 {
		t.Fatalf("desk list %+v", w.Desk)
	}
	d := w.Desk[0].Deadlines[0]
	if want := time.Date(2026, 10, 26, 11, 0, 0, 0, amsterdam); !d.At.Equal(want) || d.Text != "nog 2 uur" {
		t.Errorf("deadline %v %q, want %v 'nog 2 uur'", d.At, d.Text, want)
	}
}
