package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/deadline"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// RegisterPageSize is the number of entries on one page of the register.
const RegisterPageSize = 50

// RegisterStatuses are the statuses the register can be filtered on, in the
// order of the steps.
var RegisterStatuses = incident.Statuses

// RegisterSorts are the orders the register offers, with their Dutch names.
var RegisterSorts = []incident.Option{
	{Value: string(store.SortReported), Label: "Gemeld op"},
	{Value: string(store.SortNumber), Label: "Zaaknummer"},
	{Value: string(store.SortStatus), Label: "Stap"},
	{Value: string(store.SortUpdated), Label: "Laatst gewijzigd"},
}

// RegisterQuery is the register's filter as typed in the form (GET
// parameters), kept as strings so the form shows it back.
type RegisterQuery struct {
	From      string // date, yyyy-mm-dd, Europe/Amsterdam
	To        string // date, inclusive
	School    string
	Breach    string // "yes", "no", "open" or ""
	Notified  string // "yes", "no" or "": notified to the AP
	Status    string
	Deadlines string // "open", "overdue" or ""
	Exception string // "used", "review_due" or "": an exception used, its review due
	Text      string
	Sort      string // see RegisterSorts; "" is newest first
	Dir       string // "asc" or "desc" ("" is desc)
	Cursor    string // from the "Volgende" link
	// Format is the export's format (xlsx, csv, pdf), for the security log.
	Format string
}

// RegisterView is one page of the register.
type RegisterView struct {
	Query   RegisterQuery
	Entries []incident.RegisterEntry
	Schools []access.School // those within the actor's scope, for the filter
	// Next is the cursor of the next page; empty on the last page.
	Next string
	// Errors are filters that could not be read (and were ignored), per field.
	Errors map[string]string
}

// Register lists the datalekregister for the desk, officer and board: every
// case of the organisation within their schools, filtered and sorted, one
// keyset page at a time.
func (s *Incidents) Register(ctx context.Context, a *access.Actor, rq RegisterQuery) (RegisterView, error) {
	ctx = scoped(ctx, a)
	v := RegisterView{Query: rq, Errors: map[string]string{}}
	if err := signedIn(a); err != nil {
		return v, err
	}
	scope, ok := incident.RegisterScope(a, a.OrganisationID, incident.ActViewRegister)
	if !ok {
		return v, apperr.Forbiddenf("Alleen het meldpunt, de FG en het bestuur zien het datalekregister.")
	}
	f, schools, err := s.registerFilter(ctx, a, scope, rq, v.Errors)
	if err != nil {
		return v, err
	}
	v.Schools = schools
	if rq.Cursor != "" {
		after, ok := parseCursor(rq.Cursor, f.Sort, f.Asc)
		if !ok {
			return v, apperr.New(apperr.Invalid, "Deze pagina van het register bestaat niet; begin opnieuw bij de eerste.")
		}
		f.After = after
	}
	f.Limit = RegisterPageSize + 1
	entries, err := s.d.Store.Register(ctx, a.OrganisationID, f)
	if err != nil {
		return v, err
	}
	if len(entries) > RegisterPageSize {
		entries = entries[:RegisterPageSize]
		v.Next = formatCursor(f.Sort, f.Asc, f.Sort.Key(entries[len(entries)-1]))
	}
	for i := range entries {
		s.registerDeadlines(&entries[i], f.Now)
	}
	v.Entries = entries
	return v, nil
}

// registerFilter reads the query into the store's filter. Filters that
// cannot be read are reported in errs and ignored, as on the page; the
// export uses the same, so it holds exactly what the page shows.
func (s *Incidents) registerFilter(ctx context.Context, a *access.Actor, scope access.Scope, rq RegisterQuery, errs map[string]string) (store.RegisterFilter, []access.School, error) {
	loc := s.d.Location
	f := store.RegisterFilter{Scope: scope, Text: strings.TrimSpace(rq.Text), Now: s.d.Now(), Sort: store.SortReported}
	if t, ok := parseDay(rq.From, loc); ok {
		f.From = &t
	} else if rq.From != "" {
		errs["from"] = "Vul een datum in als 2026-11-23."
	}
	if t, ok := parseDay(rq.To, loc); ok {
		t = t.AddDate(0, 0, 1)
		f.Until = &t
	} else if rq.To != "" {
		errs["to"] = "Vul een datum in als 2026-11-23."
	}
	schools, err := s.schoolsInScope(ctx, a.OrganisationID, scope)
	if err != nil {
		return f, nil, err
	}
	if rq.School != "" {
		id, err := strconv.ParseInt(rq.School, 10, 64)
		if err != nil || !slices.ContainsFunc(schools, func(sc access.School) bool { return sc.ID == id }) {
			errs["school"] = "Kies een school uit de lijst."
		} else {
			f.School = id
		}
	}
	switch rq.Breach {
	case "", "yes", "no", "open":
		f.Breach = rq.Breach
	default:
		errs["breach"] = "Kies ja, nee of nog niet bepaald."
	}
	switch rq.Notified {
	case "", "yes", "no":
		f.Notified = rq.Notified
	default:
		errs["notified"] = "Kies ja of nee."
	}
	if rq.Status != "" {
		if st := incident.Status(rq.Status); slices.Contains(RegisterStatuses, st) {
			f.Status = st
		} else {
			errs["status"] = "Kies een stap uit de lijst."
		}
	}
	switch rq.Deadlines {
	case "", "open", "overdue":
		f.Deadlines = rq.Deadlines
		if f.Deadlines == "overdue" {
			// Only the overdue filter compares decisions with the cutoff.
			f.FilingBefore = s.filingCutoff(f.Now)
		}
	default:
		errs["deadlines"] = "Kies lopend of verstreken."
	}
	switch rq.Exception {
	case "", "used", "review_due":
		f.Exception = rq.Exception
	default:
		errs["exception"] = "Kies ‘uitzondering gebruikt’ of ‘herbeoordeling verlopen’."
	}
	if rq.Sort != "" {
		if st := store.RegisterSort(rq.Sort); slices.Contains(store.RegisterSorts, st) {
			f.Sort = st
		} else {
			errs["sort"] = "Kies een volgorde uit de lijst."
		}
	}
	switch rq.Dir {
	case "", "desc":
	case "asc":
		f.Asc = true
	default:
		errs["dir"] = "Kies oplopend of aflopend."
	}
	return f, schools, nil
}

// filingCutoff is the earliest moment at which a decision to notify the AP
// still has its two working days running at now: decisions before it are
// overdue. The filing deadline (deadline.Calendar.Filing) never moves back
// when the decision is later, so the cutoff is found by bisection, to the
// microsecond PostgreSQL keeps.
func (s *Incidents) filingCutoff(now time.Time) time.Time {
	cal := s.d.Calendar
	// Two working days are never more than a few weeks (holidays included).
	lo, hi := now.AddDate(0, -1, 0), now.Add(time.Microsecond)
	for hi.Sub(lo) > time.Microsecond {
		mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Microsecond)
		if deadline.Late(cal.Filing(mid), now) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// schoolsInScope are the schools of organisation orgID that scope covers,
// in the store's order: the choices of the register's school filter.
func (s *Incidents) schoolsInScope(ctx context.Context, orgID int64, scope access.Scope) ([]access.School, error) {
	all, err := s.d.Store.Schools(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var schools []access.School
	for _, sc := range all {
		if scope.Covers(&sc.ID) {
			schools = append(schools, sc)
		}
	}
	return schools, nil
}

// registerDeadlines fills the three deadlines of an entry as they stand at
// now: the 72 hours for the AP (from awareness), two working days to file
// after the decision (seed 000 step 5), and one week to inform the data
// subjects (the same rule as the work lists, subjectsDeadline).
//
// An imported case is not judged: the sheet gives a date of the incident
// and, at best, of the AP notification, not the moments of awareness and of
// the decision the deadlines count from; "in time" would be a guess. Its
// original row shows what the sheet said.
func (s *Incidents) registerDeadlines(e *incident.RegisterEntry, now time.Time) {
	if e.Imported {
		return
	}
	e.Deadlines = incident.CaseDeadlines(s.d.Calendar, e.DueFacts(), now)
	e.WaitingOn = incident.WaitingOn(e.Status, e.BoardInformedAt != nil)
	cal := s.d.Calendar
	judge := func(due time.Time, done *time.Time, running bool) incident.DeadlineCheck {
		switch {
		case done != nil && deadline.Late(due, *done):
			return incident.DeadlineCheck{State: incident.DeadlineLate, Due: due}
		case done != nil:
			return incident.DeadlineCheck{State: incident.DeadlineMet, Due: due}
		case !running:
			return incident.DeadlineCheck{}
		case deadline.Late(due, now):
			return incident.DeadlineCheck{State: incident.DeadlineOverdue, Due: due}
		}
		return incident.DeadlineCheck{State: incident.DeadlineRunning, Due: due}
	}
	before := slices.Contains([]incident.Status{incident.StatusNew, incident.StatusInventory, incident.StatusAssessment,
		incident.StatusNotification}, e.Status)
	undecided := !e.Decided && e.Outcome == incident.OutcomeNone
	e.Deadline72h = judge(cal.Authority(e.AwareAt), e.APNotifiedAt, before && (undecided || e.APNotify))
	if e.DecidedAt != nil && e.APNotify {
		e.DeadlineFiling = judge(cal.Filing(*e.DecidedAt), e.APNotifiedAt, e.Status == incident.StatusNotification)
	}
	if e.SubjectsNotify {
		base := e.APNotifiedAt
		if base == nil {
			base = e.DecidedAt
		}
		if base != nil {
			e.DeadlineWeek = judge(cal.Subjects(*base), e.SubjectsSentAt, e.Status != incident.StatusClosed || e.SubjectsSentAt == nil)
		}
	}
}

func parseDay(s string, loc *time.Location) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	return t, err == nil
}

// A cursor is "<sort>.<asc|desc>.<key>.<key>…": the sort key of the last
// entry of the page (timestamps in microseconds since 1970: PostgreSQL keeps
// them to the microsecond, so the keyset comparison is exact). A cursor of
// another order is refused.
func formatCursor(sort store.RegisterSort, asc bool, key []int64) string {
	parts := []string{string(sort), cursorDir(asc)}
	for _, k := range key {
		parts = append(parts, strconv.FormatInt(k, 10))
	}
	return strings.Join(parts, ".")
}

// cursorDir is the direction as a cursor spells it.
func cursorDir(asc bool) string {
	if asc {
		return "asc"
	}
	return "desc"
}

func parseCursor(s string, sort store.RegisterSort, asc bool) ([]int64, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 2+sort.KeyLen() || parts[0] != string(sort) || parts[1] != cursorDir(asc) {
		return nil, false
	}
	key := make([]int64, 0, len(parts)-2)
	for _, p := range parts[2:] {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return nil, false
		}
		key = append(key, n)
	}
	return key, true
}
