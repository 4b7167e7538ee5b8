package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/xlsxsample"
)

// registerHeaders are the columns of a register as schools keep it.
var registerHeaders = []any{"Datum", "Omschrijving", "Melder", "School", "Persoonsgegevens", "Oorzaak", "Maatregelen",
	"Datalek", "Gemeld bij AP", "Meldingsnummer", "Reden", "Betrokkenen geïnformeerd"}

// goodRows are three well-formed rows: a real Excel date and two dates
// typed as text, in both accepted orders.
func goodRows() [][]any {
	return [][]any{
		{time.Date(2024, 3, 12, 0, 0, 0, 0, time.UTC), "E-mail met cijferlijst naar verkeerde ouder", "Juf Anna", "School A1",
			"namen en cijfers", "Verkeerd adres gekozen", "Ontvanger gevraagd de mail te verwijderen", "ja", "ja", "M-2024-118", "", "j"},
		{"05-06-2024", "USB-stick kwijt, versleuteld", "Piet", "school a2", "nee", "Verloren in de trein", "Stick op afstand geblokkeerd",
			"nee", "nee", "", "Geen persoonsgegevens op de stick", "n"},
		{"2025-1-7", "Phishingmail, niemand heeft geklikt", "", "", "", "", "", "", "", "", "", ""},
	}
}

// importSheet uploads a register, saves the guessed mapping of its first sheet and returns the upload's id.
func (e *env) importSheet(a *access.Actor, data []byte) int64 {
	e.t.Helper()
	id, err := e.svc.Incidents.UploadImport(e.ctx, a, service.ImportUpload{Filename: "register.xlsx", Data: data})
	if err != nil {
		e.t.Fatalf("upload: %v", err)
	}
	v, err := e.svc.Incidents.ImportSheet(e.ctx, a, id, "")
	if err != nil {
		e.t.Fatalf("mapping page: %v", err)
	}
	fields := make([]string, len(v.Mapping))
	for i, f := range v.Mapping {
		fields[i] = string(f)
	}
	if err := e.svc.Incidents.SaveImportMapping(e.ctx, a, id, v.Sheet, fields); err != nil {
		e.t.Fatalf("save mapping %v: %v", v.Mapping, err)
	}
	return id
}

func TestImportWellFormedSheet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk := e.actors["desk"]
	data := xlsxsample.Build(t, xlsxsample.Sheet{Name: "Register 2024", Rows: append([][]any{registerHeaders}, goodRows()...)})
	id, err := e.svc.Incidents.UploadImport(e.ctx, desk, service.ImportUpload{Filename: "register.xlsx", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.Incidents.ImportSheet(e.ctx, desk, id, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []incident.ImportField{incident.FieldDate, incident.FieldDescription, incident.FieldReporter, incident.FieldSchool,
		incident.FieldPersonalData, incident.FieldCause, incident.FieldMeasures, incident.FieldBreach, incident.FieldAPNotified,
		incident.FieldAPNumber, incident.FieldAPReason, incident.FieldSubjectsInformed}
	if len(v.Mapping) != len(want) || v.Rows != 3 || v.Sheet != "Register 2024" {
		t.Fatalf("mapping page: sheet %q, %d rows, mapping %v", v.Sheet, v.Rows, v.Mapping)
	}
	for i := range want {
		if v.Mapping[i] != want[i] {
			t.Errorf("column %q guessed as %q, want %q", v.Headers[i], v.Mapping[i], want[i])
		}
	}
	fields := make([]string, len(want))
	for i, f := range want {
		fields[i] = string(f)
	}
	if err := e.svc.Incidents.SaveImportMapping(e.ctx, desk, id, v.Sheet, fields); err != nil {
		t.Fatal(err)
	}
	p, err := e.svc.Incidents.ImportPreview(e.ctx, desk, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.New != 3 || p.Problems != 0 || p.Duplicates != 0 || !p.CanRun() {
		for _, r := range p.Rows {
			t.Logf("row %d: %s %v", r.Number, r.Status, r.Problems)
		}
		t.Fatalf("preview: %d new, %d problems, %d duplicates", p.New, p.Problems, p.Duplicates)
	}
	if p.Rows[0].Number != 2 || p.Rows[2].Number != 4 {
		t.Errorf("row numbers %d..%d, want Excel's 2..4", p.Rows[0].Number, p.Rows[2].Number)
	}
	res, err := e.svc.Incidents.RunImport(e.ctx, desk, id)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 3 || res.Skipped != 0 {
		t.Fatalf("result %+v", res)
	}

	type got struct {
		number, status, outcome, school, what, personal string
		reportedDay                                     string
	}
	rows, err := e.owner.Query(e.ctx, `
		SELECT c.year || '-' || lpad(c.seq::text, 4, '0'), c.status, coalesce(c.outcome, ''), coalesce(s.name, ''), c.what_happened,
			c.personal_data, to_char(c.reported_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI')
		FROM cases c LEFT JOIN schools s ON s.id = c.school_id
		WHERE c.organisation_id = $1 ORDER BY c.id`, e.orgA)
	if err != nil {
		t.Fatal(err)
	}
	var cases []got
	for rows.Next() {
		var g got
		if err := rows.Scan(&g.number, &g.status, &g.outcome, &g.school, &g.what, &g.personal, &g.reportedDay); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, g)
	}
	rows.Close()
	wantCases := []got{
		{"2024-0001", "closed", "breach", "School A1", "E-mail met cijferlijst naar verkeerde ouder", "yes", "2024-03-12 00:00"},
		{"2024-0002", "closed", "no_personal_data", "School A2", "USB-stick kwijt, versleuteld", "no", "2024-06-05 00:00"},
		{"2025-0001", "closed", "", "", "Phishingmail, niemand heeft geklikt", "unknown", "2025-01-07 00:00"},
	}
	if len(cases) != len(wantCases) {
		t.Fatalf("%d cases, want %d", len(cases), len(wantCases))
	}
	for i := range wantCases {
		if cases[i] != wantCases[i] {
			t.Errorf("case %d:\n got %+v\nwant %+v", i, cases[i], wantCases[i])
		}
	}
	if n := e.count(`SELECT count(*) FROM case_notifications WHERE organisation_id = $1 AND number = 'M-2024-118' AND kind = 'initial'`, e.orgA); n != 1 {
		t.Errorf("AP notification rows = %d", n)
	}
	if n := e.count(`SELECT count(*) FROM case_assessments WHERE organisation_id = $1 AND NOT notify_authority AND authority_reason = 'Geen persoonsgegevens op de stick' AND NOT breach`, e.orgA); n != 1 {
		t.Errorf("the 'no' decision with its reason: %d rows", n)
	}
	if n := e.count(`SELECT count(*) FROM case_repairs WHERE organisation_id = $1 AND cause = 'Verloren in de trein' AND technical_incidental = 'Stick op afstand geblokkeerd' AND completed`, e.orgA); n != 1 {
		t.Errorf("repair rows = %d", n)
	}
	if n := e.count(`SELECT count(*) FROM case_events WHERE organisation_id = $1 AND kind = 'imported' AND summary = 'Geïmporteerd uit register.xlsx' AND actor_id = $2`, e.orgA, desk.UserID); n != 3 {
		t.Errorf("timeline entries = %d, want 3 by the importer", n)
	}
	if n := e.count(`SELECT count(*) FROM register_imports WHERE id = $1 AND imported_at IS NOT NULL AND imported_count = 3 AND data IS NULL`, id); n != 1 {
		t.Error("the upload is not marked imported, or still holds the file")
	}

	// The case page shows where it came from, with every original cell.
	var first int64
	if err := e.owner.QueryRow(e.ctx, `SELECT id FROM cases WHERE organisation_id = $1 AND year = 2024 AND seq = 1`, e.orgA).Scan(&first); err != nil {
		t.Fatal(err)
	}
	cv, err := e.svc.Incidents.Case(e.ctx, e.actors["officer"], first)
	if err != nil {
		t.Fatal(err)
	}
	o := cv.Import
	if o == nil || o.Filename != "register.xlsx" || o.Sheet != "Register 2024" || o.Row != 2 || o.ReporterName != "Juf Anna" || len(o.Original) != len(registerHeaders) {
		t.Fatalf("origin %+v", o)
	}
	if o.Original[0].Header != "Datum" || o.Original[0].Value == "" || o.Original[11].Header != "Betrokkenen geïnformeerd" || o.Original[11].Value != "j" {
		t.Errorf("original cells %+v", o.Original)
	}

	// The register lists them with the original reporter, marked as imported.
	reg, err := e.svc.Incidents.Register(e.ctx, e.actors["board"], service.RegisterQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Entries) != 3 {
		t.Fatalf("register has %d entries, want 3", len(reg.Entries))
	}
	for _, en := range reg.Entries {
		if !en.Imported {
			t.Errorf("%s not marked imported", en.Number)
		}
		// The sheet does not say when the school became aware or decided:
		// Lekwacht does not claim a deadline was met or missed.
		if en.Deadline72h.State != incident.DeadlineNA || en.DeadlineFiling.State != incident.DeadlineNA || en.DeadlineWeek.State != incident.DeadlineNA {
			t.Errorf("%s: deadlines judged for an imported case: %+v %+v %+v", en.Number, en.Deadline72h, en.DeadlineFiling, en.DeadlineWeek)
		}
		if en.Number.String() == "2024-0001" && (en.ReporterName != "Juf Anna" || en.APNumber != "M-2024-118" || !en.SubjectsNotify || len(en.DataKinds) != 1 || en.DataKinds[0] != "namen en cijfers") {
			t.Errorf("register entry %+v", en)
		}
		if en.Number.String() == "2025-0001" && en.ReporterName != desk.Name {
			t.Errorf("without a reporter in the sheet, the importer stands in: %q", en.ReporterName)
		}
	}
	// Filtering by period uses the incident date.
	reg, err = e.svc.Incidents.Register(e.ctx, desk, service.RegisterQuery{From: "2025-01-01"})
	if err != nil || len(reg.Entries) != 1 {
		t.Errorf("from 2025: %d entries, %v", len(reg.Entries), err)
	}
	// The importer's own list of reports does not fill up with the register.
	mine, err := e.svc.Incidents.Mine(e.ctx, desk)
	if err != nil || len(mine) != 0 {
		t.Errorf("Mijn meldingen of the importer: %d, %v", len(mine), err)
	}
}

func TestImportBadRowsBlockTheImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk := e.actors["desk"]
	rows := append([][]any{registerHeaders}, goodRows()...)
	rows = append(rows,
		[]any{"12-03-2024", "", "Jan", "School A1", "", "", "", "", "", "", "", ""},                                 // row 5: no description
		[]any{"31-02-2024", "Laptop gestolen", "Jan", "School A1", "", "", "", "", "", "", "", ""},                  // row 6: no such date
		[]any{"gisteren", "Laptop gestolen", "Jan", "School A1", "", "", "", "", "", "", "", ""},                    // row 7: not a date
		[]any{"12-03-2024", "Brief kwijt", "Jan", "De Onbekende School", "", "", "", "", "", "", "", ""},            // row 8: unknown school
		[]any{"12-03-2024", "Brief kwijt", "Jan", "School A1", "", "", "", "misschien", "", "", "", ""},             // row 9: yes/no not understood
		[]any{"12-03-2024", "Cc in plaats van bcc", "Jan", "School A1", "", "", "", "ja", "ja", "", "", ""},         // row 10: AP yes without number
		[]any{"12-03-2024", "Cc in plaats van bcc", "Jan", "School B1", "", "", "", "", "", "", "", ""},             // row 11: another organisation's school
		[]any{"12-03-2099", "Toekomst", "Jan", "School A1", "", "", "", "", "", "", "", ""},                         // row 12: in the future
		[]any{"12-03-2024", "Geen datalek, wel gemeld", "Jan", "School A1", "", "", "", "nee", "ja", "X-1", "", ""}, // row 13: contradiction
	)
	id := e.importSheet(desk, xlsxsample.Build(t, xlsxsample.Sheet{Name: "Blad1", Rows: rows}))
	p, err := e.svc.Incidents.ImportPreview(e.ctx, desk, id)
	if err != nil {
		t.Fatal(err)
	}
	wantProblems := map[int]string{
		5: "is leeg: beschrijf wat er is gebeurd", 6: "is geen datum", 7: "is geen datum", 8: "de school ‘De Onbekende School’ is onbekend",
		9: "‘misschien’ is geen ja of nee", 10: "het meldingsnummer ontbreekt", 11: "de school ‘School B1’ is onbekend",
		12: "ligt in de toekomst", 13: "Datalek is ‘nee’, maar er is wel gemeld",
	}
	if p.New != 3 || p.Problems != len(wantProblems) || p.CanRun() {
		t.Errorf("preview: %d new, %d problems, can run %v", p.New, p.Problems, p.CanRun())
	}
	for _, r := range p.Rows {
		want, bad := wantProblems[r.Number]
		switch {
		case bad && (r.Status != incident.RowProblem || len(r.Problems) == 0 || !strings.Contains(strings.Join(r.Problems, " "), want)):
			t.Errorf("row %d: %s %q, want a problem with %q", r.Number, r.Status, r.Problems, want)
		case !bad && r.Status != incident.RowNew:
			t.Errorf("row %d: %s %q, want new", r.Number, r.Status, r.Problems)
		}
	}
	_, err = e.svc.Incidents.RunImport(e.ctx, desk, id)
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("import with problems: %v, want Invalid", err)
	}
	if e, _ := apperr.As(err); !strings.Contains(e.Message, "Er is niets geïmporteerd: 9 regels hebben een probleem") {
		t.Errorf("message %q", e.Message)
	}
	if n := e.count(`SELECT count(*) FROM cases WHERE organisation_id = $1`, e.orgA); n != 0 {
		t.Fatalf("%d cases created from a sheet with problems", n)
	}

	// Fixed and uploaded again, it imports.
	id = e.importSheet(desk, xlsxsample.Build(t, xlsxsample.Sheet{Name: "Blad1", Rows: append([][]any{registerHeaders}, goodRows()...)}))
	res, err := e.svc.Incidents.RunImport(e.ctx, desk, id)
	if err != nil || res.Created != 3 {
		t.Fatalf("fixed sheet: %+v, %v", res, err)
	}
}

func TestImportSameSheetTwiceDoesNotDuplicate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk, officer := e.actors["desk"], e.actors["officer"]
	rows := append([][]any{registerHeaders}, goodRows()...)
	// A row repeated within the sheet is imported once.
	rows = append(rows, goodRows()[0])
	data := xlsxsample.Build(t, xlsxsample.Sheet{Name: "Blad1", Rows: rows})
	id := e.importSheet(desk, data)
	p, err := e.svc.Incidents.ImportPreview(e.ctx, desk, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.New != 3 || p.Duplicates != 1 || p.Rows[3].DuplicateOf != 2 {
		t.Fatalf("preview: %d new, %d duplicates, row 5 repeats %d", p.New, p.Duplicates, p.Rows[3].DuplicateOf)
	}
	if res, err := e.svc.Incidents.RunImport(e.ctx, desk, id); err != nil || res.Created != 3 || res.Skipped != 1 {
		t.Fatalf("first import: %+v, %v", res, err)
	}
	// The same upload cannot be imported again.
	if _, err := e.svc.Incidents.RunImport(e.ctx, desk, id); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("second run of the same upload: %v, want Conflict", err)
	}
	// The same sheet uploaded again, by someone else: all rows already imported.
	id2 := e.importSheet(officer, data)
	p, err = e.svc.Incidents.ImportPreview(e.ctx, officer, id2)
	if err != nil {
		t.Fatal(err)
	}
	if p.New != 0 || p.Duplicates != 4 || p.CanRun() || p.Rows[0].ImportedAs == nil || p.Rows[0].ImportedAs.String() != "2024-0001" {
		t.Fatalf("second upload: %d new, %d duplicates, first imported as %v", p.New, p.Duplicates, p.Rows[0].ImportedAs)
	}
	if _, err := e.svc.Incidents.RunImport(e.ctx, officer, id2); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("import of an already imported sheet: %v, want Conflict", err)
	}
	// With one row more (and spaces and capitals changed), only the new row is created.
	more := append([][]any{registerHeaders}, goodRows()...)
	more[2][1] = "  USB-stick KWIJT,   versleuteld "
	more = append(more, []any{"01-02-2025", "Nieuw incident", "Kees", "School A1", "", "", "", "", "", "", "", ""})
	id3 := e.importSheet(officer, xlsxsample.Build(t, xlsxsample.Sheet{Name: "Blad1", Rows: more}))
	res, err := e.svc.Incidents.RunImport(e.ctx, officer, id3)
	if err != nil || res.Created != 1 || res.Skipped != 3 {
		t.Fatalf("sheet with one new row: %+v, %v", res, err)
	}
	if n := e.count(`SELECT count(*) FROM cases WHERE organisation_id = $1`, e.orgA); n != 4 {
		t.Errorf("%d cases, want 4", n)
	}
	// The database refuses a second case for a row key even without the service.
	if _, err := e.owner.Exec(e.ctx, `INSERT INTO case_imports (organisation_id, case_id, import_id, sheet, row_number, row_key, original)
		SELECT organisation_id, (SELECT max(id) FROM cases), import_id, sheet, row_number, row_key, original FROM case_imports LIMIT 1`); err == nil {
		t.Error("a duplicate row key was accepted by the database")
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk := e.actors["desk"]
	id := e.importSheet(desk, xlsxsample.Build(t, xlsxsample.Sheet{Name: "Blad1", Rows: append([][]any{registerHeaders}, goodRows()...)}))
	// The database fails on the last row (row 4), after the first two went in.
	if _, err := e.owner.Exec(e.ctx, `
		CREATE FUNCTION fail_last_row() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.row_number = 4 THEN RAISE EXCEPTION 'disk full (test)'; END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER fail_last_row BEFORE INSERT ON case_imports FOR EACH ROW EXECUTE FUNCTION fail_last_row();`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Incidents.RunImport(e.ctx, desk, id); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("import: %v, want the database's failure", err)
	}
	for what, q := range map[string]string{
		"cases":         `SELECT count(*) FROM cases WHERE organisation_id = $1`,
		"events":        `SELECT count(*) FROM case_events WHERE organisation_id = $1`,
		"notifications": `SELECT count(*) FROM case_notifications WHERE organisation_id = $1`,
		"decisions":     `SELECT count(*) FROM case_assessments WHERE organisation_id = $1`,
		"case imports":  `SELECT count(*) FROM case_imports WHERE organisation_id = $1`,
		"counters":      `SELECT count(*) FROM case_counters WHERE organisation_id = $1`,
		"imported":      `SELECT count(*) FROM register_imports WHERE organisation_id = $1 AND imported_at IS NOT NULL`,
	} {
		if n := e.count(q, e.orgA); n != 0 {
			t.Errorf("%s: %d rows left after a failed import", what, n)
		}
	}
	// Once the failure is gone, the same upload imports in full.
	if _, err := e.owner.Exec(e.ctx, `DROP TRIGGER fail_last_row ON case_imports`); err != nil {
		t.Fatal(err)
	}
	if res, err := e.svc.Incidents.RunImport(e.ctx, desk, id); err != nil || res.Created != 3 {
		t.Fatalf("retry: %+v, %v", res, err)
	}
}

// TestImportAuthorisation: who may upload, continue an upload, and import
// rows of which schools.
func TestImportAuthorisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	data := xlsxsample.Build(t, xlsxsample.Sheet{Name: "Blad1", Rows: append([][]any{registerHeaders}, goodRows()...)})
	deskUpload := e.importSheet(e.actors["desk"], data)
	for _, tc := range []struct {
		who     string
		upload  apperr.Kind // 0: allowed
		useDesk apperr.Kind // continuing the desk's upload
		rowsOK  int         // of the 3 good rows, for their own upload (-1: no upload)
	}{
		{"desk", 0, 0, 3},
		{"officer", 0, apperr.NotFound, 3},
		// Limited to School A1: the A2 row and the row without a school are problems.
		{"desk_a1", 0, apperr.NotFound, 1},
		{"board", apperr.Forbidden, apperr.Forbidden, -1},
		{"technician", apperr.Forbidden, apperr.Forbidden, -1},
		{"admin", apperr.Forbidden, apperr.Forbidden, -1},
		{"staff", apperr.Forbidden, apperr.Forbidden, -1},
		// Another organisation: its own upload, where org A's schools are
		// unknown; only the row without a school is fine.
		{"desk_b", 0, apperr.NotFound, 1},
	} {
		a := e.actors[tc.who]
		_, err := e.svc.Incidents.UploadImport(e.ctx, a, service.ImportUpload{Filename: "r.xlsx", Data: data})
		checkKind(t, tc.who+" upload", err, tc.upload)
		if tc.who != "desk" {
			_, err = e.svc.Incidents.ImportPreview(e.ctx, a, deskUpload)
			checkKind(t, tc.who+" preview of the desk's upload", err, tc.useDesk)
			_, err = e.svc.Incidents.RunImport(e.ctx, a, deskUpload)
			checkKind(t, tc.who+" import of the desk's upload", err, tc.useDesk)
			_, err = e.svc.Incidents.ImportSheet(e.ctx, a, deskUpload, "")
			checkKind(t, tc.who+" mapping of the desk's upload", err, tc.useDesk)
		}
		if tc.rowsOK < 0 {
			continue
		}
		p, err := e.svc.Incidents.ImportPreview(e.ctx, a, e.importSheet(a, data))
		if err != nil {
			t.Fatalf("%s: %v", tc.who, err)
		}
		if p.New != tc.rowsOK || p.Problems != 3-tc.rowsOK {
			t.Errorf("%s: %d rows new, %d with problems; want %d new", tc.who, p.New, p.Problems, tc.rowsOK)
		}
	}
	if n := e.count(`SELECT count(*) FROM cases`); n != 0 {
		t.Errorf("%d cases created", n)
	}
	var nilActor *access.Actor
	_, err := e.svc.Incidents.UploadImport(e.ctx, nilActor, service.ImportUpload{Filename: "r.xlsx", Data: data})
	checkKind(t, "nobody", err, apperr.Unauthenticated)
}

func checkKind(t *testing.T, what string, err error, want apperr.Kind) {
	t.Helper()
	if want == 0 {
		if err != nil {
			t.Errorf("%s: %v, want allowed", what, err)
		}
		return
	}
	if !apperr.Is(err, want) {
		t.Errorf("%s: %v, want kind %d", what, err, want)
	}
}

func TestImportUploadChecks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk := e.actors["desk"]
	good := xlsxsample.Build(t, xlsxsample.Sheet{Name: "Blad1", Rows: append([][]any{registerHeaders}, goodRows()...)})
	for _, tc := range []struct {
		name, filename string
		data           []byte
		tooLarge       bool
		want           string
	}{
		{"nothing chosen", "", nil, false, "Kies het Excel-bestand"},
		{"empty", "leeg.xlsx", []byte{}, false, "Het bestand is leeg"},
		{"csv", "register.csv", []byte("Datum;Omschrijving\n12-03-2024;Brief kwijt\n"), false, "Dit is geen Excel-bestand (.xlsx)"},
		{"pdf named xlsx", "register.xlsx", []byte("%PDF-1.7\n%%EOF\n"), false, "Dit is geen Excel-bestand (.xlsx)"},
		{"zip that is no workbook", "register.xlsx", xlsxsample.Zip(t, map[string]string{"hello.txt": "hi"}), false, "Dit is geen Excel-bestand (.xlsx)"},
		{"too large", "register.xlsx", nil, true, "groter dan 5 MB"},
	} {
		_, err := e.svc.Incidents.UploadImport(e.ctx, desk, service.ImportUpload{Filename: tc.filename, Data: tc.data, TooLarge: tc.tooLarge})
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.Invalid || !strings.Contains(ae.Fields["file"], tc.want) {
			t.Errorf("%s: %v, want a message on file with %q", tc.name, err, tc.want)
		}
	}
	// An upload of more than a day ago that was never imported is cleaned up by the next upload.
	old, err := e.svc.Incidents.UploadImport(e.ctx, desk, service.ImportUpload{Filename: "oud.xlsx", Data: good})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(25 * time.Hour)
	if _, err := e.svc.Incidents.UploadImport(e.ctx, desk, service.ImportUpload{Filename: "nieuw.xlsx", Data: good}); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM register_imports WHERE id = $1`, old); n != 0 {
		t.Error("the abandoned upload was not cleaned up")
	}
	if _, err := e.svc.Incidents.ImportPreview(e.ctx, desk, old); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("preview of a cleaned-up upload: %v", err)
	}
}

func TestImportMappingChecks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk := e.actors["desk"]
	data := xlsxsample.Build(t,
		xlsxsample.Sheet{Name: "Uitleg", Rows: [][]any{{"Dit blad legt het register uit."}}},
		xlsxsample.Sheet{Name: "Register", Rows: append([][]any{registerHeaders}, goodRows()...)})
	id, err := e.svc.Incidents.UploadImport(e.ctx, desk, service.ImportUpload{Filename: "r.xlsx", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.Incidents.ImportSheet(e.ctx, desk, id, "")
	if err != nil || v.Sheet != "Register" || len(v.Sheets) != 2 {
		t.Fatalf("opened on %q of %v, want the sheet with the data: %v", v.Sheet, v.Sheets, err)
	}
	if _, err := e.svc.Incidents.ImportPreview(e.ctx, desk, id); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("preview before mapping: %v", err)
	}
	if _, err := e.svc.Incidents.ImportSheet(e.ctx, desk, id, "Bestaat niet"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown sheet: %v", err)
	}
	v, err = e.svc.Incidents.ImportSheet(e.ctx, desk, id, "Register")
	if err != nil || len(v.Headers) != len(registerHeaders) {
		t.Fatalf("register sheet: %v %v", v.Headers, err)
	}
	fields := make([]string, len(v.Headers)) // all "niet importeren"
	fields[1] = string(incident.FieldDescription)
	fields[2] = string(incident.FieldDescription)
	err = e.svc.Incidents.SaveImportMapping(e.ctx, desk, id, "Register", fields)
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.Invalid || !strings.Contains(ae.Message, "‘Datum van het incident’") || !strings.Contains(ae.Fields["col2"], "al gekozen voor kolom B") {
		t.Fatalf("mapping without a date and a field twice: %v %v", err, ae)
	}
}

// TestImportConcurrentImportsOfOneSheet: two people import the same sheet at
// the same moment; one import creates the cases, the other creates nothing.
func TestImportConcurrentImportsOfOneSheet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	data := xlsxsample.Build(t, xlsxsample.Sheet{Name: "Blad1", Rows: append([][]any{registerHeaders}, goodRows()...)})
	desk, officer := e.actors["desk"], e.actors["officer"]
	ids := map[*access.Actor]int64{desk: e.importSheet(desk, data), officer: e.importSheet(officer, data)}
	errs := make(chan error, 2)
	for a, id := range ids {
		go func() {
			_, err := e.svc.Incidents.RunImport(e.ctx, a, id)
			errs <- err
		}()
	}
	var ok, conflict int
	for range 2 {
		switch err := <-errs; {
		case err == nil:
			ok++
		case apperr.Is(err, apperr.Conflict):
			conflict++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || conflict != 1 {
		t.Errorf("%d imports succeeded and %d conflicted, want 1 and 1", ok, conflict)
	}
	if n := e.count(`SELECT count(*) FROM cases WHERE organisation_id = $1`, e.orgA); n != 3 {
		t.Errorf("%d cases, want 3", n)
	}
	if n := e.count(`SELECT coalesce(sum(last), 0) FROM case_counters WHERE organisation_id = $1`, e.orgA); n != 3 {
		t.Errorf("counters handed out %d numbers for 3 cases: not gapless", n)
	}
}

// TestImportedCaseIsNotTheImportersReport: the importer stands in as the
// case's reporter in the database, but gets no reporter's rights: once their
// role is gone, the imported cases are not theirs to see.
func TestImportedCaseIsNotTheImportersReport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk := e.actors["desk_a1"]
	id := e.importSheet(desk, xlsxsample.Build(t, xlsxsample.Sheet{Name: "Blad1", Rows: [][]any{registerHeaders, goodRows()[0]}}))
	if _, err := e.svc.Incidents.RunImport(e.ctx, desk, id); err != nil {
		t.Fatal(err)
	}
	var caseID int64
	if err := e.owner.QueryRow(e.ctx, `SELECT case_id FROM case_imports WHERE organisation_id = $1`, e.orgA).Scan(&caseID); err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.Incidents.Case(e.ctx, desk, caseID)
	if err != nil || !v.Case.Imported || !v.Full {
		t.Fatalf("the importer with the desk role: %v, imported %v, full %v", err, v.Case.Imported, v.Full)
	}
	if err := e.store.SetGrants(e.sys, e.orgA, desk.UserID, nil); err != nil {
		t.Fatal(err)
	}
	former, _, err := e.store.Actor(e.sys, desk.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Incidents.Case(e.ctx, former, caseID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("the former desk still sees the imported case: %v", err)
	}
	if _, err := e.svc.Incidents.Attachments(e.ctx, former, caseID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("the former desk still sees the attachments: %v", err)
	}
}

// A register often opens with an explanation sheet: the mapping page opens
// on the sheet with the data, not on the first one.
func TestImportOpensOnTheSheetWithData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk := e.actors["desk"]
	data, err := xlsxsample.Sample()
	if err != nil {
		t.Fatal(err)
	}
	id, err := e.svc.Incidents.UploadImport(e.ctx, desk, service.ImportUpload{Filename: "register.xlsx", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.Incidents.ImportSheet(e.ctx, desk, id, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Sheets[0] != "Toelichting" || v.Sheet != "Register" {
		t.Fatalf("sheets %v: opened on %q, want the data sheet \"Register\"", v.Sheets, v.Sheet)
	}
	// The one asked for still wins.
	if v, err = e.svc.Incidents.ImportSheet(e.ctx, desk, id, "Toelichting"); err != nil || v.Sheet != "Toelichting" {
		t.Fatalf("asked for Toelichting: %q, %v", v.Sheet, err)
	}
}

// TestImportCellsWithControlCharacters: Excel writes a control character in a
// cell as _x0000_ (excelize reads it back as the character itself); a NUL
// byte cannot be stored in PostgreSQL text or jsonb. The import takes such
// characters out of the cells (keeping tabs and line breaks) instead of
// failing on the database.
func TestImportCellsWithControlCharacters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk := e.actors["desk"]
	rows := goodRows()[:1]
	rows[0][1] = "E-mail_x0000_ met cijferlijst_x0001_ naar_x001F_ verkeerde ouder\nmet bijlage"
	id := e.importSheet(desk, xlsxsample.Build(t, xlsxsample.Sheet{Name: "Blad1", Rows: append([][]any{registerHeaders}, rows...)}))
	res, err := e.svc.Incidents.RunImport(e.ctx, desk, id)
	if err != nil || res.Created != 1 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	var what string
	if err := e.owner.QueryRow(e.ctx, `SELECT what_happened FROM cases WHERE organisation_id = $1`, e.orgA).Scan(&what); err != nil {
		t.Fatal(err)
	}
	if want := "E-mail met cijferlijst naar verkeerde ouder\nmet bijlage"; what != want {
		t.Errorf("stored %q, want %q", what, want)
	}
}
