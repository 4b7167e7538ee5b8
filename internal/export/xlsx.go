package export

import (
	"archive/zip"
	"compress/flate"
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// XLSXContentType is the media type of the Excel export.
const XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Sheet names of the Excel export.
const (
	SheetRegister = "Register"
	SheetTimeline = "Tijdlijn"
)

// TimelineHeader is the header row of the timeline sheet.
var TimelineHeader = []string{"Zaaknummer", "Moment", "Door", "Gebeurtenis"}

// XLSX writes the register as an Excel workbook with two sheets: the
// register (one row per case, the columns of incident.RegisterColumns) and
// the timeline of those cases (one row per event). Both are written with
// excelize's StreamWriter batch by batch as the entries arrive (excelize
// keeps the rows in temporary files, not in memory); the workbook is zipped
// to w at the end. Moments are real Excel dates in Europe/Amsterdam wall
// time; the header row and the case number are frozen.
func XLSX(ctx context.Context, w io.Writer, m Meta, src Source) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	// The zip goes straight to w, deflated at its fastest level: excelize
	// would build the whole file in a buffer first (as large as the file,
	// twice that while it grows), and a quarter of the export's time went to
	// compressing at the default level, for a file about a fifth smaller.
	// (excelize's buffer then stays empty: it only rewrites headers in it
	// for sheets over 4 GB, zip64, which a register never reaches.)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return fastZip(w) })
	if err := f.SetSheetName("Sheet1", SheetRegister); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetTimeline); err != nil {
		return err
	}
	_ = f.SetDocProps(&excelize.DocProperties{Title: "Datalekregister " + m.Organisation, Creator: "Lekwacht",
		Created: m.PrintedAt.UTC().Format(time.RFC3339)})
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	dateFmt := "dd-mm-yyyy hh:mm"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	textStyle, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}

	reg, err := f.NewStreamWriter(SheetRegister)
	if err != nil {
		return err
	}
	tl, err := f.NewStreamWriter(SheetTimeline)
	if err != nil {
		return err
	}
	for i, c := range incident.RegisterColumns {
		if err := reg.SetColWidth(i+1, i+1, c.Width); err != nil {
			return err
		}
	}
	for i, width := range []float64{11, 17, 22, 80} {
		if err := tl.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	frozen := &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"}
	if err := reg.SetPanes(frozen); err != nil {
		return err
	}
	if err := tl.SetPanes(frozen); err != nil {
		return err
	}
	header := make([]any, len(incident.RegisterColumns))
	for i, c := range incident.RegisterColumns {
		header[i] = excelize.Cell{StyleID: headStyle, Value: c.Header}
	}
	if err := reg.SetRow("A1", header); err != nil {
		return err
	}
	th := make([]any, len(TimelineHeader))
	for i, h := range TimelineHeader {
		th[i] = excelize.Cell{StyleID: headStyle, Value: h}
	}
	if err := tl.SetRow("A1", th); err != nil {
		return err
	}

	regRow, tlRow := 2, 2
	// One row of cells, reused for every case: SetRow takes *Cell, so no cell
	// is boxed anew per case; an empty value is a nil in the row.
	cells := make([]excelize.Cell, len(incident.RegisterColumns))
	row := make([]any, len(incident.RegisterColumns))
	tlCells := []excelize.Cell{{}, {StyleID: dateStyle}, {}, {StyleID: textStyle}}
	tlRowCells := make([]any, len(tlCells))
	err = src.Each(ctx, func(batch []incident.RegisterEntry) error {
		ids := make([]int64, len(batch))
		for n, e := range batch {
			ids[n] = e.ID
			for i, c := range incident.RegisterColumns {
				v := c.Value(e, m.Location)
				cell := &cells[i]
				switch {
				case v.Time != nil:
					cell.StyleID, cell.Value = dateStyle, wallClock(*v.Time, m.Location)
				case v.Number != nil:
					cell.StyleID, cell.Value = textStyle, *v.Number
				case v.Text == "":
					row[i] = nil
					continue
				default:
					cell.StyleID, cell.Value = textStyle, v.Text
				}
				row[i] = cell
			}
			if err := reg.SetRow("A"+strconv.Itoa(regRow), row); err != nil {
				return err
			}
			regRow++
		}
		events, err := src.Events(ctx, ids)
		if err != nil {
			return err
		}
		for _, ev := range events {
			tlCells[0].Value = ev.CaseNumber.String()
			tlCells[1].Value = wallClock(ev.At, m.Location)
			tlCells[2].Value = ev.ActorName
			tlCells[3].Value = ev.Summary
			for i := range tlCells {
				tlRowCells[i] = &tlCells[i]
			}
			if ev.ActorName == "" {
				tlRowCells[2] = nil
			}
			if err := tl.SetRow("A"+strconv.Itoa(tlRow), tlRowCells); err != nil {
				return err
			}
			tlRow++
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := reg.Flush(); err != nil {
		return fmt.Errorf("xlsx register: %w", err)
	}
	if err := tl.Flush(); err != nil {
		return fmt.Errorf("xlsx timeline: %w", err)
	}
	// Writes the zip to w through fastZip; what excelize buffered is empty.
	_, err = f.WriteTo(w)
	return err
}

// wallClock is t's Europe/Amsterdam wall time as a UTC time: Excel dates
// have no time zone and excelize converts the instant in UTC, so this makes
// the cell show the Dutch time.
func wallClock(t time.Time, loc *time.Location) time.Time {
	w := t.In(loc)
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.UTC)
}

// fastZip is a zip writer that deflates at flate.BestSpeed.
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return zw
}
