package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Importing an existing Excel register (issue 4): upload, map the columns,
// check every row, import them all in one transaction. The upload lives in
// PostgreSQL between the steps (any app server can serve the next one);
// only its uploader may continue it.

// ImportRetention is how long an upload that was never imported is kept.
const ImportRetention = 24 * time.Hour

// ImportUpload is the file as the handler read it from the form.
type ImportUpload struct {
	Filename string
	Data     []byte
	// TooLarge is set when the handler stopped reading at the limit.
	TooLarge bool
}

// ImportSheet is the chosen sheet of an upload: its headers, a few sample
// values per column, and the mapping (saved, else guessed).
type ImportSheet struct {
	Import  incident.RegisterImport
	Sheets  []string
	Sheet   string
	Headers []string
	Samples [][]string // per column, up to three values of the first rows
	Mapping []incident.ImportField
	Rows    int // data rows (non-empty)
}

// ImportPreview is what an import would do, row by row.
type ImportPreview struct {
	Import  incident.RegisterImport
	Sheet   string
	Headers []string
	Mapping []incident.ImportField
	Rows    []incident.ImportRow
	// Counts per status.
	New, Problems, Duplicates int
}

// CanRun reports whether the import may run: rows to create and no problems.
func (p ImportPreview) CanRun() bool { return p.Problems == 0 && p.New > 0 }

// ImportResult is what an import did.
type ImportResult struct {
	Created, Skipped int
	Filename         string
}

func importRefusal(a *access.Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if !incident.CanImport(a) {
		return apperr.Forbiddenf("Alleen het meldpunt en de FG kunnen een Excel-register importeren.")
	}
	return nil
}

// ImportForm checks that the actor may import (for the upload page).
func (s *Incidents) ImportForm(_ context.Context, a *access.Actor) error { return importRefusal(a) }

// UploadImport stores an uploaded register after checking that it is a
// readable .xlsx with at least one sheet, and deletes the organisation's
// abandoned uploads.
func (s *Incidents) UploadImport(ctx context.Context, a *access.Actor, u ImportUpload) (int64, error) {
	ctx = scoped(ctx, a)
	if err := importRefusal(a); err != nil {
		return 0, err
	}
	name, err := checkImportFile(u)
	if err != nil {
		return 0, err
	}
	now := s.d.Now()
	sum := sha256.Sum256(u.Data)
	var id int64
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		if _, err := q.DeleteStaleImports(ctx, a.OrganisationID, now.Add(-ImportRetention)); err != nil {
			return err
		}
		id, err = q.InsertImport(ctx, store.NewImport{OrganisationID: a.OrganisationID, UploadedBy: a.UserID, UploadedAt: now,
			Filename: name, SHA256: sum[:], Data: u.Data})
		return err
	})
	if err != nil {
		return 0, err
	}
	s.d.Logger.Info("register import uploaded", "organisation_id", a.OrganisationID, "import_id", id, "size", len(u.Data))
	return id, nil
}

const notXLSX = "Dit is geen Excel-bestand (.xlsx). Sla het register in Excel op als ‘Excel-werkmap (.xlsx)’ en upload het opnieuw. Oudere .xls-bestanden en .csv worden niet gelezen."

// checkImportFile refuses anything but a readable .xlsx within the limit,
// with a message beside the file field. The type is recognised from the
// content; what the browser claimed is ignored.
func checkImportFile(u ImportUpload) (string, error) {
	refuse := func(msg string) (string, error) { return "", apperr.FieldErrors{"file": msg}.Err() }
	switch {
	case u.TooLarge || len(u.Data) > incident.MaxImportSize:
		return refuse("Het bestand is groter dan 5 MB. Verdeel het register over meer bestanden, of verwijder afbeeldingen en lege bladen.")
	case u.Filename == "" && len(u.Data) == 0:
		return refuse("Kies het Excel-bestand met uw register.")
	case len(u.Data) == 0:
		return refuse("Het bestand is leeg. Kies het juiste bestand.")
	}
	name := u.Filename
	if !strings.HasSuffix(strings.ToLower(name), ".xlsx") {
		name += ".xlsx"
	}
	f, err := incident.CheckAttachment(name, u.Data)
	if err != nil || !strings.HasPrefix(f.ContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml") {
		return refuse(notXLSX)
	}
	wb, err := openWorkbook(u.Data)
	if err != nil {
		return refuse("Het Excel-bestand kon niet worden gelezen. Is het beveiligd met een wachtwoord, of beschadigd? Sla het opnieuw op als .xlsx zonder wachtwoord.")
	}
	defer wb.Close()
	if len(wb.GetSheetList()) == 0 {
		return refuse("Het Excel-bestand heeft geen bladen.")
	}
	return f.Filename, nil
}

// openWorkbook opens an .xlsx with limits on what it may unpack, so that a
// small file cannot expand into gigabytes.
func openWorkbook(data []byte) (*excelize.File, error) {
	return excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 100 << 20, UnzipXMLSizeLimit: 32 << 20})
}

// loadImport loads an upload the actor may continue (not found otherwise),
// refusing one that was imported already.
func loadImport(ctx context.Context, q *store.Queries, a *access.Actor, id int64, forUpdate bool) (incident.RegisterImport, []byte, error) {
	if err := importRefusal(a); err != nil {
		return incident.RegisterImport{}, nil, err
	}
	imp, data, err := q.Import(ctx, a.OrganisationID, id, forUpdate)
	if err != nil {
		return imp, nil, err
	}
	if !incident.CanUseImport(a, imp.OrganisationID, imp.UploadedBy) {
		return incident.RegisterImport{}, nil, apperr.NotFoundf("Dit bestand bestaat niet (meer). Upload het opnieuw.")
	}
	if imp.ImportedAt != nil {
		return imp, nil, apperr.Conflictf("Dit bestand is al geïmporteerd (%d meldingen). Bekijk ze in het register.", imp.ImportedCount)
	}
	return imp, data, nil
}

// sheetRows reads a sheet: the header row (the first non-empty row) and the
// data rows after it with their Excel row numbers, skipping empty rows.
type sheetData struct {
	headers []string
	numbers []int
	rows    [][]incident.ImportCell
}

// Limits on what one sheet may make the server read. A register has a few
// dozen columns; one cell in column XFD used to pad every row to 16,384
// cells, read twice: a 30 KB file took 2 GB.
const (
	maxImportColumns = 100
	maxImportCells   = incident.MaxImportRows * 40
)

func tooWide() error {
	return apperr.New(apperr.Invalid, fmt.Sprintf("Dit blad heeft gegevens voorbij kolom %d. Een register heeft minder kolommen: "+
		"verwijder wat rechts van het register staat, of kopieer alleen het register naar een nieuw blad, en upload het opnieuw.", maxImportColumns))
}

// checkDimension refuses a sheet whose declared size is beyond the limits,
// before any row is read. The declaration may be missing or lie; readSheet
// checks every row as well.
func checkDimension(wb *excelize.File, sheet string) error {
	ref, err := wb.GetSheetDimension(sheet)
	if err != nil || ref == "" {
		return nil
	}
	parts := strings.Split(ref, ":")
	col, row, err := excelize.CellNameToCoordinates(parts[len(parts)-1])
	if err != nil {
		return nil
	}
	if col > maxImportColumns {
		return tooWide()
	}
	if row > incident.MaxImportRows+1000 {
		return apperr.New(apperr.Invalid, fmt.Sprintf("Dit blad heeft meer dan %d regels. Verdeel het register over meer bestanden.", incident.MaxImportRows))
	}
	return nil
}

// readSheet streams a sheet once, with two readers in step (the text as
// Excel shows it, and the raw value for dates and numbers), keeping at most
// maxImportColumns cells of each row and refusing the sheet at the first
// row with data beyond them, or when the cells read pass maxImportCells.
func readSheet(wb *excelize.File, sheet string) (sheetData, error) {
	var sd sheetData
	unreadable := apperr.New(apperr.Invalid, "Dit blad kon niet worden gelezen.")
	if err := checkDimension(wb, sheet); err != nil {
		return sd, err
	}
	text, err := wb.Rows(sheet)
	if err != nil {
		return sd, unreadable
	}
	defer text.Close()
	raw, err := wb.Rows(sheet)
	if err != nil {
		return sd, unreadable
	}
	defer raw.Close()
	header, cellsRead := -1, 0
	for i := 0; text.Next(); i++ {
		rawOK := raw.Next()
		t, err := text.Columns()
		if err != nil {
			return sd, unreadable
		}
		var rv []string
		if rawOK {
			if rv, err = raw.Columns(excelize.Options{RawCellValue: true}); err != nil {
				return sd, unreadable
			}
		}
		cellsRead += len(t)
		if len(t) > maxImportColumns {
			for _, c := range t[maxImportColumns:] {
				if strings.TrimSpace(c) != "" {
					return sd, tooWide()
				}
			}
			t = t[:maxImportColumns]
		}
		if cellsRead > maxImportCells {
			return sd, apperr.New(apperr.Invalid, "Dit blad is te groot om in één keer te importeren. Verdeel het register over meer bestanden.")
		}
		cells := make([]incident.ImportCell, len(t))
		for j := range t {
			cells[j].Text = incident.CleanCell(t[j])
			if j < len(rv) {
				cells[j].Raw = incident.CleanCell(rv[j])
			}
		}
		if incident.RowEmpty(cells) {
			continue
		}
		if header < 0 {
			header = i
			for _, c := range cells {
				sd.headers = append(sd.headers, strings.TrimSpace(c.Text))
			}
			continue
		}
		if len(sd.rows) == incident.MaxImportRows {
			return sd, apperr.New(apperr.Invalid, fmt.Sprintf("Dit blad heeft meer dan %d regels. Verdeel het register over meer bestanden.", incident.MaxImportRows))
		}
		sd.numbers = append(sd.numbers, i+1)
		sd.rows = append(sd.rows, cells)
	}
	if err := text.Error(); err != nil {
		return sd, unreadable
	}
	// Columns with data but no header still get a select.
	for _, r := range sd.rows {
		for len(sd.headers) < len(r) {
			sd.headers = append(sd.headers, "")
		}
	}
	return sd, nil
}

// likelySheet picks the sheet that looks most like a register: the one whose
// header row (its first non-empty row among the first rows) has the most
// recognised column names, the first on a tie. A workbook often opens with
// an explanation sheet ("Toelichting") before the one with the data. Only
// the first rows of each sheet are read.
func likelySheet(wb *excelize.File, sheets []string) string {
	best, bestScore := sheets[0], 0
	for _, name := range sheets {
		score := headerScore(wb, name)
		if score > bestScore {
			best, bestScore = name, score
		}
	}
	return best
}

// headerScore counts the recognised column names in the first non-empty
// row among a sheet's first ten rows.
func headerScore(wb *excelize.File, sheet string) int {
	rows, err := wb.Rows(sheet)
	if err != nil {
		return 0
	}
	defer rows.Close()
	for i := 0; i < 10 && rows.Next(); i++ {
		cols, err := rows.Columns()
		if err != nil {
			return 0
		}
		cols = cols[:min(len(cols), maxImportColumns)]
		score, filled := 0, false
		for _, f := range incident.GuessMapping(cols) {
			if f != incident.FieldSkip {
				score++
			}
		}
		for _, c := range cols {
			filled = filled || strings.TrimSpace(c) != ""
		}
		if filled {
			return score
		}
	}
	return 0
}

// ImportSheet shows the mapping page of an upload: the sheets, the chosen
// one's columns, and the mapping (saved for that sheet, else guessed from
// the headers). sheet "" is the saved sheet, else the one that looks most
// like a register (likelySheet).
func (s *Incidents) ImportSheet(ctx context.Context, a *access.Actor, id int64, sheet string) (ImportSheet, error) {
	ctx = scoped(ctx, a)
	imp, data, err := loadImport(ctx, s.d.Store.Queries, a, id, false)
	if err != nil {
		return ImportSheet{}, err
	}
	wb, err := openWorkbook(data)
	if err != nil {
		return ImportSheet{}, fmt.Errorf("import %d: open stored workbook: %w", id, err)
	}
	defer wb.Close()
	v := ImportSheet{Import: imp, Sheets: wb.GetSheetList()}
	switch {
	case sheet != "" && slices.Contains(v.Sheets, sheet):
		v.Sheet = sheet
	case sheet != "":
		return v, apperr.NotFoundf("Dit blad staat niet in het bestand.")
	case imp.Sheet != "" && slices.Contains(v.Sheets, imp.Sheet):
		v.Sheet = imp.Sheet
	default:
		v.Sheet = likelySheet(wb, v.Sheets)
	}
	sd, err := readSheet(wb, v.Sheet)
	if err != nil {
		return v, err
	}
	v.Headers, v.Rows = sd.headers, len(sd.rows)
	v.Samples = make([][]string, len(sd.headers))
	for _, r := range sd.rows[:min(3, len(sd.rows))] {
		for j := range sd.headers {
			if j < len(r) && strings.TrimSpace(r[j].Text) != "" {
				v.Samples[j] = append(v.Samples[j], r[j].Text)
			}
		}
	}
	if v.Sheet == imp.Sheet && len(imp.Mapping) == len(sd.headers) {
		v.Mapping = imp.Mapping
	} else {
		v.Mapping = incident.GuessMapping(sd.headers)
	}
	return v, nil
}

// SaveImportMapping checks and stores the sheet and the field chosen for
// each column (fields[i] for column i). Invalid carries a message per
// column ("col<i>") and for the form.
func (s *Incidents) SaveImportMapping(ctx context.Context, a *access.Actor, id int64, sheet string, fields []string) error {
	ctx = scoped(ctx, a)
	v, err := s.ImportSheet(ctx, a, id, sheet)
	if err != nil {
		return err
	}
	if sheet == "" {
		return apperr.FieldErrors{"sheet": "Kies een blad."}.Err()
	}
	m := make([]incident.ImportField, len(v.Headers))
	for i := range m {
		if i < len(fields) {
			m[i] = incident.ImportField(fields[i])
		}
	}
	if len(fields) != len(v.Headers) {
		return apperr.New(apperr.Invalid, "De kolommen van het blad komen niet overeen met het formulier. Kies de velden opnieuw.")
	}
	if errs := incident.CheckMapping(m); len(errs) > 0 {
		msg := errs["form"]
		delete(errs, "form")
		return &apperr.Error{Kind: apperr.Invalid, Message: msg, Fields: errs}
	}
	return s.d.Store.SaveImportMapping(ctx, a.OrganisationID, id, sheet, m)
}

// ImportPreview checks every row of the saved sheet and mapping.
func (s *Incidents) ImportPreview(ctx context.Context, a *access.Actor, id int64) (ImportPreview, error) {
	ctx = scoped(ctx, a)
	imp, data, err := loadImport(ctx, s.d.Store.Queries, a, id, false)
	if err != nil {
		return ImportPreview{}, err
	}
	return s.preview(ctx, s.d.Store.Queries, a, imp, data)
}

// ErrImportNotMapped means the mapping page was not saved yet.
var ErrImportNotMapped = apperr.Conflictf("Kies eerst welke kolom bij welk veld hoort.")

func (s *Incidents) preview(ctx context.Context, q *store.Queries, a *access.Actor, imp incident.RegisterImport, data []byte) (ImportPreview, error) {
	p := ImportPreview{Import: imp, Sheet: imp.Sheet, Mapping: imp.Mapping}
	if imp.Sheet == "" {
		return p, ErrImportNotMapped
	}
	wb, err := openWorkbook(data)
	if err != nil {
		return p, fmt.Errorf("import %d: open stored workbook: %w", imp.ID, err)
	}
	defer wb.Close()
	sd, err := readSheet(wb, imp.Sheet)
	if err != nil {
		return p, err
	}
	if len(sd.headers) != len(imp.Mapping) {
		return p, ErrImportNotMapped
	}
	p.Headers = sd.headers
	schools, err := q.Schools(ctx, a.OrganisationID)
	if err != nil {
		return p, err
	}
	byName := map[string]access.School{}
	for _, sc := range schools {
		byName[incident.FoldText(sc.Name)] = sc
	}
	now := s.d.Now().In(s.d.Location)
	ic := incident.ImportContext{Headers: sd.headers, Mapping: imp.Mapping, Schools: byName, Scope: incident.ImportScope(a),
		Loc: s.d.Location, Today: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.d.Location)}
	keys := make([]string, 0, len(sd.rows))
	seen := map[string]int{}
	for i, cells := range sd.rows {
		row := incident.CheckRow(ic, sd.numbers[i], cells)
		if first, ok := seen[row.Key]; ok {
			row.Status, row.DuplicateOf, row.Problems = incident.RowDuplicate, first, nil
		} else {
			seen[row.Key] = row.Number
			keys = append(keys, row.Key)
		}
		p.Rows = append(p.Rows, row)
	}
	before, err := q.ImportedKeys(ctx, a.OrganisationID, keys)
	if err != nil {
		return p, err
	}
	for i := range p.Rows {
		r := &p.Rows[i]
		if n, ok := before[r.Key]; ok && r.DuplicateOf == 0 {
			r.Status, r.ImportedAs, r.Problems = incident.RowDuplicate, &n, nil
		}
		switch r.Status {
		case incident.RowNew:
			p.New++
		case incident.RowProblem:
			p.Problems++
		case incident.RowDuplicate:
			p.Duplicates++
		}
	}
	return p, nil
}

// RunImport imports every new row of the checked sheet in one transaction:
// each a closed case with a number of the year of its incident date, its
// origin and a timeline entry by the importer. It is refused while any row
// has a problem; rows imported before are skipped. Nothing is half-imported.
func (s *Incidents) RunImport(ctx context.Context, a *access.Actor, id int64) (ImportResult, error) {
	ctx = scoped(ctx, a)
	now := s.d.Now()
	var res ImportResult
	err := transact(ctx, s.d.Store, func(q *store.Queries) error {
		res = ImportResult{}
		// The row lock: two clicks on "Importeren" import once.
		imp, data, err := loadImport(ctx, q, a, id, true)
		if err != nil {
			return err
		}
		p, err := s.preview(ctx, q, a, imp, data)
		if err != nil {
			return err
		}
		if p.Problems > 0 {
			return apperr.New(apperr.Invalid, fmt.Sprintf("Er is niets geïmporteerd: %s. Pas het Excel-bestand aan en upload het opnieuw, of kies de kolommen anders.",
				plural(p.Problems, "1 regel heeft een probleem", strconv.Itoa(p.Problems)+" regels hebben een probleem")))
		}
		if p.New == 0 {
			return apperr.Conflictf("Er is niets te importeren: alle regels zijn al eerder geïmporteerd.")
		}
		res.Filename = imp.Filename
		for _, row := range p.Rows {
			if row.Status != incident.RowNew {
				res.Skipped++
				continue
			}
			// The case number is of the year of the incident, so that an
			// incident of 2024 is numbered among that year's cases.
			n, err := q.NextNumber(ctx, a.OrganisationID, row.Case.Date.In(s.d.Location).Year())
			if err != nil {
				return err
			}
			cid, err := q.InsertImportedCase(ctx, store.NewImportedCase{OrganisationID: a.OrganisationID, Number: n,
				ImporterID: a.UserID, SubmissionKey: uuid.NewString(), At: now, ImportID: imp.ID, Sheet: imp.Sheet, Row: row})
			if err != nil {
				return err
			}
			if err := q.AddEvent(ctx, store.NewEvent{OrganisationID: a.OrganisationID, CaseID: cid, At: now, ActorID: &a.UserID,
				Kind: incident.EventImported, Summary: incident.ImportSummary(imp.Filename),
				Details: map[string]any{"import_id": imp.ID, "sheet": imp.Sheet, "row": row.Number}}); err != nil {
				return err
			}
			res.Created++
		}
		return q.MarkImported(ctx, a.OrganisationID, imp.ID, now, res.Created)
	})
	if err != nil {
		return ImportResult{}, err
	}
	s.d.Logger.Info("register imported", "organisation_id", a.OrganisationID, "import_id", id, "created", res.Created, "skipped", res.Skipped)
	return res, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// caseImport loads where a case came from, for the case page.
func caseImport(ctx context.Context, q *store.Queries, orgID, caseID int64) (*incident.ImportOrigin, error) {
	o, ok, err := q.CaseImportOf(ctx, orgID, caseID)
	if err != nil || !ok {
		return nil, err
	}
	return &o, nil
}
