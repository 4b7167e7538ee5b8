package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/mailpit"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/store"
)

// encryptedStick is the decision of seed 001's example: an encrypted USB
// stick with pupils' data is lost; a breach, not notified to the AP, and the
// data subjects are not informed because the data are unintelligible.
func encryptedStick() incident.DecisionForm {
	f := classList()
	f.Unintelligible = true
	f.Breach, f.NotifyAuthority, f.NotifySubjects, f.SubjectsException = "yes", "no", "no", "unintelligible"
	f.BreachReason = "De stick is kwijt; wie hem vindt, heeft de gegevens in handen."
	f.AuthorityReason = "De stick was versleuteld volgens de stand van de techniek; de sleutel is niet gelekt."
	f.SubjectsReason = "Uitzondering i: de gegevens zijn onleesbaar voor wie de stick vindt."
	f.Effects = "Zolang de versleuteling houdt: geen."
	return f
}

// exceptionCase is a case decided on the exception, now closed (the desk
// archived it), as seed 001's example years later.
func (e *env) exceptionCase() int64 {
	e.t.Helper()
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Versleutelde USB-stick met leerlinggegevens kwijt", e.a1))).ID
	e.toAssessment(id)
	must(0, e.svc.Incidents.Decide(e.ctx, e.actors["officer"], id, encryptedStick()))
	if st := e.status(id); st != incident.StatusRecording {
		e.t.Fatalf("after the decision: %s", st)
	}
	must(0, e.store.MoveCase(e.sys, e.orgA, id, incident.StatusRecording, incident.StatusClosed, e.clock.Now()))
	return id
}

func (e *env) review(id int64) (store.ExceptionReview, bool) {
	e.t.Helper()
	r, ok, err := e.svc.Incidents.ExceptionReviewOf(e.ctx, e.actors["officer"], id)
	if err != nil {
		e.t.Fatal(err)
	}
	return r, ok
}

func (e *env) exceptionReminders(id int64) int {
	e.t.Helper()
	n := 0
	for _, r := range must(e.store.Reminders(e.sys, e.orgA, id)) {
		if r.Kind == service.ReminderException {
			n++
		}
	}
	return n
}

// TestExceptionReviewRemindsOnceAYearOn: a decision on an exception gets a
// review a year on; an injected clock just before sends nothing, a year on
// the scan (run twice, and by the worker at start) sends exactly one reminder
// to the officer, in the app and by mail (a real SMTP server). Confirming the
// exception moves the review a year on with a timeline row; the next year
// brings the next reminder, once.
func TestExceptionReviewRemindsOnceAYearOn(t *testing.T) {
	t.Parallel()
	m := newMailEnv(t, mailpit.Options{})
	decidedAt := m.clock.Now()
	id := m.exceptionCase()
	r, ok := m.review(id)
	want := decidedAt.AddDate(1, 0, 0)
	if !ok || !r.DueAt.Equal(want) || r.Exception != "unintelligible" {
		t.Fatalf("review = %+v, %v; want due %s", r, ok, want)
	}

	m.clock.Set(want.Add(-time.Minute))
	must(m.svc.Reminders(m.ctx))
	if n := m.exceptionReminders(id); n != 0 {
		t.Fatalf("a minute before the review date: %d reminders", n)
	}

	m.clock.Set(want.Add(time.Minute))
	for range 2 { // two scans, a minute apart
		must(m.svc.Reminders(m.ctx))
		m.clock.Add(time.Minute)
	}
	startWorkers(t, m.svc, m.store.Pool(), m.sender(), time.Minute) // scans once more at start, then delivers
	if n := m.exceptionReminders(id); n != 1 {
		t.Fatalf("a year on, after three scans: %d reminders, want 1", n)
	}
	m.waitFinal(t, 20*time.Second)
	var got []mailpit.Summary
	for _, s := range m.mp.Messages(t) {
		if strings.Contains(s.Subject, "Herbeoordeling uitzondering") {
			got = append(got, s)
		}
	}
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0].Address != "officer@example.nl" {
		t.Fatalf("review mails = %+v, want one to the officer", got)
	}
	msgs := must(m.svc.Incidents.Messages(m.ctx, m.actors["officer"]))
	if len(msgs) == 0 || !strings.Contains(msgs[0].Body, "onleesbaar") {
		t.Errorf("officer's message in the app: %+v", msgs)
	}

	// Still holds: the review moves a year on, with a timeline row.
	if err := m.svc.Incidents.ExceptionHolds(m.ctx, m.actors["desk"], id, ""); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("the desk confirms: %v, want Forbidden", err)
	}
	must(0, m.svc.Incidents.ExceptionHolds(m.ctx, m.actors["officer"], id, "AES-256, nog steeds niet te kraken."))
	r, _ = m.review(id)
	if next := want.AddDate(1, 0, 0); !r.DueAt.Equal(next) || r.ReviewedAt == nil {
		t.Fatalf("after confirming: %+v, want due %s", r, next)
	}
	if st := m.status(id); st != incident.StatusClosed {
		t.Errorf("status after confirming: %s", st)
	}
	events := must(m.store.Events(m.sys, m.orgA, id))
	last := events[len(events)-1]
	if last.Kind != string(incident.ActExceptionHolds) || !strings.Contains(last.Summary, "geldt nog") ||
		!strings.Contains(last.Summary, want.AddDate(1, 0, 0).Format("02-01-2006")) {
		t.Errorf("timeline row = %+v", last)
	}
	must(m.svc.Reminders(m.ctx))
	if n := m.exceptionReminders(id); n != 1 {
		t.Errorf("after confirming, same day: %d reminders", n)
	}
	m.clock.Set(want.AddDate(1, 0, 0).Add(time.Minute))
	must(m.svc.Reminders(m.ctx))
	must(m.svc.Reminders(m.ctx))
	if n := m.exceptionReminders(id); n != 2 {
		t.Errorf("the next year: %d reminders, want 2 in all", n)
	}
}

// TestExceptionNoLongerHoldsReopensForANewDecision: the encryption is
// broken (seed 001: "drie jaar later ... gekraakt"). The FG records it with
// a reason; the case goes back to step 3, the review ends, and the FG's new
// decision (inform the data subjects) takes the case to step 7.
func TestExceptionNoLongerHoldsReopensForANewDecision(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := e.exceptionCase()
	e.clock.Add(3 * 365 * 24 * time.Hour)

	err := e.svc.Incidents.ExceptionLapsed(e.ctx, officer, id, "kort")
	if ae, ok := apperr.As(err); !ok || ae.Fields["lapse_reason"] == "" {
		t.Fatalf("without a reason: %v", err)
	}
	if err := e.svc.Incidents.ExceptionLapsed(e.ctx, e.actors["board"], id, "De versleuteling is gekraakt."); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("the board: %v, want Forbidden", err)
	}
	must(0, e.svc.Incidents.ExceptionLapsed(e.ctx, officer, id, "Er is een tool verschenen die deze versleuteling kraakt."))
	if st := e.status(id); st != incident.StatusAssessment {
		t.Fatalf("status after 'no longer holds': %s, want assessment", st)
	}
	if _, ok := e.review(id); ok {
		t.Error("the review is still in force")
	}
	if err := e.svc.Incidents.ExceptionHolds(e.ctx, officer, id, ""); err == nil {
		t.Error("confirming an ended exception was allowed")
	}

	f := encryptedStick()
	f.Unintelligible = false
	f.NotifySubjects, f.SubjectsException, f.SubjectsChannel = "yes", "", "individual"
	f.SubjectsReason = "De versleuteling is gekraakt: de ouders moeten het weten."
	f.NoticePlan = "Brief aan de ouders van de leerlingen op de stick."
	f.ChangeReason = "De uitzondering geldt niet meer: de versleuteling is gekraakt."
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, f))
	if st := e.status(id); st != incident.StatusInforming {
		t.Fatalf("after the new decision: %s, want informing (step 7)", st)
	}
	d, ok, err := e.store.Decision(e.sys, e.orgA, id)
	if err != nil || !ok || !d.NotifySubjects || d.SubjectsException != "" {
		t.Errorf("the new decision = %+v", d)
	}
	if _, ok := e.review(id); ok {
		t.Error("a decision to inform the data subjects has a review")
	}
	var kinds []string
	for _, ev := range must(e.store.Events(e.sys, e.orgA, id)) {
		kinds = append(kinds, ev.Kind)
	}
	var versions int
	if err := e.owner.QueryRow(e.ctx, `SELECT count(*) FROM case_assessment_versions WHERE case_id = $1`, id).Scan(&versions); err != nil || versions != 2 {
		t.Errorf("decision versions = %d (%v), want 2: the first decision stays on record", versions, err)
	}
	if j := strings.Join(kinds, " "); !strings.Contains(j, "exception_lapsed assess") {
		t.Errorf("timeline = %s", j)
	}
}

// TestRegisterFiltersExceptions: "uitzondering gebruikt" holds the cases
// whose decision relies on a reviewed exception; "herbeoordeling verlopen"
// those whose review date has passed. Through the store and the service.
func TestRegisterFiltersExceptions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	old := e.exceptionCase()
	e.clock.Add(200 * 24 * time.Hour)
	recent := e.exceptionCase()
	plain := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Mail aan verkeerde ouder", e.a1))).ID
	e.clock.Add(200 * 24 * time.Hour) // old's review (a year) has passed, recent's not

	ids := func(f store.RegisterFilter) []int64 {
		t.Helper()
		f.Scope, f.Now, f.Sort, f.Asc = access.Scope{All: true}, e.clock.Now(), store.SortReported, true
		var out []int64
		for _, x := range must(e.store.Register(e.sys, e.orgA, f)) {
			out = append(out, x.ID)
		}
		return out
	}
	if got := ids(store.RegisterFilter{Exception: "used"}); len(got) != 2 || got[0] != old || got[1] != recent {
		t.Errorf("uitzondering gebruikt = %v, want [%d %d]", got, old, recent)
	}
	if got := ids(store.RegisterFilter{Exception: "review_due"}); len(got) != 1 || got[0] != old {
		t.Errorf("herbeoordeling verlopen = %v, want [%d]", got, old)
	}
	if got := ids(store.RegisterFilter{}); len(got) != 3 || got[2] != plain {
		t.Errorf("no filter = %v", got)
	}
	v := must(e.svc.Incidents.Register(e.ctx, e.actors["desk"], service.RegisterQuery{Exception: "review_due"}))
	if len(v.Entries) != 1 || v.Entries[0].ID != old || !strings.Contains(v.Entries[0].SubjectsText(amsterdam), "Herbeoordeling van de uitzondering op") {
		t.Errorf("service, review_due: %+v", v.Entries)
	}
	if v := must(e.svc.Incidents.Register(e.ctx, e.actors["desk"], service.RegisterQuery{Exception: "x"})); v.Errors["exception"] == "" {
		t.Error("an unknown value is not refused beside the field")
	}
	// Confirmed: the review moves on, and the case is no longer due.
	must(0, e.svc.Incidents.ExceptionHolds(e.ctx, e.actors["officer"], old, ""))
	if got := ids(store.RegisterFilter{Exception: "review_due"}); len(got) != 0 {
		t.Errorf("after confirming: %v", got)
	}
}

// TestExceptionReviewPeriodPerOrganisation: the administrator sets the
// period (validated, Dutch messages); a new decision uses it.
func TestExceptionReviewPeriodPerOrganisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.actors["admin"]
	for typed, want := range map[string]string{"": "Vul het aantal", "twaalf": "heel aantal", "0": "1 tot en met 60", "61": "1 tot en met 60"} {
		err := e.svc.Accounts.SetExceptionReviewMonths(e.ctx, admin, typed)
		if ae, ok := apperr.As(err); !ok || !strings.Contains(ae.Fields["review_months"], want) {
			t.Errorf("%q: %v, want %q", typed, err, want)
		}
	}
	if err := e.svc.Accounts.SetExceptionReviewMonths(e.ctx, e.actors["officer"], "6"); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("the officer sets the period: %v", err)
	}
	must(0, e.svc.Accounts.SetExceptionReviewMonths(e.ctx, admin, " 6 "))
	if m := must(e.svc.Accounts.ExceptionReviewMonths(e.ctx, admin)); m != 6 {
		t.Fatalf("period = %d", m)
	}
	at := e.clock.Now()
	id := e.exceptionCase()
	if r, ok := e.review(id); !ok || !r.DueAt.Equal(at.AddDate(0, 6, 0)) {
		t.Errorf("review = %+v, want six months on", r)
	}
	if m := must(e.store.ExceptionReviewMonths(e.sys, e.orgB)); m != incident.DefaultReviewMonths {
		t.Errorf("the other organisation's period changed: %d", m)
	}
}
