package service_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

func (e *env) form(what string, school int64) incident.ReportForm {
	f := incident.ReportForm{SubmissionKey: uuid.NewString(), WhatHappened: what}
	if school != 0 {
		f.School = strconv.FormatInt(school, 10)
	}
	return f
}

func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.owner.QueryRow(e.ctx, sql, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestReportCreatesCaseWithTimeline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff := e.actors["staff"]
	f := e.form("USB-stick met adressen van klas 3b verloren", e.a1)
	f.OccurredFrom = "2026-11-22T08:15"
	f.DiscoveredAt = "2026-11-23T09:00"
	f.Carriers = []string{"usb"}
	f.PersonalData = "yes"
	f.DataKinds = []string{"contact"}
	f.SubjectGroups = []string{"students", "parents"}
	f.SubjectsEstimate = "28"
	f.Ongoing = "no"
	f.ContactPhone = "06-12345678"

	res, err := e.svc.Incidents.Report(e.ctx, staff, f)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Number.String(), "2026-0001"; got != want || res.Again {
		t.Fatalf("number %s again=%v, want %s, false", got, res.Again, want)
	}
	v, err := e.svc.Incidents.Case(e.ctx, staff, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := v.Case
	if c.Status != incident.StatusNew || c.SchoolName != "School A1" || c.ReporterID != staff.UserID {
		t.Errorf("case = status %s school %q reporter %d", c.Status, c.SchoolName, c.ReporterID)
	}
	r := c.Report
	if r.WhatHappened != f.WhatHappened || r.PersonalData != incident.Yes || r.Ongoing != incident.No ||
		r.SubjectsEstimate == nil || *r.SubjectsEstimate != 28 || len(r.SubjectGroups) != 2 || r.Carriers[0] != "usb" ||
		r.ContactPhone != "06-12345678" {
		t.Errorf("report stored wrongly: %+v", r)
	}
	wantFrom := time.Date(2026, 11, 22, 8, 15, 0, 0, amsterdam)
	if r.OccurredFrom == nil || !r.OccurredFrom.Equal(wantFrom) {
		t.Errorf("occurred_from = %v, want %v", r.OccurredFrom, wantFrom)
	}
	if len(v.Events) != 1 || v.Events[0].Kind != incident.EventReported || v.Events[0].ActorID == nil ||
		*v.Events[0].ActorID != staff.UserID || !v.Events[0].At.Equal(e.clock.Now()) {
		t.Errorf("timeline = %+v, want one 'reported' event by the reporter at the report time", v.Events)
	}
}

func TestReportNumbersPerOrganisationAndYear(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	report := func(actor string) string {
		t.Helper()
		res, err := e.svc.Incidents.Report(e.ctx, e.actors[actor], e.form("iets", 0))
		if err != nil {
			t.Fatal(err)
		}
		return res.Number.String()
	}
	if got := report("staff"); got != "2026-0001" {
		t.Errorf("first of A = %s", got)
	}
	if got := report("staff2"); got != "2026-0002" {
		t.Errorf("second of A = %s", got)
	}
	if got := report("desk_b"); got != "2026-0001" {
		t.Errorf("first of B = %s, want its own counter", got)
	}
	// 31 December 23:30 UTC is already 1 January in Amsterdam: a new year, a new counter.
	e.clock.Set(time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC))
	if got := report("staff"); got != "2027-0001" {
		t.Errorf("first of 2027 (Amsterdam) = %s", got)
	}
}

func TestConcurrentReportsGetDistinctNumbers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const n = 25
	var wg sync.WaitGroup
	numbers := make(chan string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			actor := e.actors[[]string{"staff", "staff2", "desk", "officer"}[i%4]]
			res, err := e.svc.Incidents.Report(e.ctx, actor, e.form(fmt.Sprintf("melding %d", i), 0))
			if err != nil {
				t.Error(err)
				return
			}
			numbers <- res.Number.String()
		}()
	}
	wg.Wait()
	close(numbers)
	seen := map[string]bool{}
	for num := range numbers {
		if seen[num] {
			t.Errorf("number %s handed out twice", num)
		}
		seen[num] = true
	}
	for i := 1; i <= n; i++ {
		if want := fmt.Sprintf("2026-%04d", i); !seen[want] {
			t.Errorf("number %s missing: numbering has a gap", want)
		}
	}
	if got := e.count(`SELECT count(*) FROM case_events WHERE kind = 'reported'`); got != n {
		t.Errorf("%d timeline rows, want %d", got, n)
	}
}

func TestSubmittingTheSameFormTwiceCreatesOneCase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff := e.actors["staff"]
	f := e.form("laptop gestolen uit de auto", e.a2)
	first, err := e.svc.Incidents.Report(e.ctx, staff, f)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.svc.Incidents.Report(e.ctx, staff, f)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID || !again.Again || first.Again {
		t.Errorf("second submit = %+v, want the first case %+v marked Again", again, first)
	}

	// A double click: the same form, many times at once.
	g := e.form("dubbelklik", 0)
	var wg sync.WaitGroup
	ids := make(chan int64, 10)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := e.svc.Incidents.Report(e.ctx, staff, g)
			if err != nil {
				t.Error(err)
				return
			}
			ids <- res.ID
		}()
	}
	wg.Wait()
	close(ids)
	var id0 int64
	for id := range ids {
		if id0 == 0 {
			id0 = id
		}
		if id != id0 {
			t.Errorf("concurrent submits created cases %d and %d", id0, id)
		}
	}
	if got := e.count(`SELECT count(*) FROM cases`); got != 2 {
		t.Errorf("%d cases, want 2", got)
	}
	if got := e.count(`SELECT count(*) FROM case_events`); got != 2 {
		t.Errorf("%d timeline rows, want 2", got)
	}
	if got := e.count(`SELECT last FROM case_counters WHERE organisation_id = $1`, e.orgA); got != 2 {
		t.Errorf("counter at %d, want 2 (no numbers burnt by duplicates)", got)
	}
}

func TestInvalidReportStoresNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.form("   ", e.b1)            // school of another organisation
	f.OccurredFrom = "2026-11-24T10:00" // tomorrow
	f.PersonalData = "misschien"
	f.SubjectsEstimate = "een stuk of dertig"
	_, err := e.svc.Incidents.Report(e.ctx, e.actors["staff"], f)
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.Invalid {
		t.Fatalf("err = %v, want Invalid", err)
	}
	for _, field := range []string{"what_happened", "school", "occurred_from", "personal_data", "subjects_estimate"} {
		if ae.Fields[field] == "" {
			t.Errorf("no message for %s; got %v", field, ae.Fields)
		}
	}
	if got := e.count(`SELECT count(*) FROM cases`); got != 0 {
		t.Errorf("%d cases after a refused report", got)
	}
	if got := e.count(`SELECT count(*) FROM case_counters`); got != 0 {
		t.Errorf("a number was handed out for a refused report")
	}
}

func TestMineShowsOnlyOwnCases(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mine := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("van mij", e.a1)))
	must(e.svc.Incidents.Report(e.ctx, e.actors["staff2"], e.form("van een collega", e.a1)))
	must(e.svc.Incidents.Report(e.ctx, e.actors["desk_b"], e.form("ander bestuur", e.b1)))
	list, err := e.svc.Incidents.Mine(e.ctx, e.actors["staff"])
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != mine.ID || list[0].Status != incident.StatusNew {
		t.Errorf("mine = %+v, want only case %d", list, mine.ID)
	}
}

func TestInboxIsNewestFirstAndScoped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c1 := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("A1 eerst", e.a1)))
	e.clock.Add(time.Hour)
	c2 := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("A2 daarna", e.a2)))
	e.clock.Add(time.Hour)
	c3 := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("bestuursbureau", 0)))
	must(e.svc.Incidents.Report(e.ctx, e.actors["admin_b"], e.form("ander bestuur", e.b1)))

	ids := func(actor string) []int64 {
		list, err := e.svc.Incidents.Inbox(e.ctx, e.actors[actor])
		if err != nil {
			t.Fatalf("inbox of %s: %v", actor, err)
		}
		var out []int64
		for _, s := range list {
			out = append(out, s.ID)
		}
		return out
	}
	if got, want := fmt.Sprint(ids("desk")), fmt.Sprint([]int64{c3.ID, c2.ID, c1.ID}); got != want {
		t.Errorf("desk inbox = %s, want %s (newest first, own organisation only)", got, want)
	}
	if got, want := fmt.Sprint(ids("desk_a1")), fmt.Sprint([]int64{c1.ID}); got != want {
		t.Errorf("school-limited desk inbox = %s, want %s", got, want)
	}
	if got := ids("desk_b"); len(got) != 1 {
		t.Errorf("desk of B sees %v, want only B's case", got)
	}
}
