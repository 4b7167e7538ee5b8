package service_test

import (
	"slices"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/sqlcount"
	"github.com/lekwacht/lekwacht/internal/store"
)

// The work lists come in keyset pages of 50 in the order of the cases'
// 72 hours, with the list's total and cursors both ways; every case is on
// exactly one page, and "Vorige" brings back the page before.
func TestWorklistPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const n = 2*service.WorkPageSize + 10
	var all []int64
	for i := range n {
		school := e.a1
		if i%2 == 1 {
			school = e.a2
		}
		all = append(all, must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("melding", school))).ID)
		e.clock.Add(time.Minute)
	}
	desk := e.actors["desk"]
	page := func(cursor string) service.Worklist {
		t.Helper()
		return must(e.svc.Incidents.WorklistAt(e.ctx, desk, map[string]string{service.WorkDesk: cursor}))
	}
	ids := func(items []incident.WorkItem) []int64 {
		var out []int64
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out
	}

	p1 := page("")
	pg1 := p1.Paging[service.WorkDesk]
	if len(p1.Desk) != service.WorkPageSize || pg1.Total != n || pg1.Prev != "" || pg1.Next == "" {
		t.Fatalf("first page: %d items, paging %+v", len(p1.Desk), pg1)
	}
	if !slices.Equal(ids(p1.Desk), all[:service.WorkPageSize]) {
		t.Errorf("first page is not the 50 nearest deadlines: %v", ids(p1.Desk))
	}
	p2 := page(pg1.Next)
	pg2 := p2.Paging[service.WorkDesk]
	if !slices.Equal(ids(p2.Desk), all[service.WorkPageSize:2*service.WorkPageSize]) || pg2.Prev == "" || pg2.Next == "" {
		t.Fatalf("second page: %v, paging %+v", ids(p2.Desk), pg2)
	}
	p3 := page(pg2.Next)
	pg3 := p3.Paging[service.WorkDesk]
	if !slices.Equal(ids(p3.Desk), all[2*service.WorkPageSize:]) || pg3.Next != "" || pg3.Prev == "" || pg3.Total != n {
		t.Fatalf("last page: %v, paging %+v", ids(p3.Desk), pg3)
	}
	back := page(pg3.Prev)
	if !slices.Equal(ids(back.Desk), ids(p2.Desk)) || back.Paging[service.WorkDesk].Next == "" || back.Paging[service.WorkDesk].Prev == "" {
		t.Errorf("back from the last page: %v, paging %+v", ids(back.Desk), back.Paging[service.WorkDesk])
	}
	first := page(back.Paging[service.WorkDesk].Prev)
	if !slices.Equal(ids(first.Desk), ids(p1.Desk)) || first.Paging[service.WorkDesk].Prev != "" || first.Paging[service.WorkDesk].Next == "" {
		t.Errorf("back to the first page: %v, paging %+v", ids(first.Desk), first.Paging[service.WorkDesk])
	}
	// A cursor that does not parse shows the first page; one past every case too.
	if got := page("n12-x"); !slices.Equal(ids(got.Desk), ids(p1.Desk)) {
		t.Errorf("bad cursor: %v", ids(got.Desk))
	}
	past := service.FormatWorkCursor(true, store.WorkKey{ClockStart: e.clock.Now().Add(time.Hour), ID: 1 << 40})
	if got := page(past); !slices.Equal(ids(got.Desk), ids(p1.Desk)) {
		t.Errorf("cursor past every case: %v", ids(got.Desk))
	}
	// The totals follow the scope: the desk of school A1 has half of them.
	if got := must(e.svc.Incidents.Worklist(e.ctx, e.actors["desk_a1"])).Paging[service.WorkDesk]; got.Total != n/2 {
		t.Errorf("desk of A1: total %d, want %d", got.Total, n/2)
	}
}

// A user with several roles gets all lists in one round trip to the
// database: one statement for the pages of every list, one for their totals.
func TestWorklistOneRoundTripForAllRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("melding", e.a1)))
	all := e.user("all_roles", e.orgA, access.Grant{Role: access.Officer}, access.Grant{Role: access.Desk},
		access.Grant{Role: access.Board}, access.Grant{Role: access.Technician})
	ctx, c := sqlcount.WithCounter(e.ctx)
	w := must(e.svc.Incidents.Worklist(ctx, all))
	// The batch starts with the organisation's set_config (row-level
	// security): one statement more, in the same round trip.
	if c.RoundTrips() != 1 || c.Statements() != 3 {
		t.Errorf("work lists of four roles: %d statements in %d round trips, want 3 in 1:\n%s", c.Statements(), c.RoundTrips(), c)
	}
	if len(w.Desk) != 1 || len(w.Paging) != 5 || w.Paging[service.WorkDesk].Total != 1 || w.Paging[service.WorkOfficer].Total != 0 {
		t.Errorf("desk %d, paging %+v", len(w.Desk), w.Paging)
	}
}

// Cursors come from the address bar: only the exact form FormatWorkCursor
// writes is read, anything else is no cursor.
func FuzzParseWorkCursor(f *testing.F) {
	for _, s := range []string{"", "n1764583200000000-12", "v1764583200000000-12", "n-1-1", "n1-0", "x1-1", "n+1-1", "n01-1",
		"n9223372036854775807-9223372036854775807", "v1-", "n1--1", "n-9223372036854775808-1", "n32503680000000001-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		after, before, ok := service.ParseWorkCursor(s)
		if !ok {
			if after != nil || before != nil {
				t.Fatalf("%q: not ok but keys %v %v", s, after, before)
			}
			return
		}
		if (after == nil) == (before == nil) {
			t.Fatalf("%q: after %v, before %v: want exactly one", s, after, before)
		}
		k := after
		if k == nil {
			k = before
		}
		if k.ClockStart.Year() < 1970 || k.ClockStart.Year() >= 3000 {
			t.Fatalf("%q: a moment PostgreSQL may refuse: %s", s, k.ClockStart)
		}
		if k.ID <= 0 {
			t.Fatalf("%q: id %d", s, k.ID)
		}
		if back := service.FormatWorkCursor(after != nil, *k); back != s {
			t.Fatalf("%q reads as %v and writes back as %q", s, k, back)
		}
	})
}
