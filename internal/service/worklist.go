package service

import (
	"context"
	"slices"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/deadline"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Worklist is the open work of one user, per role, each list sorted by the
// nearest deadline.
type Worklist struct {
	Officer    []incident.WorkItem // awaiting confirmation, assessment, notification or informing
	Desk       []incident.WorkItem // new, in inventory, or to be recorded and closed
	Technician []incident.WorkItem // assigned, repair not completed
	Board      []incident.WorkItem // to be informed before the AP notification
	// BoardApprove are notices to data subjects waiting for approval.
	BoardApprove []incident.WorkItem
}

// Worklist gathers the actor's open work with the deadlines that apply now.
func (s *Incidents) Worklist(ctx context.Context, a *access.Actor) (Worklist, error) {
	var w Worklist
	if a == nil {
		return w, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	now := s.d.Now()
	var err error
	if a.Has(access.Officer) {
		if w.Officer, err = s.d.Store.WorkItems(ctx, a.OrganisationID, store.WorkFilter{Scope: a.ScopeFor(access.Officer),
			Statuses: []incident.Status{incident.StatusConfirmation, incident.StatusAssessment, incident.StatusNotification, incident.StatusInforming}}); err != nil {
			return w, err
		}
	}
	if a.Has(access.Desk) {
		if w.Desk, err = s.d.Store.WorkItems(ctx, a.OrganisationID, store.WorkFilter{Scope: a.ScopeFor(access.Desk),
			Statuses: []incident.Status{incident.StatusNew, incident.StatusInventory, incident.StatusRecording}}); err != nil {
			return w, err
		}
	}
	if a.Has(access.Technician) {
		if w.Technician, err = s.d.Store.WorkItems(ctx, a.OrganisationID, store.WorkFilter{Technician: a.UserID}); err != nil {
			return w, err
		}
	}
	if a.Has(access.Board) {
		if w.Board, err = s.d.Store.WorkItems(ctx, a.OrganisationID, store.WorkFilter{Scope: a.ScopeFor(access.Board),
			Statuses: []incident.Status{incident.StatusNotification}, BoardUninformed: true}); err != nil {
			return w, err
		}
		if w.BoardApprove, err = s.d.Store.WorkItems(ctx, a.OrganisationID, store.WorkFilter{Scope: a.ScopeFor(access.Board),
			Statuses: []incident.Status{incident.StatusInforming}, NoticeToApprove: true}); err != nil {
			return w, err
		}
	}
	for _, list := range [][]incident.WorkItem{w.Officer, w.Desk, w.Technician, w.Board, w.BoardApprove} {
		for i := range list {
			list[i].Deadlines = s.deadlines(list[i], now)
		}
	}
	// The processor's delivery is for the desk and the officer to chase.
	for _, list := range [][]incident.WorkItem{w.Officer, w.Desk} {
		for i := range list {
			if at := list[i].ProcessorDue; at != nil {
				list[i].Deadlines = append(list[i].Deadlines, dueAt(processorDueLabel(list[i].ProcessorName), at.In(s.d.Location), now))
				slices.SortFunc(list[i].Deadlines, func(a, b incident.Due) int { return a.At.Compare(b.At) })
			}
		}
	}
	for _, list := range [][]incident.WorkItem{w.Officer, w.Desk, w.Technician, w.Board, w.BoardApprove} {
		sortByDeadline(list)
	}
	return w, nil
}

// deadlines returns the deadlines that run for a case in its status.
func (s *Incidents) deadlines(it incident.WorkItem, now time.Time) []incident.Due {
	cal := s.d.Calendar
	var out []incident.Due
	add := func(label string, at time.Time) { out = append(out, dueAt(label, at, now)) }
	switch it.Status {
	case incident.StatusNew, incident.StatusInventory, incident.StatusConfirmation, incident.StatusAssessment:
		add("Melden aan de AP (72 uur)", cal.Authority(it.AwareAt))
	case incident.StatusNotification:
		add("Melden aan de AP (72 uur)", cal.Authority(it.AwareAt))
		if it.DecidedAt != nil {
			add("Melding indienen (2 werkdagen na het besluit)", cal.Filing(*it.DecidedAt))
		}
	case incident.StatusInforming:
		if d, ok := s.subjectsDeadline(it.NotifiedAt, it.DecidedAt); ok {
			out = append(out, dueAt(d.Label, d.At, now))
		}
	}
	slices.SortFunc(out, func(a, b incident.Due) int { return a.At.Compare(b.At) })
	return out
}

func sortByDeadline(list []incident.WorkItem) {
	slices.SortStableFunc(list, func(a, b incident.WorkItem) int {
		switch {
		case len(a.Deadlines) == 0 && len(b.Deadlines) == 0:
			return 0
		case len(a.Deadlines) == 0:
			return 1
		case len(b.Deadlines) == 0:
			return -1
		}
		return a.Deadlines[0].At.Compare(b.Deadlines[0].At)
	})
}

func dueAt(label string, at, now time.Time) incident.Due {
	st := deadline.Check(at, now)
	return incident.Due{Label: label, At: at, Overdue: st.Overdue, Urgent: st.Urgent, Text: st.Text()}
}

// due is one deadline as it stands now.
func (s *Incidents) due(label string, at time.Time) incident.Due { return dueAt(label, at, s.d.Now()) }

// subjectsDeadline is the one rule for informing data subjects (seed 000):
// within a week of the AP notification; without one (only the data subjects
// are informed), within a week of the decision.
func (s *Incidents) subjectsDeadline(notifiedAt, decidedAt *time.Time) (incident.Due, bool) {
	switch {
	case notifiedAt != nil:
		return s.due("Betrokkenen informeren (1 week na de melding)", s.d.Calendar.Subjects(*notifiedAt)), true
	case decidedAt != nil:
		return s.due("Betrokkenen informeren (1 week na het besluit)", s.d.Calendar.Subjects(*decidedAt)), true
	}
	return incident.Due{}, false
}
