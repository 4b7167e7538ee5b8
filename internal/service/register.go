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

// RegisterPageSize is the number of entries on one page of the register.
const RegisterPageSize = 50

// RegisterStatuses are the statuses the register can be filtered on, in the
// order of the steps.
var RegisterStatuses = []incident.Status{incident.StatusNew, incident.StatusInventory, incident.StatusAssessment,
	incident.StatusNotification, incident.StatusInforming, incident.StatusRecording, incident.StatusClosed}

// RegisterQuery is the register's filter as typed in the form (GET
// parameters), kept as strings so the form shows it back.
type RegisterQuery struct {
	From   string // date, yyyy-mm-dd, Europe/Amsterdam
	To     string // date, inclusive
	School string
	Breach string // "yes", "no", "open" or ""
	Status string
	Text   string
	Cursor string // from the "Volgende" link
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
// case of the organisation within their schools, newest first, filtered.
func (s *Incidents) Register(ctx context.Context, a *access.Actor, rq RegisterQuery) (RegisterView, error) {
	v := RegisterView{Query: rq, Errors: map[string]string{}}
	if a == nil || a.UserID == 0 {
		return v, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	if !incident.CanViewRegister(a) {
		return v, apperr.Forbiddenf("Alleen het meldpunt, de FG en het bestuur zien het datalekregister.")
	}
	scope := incident.ReadScope(a)
	f := store.RegisterFilter{Scope: scope, Limit: RegisterPageSize + 1, Text: strings.TrimSpace(rq.Text)}
	loc := s.d.Location
	if t, ok := parseDay(rq.From, loc); ok {
		f.From = &t
	} else if rq.From != "" {
		v.Errors["from"] = "Vul een datum in als 2026-11-23."
	}
	if t, ok := parseDay(rq.To, loc); ok {
		t = t.AddDate(0, 0, 1)
		f.Until = &t
	} else if rq.To != "" {
		v.Errors["to"] = "Vul een datum in als 2026-11-23."
	}
	schools, err := s.d.Store.Schools(ctx, a.OrganisationID)
	if err != nil {
		return v, err
	}
	for _, sc := range schools {
		if scope.Covers(&sc.ID) {
			v.Schools = append(v.Schools, sc)
		}
	}
	if rq.School != "" {
		id, err := strconv.ParseInt(rq.School, 10, 64)
		if err != nil || !slices.ContainsFunc(v.Schools, func(sc access.School) bool { return sc.ID == id }) {
			v.Errors["school"] = "Kies een school uit de lijst."
		} else {
			f.School = id
		}
	}
	switch rq.Breach {
	case "", "yes", "no", "open":
		f.Breach = rq.Breach
	default:
		v.Errors["breach"] = "Kies ja, nee of nog niet bepaald."
	}
	if rq.Status != "" {
		if st := incident.Status(rq.Status); slices.Contains(RegisterStatuses, st) {
			f.Status = st
		} else {
			v.Errors["status"] = "Kies een stap uit de lijst."
		}
	}
	if rq.Cursor != "" {
		c, ok := parseCursor(rq.Cursor)
		if !ok {
			return v, apperr.New(apperr.Invalid, "Deze pagina van het register bestaat niet; begin opnieuw bij de eerste.")
		}
		f.After = &c
	}
	entries, err := s.d.Store.Register(ctx, a.OrganisationID, f)
	if err != nil {
		return v, err
	}
	if len(entries) > RegisterPageSize {
		entries = entries[:RegisterPageSize]
		last := entries[len(entries)-1]
		v.Next = formatCursor(store.RegisterCursor{ReportedAt: last.ReportedAt, ID: last.ID})
	}
	v.Entries = entries
	return v, nil
}

func parseDay(s string, loc *time.Location) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	return t, err == nil
}

// A cursor is "<reported_at in microseconds since 1970>-<id>": PostgreSQL
// keeps timestamps to the microsecond, so the keyset comparison is exact.
func formatCursor(c store.RegisterCursor) string {
	return strconv.FormatInt(c.ReportedAt.UnixMicro(), 10) + "-" + strconv.FormatInt(c.ID, 10)
}

func parseCursor(s string) (store.RegisterCursor, bool) {
	at, id, ok := strings.Cut(s, "-")
	if !ok {
		return store.RegisterCursor{}, false
	}
	us, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 {
		return store.RegisterCursor{}, false
	}
	return store.RegisterCursor{ReportedAt: time.UnixMicro(us), ID: n}, true
}
