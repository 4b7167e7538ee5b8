package service

import (
	"context"
	"slices"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
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
			s.fillDeadlines(&list[i], now)
		}
	}
	// The processor's delivery is for the desk and the officer to chase. It
	// is the supplier's term, not the case's: it comes after the case's
	// deadlines, so the one that counts stays the same on every page.
	for _, list := range [][]incident.WorkItem{w.Officer, w.Desk} {
		for i := range list {
			if at := list[i].ProcessorDue; at != nil {
				list[i].Deadlines = append(list[i].Deadlines,
					incident.NewDue(incident.DueProcessor, processorDueLabel(list[i].ProcessorName), at.In(s.d.Location), now))
			}
		}
	}
	for _, list := range [][]incident.WorkItem{w.Officer, w.Desk, w.Technician, w.Board, w.BoardApprove} {
		sortByDeadline(list)
	}
	return w, nil
}

// fillDeadlines sets the deadlines that run for a work item at now (the
// one that counts first) and who must act next: the one rule of
// incident.CaseDeadlines, for the start pages and the case page alike.
func (s *Incidents) fillDeadlines(it *incident.WorkItem, now time.Time) {
	it.Deadlines = incident.CaseDeadlines(s.d.Calendar, it.DueFacts(), now)
	it.WaitingOn = incident.WaitingOn(it.Status, it.BoardInformed)
}

// CaseDeadlines returns the deadlines of one case the actor may see, as its
// page shows them at the very top: the same facts and rule as the work
// lists. The actor must be allowed to see the case (the caller loaded it).
func (s *Incidents) caseDeadlines(ctx context.Context, orgID, id int64) (incident.WorkItem, error) {
	items, err := s.d.Store.WorkItems(ctx, orgID, store.WorkFilter{CaseID: id})
	if err != nil || len(items) == 0 {
		return incident.WorkItem{}, err
	}
	it := items[0]
	s.fillDeadlines(&it, s.d.Now())
	return it, nil
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

// subjectsDeadline is incident.SubjectsDue as it stands now.
func (s *Incidents) subjectsDeadline(notifiedAt, decidedAt *time.Time) (incident.Due, bool) {
	return incident.SubjectsDue(s.d.Calendar, notifiedAt, decidedAt, s.d.Now())
}

// authorityDue is the case's 72 hours as they stand now.
func (s *Incidents) authorityDue(c *incident.Case) incident.Due {
	return incident.AuthorityDue(s.d.Calendar, c.Clock(), s.d.Now())
}
