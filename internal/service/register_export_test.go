package service_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
	"github.com/xuri/excelize/v2"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/export"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

// exportAs runs one export format for an actor and returns the bytes.
func (e *env) exportAs(who string, rq service.RegisterQuery, format string) ([]byte, error) {
	e.t.Helper()
	x, err := e.svc.Incidents.RegisterExport(e.ctx, e.actors[who], rq)
	if err != nil {
		return nil, err
	}
	m := export.Meta{Organisation: x.Organisation, Filter: x.Filter, PrintedAt: x.PrintedAt, Location: x.Location}
	var buf bytes.Buffer
	switch format {
	case "xlsx":
		err = export.XLSX(e.ctx, &buf, m, x)
	case "csv":
		err = export.CSV(e.ctx, &buf, m, x)
	case "pdf":
		err = export.PDF(e.ctx, &buf, m, x)
	}
	return buf.Bytes(), err
}

// registerRows is the register page as rows of text, as the exports write them.
func registerRows(t *testing.T, v service.RegisterView) [][]string {
	t.Helper()
	var out [][]string
	for _, en := range v.Entries {
		row := make([]string, len(incident.RegisterColumns))
		for i, c := range incident.RegisterColumns {
			cell := c.Value(en, amsterdam)
			switch {
			case cell.Time != nil:
				row[i] = cell.Time.In(amsterdam).Format("02-01-2006 15:04")
			case cell.Number != nil:
				row[i] = strconv.Itoa(*cell.Number)
			default:
				row[i] = cell.Text
			}
		}
		out = append(out, row)
	}
	return out
}

func TestRegisterExportXLSXRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fx := e.registerFixture()
	// Every lookup of an entry filled somewhere: a withdrawal, and a case
	// the desk entered for a caller.
	mustOK(t, e.svc.Incidents.AmendNotification(e.ctx, e.actors["officer"], fx.full, incident.AmendForm{Kind: "withdrawal",
		SentAt: "2026-11-24T15:10", Content: "Ingetrokken: de gegevens zijn teruggevonden."}))
	must(e.svc.Incidents.ReportOnBehalf(e.ctx, e.actors["desk"], e.form("Ouder belt: brief naar verkeerd adres", e.a1),
		incident.OnBehalfForm{Role: "parent", Name: "Mevrouw Jansen", Phone: "06-12345678", Channel: "phone"}))
	var seen lookupsSeen
	for _, rq := range []service.RegisterQuery{{}, {Breach: "yes"}, {Sort: "number", Dir: "asc", School: strconv.FormatInt(e.a2, 10)}} {
		page := must(e.svc.Incidents.Register(e.ctx, e.actors["officer"], rq))
		want := registerRows(t, page)
		// The export reads its lookups as joins, the page as subqueries per
		// row (store.registerLookups): the same entries.
		var entries []incident.RegisterEntry
		x := must(e.svc.Incidents.RegisterExport(e.ctx, e.actors["officer"], rq))
		mustOK(t, x.Each(e.ctx, func(b []incident.RegisterEntry) error { entries = append(entries, b...); return nil }, nil))
		if len(entries) != len(page.Entries) {
			t.Fatalf("filter %+v: the export has %d entries, the page %d", rq, len(entries), len(page.Entries))
		}
		for i := range entries {
			if rq == (service.RegisterQuery{}) {
				seen.add(entries[i])
			}
			if !reflect.DeepEqual(entries[i], page.Entries[i]) {
				t.Errorf("filter %+v: export entry %d\n%+v\nwant the page's\n%+v", rq, i, entries[i], page.Entries[i])
			}
		}
		data := must(e.exportAs("officer", rq, "xlsx"))
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.GetSheetList(); fmt.Sprint(got) != fmt.Sprint([]string{export.SheetRegister, export.SheetTimeline}) {
			t.Errorf("sheets %v", got)
		}
		rows, err := f.GetRows(export.SheetRegister)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(want)+1 {
			t.Fatalf("filter %+v: %d rows, want header and %d", rq, len(rows), len(want))
		}
		for i, c := range incident.RegisterColumns {
			if rows[0][i] != c.Header {
				t.Errorf("header %d = %q, want %q", i, rows[0][i], c.Header)
			}
		}
		for r, w := range want {
			got := rows[r+1]
			for len(got) < len(w) { // GetRows leaves trailing empty cells out
				got = append(got, "")
			}
			for i := range w {
				if got[i] != w[i] {
					t.Errorf("filter %+v row %d column %q = %q, want %q", rq, r+1, incident.RegisterColumns[i].Header, got[i], w[i])
				}
			}
		}
		// Dates are real dates (a serial number shown with a date format) in Amsterdam wall time.
		raw, _ := f.GetCellValue(export.SheetRegister, "D2", excelize.Options{RawCellValue: true})
		serial, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			t.Fatalf("Gemeld op is not a number: %q", raw)
		}
		at, _ := excelize.ExcelDateToTime(serial, false)
		if wall := page.Entries[0].ReportedAt.In(amsterdam); at.Format("2006-01-02 15:04") != wall.Format("2006-01-02 15:04") {
			t.Errorf("date cell %v, want the Amsterdam wall time %v", at, wall)
		}
		panes, err := f.GetPanes(export.SheetRegister)
		if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 1 {
			t.Errorf("panes %+v %v, want the header row and case number frozen", panes, err)
		}
		if w, _ := f.GetColWidth(export.SheetRegister, "F"); w < 40 {
			t.Errorf("column F (what) is %v wide", w)
		}
		// The timeline holds every event of exactly these cases.
		tl, err := f.GetRows(export.SheetTimeline)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, len(page.Entries))
		for i, en := range page.Entries {
			ids[i] = en.ID
		}
		if n := e.count(`SELECT count(*) FROM case_events WHERE case_id = ANY($1)`, ids); len(tl) != n+1 || n == 0 {
			t.Errorf("timeline rows %d, want %d events and the header", len(tl)-1, n)
		}
		numbers := map[string]int{} // case number: its place in the export
		for i, row := range want {
			numbers[row[0]] = i + 1
		}
		// Case by case in the register's order, each case's events oldest first.
		place, last := 0, time.Time{}
		for _, row := range tl[1:] {
			p := numbers[row[0]]
			if p == 0 {
				t.Errorf("timeline row of case %s, which is not in the export", row[0])
				continue
			}
			at, err := time.Parse("02-01-2006 15:04", row[1])
			if err != nil {
				t.Errorf("timeline moment %q: %v", row[1], err)
			}
			if p < place || p == place && at.Before(last) {
				t.Errorf("timeline row %v out of order (case %d after %d, %v after %v)", row, p, place, at, last)
			}
			place, last = p, at
		}
		_ = f.Close()
	}
	for _, name := range []string{"school", "reporter", "supplements", "withdrawn", "board_first", "board_views",
		"ap_confirmations", "subjects_notices", "processor", "exception_review", "entered_by"} {
		if !seen[name] {
			t.Errorf("no exported entry has its %s filled: the comparison with the page does not cover it", name)
		}
	}
}

func TestRegisterExportCSVAndPDF(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.registerFixture()
	page := must(e.svc.Incidents.Register(e.ctx, e.actors["desk"], service.RegisterQuery{}))
	want := registerRows(t, page)

	data := must(e.exportAs("desk", service.RegisterQuery{}, "csv"))
	if !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		t.Fatal("CSV without a UTF-8 byte order mark")
	}
	header := strings.SplitN(string(data[3:]), "\r\n", 2)[0]
	if !strings.HasPrefix(header, "Zaaknummer;School;Status;Gemeld op;Gemeld door;") {
		t.Errorf("CSV header %q, want ';' between the columns", header)
	}
	if !bytes.Contains(data, []byte(";\r\n")) && !bytes.Contains(data, []byte("\r\n2026-")) {
		t.Error("CSV lines do not end in CRLF")
	}
	r := csv.NewReader(bytes.NewReader(data[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want)+1 || len(rows[0]) != len(incident.RegisterColumns) {
		t.Fatalf("CSV %d rows of %d columns, want %d of %d", len(rows), len(rows[0]), len(want)+1, len(incident.RegisterColumns))
	}
	for i, w := range want {
		if fmt.Sprint(rows[i+1]) != fmt.Sprint(w) {
			t.Errorf("CSV row %d = %q, want %q", i+1, rows[i+1], w)
		}
	}

	data = must(e.exportAs("desk", service.RegisterQuery{}, "pdf"))
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", data[:min(len(data), 20)])
	}
	rd, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("PDF unreadable: %v", err)
	}
	var text strings.Builder
	for i := 1; i <= rd.NumPage(); i++ {
		p := rd.Page(i)
		if p.V.IsNull() {
			continue
		}
		s, err := p.GetPlainText(nil)
		if err != nil {
			t.Fatal(err)
		}
		text.WriteString(s)
	}
	txt := text.String()
	for _, row := range want {
		if !strings.Contains(txt, row[0]) {
			t.Errorf("PDF text lacks case number %s", row[0])
		}
	}
	for _, s := range []string{"Datalekregister", "Bestuur A", "Pagina 1 van", "Alle incidenten", "geïnformeerd"} {
		if !strings.Contains(txt, s) {
			t.Errorf("PDF text lacks %q", s)
		}
	}
}

// TestRegisterExportAuthorisation: an export is a read of everything: the
// desk, officer, board and administrator of the organisation within their
// schools; everyone else is refused; another organisation's cases never.
func TestRegisterExportAuthorisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fx := e.registerFixture()
	e.user("admin_a1", e.orgA, accessGrant("admin", e.a1))
	e.user("board_a2", e.orgA, accessGrant("board", e.a2))
	inB := must(e.svc.Incidents.Report(e.ctx, e.user("staff_b", e.orgB), e.form("Laptop kwijt in B1", e.b1))).ID
	inA1 := []int64{fx.noIncident, fx.full, fx.kept}
	inA2 := []int64{fx.late, fx.noBreach, fx.fresh}

	exported := func(who string) (map[int64]bool, error) {
		x, err := e.svc.Incidents.RegisterExport(e.ctx, e.actors[who], service.RegisterQuery{})
		if err != nil {
			return nil, err
		}
		got := map[int64]bool{}
		err = x.Each(e.ctx, func(b []incident.RegisterEntry) error {
			for _, en := range b {
				got[en.ID] = true
			}
			return nil
		}, func(evs []incident.RegisterEvent) error {
			// The timeline holds the exported cases' events only.
			for _, ev := range evs {
				if !got[ev.CaseID] {
					return fmt.Errorf("timeline of case %d, which is not exported", ev.CaseID)
				}
			}
			return nil
		})
		return got, err
	}
	for _, tt := range []struct {
		who  string
		want []int64 // nil: refused
	}{
		{"desk", append(append([]int64{}, inA1...), inA2...)},
		{"officer", append(append([]int64{}, inA1...), inA2...)},
		{"board", append(append([]int64{}, inA1...), inA2...)},
		{"admin", append(append([]int64{}, inA1...), inA2...)},
		{"desk_a1", inA1},
		{"admin_a1", inA1},
		{"board_a2", inA2},
		{"desk_b", []int64{inB}},
		{"admin_b", []int64{inB}},
		{"staff", nil},
		{"technician", nil},
	} {
		got, err := exported(tt.who)
		if tt.want == nil {
			if !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s: %v, want Forbidden", tt.who, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.who, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s exports %d cases, want %d", tt.who, len(got), len(tt.want))
		}
		for _, id := range tt.want {
			if !got[id] {
				t.Errorf("%s: case %d missing", tt.who, id)
			}
		}
	}
	if _, err := e.svc.Incidents.RegisterExport(e.ctx, nil, service.RegisterQuery{}); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("nobody: %v", err)
	}
	// The timeline of another organisation's export holds its own case's events only.
	x := must(e.svc.Incidents.RegisterExport(e.ctx, e.actors["desk_b"], service.RegisterQuery{}))
	var evs []incident.RegisterEvent
	if err := x.Each(e.ctx, func([]incident.RegisterEntry) error { return nil },
		func(b []incident.RegisterEvent) error { evs = append(evs, b...); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(evs) == 0 || slicesAny(evs, func(ev incident.RegisterEvent) bool { return ev.CaseID != inB }) {
		t.Errorf("events across organisations: %+v", evs)
	}
	// A school of another organisation in the filter is ignored, not obeyed.
	if got, _ := e.svc.Incidents.RegisterExport(e.ctx, e.actors["desk_b"], service.RegisterQuery{School: strconv.FormatInt(e.a1, 10)}); got == nil {
		t.Error("export with a foreign school refused instead of ignored")
	}
}

func accessGrant(role string, school int64) access.Grant {
	return access.Grant{Role: access.Role(role), Schools: []int64{school}}
}

func slicesAny[T any](s []T, f func(T) bool) bool {
	for _, v := range s {
		if f(v) {
			return true
		}
	}
	return false
}

// TestRegisterExportCheckPDF: a PDF holds at most RegisterPDFLimit cases of
// the export's filter; above that it is refused (Invalid, in Dutch), and a
// narrower filter, or another organisation, is not.
func TestRegisterExportCheckPDF(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.exec(`
		INSERT INTO cases (organisation_id, year, seq, reporter_id, submission_key, reported_at, what_happened,
			personal_data, ongoing, updated_at)
		SELECT $1, 2020, g, $2, md5(g::text)::uuid, timestamptz '2020-03-01 10:00+01' + g * interval '1 minute',
			'Oude melding ' || g, 'no', 'no', now()
		FROM generate_series(1, $3::int) g`, e.orgA, e.actors["staff"].UserID, service.RegisterPDFLimit+1)
	check := func(who string, rq service.RegisterQuery) error {
		t.Helper()
		return must(e.svc.Incidents.RegisterExport(e.ctx, e.actors[who], rq)).CheckPDF(e.ctx)
	}
	err := check("desk", service.RegisterQuery{})
	if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.Invalid || !strings.Contains(ae.Message, "Een PDF kan hoogstens 2000 incidenten bevatten; dit filter toont er 2001.") {
		t.Errorf("too many for a PDF: %v, want Invalid with the count", err)
	}
	if err := check("desk", service.RegisterQuery{From: "2021-01-01"}); err != nil {
		t.Errorf("narrowed: %v", err)
	}
	if err := check("desk_b", service.RegisterQuery{}); err != nil {
		t.Errorf("another organisation: %v", err)
	}
}

// lookupsSeen records which of an entry's lookups (store.registerLookups)
// some entry has filled, so that the comparison of the export with the page
// covers each.
type lookupsSeen map[string]bool

func (l *lookupsSeen) add(en incident.RegisterEntry) {
	if *l == nil {
		*l = lookupsSeen{}
	}
	for name, set := range map[string]bool{
		"school": en.SchoolName != "", "reporter": en.ReporterName != "", "supplements": len(en.APSupplements) > 0,
		"withdrawn": en.APWithdrawnAt != nil, "board_first": en.BoardInformedAt != nil, "board_views": en.BoardViews != "",
		"ap_confirmations": len(en.APConfirmations) > 0, "subjects_notices": len(en.SubjectsNotices) > 0,
		"processor": en.Processor != "", "exception_review": en.ExceptionReviewAt != nil, "entered_by": en.Source.EnteredBy != "",
	} {
		if set {
			(*l)[name] = true
		}
	}
}
