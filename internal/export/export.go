// Package export writes the datalekregister as Excel (.xlsx), CSV and PDF.
// The entries come from a Source in batches and are written as they come;
// no export holds the whole register in memory (the PDF holds its pages, see
// service.RegisterPDFLimit). The columns are incident.RegisterColumns, the
// same fields the register page shows behind each row.
package export

import (
	"context"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// Source is an authorised export of the register (service.RegisterExport).
type Source interface {
	// Each calls entries with the entries, batch by batch, in the page's
	// order, and then, unless timeline is nil, timeline with the events of
	// those cases (case by case in the same order, each oldest first), batch
	// by batch, all from one snapshot. The callbacks may keep a batch after
	// they return (the exports read the next batch while they write one);
	// they do not change it.
	Each(ctx context.Context, entries func([]incident.RegisterEntry) error, timeline func([]incident.RegisterEvent) error) error
}

// Meta is what an export's header says.
type Meta struct {
	Organisation string
	Filter       []string
	PrintedAt    time.Time
	Location     *time.Location
}

// Filename is the name an export is downloaded as: datalekregister-<date>.<ext>.
func Filename(m Meta, ext string) string {
	return "datalekregister-" + m.PrintedAt.In(m.Location).Format("2006-01-02-1504") + "." + ext
}

// dateTime is a moment as Dutch users read it, in Europe/Amsterdam.
func dateTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("02-01-2006 15:04") }
