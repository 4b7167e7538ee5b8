package service_test

import (
	"slices"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

// checkStoredDeadlines compares what case id stores for the register's
// "verstreken" filter (migration 00049: deadline_passes_at, filing_decided_at)
// with the one rule the pages use (incident.CaseDeadlines, as the register
// entry carries it), and checks that the filter holds the case exactly when
// that rule calls a deadline overdue, a minute before and after each
// deadline that runs.
func (e *env) checkStoredDeadlines(t *testing.T, id int64, step string) {
	t.Helper()
	var passes, filing *time.Time
	if err := e.owner.QueryRow(e.ctx, `SELECT deadline_passes_at, filing_decided_at FROM cases WHERE id = $1`, id).Scan(&passes, &filing); err != nil {
		t.Fatal(err)
	}
	desk := e.actors["desk"]
	en := entryOf(t, must(e.svc.Incidents.Register(e.ctx, desk, service.RegisterQuery{})), id)
	var want, wantFiling *time.Time
	for _, d := range en.Deadlines {
		if d.Kind == incident.DueAuthority || d.Kind == incident.DueSubjects {
			at := d.At
			want = &at
		}
	}
	if en.Status == incident.StatusNotification && en.APNotifiedAt == nil && en.APNotify {
		wantFiling = en.DecidedAt
	}
	same := func(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }
	if !same(passes, want) || !same(filing, wantFiling) {
		t.Errorf("%s (status %s): stored deadline %v, decision %v; the deadlines say %v, %v", step, en.Status, passes, filing, want, wantFiling)
	}
	saved := e.clock.Now()
	defer e.clock.Set(saved)
	for _, d := range en.Deadlines {
		for _, at := range []time.Time{d.At.Add(-time.Minute), d.At.Add(time.Minute)} {
			e.clock.Set(at)
			overdue := slices.ContainsFunc(entryOf(t, must(e.svc.Incidents.Register(e.ctx, desk, service.RegisterQuery{})), id).Deadlines,
				func(d incident.Due) bool { return d.Overdue })
			f := must(e.svc.Incidents.Register(e.ctx, desk, service.RegisterQuery{Deadlines: "overdue"}))
			inFilter := slices.ContainsFunc(f.Entries, func(x incident.RegisterEntry) bool { return x.ID == id })
			if inFilter != overdue {
				t.Errorf("%s, %s at %s: in the overdue filter %v, a deadline overdue %v", step, d.Kind, at.Format("Mon 02-01 15:04"), inFilter, overdue)
			}
		}
	}
}

// TestRegisterStoredDeadlineFollowsEveryChange: the moment each case stores
// for the "verstreken" filter follows every use case that changes what its
// deadlines count from, in the same transaction: the report, a moved start
// of the 72 hours, the decision, the AP notification, the notice to the data
// subjects, closing, reopening and a new decision; and also writes outside
// the use cases (a removed notification, a changed decision moment).
func TestRegisterStoredDeadlineFollowsEveryChange(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer, board := e.actors["officer"], e.actors["board"]
	monday := time.Date(2026, 11, 23, 9, 0, 0, 0, amsterdam)
	e.clock.Set(monday)
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Adreslijst 3b naar verkeerde ouder gemaild", e.a1))).ID
	e.checkStoredDeadlines(t, id, "reported")

	e.clock.Add(2 * time.Hour)
	e.toAssessment(id)
	e.checkStoredDeadlines(t, id, "in assessment")
	must(0, e.svc.Incidents.SetAwareAt(e.ctx, officer, id, monday.Add(90*time.Minute).Format(incident.DateTimeLayout),
		"Pas na de controle van de verzendlijst stond vast dat de mail verkeerd ging."))
	e.checkStoredDeadlines(t, id, "start of the 72 hours moved")

	e.clock.Add(time.Hour)
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, leakedAfterAll()))
	if st := e.status(id); st != incident.StatusNotification {
		t.Fatalf("after the decision: status %s", st)
	}
	e.checkStoredDeadlines(t, id, "decided to notify the AP")
	// A write outside the use cases: the decision's moment moved back.
	e.exec(`UPDATE case_assessments SET decided_at = decided_at - interval '3 days' WHERE case_id = $1`, id)
	e.checkStoredDeadlines(t, id, "decision moved back")

	e.clock.Add(time.Hour)
	must(0, e.svc.Incidents.InformBoard(e.ctx, board, id, "Akkoord met melden."))
	must(0, e.svc.Incidents.RecordNotification(e.ctx, officer, id, incident.NotificationForm{
		SentAt: e.clock.Now().In(amsterdam).Format(incident.DateTimeLayout), Number: "M-2026-0042"}))
	if st := e.status(id); st != incident.StatusInforming {
		t.Fatalf("after the notification: status %s", st)
	}
	e.checkStoredDeadlines(t, id, "notified: the week runs from the notification")
	// Without the notification the week counts from the decision, and the
	// AP's 72 hours run again (a row removed by hand).
	e.exec(`DELETE FROM case_notifications WHERE case_id = $1 AND kind = 'initial'`, id)
	e.checkStoredDeadlines(t, id, "notification removed")
	e.exec(`INSERT INTO case_notifications (organisation_id, case_id, kind, number, sent_at, recorded_at, recorded_by)
		VALUES ($1, $2, 'initial', 'M-2026-0042', $3, $3, $4)`, e.orgA, id, e.clock.Now(), officer.UserID)
	e.checkStoredDeadlines(t, id, "notification back")

	e.clock.Add(time.Hour)
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, goodSubjectsForm()))
	e.checkStoredDeadlines(t, id, "notice drafted")
	must(0, e.svc.Incidents.ApproveSubjectsNotice(e.ctx, board, id, ""))
	must(0, e.svc.Incidents.RecordSubjectsSent(e.ctx, officer, id, e.clock.Now().In(amsterdam).Format(incident.DateTimeLayout)))
	e.checkStoredDeadlines(t, id, "data subjects informed")

	must(0, e.store.MoveCase(e.sys, e.orgA, id, incident.StatusRecording, incident.StatusClosed, e.clock.Now()))
	e.checkStoredDeadlines(t, id, "closed")
	e.clock.Add(48 * time.Hour)
	must(0, e.svc.Incidents.Reopen(e.ctx, officer, id, "De ontvanger meldt dat er meer ouders de lijst kregen."))
	e.checkStoredDeadlines(t, id, "reopened")
	e.clock.Add(time.Hour)
	f := leakedAfterAll()
	f.Version, f.ChangeReason = "1", "Meer ouders kregen de lijst: opnieuw beoordeeld."
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, f))
	e.checkStoredDeadlines(t, id, "decided again")

	// A case only the data subjects hear of: the week from the decision,
	// until the notice is sent.
	only := e.informing("Cijferlijst groep 8 in de verkeerde map", "individual")
	e.checkStoredDeadlines(t, only, "informing by decision")
	var passes *time.Time
	if err := e.owner.QueryRow(e.ctx, `SELECT deadline_passes_at FROM cases WHERE id = $1`, only).Scan(&passes); err != nil || passes == nil {
		t.Fatalf("a case in step 7 without a notice stores %v (%v), want its week", passes, err)
	}
	// The notice recorded as sent by hand, the case left in step 7.
	e.exec(`INSERT INTO case_subject_notices (organisation_id, case_id, channel, recipient_groups, subject, body, nature,
		measures_taken, measures_recipient, officer_contact, school_contact, drafted_at, drafted_by, approved_at, approved_by, sent_at, sent_by)
		VALUES ($1, $2, 'individual', '{parents}', 'Datalek', 'Tekst', 'Aard', 'Maatregelen', 'Wees alert', 'FG', 'School', $3, $4, $3, $4, $3, $4)`,
		e.orgA, only, e.clock.Now(), officer.UserID)
	e.checkStoredDeadlines(t, only, "notice sent, still in step 7")
	e.exec(`DELETE FROM case_subject_notices WHERE case_id = $1`, only)
	e.checkStoredDeadlines(t, only, "notice removed")
}

// TestRegisterSearchFollowsTheTexts: the register's search reads the texts
// as each case stores them (migration 00049): the inventory's text follows
// every save and a removed inventory, the report's text every change of the
// report, in the same transaction.
func TestRegisterSearchFollowsTheTexts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk := e.actors["desk"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Map met zorgnotities op de gang gevonden", e.a1))).ID
	other := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Telefoon kwijt in de bus", e.a1))).ID
	found := func(word string) []int64 {
		t.Helper()
		var got []int64
		for _, en := range must(e.svc.Incidents.Register(e.ctx, desk, service.RegisterQuery{Text: word})).Entries {
			got = append(got, en.ID)
		}
		return got
	}
	check := func(step, word string, want ...int64) {
		t.Helper()
		if got := found(word); !slices.Equal(got, want) {
			t.Errorf("%s: %q finds %v, want %v", step, word, got, want)
		}
	}
	check("reported", "zorgnotities", id)
	check("reported", "kluisje")
	must(0, e.svc.Incidents.StartInventory(e.ctx, desk, id))
	inv := goodInventory()
	inv.Summary = "Zorgmap bleef liggen naast het kluisje van groep 6"
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, id, inv))
	check("inventory recorded", "kluisje", id)
	inv.Summary = "Zorgmap bleef liggen bij de kapstok"
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, id, inv))
	check("inventory changed", "kluisje")
	check("inventory changed", "kapstokken", id) // Dutch stemming, as before
	e.exec(`DELETE FROM case_inventories WHERE case_id = $1`, id)
	check("inventory removed", "kapstok")
	e.exec(`UPDATE cases SET what_happened = 'Telefoon en oplader kwijt in de bus' WHERE id = $1`, other)
	check("report changed", "oplader", other)
	check("both", "bus", other)
}
