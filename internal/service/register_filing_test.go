package service_test

import (
	"slices"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

// TestRegisterOverdueFilingDeadline: the register's "verstreken" filter also
// finds a decision to notify the AP whose two working days (seed 000 step 5)
// have passed while the 72 hours still run, and agrees with the row's own
// judgement of that deadline, to the minute around the end of the second
// working day.
func TestRegisterOverdueFilingDeadline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, amsterdam)
	e.clock.Set(monday)
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Wachtwoorden van leerlingen gelekt", e.a1))).ID
	e.decided(id, true, "Misbruik van accounts", incident.StatusNotification)
	// Decided on Monday at 10:00 to notify the AP; not notified yet.
	e.exec(`UPDATE case_assessments SET notify_authority = true, decided_at = $2 WHERE case_id = $1`, id, monday.Add(time.Hour))
	overdue := func(at time.Time) (bool, incident.DeadlineState) {
		t.Helper()
		e.clock.Set(at)
		v := must(e.svc.Incidents.Register(e.ctx, e.actors["desk"], service.RegisterQuery{}))
		var state incident.DeadlineState
		for _, en := range v.Entries {
			if en.ID == id {
				state = en.DeadlineFiling.State
			}
		}
		f := must(e.svc.Incidents.Register(e.ctx, e.actors["desk"], service.RegisterQuery{Deadlines: "overdue"}))
		return slices.ContainsFunc(f.Entries, func(en incident.RegisterEntry) bool { return en.ID == id }), state
	}
	for _, tc := range []struct {
		at    time.Time
		want  bool
		state incident.DeadlineState
	}{
		{time.Date(2026, 11, 25, 12, 0, 0, 0, amsterdam), false, incident.DeadlineRunning},
		{time.Date(2026, 11, 25, 23, 58, 0, 0, amsterdam), false, incident.DeadlineRunning},
		// Thursday morning: the two working days are past, the 72 hours
		// (Thursday 09:00) not yet.
		{time.Date(2026, 11, 26, 0, 1, 0, 0, amsterdam), true, incident.DeadlineOverdue},
		{time.Date(2026, 11, 26, 8, 0, 0, 0, amsterdam), true, incident.DeadlineOverdue},
	} {
		got, state := overdue(tc.at)
		if got != tc.want || state != tc.state {
			t.Errorf("at %s: in the overdue filter %v (want %v), filing deadline %q (want %q)",
				tc.at.Format("Mon 15:04"), got, tc.want, state, tc.state)
		}
	}
	// Once notified, nothing is overdue any more.
	e.exec(`INSERT INTO case_notifications (organisation_id, case_id, kind, number, sent_at, late_reason, recorded_at, recorded_by)
		VALUES ($1, $2, 'initial', 'm-1', $3, 'Wachten op de leverancier', $3, $4)`, e.orgA, id, time.Date(2026, 11, 26, 8, 30, 0, 0, amsterdam), e.actors["officer"].UserID)
	if got, _ := overdue(time.Date(2026, 11, 26, 9, 0, 0, 0, amsterdam)); got {
		t.Errorf("a notified case is still in the overdue filter")
	}
}

// TestRegisterOverdueSubjectsWeek: the "verstreken" filter finds a case in
// step 7 whose week to inform the data subjects has passed (from the AP
// notification, else from the decision), to the minute, and no longer once
// the notice was sent.
func TestRegisterOverdueSubjectsWeek(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, amsterdam)
	e.clock.Set(monday)
	byDecision := e.informing("Adreslijst groep 7 verloren", "individual")
	byNotification := e.informing("Cijferlijst naar verkeerde ouders", "individual")
	e.exec(`INSERT INTO case_notifications (organisation_id, case_id, kind, number, sent_at, recorded_at, recorded_by)
		VALUES ($1, $2, 'initial', 'M-1', $3, $3, $4)`, e.orgA, byNotification, monday.Add(24*time.Hour), e.actors["officer"].UserID)
	overdue := func(at time.Time) []int64 {
		t.Helper()
		e.clock.Set(at)
		var got []int64
		for _, en := range must(e.svc.Incidents.Register(e.ctx, e.actors["desk"], service.RegisterQuery{Deadlines: "overdue"})).Entries {
			if en.ID == byDecision || en.ID == byNotification {
				got = append(got, en.ID)
			}
		}
		slices.Sort(got)
		return got
	}
	week := monday.AddDate(0, 0, 7)
	if got := overdue(week.Add(-time.Minute)); len(got) != 0 {
		t.Errorf("a minute before the week is out: %v overdue", got)
	}
	if got := overdue(week.Add(time.Minute)); !slices.Equal(got, []int64{byDecision}) {
		t.Errorf("a minute after the decision's week: %v, want only %d (the other counts from its notification)", got, byDecision)
	}
	want := []int64{byDecision, byNotification}
	slices.Sort(want)
	if got := overdue(week.Add(24*time.Hour + time.Minute)); !slices.Equal(got, want) {
		t.Errorf("after both weeks: %v, want %v", got, want)
	}
	officer := e.actors["officer"].UserID
	e.exec(`INSERT INTO case_subject_notices (organisation_id, case_id, channel, recipient_groups, subject, body, nature,
		measures_taken, measures_recipient, officer_contact, school_contact, drafted_at, drafted_by, approved_at, approved_by, sent_at, sent_by)
		VALUES ($1, $2, 'individual', '{parents}', 'Datalek', 'Tekst', 'Aard', 'Maatregelen', 'Wees alert', 'FG', 'School', $3, $4, $3, $4, $3, $4)`,
		e.orgA, byDecision, week, officer)
	if got := overdue(week.Add(24*time.Hour + time.Minute)); !slices.Equal(got, []int64{byNotification}) {
		t.Errorf("after the notice was sent: %v, want only %d", got, byNotification)
	}
}
