package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Worklist is the open work of one user, per role: a page of each list, in
// the order of the cases' 72 hours (the moment every deadline of a case
// counts from), each page sorted by the nearest deadline.
type Worklist struct {
	Officer    []incident.WorkItem // awaiting confirmation, assessment, notification or informing
	Desk       []incident.WorkItem // new, in inventory, or to be recorded and closed
	Technician []incident.WorkItem // assigned, repair not completed
	Board      []incident.WorkItem // to be informed before the AP notification
	// BoardApprove are notices to data subjects waiting for approval.
	BoardApprove []incident.WorkItem
	// Paging holds, per list the actor has (by its WorkList key), the total
	// and the cursors of the pages around the one shown.
	Paging map[string]incident.WorkPaging
}

// The keys of the lists of a start page, as they appear in its address
// (/?fg=n…): one cursor per list.
const (
	WorkOfficer      = "fg"
	WorkDesk         = "meldpunt"
	WorkTechnician   = "technicus"
	WorkBoard        = "bestuur"
	WorkBoardApprove = "goedkeuren"
)

// WorkPageSize is the number of cases on one page of a work list.
const WorkPageSize = 50

// Worklist gathers the first page of each of the actor's work lists, with
// the deadlines that apply now.
func (s *Incidents) Worklist(ctx context.Context, a *access.Actor) (Worklist, error) {
	ctx = scoped(ctx, a)
	return s.WorklistAt(ctx, a, nil)
}

// WorklistAt gathers a page of each of the actor's work lists: the page
// that cursors names for the list's key (WorkOfficer…), the first page for a
// list without one or with a cursor that does not parse. All lists come in
// one round trip to the database.
func (s *Incidents) WorklistAt(ctx context.Context, a *access.Actor, cursors map[string]string) (Worklist, error) {
	ctx = scoped(ctx, a)
	w := Worklist{Paging: map[string]incident.WorkPaging{}}
	if a == nil {
		return w, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	lists := workListsOf(a, &w)
	if len(lists) == 0 {
		return w, nil
	}
	asks := make([]store.WorkList, len(lists))
	for i, l := range lists {
		asks[i] = store.WorkList{Filter: l.filter, Limit: WorkPageSize}
		asks[i].After, asks[i].Before, _ = ParseWorkCursor(cursors[l.key])
	}
	pages, err := s.d.Store.WorkPages(ctx, a.OrganisationID, asks)
	if err != nil {
		return w, err
	}
	// A cursor past every case (they were closed meanwhile) would show an
	// empty list of a list that is not empty: show its first page instead.
	var again []int
	for i, p := range pages {
		if len(p.Items) == 0 && p.Total > 0 && (asks[i].After != nil || asks[i].Before != nil) {
			asks[i].After, asks[i].Before = nil, nil
			again = append(again, i)
		}
	}
	if len(again) > 0 {
		first, err := s.d.Store.WorkPages(ctx, a.OrganisationID, asks)
		if err != nil {
			return w, err
		}
		for _, i := range again {
			pages[i] = first[i]
		}
	}
	now := s.d.Now()
	for i, l := range lists {
		p := pages[i]
		*l.items = p.Items
		w.Paging[l.key] = workPaging(asks[i], p)
		for j := range p.Items {
			s.fillDeadlines(&p.Items[j], now)
		}
		// The processor's delivery is for the desk and the officer to
		// chase. It is the supplier's term, not the case's: it comes after
		// the case's deadlines, so the one that counts stays the same on
		// every page.
		if l.key == WorkOfficer || l.key == WorkDesk {
			for j := range p.Items {
				if at := p.Items[j].ProcessorDue; at != nil {
					p.Items[j].Deadlines = append(p.Items[j].Deadlines,
						incident.NewDue(incident.DueProcessor, processorDueLabel(p.Items[j].ProcessorName), at.In(s.d.Location), now))
				}
			}
		}
		sortByDeadline(p.Items)
	}
	return w, nil
}

// workList is one list of a start page: its key, its filter and where its
// page goes.
type workList struct {
	key    string
	filter store.WorkFilter
	items  *[]incident.WorkItem
}

// workListsOf are the lists of the actor's roles, in the page's order.
func workListsOf(a *access.Actor, w *Worklist) []workList {
	var lists []workList
	if a.Has(access.Officer) {
		lists = append(lists, workList{WorkOfficer, store.WorkFilter{Scope: a.ScopeFor(access.Officer),
			Statuses: []incident.Status{incident.StatusConfirmation, incident.StatusAssessment, incident.StatusNotification, incident.StatusInforming}}, &w.Officer})
	}
	if a.Has(access.Desk) {
		lists = append(lists, workList{WorkDesk, store.WorkFilter{Scope: a.ScopeFor(access.Desk),
			Statuses: []incident.Status{incident.StatusNew, incident.StatusInventory, incident.StatusRecording}}, &w.Desk})
	}
	if a.Has(access.Technician) {
		lists = append(lists, workList{WorkTechnician, store.WorkFilter{Technician: a.UserID}, &w.Technician})
	}
	if a.Has(access.Board) {
		lists = append(lists, workList{WorkBoard, store.WorkFilter{Scope: a.ScopeFor(access.Board),
			Statuses: []incident.Status{incident.StatusNotification}, BoardUninformed: true}, &w.Board},
			workList{WorkBoardApprove, store.WorkFilter{Scope: a.ScopeFor(access.Board),
				Statuses: []incident.Status{incident.StatusInforming}, NoticeToApprove: true}, &w.BoardApprove})
	}
	return lists
}

// workPaging turns a page into its total and the cursors around it. The
// cursors are taken before the page is sorted by deadline: they are keys
// of the lists' order.
func workPaging(ask store.WorkList, p store.WorkPage) incident.WorkPaging {
	pg := incident.WorkPaging{Total: min(p.Total, store.WorkCountCap), More: p.Total > store.WorkCountCap}
	if len(p.Items) == 0 {
		return pg
	}
	first, last := p.Items[0], p.Items[len(p.Items)-1]
	backward := ask.Before != nil
	if (backward && p.More) || (!backward && ask.After != nil) {
		pg.Prev = FormatWorkCursor(false, store.WorkKey{ClockStart: first.AwareAt, ID: first.ID})
	}
	if (!backward && p.More) || backward {
		pg.Next = FormatWorkCursor(true, store.WorkKey{ClockStart: last.AwareAt, ID: last.ID})
	}
	return pg
}

// FormatWorkCursor is the cursor of the page after (n…) or before (v…) a
// case's key: its clock start in microseconds since 1970 and its id.
func FormatWorkCursor(after bool, k store.WorkKey) string {
	dir := "v"
	if after {
		dir = "n"
	}
	return dir + strconv.FormatInt(k.ClockStart.UnixMicro(), 10) + "-" + strconv.FormatInt(k.ID, 10)
}

// maxCursorMicros is 1 January 3000 in microseconds since 1970.
const maxCursorMicros = 32503680000000000

// ParseWorkCursor reads a cursor of FormatWorkCursor (from a page's
// address). It accepts only the exact form FormatWorkCursor writes; ok is
// false, and both keys nil, for anything else.
func ParseWorkCursor(s string) (after, before *store.WorkKey, ok bool) {
	if len(s) < 4 || len(s) > 42 || (s[0] != 'n' && s[0] != 'v') {
		return nil, nil, false
	}
	at, id, found := strings.Cut(s[1:], "-")
	if !found {
		return nil, nil, false
	}
	micros, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	// Between 1970 and 3000: PostgreSQL refuses moments far outside them.
	if err1 != nil || err2 != nil || n <= 0 || micros < 0 || micros >= maxCursorMicros {
		return nil, nil, false
	}
	k := &store.WorkKey{ClockStart: time.UnixMicro(micros).UTC(), ID: n}
	if FormatWorkCursor(s[0] == 'n', *k) != s {
		return nil, nil, false // not the canonical form: "+5", "007"
	}
	if s[0] == 'n' {
		return k, nil, true
	}
	return nil, k, true
}

// fillDeadlines sets the deadlines that run for a work item at now (the
// one that counts first) and who must act next: the one rule of
// incident.CaseDeadlines, for the start pages and the case page alike.
func (s *Incidents) fillDeadlines(it *incident.WorkItem, now time.Time) {
	it.Deadlines = incident.CaseDeadlines(s.d.Calendar, it.DueFacts(), now)
	it.WaitingOn = incident.WaitingOn(it.Status, it.BoardInformed)
}

func sortByDeadline(list []incident.WorkItem) {
	slices.SortStableFunc(list, func(a, b incident.WorkItem) int { return compareDeadlines(a.Deadlines, b.Deadlines) })
}

// compareDeadlines orders two work items by the deadline that counts first
// for each; one without a running deadline comes after one with.
func compareDeadlines(a, b []incident.Due) int {
	switch {
	case len(a) == 0 && len(b) == 0:
		return 0
	case len(a) == 0:
		return 1
	case len(b) == 0:
		return -1
	}
	return a[0].At.Compare(b[0].At)
}

// subjectsDeadline is incident.SubjectsDue as it stands now.
func (s *Incidents) subjectsDeadline(notifiedAt, decidedAt *time.Time) (incident.Due, bool) {
	return incident.SubjectsDue(s.d.Calendar, notifiedAt, decidedAt, s.d.Now())
}

// authorityDue is the case's 72 hours as they stand now.
func (s *Incidents) authorityDue(c *incident.Case) incident.Due {
	return incident.AuthorityDue(s.d.Calendar, c.Clock(), s.d.Now())
}
