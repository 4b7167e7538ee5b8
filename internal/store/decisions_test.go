package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/assessment"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/internal/testdb"
)

// oneCase is a store with one reported case of an organisation and its user.
func oneCase(t *testing.T) (st *store.Store, org, user, caseID int64) {
	t.Helper()
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	st = store.New(testdb.New(t))
	id := must[int64](t)
	org = id(st.CreateOrganisation(ctx, "Bestuur"))
	school := id(st.CreateSchool(ctx, org, "School"))
	user = id(st.CreateUser(ctx, org, "fg@example.nl", "De FG"))
	err := st.Transact(ctx, func(q *store.Queries) error {
		n, err := q.NextNumber(ctx, org, 2026)
		if err != nil {
			return err
		}
		caseID, err = q.InsertCase(ctx, store.NewCase{OrganisationID: org, Number: n, ReporterID: user,
			SubmissionKey: "6f1c1e6e-0000-4000-8000-00000000000a", ReportedAt: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
			Report: incident.Report{WhatHappened: "x", SchoolID: &school, PersonalData: incident.Unknown, Ongoing: incident.Unknown}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, org, user, caseID
}

func decision(breach bool) (incident.Decision, incident.DecisionReasons) {
	d := incident.Decision{Breach: breach, SubjectsChannel: "none"}
	r := incident.DecisionReasons{Breach: "Reden " + map[bool]string{true: "ja", false: "nee"}[breach]}
	if !breach {
		d.NotifyAuthority, d.NotifySubjects = false, false
	}
	return d, r
}

// TestDecisionVersionsAreNumberedAndKept: every save is the next version;
// the earlier ones stay as they were, and cannot be changed or removed.
func TestDecisionVersionsAreNumberedAndKept(t *testing.T) {
	t.Parallel()
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	st, org, user, id := oneCase(t)
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	if v, err := st.DecisionVersion(ctx, org, id); err != nil || v != 0 {
		t.Fatalf("version before any decision = %d, %v", v, err)
	}
	for i, breach := range []bool{false, true, true} {
		d, r := decision(breach)
		if i > 0 {
			r.Change = "Nieuwe feiten, ronde " + string(rune('0'+i))
		}
		if err := st.SaveDecision(ctx, org, id, user, assessment.Facts{}, assessment.Advice{}, d, r, at.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	vs, err := st.DecisionVersions(ctx, org, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 {
		t.Fatalf("%d versions, want 3", len(vs))
	}
	for i, v := range vs {
		if v.Decision.Version != i+1 || v.DecidedBy != "De FG" || !v.Decision.DecidedAt.Equal(at.Add(time.Duration(i)*time.Hour)) {
			t.Errorf("version %d = %+v by %q", i+1, v.Decision, v.DecidedBy)
		}
	}
	if vs[0].Decision.Breach || vs[0].Reasons.Breach != "Reden nee" || vs[0].Reasons.Change != "" || vs[2].Reasons.Change != "Nieuwe feiten, ronde 2" {
		t.Errorf("versions lost what was decided: %+v", vs)
	}
	cur, ok, err := st.StoredDecisionOf(ctx, org, id)
	if err != nil || !ok || cur.Decision.Version != 3 || !cur.Decision.Breach {
		t.Errorf("current = %+v %v %v, want version 3", cur.Decision, ok, err)
	}
	if v, _ := st.DecisionVersion(ctx, org, id); v != 3 {
		t.Errorf("DecisionVersion = %d, want 3", v)
	}
	// Another organisation sees none of it.
	other := must[int64](t)(st.CreateOrganisation(ctx, "Ander bestuur"))
	if vs, err := st.DecisionVersions(ctx, other, id); err != nil || len(vs) != 0 {
		t.Errorf("versions read as another organisation: %v %v", vs, err)
	}
	// History is append-only.
	if err := execSQL(ctx, st, `UPDATE case_assessment_versions SET breach_reason = 'vervalst' WHERE case_id = $1`, id); err == nil {
		t.Error("a recorded version could be changed")
	}
	if err := execSQL(ctx, st, `DELETE FROM case_assessment_versions WHERE case_id = $1`, id); err == nil {
		t.Error("a recorded version could be removed")
	}
}

// TestConcurrentDecisionsConflict: two saves at once, each in its own
// transaction, take the same version number; the second waits for the
// first and is refused as a conflict, so neither overwrites the other.
func TestConcurrentDecisionsConflict(t *testing.T) {
	t.Parallel()
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	st, org, user, id := oneCase(t)
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	d, r := decision(false)
	must[int](t)(0, st.SaveDecision(ctx, org, id, user, assessment.Facts{}, assessment.Advice{}, d, r, at))

	d2, r2 := decision(true)
	save := func(why string, saved chan<- struct{}, hold <-chan struct{}) error {
		return st.Transact(ctx, func(q *store.Queries) error {
			r := r2
			r.Change = why
			if err := q.SaveDecision(ctx, org, id, user, assessment.Facts{}, assessment.Advice{}, d2, r, at.Add(time.Hour)); err != nil {
				return err
			}
			if saved != nil {
				close(saved)
				<-hold
			}
			return nil
		})
	}
	saved, hold, first := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() { first <- save("Eerste tweede besluit", saved, hold) }()
	<-saved // the first has written version 2 and not yet committed
	second := make(chan error, 1)
	go func() { second <- save("Ander tweede besluit", nil, nil) }()
	select {
	case err := <-second:
		t.Fatalf("the second save did not wait for the first: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(hold)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("second concurrent save: %v, want Conflict", err)
	}
	vs := must[[]store.StoredDecision](t)(st.DecisionVersions(ctx, org, id))
	if len(vs) != 2 || vs[1].Reasons.Change != "Eerste tweede besluit" {
		t.Errorf("versions after the race = %+v", vs)
	}
}
