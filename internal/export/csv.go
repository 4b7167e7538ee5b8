package export

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// CSVContentType is the media type of the CSV export.
const CSVContentType = "text/csv; charset=utf-8"

// CSV writes the register as Dutch Excel opens a CSV file: UTF-8 with a byte
// order mark (else Excel reads it as Windows-1252), fields separated by ';'
// (the list separator of the Dutch locale, where ',' is the decimal comma),
// lines ending in CRLF, and moments as dd-mm-jjjj uu:mm in Europe/Amsterdam.
// Each batch is flushed to w as it arrives; the next is read meanwhile
// (prefetch).
func CSV(ctx context.Context, w io.Writer, m Meta, src Source) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	header := make([]string, len(incident.RegisterColumns))
	for i, c := range incident.RegisterColumns {
		header[i] = c.Header
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, len(incident.RegisterColumns))
	err := prefetch(ctx, src, false, func(batch []incident.RegisterEntry, _ []incident.RegisterEvent) error {
		for _, e := range batch {
			for i, c := range incident.RegisterColumns {
				v := c.Value(e, m.Location)
				row[i] = cellText(v, m)
				if v.Time == nil && v.Number == nil {
					row[i] = csvSafe(row[i])
				}
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// cellText is a cell as text.
func cellText(c incident.Cell, m Meta) string {
	switch {
	case c.Time != nil:
		return dateTime(*c.Time, m.Location)
	case c.Number != nil:
		return strconv.Itoa(*c.Number)
	}
	return c.Text
}

// csvSafe keeps a typed text from being read as a formula by a spreadsheet
// (CSV injection: "=HYPERLINK(…)" in a report would run when the register
// is opened): a text starting with = + - @ or a tab or carriage return gets
// a leading apostrophe, as OWASP advises. The Excel export needs no such
// care: its texts are typed as strings.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// NewCSVWriter writes the byte order mark and returns a writer with the
// Dutch separator and line ends, for a table streamed row by row (pass each
// row through SafeRow).
func NewCSVWriter(w io.Writer) *csv.Writer {
	_, _ = io.WriteString(w, "\ufeff")
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	return cw
}

// SafeRow keeps every cell of a row from being read as a formula.
func SafeRow(row []string) []string {
	for i, c := range row {
		row[i] = csvSafe(c)
	}
	return row
}

// TableCSV writes a plain table as Dutch Excel opens a CSV file (as CSV
// does: a byte order mark, ';', CRLF), every cell kept from being read as a
// formula.
func TableCSV(w io.Writer, header []string, rows [][]string) error {
	cw := NewCSVWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(SafeRow(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
