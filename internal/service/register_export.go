package service

import (
	"context"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// RegisterExportBatch is the number of entries read from PostgreSQL at a
// time while an export streams.
const RegisterExportBatch = 1000

// RegisterPDFLimit is the most entries a PDF holds: fpdf keeps the whole
// document in memory until it is written, and a printout of more is not
// read. Excel and CSV have no limit.
const RegisterPDFLimit = 2000

// RegisterExport is an authorised export of the register with the filter
// of the page: Each streams the entries, Events their timelines.
type RegisterExport struct {
	Organisation string
	// Filter describes the filter in Dutch, one line per condition, for the
	// export's header.
	Filter    []string
	PrintedAt time.Time
	Location  *time.Location

	s     *Incidents
	orgID int64
	f     store.RegisterFilter
}

// RegisterExport authorises an export of the register (the desk, officer,
// board and administrator, within their schools) and reads the filter as
// the page does (unreadable filters are ignored, as the page ignores them).
// Nothing is read from the register until Each.
func (s *Incidents) RegisterExport(ctx context.Context, a *access.Actor, rq RegisterQuery) (*RegisterExport, error) {
	ctx = scoped(ctx, a)
	scope, err := registerExportScope(a)
	if err != nil {
		return nil, err
	}
	errs := map[string]string{}
	f, schools, err := s.registerFilter(ctx, a, scope, rq, errs)
	if err != nil {
		return nil, err
	}
	x := &RegisterExport{Organisation: a.Organisation, PrintedAt: f.Now, Location: s.d.Location, s: s, orgID: a.OrganisationID, f: f}
	x.Filter = describeFilter(f, schools, s.d.Location)
	// The security log names the format and which filters were set, never
	// their values (a search may be a name).
	if err := s.recordRead(ctx, a, incident.ReadRegisterExport, nil, 0,
		map[string]any{"format": rq.Format, "filters": len(x.Filter)}); err != nil {
		return nil, err
	}
	return x, nil
}

// RegisterExportSchools authorises the page from which the register is
// exported (the same policy as RegisterExport: the desk, officer, board and
// administrator, within their schools) and returns the schools within the
// actor's scope, the choices of its school filter.
func (s *Incidents) RegisterExportSchools(ctx context.Context, a *access.Actor) ([]access.School, error) {
	ctx = scoped(ctx, a)
	scope, err := registerExportScope(a)
	if err != nil {
		return nil, err
	}
	return s.schoolsInScope(ctx, a.OrganisationID, scope)
}

// registerExportScope is the policy of every export of the register, with
// the refusal in Dutch.
func registerExportScope(a *access.Actor) (access.Scope, error) {
	if err := signedIn(a); err != nil {
		return access.Scope{}, err
	}
	scope, ok := incident.RegisterScope(a, a.OrganisationID, incident.ActExportRegister)
	if !ok {
		return access.Scope{}, apperr.Forbiddenf("Alleen het meldpunt, de FG, het bestuur en de beheerder kunnen het datalekregister exporteren.")
	}
	return scope, nil
}

// Each calls fn with the entries, batch by batch, in the page's order,
// and then, unless timeline is nil, timeline with the events of those cases
// (case by case in the same order), all from one snapshot of the database.
func (x *RegisterExport) Each(ctx context.Context, fn func([]incident.RegisterEntry) error, timeline func([]incident.RegisterEvent) error) error {
	ctx = store.InOrganisation(ctx, x.orgID) // the export was authorised for this organisation
	return x.s.d.Store.RegisterExportBatches(ctx, x.orgID, x.f, RegisterExportBatch, func(batch []incident.RegisterEntry) error {
		for i := range batch {
			x.s.registerDeadlines(&batch[i], x.PrintedAt)
		}
		return fn(batch)
	}, timeline)
}

// Count is the number of entries the export holds.
func (x *RegisterExport) Count(ctx context.Context) (int, error) {
	ctx = store.InOrganisation(ctx, x.orgID) // the export was authorised for this organisation
	return x.s.d.Store.RegisterCount(ctx, x.orgID, x.f)
}

// CheckPDF refuses a PDF of more than RegisterPDFLimit entries (Invalid,
// with the count and the way out in Dutch).
func (x *RegisterExport) CheckPDF(ctx context.Context) error {
	n, err := x.Count(ctx)
	if err != nil {
		return err
	}
	if n > RegisterPDFLimit {
		return apperr.Newf(apperr.Invalid, "Een PDF kan hoogstens %d incidenten bevatten; dit filter toont er %d. Verfijn het filter of gebruik de Excel- of CSV-export.", RegisterPDFLimit, n)
	}
	return nil
}

// describeFilter is the filter in Dutch.
func describeFilter(f store.RegisterFilter, schools []access.School, loc *time.Location) []string {
	var out []string
	day := func(t time.Time) string { return t.In(loc).Format("02-01-2006") }
	if f.From != nil {
		out = append(out, "Gemeld vanaf "+day(*f.From))
	}
	if f.Until != nil {
		out = append(out, "Gemeld tot en met "+day(f.Until.AddDate(0, 0, -1)))
	}
	if f.School != 0 {
		for _, sc := range schools {
			if sc.ID == f.School {
				out = append(out, "School: "+sc.Name)
			}
		}
	}
	switch f.Breach {
	case "yes":
		out = append(out, "Alleen datalekken")
	case "no":
		out = append(out, "Alleen geen datalek")
	case "open":
		out = append(out, "Datalek nog niet bepaald")
	}
	switch f.Notified {
	case "yes":
		out = append(out, "Gemeld aan de AP")
	case "no":
		out = append(out, "Niet gemeld aan de AP")
	}
	if f.Status != "" {
		out = append(out, "Stap: "+f.Status.Label())
	}
	switch f.Deadlines {
	case "open":
		out = append(out, "Met een lopende termijn")
	case "overdue":
		out = append(out, "Met een verstreken termijn")
	}
	if f.Text != "" {
		out = append(out, "Zoeken: "+f.Text)
	}
	if len(out) == 0 {
		out = append(out, "Alle incidenten")
	}
	for _, o := range RegisterSorts {
		if o.Value == string(f.Sort) {
			dir := "aflopend"
			if f.Asc {
				dir = "oplopend"
			}
			out = append(out, "Volgorde: "+o.Label+", "+dir)
		}
	}
	return out
}
