package service_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

// registerCase reports a case for the register tests and returns its id.
func (e *env) registerCase(what string, school int64) int64 {
	e.t.Helper()
	return must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form(what, school))).ID
}

// exec runs fixture SQL.
func (e *env) exec(sql string, args ...any) {
	e.t.Helper()
	if _, err := e.owner.Exec(e.ctx, sql, args...); err != nil {
		e.t.Fatal(err)
	}
}

// notified records the initial AP notification sent the given time after
// the case was reported, and marks the case a breach.
func (e *env) notified(id int64, number string, after time.Duration) {
	e.t.Helper()
	e.exec(`UPDATE cases SET outcome = 'breach' WHERE id = $1`, id)
	e.exec(`UPDATE case_assessments SET notify_authority = true WHERE case_id = $1`, id)
	e.exec(`INSERT INTO case_notifications (organisation_id, case_id, kind, number, sent_at, recorded_at, recorded_by)
		SELECT organisation_id, id, 'initial', $2, reported_at + $3::interval, now(), $4 FROM cases WHERE id = $1`,
		id, number, fmt.Sprintf("%d seconds", int(after.Seconds())), e.actors["officer"].UserID)
}

func entryOf(t *testing.T, v service.RegisterView, id int64) incident.RegisterEntry {
	t.Helper()
	for _, en := range v.Entries {
		if en.ID == id {
			return en
		}
	}
	t.Fatalf("case %d not in the register (%d entries)", id, len(v.Entries))
	return incident.RegisterEntry{}
}

func ids(v service.RegisterView) []int64 {
	out := make([]int64, len(v.Entries))
	for i, en := range v.Entries {
		out[i] = en.ID
	}
	return out
}

func TestRegisterShowsEveryCaseWithItsDecisions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk := e.actors["desk"]

	// Closed in step 2 as no incident, with the reason.
	phish := e.registerCase("Verdachte mail ontvangen", e.a1)
	must(0, e.svc.Incidents.StartInventory(e.ctx, desk, phish))
	must(0, e.svc.Incidents.CloseNoBreach(e.ctx, desk, phish, service.CloseForm{Outcome: "no_incident",
		Reason: "Alleen een verdachte mail ontvangen; niemand heeft geklikt."}))
	must(0, e.svc.Incidents.ConfirmNoBreach(e.ctx, e.actors["officer"], phish))
	e.clock.Add(time.Hour)

	// A breach notified in time, with its meldingsnummer.
	onTime := e.registerCase("Laptop met cijferlijsten gestolen", e.a1)
	e.decided(onTime, true, "Mogelijk misbruik van cijfers", incident.StatusNotification)
	e.notified(onTime, "M-2026-0042", 10*time.Hour)
	e.clock.Add(time.Hour)

	// A breach notified after 80 hours.
	late := e.registerCase("Adreslijst naar verkeerde ouders gemaild", e.a2)
	e.decided(late, true, "Adressen bij derden", incident.StatusNotification)
	e.notified(late, "M-2026-0043", 80*time.Hour)
	e.clock.Add(time.Hour)

	// A breach the officer decided not to notify, nor to inform subjects about.
	notNotified := e.registerCase("Versleutelde USB-stick verloren", e.a1)
	e.decided(notNotified, true, "Geen", incident.StatusRecording)
	e.exec(`UPDATE cases SET outcome = 'breach' WHERE id = $1`, notNotified)
	e.exec(`UPDATE case_assessments SET authority_reason = 'Versleuteld volgens de stand van de techniek',
		subjects_reason = 'Geen risico voor betrokkenen' WHERE case_id = $1`, notNotified)
	e.clock.Add(time.Hour)

	// Just reported: everything still open.
	fresh := e.registerCase("Wachtwoord op een briefje", e.a2)

	v := must(e.svc.Incidents.Register(e.ctx, e.actors["officer"], service.RegisterQuery{}))
	if got := ids(v); len(got) != 5 || got[0] != fresh || got[4] != phish {
		t.Fatalf("register ids = %v, want 5 newest first", got)
	}
	if v.Next != "" {
		t.Errorf("next cursor %q on a single page", v.Next)
	}

	p := entryOf(t, v, phish)
	if p.Outcome != incident.OutcomeNoIncident || !strings.Contains(p.OutcomeReason, "niemand heeft geklikt") || p.Status != incident.StatusClosed {
		t.Errorf("closed in step 2: %+v", p)
	}
	if p.APNotifiedAt != nil || p.APDecided || p.APLate != nil {
		t.Errorf("closed in step 2 shows an AP decision: %+v", p)
	}

	o := entryOf(t, v, onTime)
	if o.APNotifiedAt == nil || o.APNumber != "M-2026-0042" || o.APLate == nil || *o.APLate {
		t.Errorf("notified in time: number %q at %v late %v", o.APNumber, o.APNotifiedAt, o.APLate)
	}
	if o.Outcome != incident.OutcomeBreach || o.What != goodInventory().Summary || len(o.DataKinds) != 1 || o.DataKinds[0] != "contact" {
		t.Errorf("breach entry: outcome %q what %q kinds %v (want the inventory's)", o.Outcome, o.What, o.DataKinds)
	}
	l := entryOf(t, v, late)
	if l.APNumber != "M-2026-0043" || l.APLate == nil || !*l.APLate {
		t.Errorf("late notification not marked late: %+v", l)
	}
	n := entryOf(t, v, notNotified)
	if n.APNotifiedAt != nil || !n.APDecided || n.APNotify || n.APReason != "Versleuteld volgens de stand van de techniek" ||
		n.SubjectsSentAt != nil || !n.SubjectsDecided || n.SubjectsReason != "Geen risico voor betrokkenen" {
		t.Errorf("not notified: %+v", n)
	}
	f := entryOf(t, v, fresh)
	if f.Outcome != incident.OutcomeNone || f.APDecided || f.What != "Wachtwoord op een briefje" {
		t.Errorf("fresh case: %+v", f)
	}

	// Filters: school, breach, status, period.
	q := func(rq service.RegisterQuery) []int64 {
		t.Helper()
		v := must(e.svc.Incidents.Register(e.ctx, e.actors["desk"], rq))
		if len(v.Errors) > 0 {
			t.Fatalf("filter %+v: errors %v", rq, v.Errors)
		}
		return ids(v)
	}
	eq := func(name string, got []int64, want ...int64) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	eq("school A2", q(service.RegisterQuery{School: strconv.FormatInt(e.a2, 10)}), fresh, late)
	eq("breach yes", q(service.RegisterQuery{Breach: "yes"}), notNotified, late, onTime)
	eq("breach no", q(service.RegisterQuery{Breach: "no"}), phish)
	eq("breach open", q(service.RegisterQuery{Breach: "open"}), fresh)
	eq("status closed", q(service.RegisterQuery{Status: "closed"}), phish)
	eq("breach in A1", q(service.RegisterQuery{Breach: "yes", School: strconv.FormatInt(e.a1, 10)}), notNotified, onTime)
	today := e.clock.Now().In(amsterdam).Format("2006-01-02")
	eq("period today", q(service.RegisterQuery{From: today, To: today}), fresh, notNotified, late, onTime, phish)
	eq("period before", q(service.RegisterQuery{To: "2026-11-22"}))
	if v := must(e.svc.Incidents.Register(e.ctx, e.actors["desk"], service.RegisterQuery{From: "gisteren", Status: "bogus"})); v.Errors["from"] == "" || v.Errors["status"] == "" {
		t.Errorf("bad filters: %v", v.Errors)
	}

	// Dutch full-text search over the report and the inventory texts.
	// "USB-stick" is in the report of notNotified and in the inventory
	// summary of the three decided cases (goodInventory), not in the others.
	eq("stick", q(service.RegisterQuery{Text: "stick"}), notNotified, late, onTime)
	eq("laptops", q(service.RegisterQuery{Text: "laptops"}), onTime)
	eq("wachtwoorden", q(service.RegisterQuery{Text: "wachtwoorden"}), fresh)
	eq("mail and filter", q(service.RegisterQuery{Text: "mail", Breach: "no"}), phish)
	eq("nothing", q(service.RegisterQuery{Text: "fiets"}))
	eq("injection is text", q(service.RegisterQuery{Text: "'); DROP TABLE cases; --"}))
}

func TestRegisterPagesWithAKeyset(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want := map[int64]bool{}
	for i := range 120 {
		want[e.registerCase(fmt.Sprintf("Melding nummer %d", i), e.a1)] = true
		if i%3 == 0 { // several cases share a moment: the id breaks the tie
			e.clock.Add(time.Minute)
		}
	}
	officer := e.actors["officer"]
	seen := map[int64]bool{}
	var pages []int
	var prev *incident.RegisterEntry
	rq := service.RegisterQuery{}
	for range 10 {
		v := must(e.svc.Incidents.Register(e.ctx, officer, rq))
		pages = append(pages, len(v.Entries))
		for _, en := range v.Entries {
			if seen[en.ID] {
				t.Fatalf("case %d on two pages", en.ID)
			}
			seen[en.ID] = true
			if prev != nil && (en.ReportedAt.After(prev.ReportedAt) || en.ReportedAt.Equal(prev.ReportedAt) && en.ID > prev.ID) {
				t.Fatalf("not newest first: %d after %d", en.ID, prev.ID)
			}
			prev = &en
		}
		if v.Next == "" {
			break
		}
		rq.Cursor = v.Next
	}
	if fmt.Sprint(pages) != "[50 50 20]" {
		t.Errorf("page sizes %v, want [50 50 20]", pages)
	}
	if len(seen) != len(want) {
		t.Errorf("saw %d cases, want %d", len(seen), len(want))
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("case %d missing", id)
		}
	}
	// The filters travel with the cursor.
	v := must(e.svc.Incidents.Register(e.ctx, officer, service.RegisterQuery{Text: "melding", School: strconv.FormatInt(e.a1, 10)}))
	v2 := must(e.svc.Incidents.Register(e.ctx, officer, service.RegisterQuery{Text: "melding", School: strconv.FormatInt(e.a1, 10), Cursor: v.Next}))
	if len(v.Entries) != 50 || len(v2.Entries) != 50 || v2.Entries[0].ID == v.Entries[49].ID {
		t.Errorf("filtered pages: %d then %d", len(v.Entries), len(v2.Entries))
	}
	if _, err := e.svc.Incidents.Register(e.ctx, officer, service.RegisterQuery{Cursor: "x"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad cursor: %v", err)
	}
}

func TestRegisterAuthorisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	inA1 := e.registerCase("Laptop kwijt in A1", e.a1)
	inA2 := e.registerCase("Laptop kwijt in A2", e.a2)
	inB := must(e.svc.Incidents.Report(e.ctx, e.user("staff_b", e.orgB), e.form("Laptop kwijt in B1", e.b1))).ID

	for _, who := range []string{"desk", "officer", "board"} {
		v, err := e.svc.Incidents.Register(e.ctx, e.actors[who], service.RegisterQuery{})
		if err != nil {
			t.Errorf("%s: %v", who, err)
			continue
		}
		if got := fmt.Sprint(ids(v)); got != fmt.Sprint([]int64{inA2, inA1}) {
			t.Errorf("%s sees %s, want both cases of org A only", who, got)
		}
	}
	for _, who := range []string{"staff", "technician", "admin", "admin_b"} {
		if _, err := e.svc.Incidents.Register(e.ctx, e.actors[who], service.RegisterQuery{}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("%s: %v, want Forbidden", who, err)
		}
	}
	if _, err := e.svc.Incidents.Register(e.ctx, nil, service.RegisterQuery{}); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("nobody: %v", err)
	}
	if v := must(e.svc.Incidents.Register(e.ctx, e.actors["desk_b"], service.RegisterQuery{})); fmt.Sprint(ids(v)) != fmt.Sprint([]int64{inB}) {
		t.Errorf("other organisation sees %v, want only its own case", ids(v))
	}
	// Filtering on another organisation's school shows nothing of it.
	if v := must(e.svc.Incidents.Register(e.ctx, e.actors["desk_b"], service.RegisterQuery{School: strconv.FormatInt(e.a1, 10)})); len(v.Entries) != 1 || v.Errors["school"] == "" {
		t.Errorf("school of another organisation: %v, errors %v", ids(v), v.Errors)
	}
	v := must(e.svc.Incidents.Register(e.ctx, e.actors["desk_a1"], service.RegisterQuery{}))
	if fmt.Sprint(ids(v)) != fmt.Sprint([]int64{inA1}) || len(v.Schools) != 1 || v.Schools[0].ID != e.a1 {
		t.Errorf("school-limited desk sees %v, schools %v", ids(v), v.Schools)
	}
	if v := must(e.svc.Incidents.Register(e.ctx, e.actors["desk_a1"], service.RegisterQuery{School: strconv.FormatInt(e.a2, 10)})); fmt.Sprint(ids(v)) != fmt.Sprint([]int64{inA1}) || v.Errors["school"] == "" {
		t.Errorf("school-limited desk asking for A2: %v %v", ids(v), v.Errors)
	}
}
