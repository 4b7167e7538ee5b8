package incident

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/access"
)

// Importing an existing datalekregister from Excel (issue 4). Most schools
// keep their register in a spreadsheet: one row per incident, columns named
// freely. The user maps each column to one of Lekwacht's fields; every row
// is then checked here (pure functions, no I/O) and, when no row has a
// problem, imported as a closed case.

// ActImportRegister is importing an Excel register.
const ActImportRegister Action = "import_register"

// EventImported is the timeline kind of an imported case.
const EventImported = "imported"

// MaxImportSize is the largest register file taken: 5 MiB holds tens of
// thousands of rows.
const MaxImportSize = 5 << 20

// MaxImportRows caps the rows of one import, so that one transaction stays
// reasonable; a larger register is split over several files.
const MaxImportRows = 5000

// importers are the roles that may import: the desk archives cases in the
// register, the officer keeps it.
var importers = []access.Role{access.Desk, access.Officer}

// CanImport reports whether the actor may import a register at all: the
// desk or officer of their organisation, for all or some schools.
func CanImport(a *access.Actor) bool {
	if a == nil || a.UserID == 0 {
		return false
	}
	for _, r := range importers {
		if a.Has(r) {
			return true
		}
	}
	return false
}

// ImportScope is where the actor may import rows: the union of their desk
// and officer scopes. A row for a school outside it is a problem of that
// row; a row without a school needs an organisation-wide role (as a case
// without a school is read only by organisation-wide roles).
func ImportScope(a *access.Actor) access.Scope { return unionScope(a, importers...) }

// CanUseImport reports whether the actor may continue an upload: only its
// uploader, in the same organisation, while they may still import. The
// sheet may hold rows of schools that colleagues may not see.
func CanUseImport(a *access.Actor, orgID, uploadedBy int64) bool {
	return CanImport(a) && a.OrganisationID == orgID && a.UserID == uploadedBy
}

// ImportField is a Lekwacht field a column can be mapped to; "" is "niet
// importeren".
type ImportField string

// The fields of an imported row.
const (
	FieldSkip             ImportField = ""
	FieldDescription      ImportField = "description"
	FieldDate             ImportField = "date"
	FieldReporter         ImportField = "reporter"
	FieldSchool           ImportField = "school"
	FieldPersonalData     ImportField = "personal_data"
	FieldSystems          ImportField = "systems"
	FieldCause            ImportField = "cause"
	FieldMeasures         ImportField = "measures"
	FieldBreach           ImportField = "breach"
	FieldAPNotified       ImportField = "ap_notified"
	FieldAPNumber         ImportField = "ap_number"
	FieldAPDate           ImportField = "ap_date"
	FieldAPReason         ImportField = "ap_reason"
	FieldSubjectsInformed ImportField = "subjects_informed"
	FieldSubjectsReason   ImportField = "subjects_reason"
)

// ImportFields lists the fields in the order the mapping page offers them.
var ImportFields = []ImportField{FieldDescription, FieldDate, FieldReporter, FieldSchool, FieldPersonalData,
	FieldSystems, FieldCause, FieldMeasures, FieldBreach, FieldAPNotified, FieldAPNumber, FieldAPDate, FieldAPReason,
	FieldSubjectsInformed, FieldSubjectsReason}

// Label is the Dutch name of the field.
func (f ImportField) Label() string {
	switch f {
	case FieldSkip:
		return "Niet importeren"
	case FieldDescription:
		return "Wat is er gebeurd (verplicht)"
	case FieldDate:
		return "Datum van het incident (verplicht)"
	case FieldReporter:
		return "Gemeld door (naam)"
	case FieldSchool:
		return "School"
	case FieldPersonalData:
		return "Persoonsgegevens (ja/nee of welke)"
	case FieldSystems:
		return "Systemen of gegevensdrager"
	case FieldCause:
		return "Oorzaak"
	case FieldMeasures:
		return "Genomen maatregelen"
	case FieldBreach:
		return "Datalek (ja/nee)"
	case FieldAPNotified:
		return "Gemeld bij de AP (ja/nee)"
	case FieldAPNumber:
		return "Meldingsnummer AP"
	case FieldAPDate:
		return "Datum melding AP"
	case FieldAPReason:
		return "Reden (niet) melden bij de AP"
	case FieldSubjectsInformed:
		return "Betrokkenen geïnformeerd (ja/nee)"
	case FieldSubjectsReason:
		return "Reden (niet) informeren betrokkenen"
	}
	return string(f)
}

// Valid reports whether f is a known field or "niet importeren".
func (f ImportField) Valid() bool {
	if f == FieldSkip {
		return true
	}
	for _, k := range ImportFields {
		if k == f {
			return true
		}
	}
	return false
}

// GuessField proposes a field for a column from its header, in Dutch or
// English as registers commonly name them; "" when nothing fits. The more
// specific names are tried first ("Datum melding AP" before "Datum",
// "Reden niet informeren betrokkenen" before "Reden").
func GuessField(header string) ImportField {
	h := normHeader(header)
	if h == "" {
		return FieldSkip
	}
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(h, w) {
				return true
			}
		}
		return false
	}
	// "ap" only as a word: "apparaat" and "applicatie" are no AP.
	ap := (slices.Contains(strings.Fields(h), "ap") || has("autoriteit", "authority", "dpa")) && !has("maatregel")
	subjects := has("betrokken", "data subject", "subjects", "individuals")
	switch {
	case has("meldingsnummer", "meldnummer", "kenmerk ap", "reference", "notification number", "ap nummer", "nummer ap"):
		return FieldAPNumber
	case subjects && has("reden", "reason", "waarom", "toelichting"):
		return FieldSubjectsReason
	case subjects && has("geinformeerd", "informeren", "informed", "notified", "gemeld", "ingelicht"):
		return FieldSubjectsInformed
	case ap && has("reden", "reason", "waarom", "toelichting"):
		return FieldAPReason
	case ap && has("datum", "date", "wanneer"):
		return FieldAPDate
	case ap && has("gemeld", "melden", "melding", "notified", "reported"):
		return FieldAPNotified
	case h == "reden" || h == "reason" || strings.HasPrefix(h, "reden niet") || strings.HasPrefix(h, "reden wel"):
		return FieldAPReason
	case strings.HasPrefix(h, "datum") || strings.HasPrefix(h, "date"):
		// "Datum incident": a date, though "incident" names descriptions.
		return FieldDate
	case has("datalek", "data breach", "breach", "inbreuk"):
		return FieldBreach
	case has("omschrijving", "beschrijving", "description", "wat is er gebeurd", "wat er gebeurd", "wat is gebeurd", "incident", "samenvatting", "summary", "toedracht"):
		return FieldDescription
	case has("datum", "date", "wanneer", "when"):
		return FieldDate
	case has("melder", "gemeld door", "reporter", "reported by", "ontdekker", "ontdekt door", "naam"):
		return FieldReporter
	case has("school", "locatie", "vestiging", "location", "site"):
		return FieldSchool
	case has("persoonsgegevens", "personal data", "gegevens", "data"):
		return FieldPersonalData
	case has("oorzaak", "cause", "hoe", "how"):
		return FieldCause
	case has("maatregel", "measure", "actie", "action", "opgelost", "herstel"):
		return FieldMeasures
	case has("systeem", "systemen", "system", "drager", "carrier", "applicatie"):
		return FieldSystems
	}
	return FieldSkip
}

// normHeader lower-cases a header, folds the accents Dutch uses and
// collapses punctuation and spaces, so "Betrokkenen geïnformeerd?" and
// "betrokkenen  geinformeerd" compare equal.
func normHeader(s string) string {
	r := strings.NewReplacer("ë", "e", "ï", "i", "é", "e", "è", "e", "ê", "e", "ü", "u", "ö", "o", "á", "a", "à", "a", "ó", "o", "í", "i")
	s = r.Replace(strings.ToLower(s))
	var b strings.Builder
	for _, c := range s {
		if ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') {
			b.WriteRune(c)
		} else {
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// GuessMapping proposes a field for every header; a field is proposed for
// the first column that fits it only.
func GuessMapping(headers []string) []ImportField {
	out := make([]ImportField, len(headers))
	used := map[ImportField]bool{}
	for i, h := range headers {
		f := GuessField(h)
		if f != FieldSkip && !used[f] {
			out[i] = f
			used[f] = true
		}
	}
	return out
}

// CheckMapping checks a mapping: the description and the date must be
// mapped, and no field to more than one column. The messages are keyed by
// "col<i>" (beside the column's select) and "form".
func CheckMapping(m []ImportField) map[string]string {
	errs := map[string]string{}
	first := map[ImportField]int{}
	for i, f := range m {
		if !f.Valid() {
			errs[colKey(i)] = "Kies een veld uit de lijst."
			continue
		}
		if f == FieldSkip {
			continue
		}
		if j, ok := first[f]; ok {
			errs[colKey(i)] = fmt.Sprintf("‘%s’ is al gekozen voor kolom %s. Kies één kolom per veld.", f.Label(), ColumnName(j))
			continue
		}
		first[f] = i
	}
	var missing []string
	for _, f := range []ImportField{FieldDescription, FieldDate} {
		if _, ok := first[f]; !ok {
			missing = append(missing, "‘"+strings.TrimSuffix(f.Label(), " (verplicht)")+"’")
		}
	}
	if len(missing) > 0 {
		errs["form"] = "Kies een kolom voor " + strings.Join(missing, " en ") + ": die zijn verplicht."
	} else if len(errs) > 0 {
		errs["form"] = "Kies voor elk veld hoogstens één kolom."
	}
	return errs
}

func colKey(i int) string { return "col" + strconv.Itoa(i) }

// ColumnName is the spreadsheet's name of column i (0-based): A, B, …, Z, AA.
func ColumnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// ImportCell is one cell of a sheet: the text as Excel shows it, and the raw
// value (for a date cell, Excel's serial day number).
type ImportCell struct {
	Text string
	Raw  string
}

// OriginalCell is one cell of an imported row as kept on the case.
type OriginalCell struct {
	Header string `json:"header"`
	Value  string `json:"value"`
}

// ImportedCase is what an imported row says, as far as the sheet says it.
// Nil answers were not stated.
type ImportedCase struct {
	WhatHappened     string
	Date             time.Time // the incident date, midnight Europe/Amsterdam
	ReporterName     string
	SchoolID         *int64
	SchoolName       string
	PersonalData     Answer
	DataText         string // which personal data, when the sheet names them
	Systems          string
	Cause            string
	Measures         string
	Breach           *bool
	APNotified       *bool
	APNumber         string
	APDate           *time.Time
	APReason         string
	SubjectsInformed *bool
	SubjectsReason   string
}

// Outcome is what the imported case turned out to be: a breach when the
// sheet says so, or when it says the AP or the data subjects were notified
// (one only notifies a breach); not a breach (no personal data when it says
// none were involved) when it says no; otherwise not decided.
func (c ImportedCase) Outcome() Outcome {
	switch {
	case isTrue(c.Breach) || isTrue(c.APNotified) || isTrue(c.SubjectsInformed):
		return OutcomeBreach
	case c.Breach != nil && c.PersonalData == No:
		return OutcomeNoPersonalData
	case c.Breach != nil:
		return OutcomeNoBreach
	}
	return OutcomeNone
}

// Decided reports whether the sheet says anything about the decisions of
// step 3 (breach, AP, data subjects).
func (c ImportedCase) Decided() bool {
	return c.Breach != nil || c.APNotified != nil || c.SubjectsInformed != nil
}

func isTrue(b *bool) bool { return b != nil && *b }

// ImportRowStatus says what will happen to a row.
type ImportRowStatus string

// Row statuses in the preview.
const (
	RowNew       ImportRowStatus = "new"       // will be created
	RowProblem   ImportRowStatus = "problem"   // has problems; the import is refused
	RowDuplicate ImportRowStatus = "duplicate" // imported before (or twice in the sheet); skipped
)

// ImportRow is one data row of the sheet, checked.
type ImportRow struct {
	Number   int // the row number as Excel shows it
	Key      string
	Status   ImportRowStatus
	Problems []string // in Dutch
	// DuplicateOf is the earlier row of the same sheet it repeats (0: none).
	DuplicateOf int
	// ImportedAs is the case an earlier import made of this row.
	ImportedAs *Number
	Case       ImportedCase
	Original   []OriginalCell
}

// RowKey is the stable key of a row: a SHA-256 of its cells, each trimmed,
// with spaces collapsed and lower-cased, trailing empty cells left out. The
// same row in a later upload (even mapped differently) has the same key.
func RowKey(cells []ImportCell) string {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1].Text) == "" {
		n--
	}
	h := sha256.New()
	for _, c := range cells[:n] {
		v := FoldText(c.Text)
		fmt.Fprintf(h, "%d:%s\x00", len(v), v)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CleanCell takes out of a cell's text what cannot be stored or shown: NUL
// and the other control characters (Excel writes them as _x0000_, which the
// reader turns back into the character), keeping tabs and line breaks, and
// invalid UTF-8.
func CleanCell(s string) string {
	s = strings.ToValidUTF8(s, "")
	if strings.IndexFunc(s, badCellRune) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if badCellRune(r) {
			return -1
		}
		return r
	}, s)
}

func badCellRune(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
}

// FoldText lower-cases s and collapses its spaces: the form in which row
// keys and school names (ImportContext.Schools) are compared.
func FoldText(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// RowEmpty reports whether every cell of a row is blank.
func RowEmpty(cells []ImportCell) bool {
	for _, c := range cells {
		if strings.TrimSpace(c.Text) != "" {
			return false
		}
	}
	return true
}

// ImportContext is what checking a row needs besides the row.
type ImportContext struct {
	Headers []string
	Mapping []ImportField
	// Schools of the organisation by FoldText of their name.
	Schools map[string]access.School
	// Scope is where the importer may import (ImportScope).
	Scope access.Scope
	Loc   *time.Location
	// Today is the importer's date; incident dates after it are refused.
	Today time.Time
}

// CheckRow turns one data row into what it says, with a problem per thing
// that cannot be read. Duplicates are marked by the caller.
func CheckRow(ic ImportContext, number int, cells []ImportCell) ImportRow {
	row := ImportRow{Number: number, Key: RowKey(cells), Status: RowNew}
	for i, h := range ic.Headers {
		v := ""
		if i < len(cells) {
			v = cells[i].Text
		}
		row.Original = append(row.Original, OriginalCell{Header: headerOr(h, i), Value: v})
	}
	// Cells beyond the header row are kept too: nothing of the row is lost.
	for i := len(ic.Headers); i < len(cells); i++ {
		if strings.TrimSpace(cells[i].Text) != "" {
			row.Original = append(row.Original, OriginalCell{Header: headerOr("", i), Value: cells[i].Text})
		}
	}
	cell := func(f ImportField) (ImportCell, string, bool) {
		for i, m := range ic.Mapping {
			if m == f {
				c := ImportCell{}
				if i < len(cells) {
					c = cells[i]
				}
				c.Text = strings.TrimSpace(c.Text)
				c.Raw = strings.TrimSpace(c.Raw)
				return c, headerOr(ic.Headers[i], i), true
			}
		}
		return ImportCell{}, "", false
	}
	problem := func(format string, args ...any) { row.Problems = append(row.Problems, fmt.Sprintf(format, args...)) }
	text := func(f ImportField, max int) string {
		c, h, ok := cell(f)
		if !ok {
			return ""
		}
		if utf8.RuneCountInString(c.Text) > max {
			problem("‘%s’ is te lang: hoogstens %d tekens.", h, max)
		}
		return c.Text
	}
	yesNo := func(f ImportField) *bool {
		c, h, ok := cell(f)
		if !ok {
			return nil
		}
		b, ok := ParseYesNo(c.Text)
		if !ok {
			problem("‘%s’: ‘%s’ is geen ja of nee. Gebruik ja, nee, j, n of x, of laat de cel leeg als het niet bekend is.", h, c.Text)
		}
		return b
	}
	ac := &row.Case

	ac.WhatHappened = text(FieldDescription, 10000)
	if ac.WhatHappened == "" {
		_, h, _ := cell(FieldDescription)
		problem("‘%s’ is leeg: beschrijf wat er is gebeurd.", h)
	}
	if c, h, ok := cell(FieldDate); ok {
		switch t, ok := ParseImportDate(c, ic.Loc); {
		case c.Text == "":
			problem("‘%s’ is leeg: vul de datum van het incident in.", h)
		case !ok:
			problem("‘%s’: ‘%s’ is geen datum. Gebruik een Excel-datum of schrijf de datum als dd-mm-jjjj of jjjj-mm-dd.", h, c.Text)
		case !ic.Today.IsZero() && t.After(ic.Today):
			problem("‘%s’: %s ligt in de toekomst.", h, t.Format("02-01-2006"))
		default:
			ac.Date = t
		}
	}
	ac.ReporterName = text(FieldReporter, 200)
	schoolProblem := false
	if c, h, ok := cell(FieldSchool); ok && c.Text != "" {
		schoolProblem = true
		s, found := ic.Schools[FoldText(c.Text)]
		switch {
		case !found:
			problem("‘%s’: de school ‘%s’ is onbekend. Gebruik de naam van een school van uw organisatie zoals die in Lekwacht staat.", h, c.Text)
		case !ic.Scope.Covers(&s.ID):
			problem("‘%s’: u mag geen meldingen van ‘%s’ importeren.", h, s.Name)
		default:
			ac.SchoolID, ac.SchoolName, schoolProblem = &s.ID, s.Name, false
		}
	}
	if ac.SchoolID == nil && !ic.Scope.All && !schoolProblem {
		problem("Er staat geen school bij: zonder school kunt u alleen importeren met een rol voor alle scholen.")
	}
	ac.PersonalData = Unknown
	if c, _, ok := cell(FieldPersonalData); ok && c.Text != "" {
		if b, ok := ParseYesNo(c.Text); ok && b != nil {
			ac.PersonalData = answerOf(*b)
		} else if strings.EqualFold(c.Text, "geen") || strings.EqualFold(c.Text, "none") {
			ac.PersonalData = No
		} else {
			ac.PersonalData = Yes
			ac.DataText = text(FieldPersonalData, 500)
		}
	}
	ac.Systems = text(FieldSystems, 2000)
	ac.Cause = text(FieldCause, 10000)
	ac.Measures = text(FieldMeasures, 10000)
	ac.Breach = yesNo(FieldBreach)
	ac.APNotified = yesNo(FieldAPNotified)
	ac.APNumber = text(FieldAPNumber, 60)
	if c, h, ok := cell(FieldAPDate); ok && c.Text != "" {
		if t, ok := ParseImportDate(c, ic.Loc); ok {
			ac.APDate = &t
		} else {
			problem("‘%s’: ‘%s’ is geen datum. Gebruik een Excel-datum of schrijf de datum als dd-mm-jjjj of jjjj-mm-dd.", h, c.Text)
		}
	}
	ac.APReason = text(FieldAPReason, 5000)
	ac.SubjectsInformed = yesNo(FieldSubjectsInformed)
	ac.SubjectsReason = text(FieldSubjectsReason, 5000)

	if isTrue(ac.APNotified) && ac.APNumber == "" {
		if _, _, mapped := cell(FieldAPNumber); mapped {
			problem("Gemeld bij de AP is ‘ja’, maar het meldingsnummer ontbreekt.")
		} else {
			problem("Gemeld bij de AP is ‘ja’, maar er is geen kolom met het meldingsnummer gekozen.")
		}
	}
	if ac.APNumber != "" && ac.APNotified != nil && !*ac.APNotified {
		problem("Er staat een meldingsnummer, maar gemeld bij de AP is ‘nee’.")
	}
	if ac.Breach != nil && !*ac.Breach && (isTrue(ac.APNotified) || isTrue(ac.SubjectsInformed)) {
		problem("Datalek is ‘nee’, maar er is wel gemeld bij de AP of aan de betrokkenen. Alleen een datalek wordt gemeld.")
	}
	if ac.APDate != nil && !ac.Date.IsZero() && ac.APDate.Before(ac.Date) {
		problem("De datum van de melding bij de AP ligt vóór de datum van het incident.")
	}
	if len(row.Problems) > 0 {
		row.Status = RowProblem
	}
	return row
}

func headerOr(h string, i int) string {
	if h = strings.TrimSpace(h); h != "" {
		return h
	}
	return "Kolom " + ColumnName(i)
}

func answerOf(b bool) Answer {
	if b {
		return Yes
	}
	return No
}

// ParseYesNo reads a yes/no cell: ja, j, x, yes, y, waar, true, 1 are yes;
// nee, n, no, onwaar, false, 0 are no; an empty cell, "-" and "n.v.t." are
// not stated (nil). ok is false for anything else.
func ParseYesNo(s string) (b *bool, ok bool) {
	t, f := true, false
	switch strings.ToLower(strings.ReplaceAll(strings.Trim(strings.TrimSpace(s), "!?"), ".", "")) {
	case "", "-", "nvt", "n/a":
		return nil, true
	case "ja", "j", "x", "yes", "y", "waar", "true", "1", "✓", "v":
		return &t, true
	case "nee", "n", "no", "onwaar", "false", "0":
		return &f, true
	}
	return nil, false
}

// ParseImportDate reads a date cell: a real Excel date (its raw value is the
// serial day number, 1900 date system), or text as dd-mm-jjjj, d-m-jjjj
// (also with / or .) or jjjj-mm-dd. A time of day after the date is
// ignored. The result is midnight of that day in loc.
func ParseImportDate(c ImportCell, loc *time.Location) (time.Time, bool) {
	if raw := strings.TrimSpace(c.Raw); raw != "" {
		if f, err := strconv.ParseFloat(raw, 64); err == nil && !strings.ContainsAny(raw, "-/") {
			// Day 1 is 1900-01-01; Excel counts a 29 February 1900 that never
			// was, so from day 61 on the epoch is 1899-12-30. Years 1990–2100
			// are 32874–73415.
			if f < 32874 || f > 73415 || math.IsNaN(f) {
				return time.Time{}, false
			}
			d := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(math.Floor(f)))
			return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc), true
		}
	}
	s := strings.TrimSpace(c.Text)
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	s = strings.NewReplacer("/", "-", ".", "-").Replace(s)
	for _, layout := range []string{"2-1-2006", "2006-1-2"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			if t.Year() < 1990 || t.Year() > 2100 {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// ImportSummary is the timeline entry of an imported case.
func ImportSummary(filename string) string { return "Geïmporteerd uit " + filename }

// RegisterImport is an uploaded register file between the steps.
type RegisterImport struct {
	ID             int64
	OrganisationID int64
	UploadedBy     int64
	UploadedAt     time.Time
	Filename       string
	Size           int64
	// Sheet and Mapping are what the mapping page saved ("" and nil before).
	Sheet         string
	Mapping       []ImportField
	ImportedAt    *time.Time
	ImportedCount int
}

// ImportOrigin is where an imported case came from, shown on its page.
type ImportOrigin struct {
	ImportID     int64
	Filename     string
	Sheet        string
	Row          int
	ReporterName string
	Original     []OriginalCell
	ImportedAt   time.Time
}
