package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/internal/testdb"
)

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// TestQueriesNeverCrossOrganisations: every read of a case filters by the
// organisation, and the schema refuses links across organisations.
func TestQueriesNeverCrossOrganisations(t *testing.T) {
	t.Parallel()
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	st := store.New(testdb.New(t))
	id := must[int64](t)
	orgA := id(st.CreateOrganisation(ctx, "A"))
	orgB := id(st.CreateOrganisation(ctx, "B"))
	schoolA := id(st.CreateSchool(ctx, orgA, "School A"))
	schoolB := id(st.CreateSchool(ctx, orgB, "School B"))
	userA := id(st.CreateUser(ctx, orgA, "a@example.nl", "A"))
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

	var caseA int64
	err := st.Transact(ctx, func(q *store.Queries) error {
		n, err := q.NextNumber(ctx, orgA, 2026)
		if err != nil {
			return err
		}
		caseA, err = q.InsertCase(ctx, store.NewCase{OrganisationID: orgA, Number: n, ReporterID: userA,
			SubmissionKey: "6f1c1e6e-0000-4000-8000-000000000001", ReportedAt: now,
			Report: incident.Report{WhatHappened: "x", SchoolID: &schoolA, PersonalData: incident.Unknown, Ongoing: incident.Unknown}})
		if err != nil {
			return err
		}
		return q.AddEvent(ctx, store.NewEvent{OrganisationID: orgA, CaseID: caseA, At: now, ActorID: &userA, Kind: "reported", Summary: "x"})
	})
	if err != nil {
		t.Fatal(err)
	}

	if _, err := st.Case(ctx, orgB, caseA); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("case of A read as B: %v", err)
	}
	if ev, err := st.Events(ctx, orgB, caseA); err != nil || len(ev) != 0 {
		t.Errorf("timeline of A read as B: %v %v", ev, err)
	}
	if list, err := st.CasesInStatus(ctx, orgB, access.Scope{All: true}, incident.StatusNew); err != nil || len(list) != 0 {
		t.Errorf("inbox of B shows %v %v", list, err)
	}
	if list, err := st.CasesByReporter(ctx, orgB, userA); err != nil || len(list) != 0 {
		t.Errorf("reporter list across organisations: %v %v", list, err)
	}
	if _, err := st.UserInOrg(ctx, orgB, userA); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("user of A read as B: %v", err)
	}
	if err := st.RenameSchool(ctx, orgB, schoolA, "Gekaapt"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("rename A's school as B: %v", err)
	}

	// The schema itself refuses a case of A at B's school, and a role of A for B's school.
	_, err = st.InsertCase(ctx, store.NewCase{OrganisationID: orgA, Number: incident.Number{Year: 2026, Seq: 99}, ReporterID: userA,
		SubmissionKey: "6f1c1e6e-0000-4000-8000-000000000002", ReportedAt: now,
		Report: incident.Report{WhatHappened: "x", SchoolID: &schoolB, PersonalData: incident.Unknown, Ongoing: incident.Unknown}})
	if !apperr.Is(err, apperr.Invalid) {
		t.Errorf("case at another organisation's school: %v, want Invalid", err)
	}
	if err := st.SetGrants(ctx, orgA, userA, []access.Grant{{Role: access.Desk, Schools: []int64{schoolB}}}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("role for another organisation's school: %v, want Invalid", err)
	}
	if err := execSQL(ctx, st, `INSERT INTO case_events (organisation_id, case_id, at, kind, summary) VALUES ($1, $2, now(), 'x', 'x')`, orgB, caseA); err == nil {
		t.Error("a timeline row of B on A's case was accepted")
	}
}

// execSQL runs one statement as the application does: as the runtime role,
// in a transaction of ctx's scope (the tests' store.System).
func execSQL(ctx context.Context, st *store.Store, sql string, args ...any) error {
	return st.Transact(ctx, func(q *store.Queries) error {
		_, err := q.Tx().Exec(ctx, sql, args...)
		return err
	})
}
