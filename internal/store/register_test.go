package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/internal/testdb"
)

// TestRegisterBatchesStreamsEveryEntryOnce: the export's cursor hands over
// every case of the filter exactly once, in the page's order, in batches of
// the size asked, and none of another organisation or school.
func TestRegisterBatchesStreamsEveryEntryOnce(t *testing.T) {
	t.Parallel()
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	st := store.New(testdb.New(t))
	id := must[int64](t)
	org := id(st.CreateOrganisation(ctx, "A"))
	other := id(st.CreateOrganisation(ctx, "B"))
	s1 := id(st.CreateSchool(ctx, org, "School 1"))
	s2 := id(st.CreateSchool(ctx, org, "School 2"))
	sb := id(st.CreateSchool(ctx, other, "School B"))
	ua := id(st.CreateUser(ctx, org, "a@example.nl", "A"))
	ub := id(st.CreateUser(ctx, other, "b@example.nl", "B"))
	base := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	report := func(o, u, school int64, i int) int64 {
		var cid int64
		err := st.Transact(ctx, func(q *store.Queries) error {
			n, err := q.NextNumber(ctx, o, 2026)
			if err != nil {
				return err
			}
			cid, err = q.InsertCase(ctx, store.NewCase{OrganisationID: o, Number: n, ReporterID: u,
				SubmissionKey: fmt.Sprintf("6f1c1e6e-0000-4000-8000-%012d", o*1000+int64(i)), ReportedAt: base.Add(time.Duration(i%4) * time.Minute),
				Report: incident.Report{WhatHappened: "x", SchoolID: &school, PersonalData: incident.Unknown, Ongoing: incident.Unknown}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return cid
	}
	var inS1 []int64
	for i := range 11 {
		school := s1
		if i%3 == 0 {
			school = s2
		}
		cid := report(org, ua, school, i)
		if school == s1 {
			inS1 = append(inS1, cid)
		}
	}
	report(other, ub, sb, 1)

	collect := func(f store.RegisterFilter) (ids []int64, sizes []int) {
		t.Helper()
		err := st.RegisterBatches(ctx, org, f, 3, func(b []incident.RegisterEntry) error {
			sizes = append(sizes, len(b))
			for _, e := range b {
				ids = append(ids, e.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return ids, sizes
	}
	all := access.Scope{All: true}
	ids, sizes := collect(store.RegisterFilter{Scope: all, Sort: store.SortReported})
	page, err := st.Register(ctx, org, store.RegisterFilter{Scope: all, Sort: store.SortReported, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int64, len(page))
	for i, e := range page {
		want[i] = e.ID
	}
	if fmt.Sprint(ids) != fmt.Sprint(want) || fmt.Sprint(sizes) != "[3 3 3 2]" {
		t.Errorf("batches %v of %v, want %v in [3 3 3 2]", sizes, ids, want)
	}
	ids, _ = collect(store.RegisterFilter{Scope: access.Scope{Schools: []int64{s1}}, Sort: store.SortNumber, Asc: true})
	if fmt.Sprint(ids) != fmt.Sprint(inS1) {
		t.Errorf("school scope, by number: %v, want %v", ids, inS1)
	}
	if ids, sizes := collect(store.RegisterFilter{Scope: access.Scope{Schools: []int64{sb}}, Sort: store.SortReported}); len(ids) != 0 || len(sizes) != 0 {
		t.Errorf("another organisation's school: %v", ids)
	}
	if n, err := st.RegisterCount(ctx, org, store.RegisterFilter{Scope: all}); err != nil || n != 11 {
		t.Errorf("count %d %v, want 11", n, err)
	}
}
