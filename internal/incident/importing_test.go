package incident

import (
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
)

// TestImportPolicy is the authorisation table of the import: role × scope ×
// same/other organisation × own/someone else's upload.
func TestImportPolicy(t *testing.T) {
	const org, other = 1, 2
	a1, a2 := int64(11), int64(12)
	actor := func(id, orgID int64, grants ...access.Grant) *access.Actor {
		return &access.Actor{UserID: id, OrganisationID: orgID, Grants: grants}
	}
	for _, tc := range []struct {
		name       string
		a          *access.Actor
		can        bool
		scopeAll   bool
		schools    []int64 // ImportScope when not all
		useOwn     bool    // continue an upload of their own (uploader = actor)
		useOther   bool    // continue an upload of user 99 in org
		useOtherOr bool    // continue their "own" id but in the other organisation
	}{
		{"nobody", nil, false, false, nil, false, false, false},
		{"no user id", &access.Actor{OrganisationID: org, Grants: []access.Grant{{Role: access.Desk}}}, false, true, nil, false, false, false},
		{"staff", actor(1, org), false, false, nil, false, false, false},
		{"desk", actor(1, org, access.Grant{Role: access.Desk}), true, true, nil, true, false, false},
		{"officer", actor(1, org, access.Grant{Role: access.Officer}), true, true, nil, true, false, false},
		{"desk of one school", actor(1, org, access.Grant{Role: access.Desk, Schools: []int64{a1}}), true, false, []int64{a1}, true, false, false},
		{"desk A1 and officer A2", actor(1, org, access.Grant{Role: access.Desk, Schools: []int64{a1}}, access.Grant{Role: access.Officer, Schools: []int64{a2}}),
			true, false, []int64{a1, a2}, true, false, false},
		{"desk A1, officer everywhere", actor(1, org, access.Grant{Role: access.Desk, Schools: []int64{a1}}, access.Grant{Role: access.Officer}), true, true, nil, true, false, false},
		{"board", actor(1, org, access.Grant{Role: access.Board}), false, false, nil, false, false, false},
		{"technician", actor(1, org, access.Grant{Role: access.Technician}), false, false, nil, false, false, false},
		{"admin", actor(1, org, access.Grant{Role: access.Admin}), false, false, nil, false, false, false},
		{"board and admin", actor(1, org, access.Grant{Role: access.Board}, access.Grant{Role: access.Admin}), false, false, nil, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanImport(tc.a); got != tc.can {
				t.Errorf("CanImport = %v, want %v", got, tc.can)
			}
			if tc.can {
				s := ImportScope(tc.a)
				if s.All != tc.scopeAll || (!s.All && !sameIDs(s.Schools, tc.schools)) {
					t.Errorf("ImportScope = %+v, want all=%v %v", s, tc.scopeAll, tc.schools)
				}
			}
			var id int64
			if tc.a != nil {
				id = tc.a.UserID
			}
			if got := CanUseImport(tc.a, org, id); got != tc.useOwn {
				t.Errorf("own upload: %v, want %v", got, tc.useOwn)
			}
			if got := CanUseImport(tc.a, org, 99); got != tc.useOther {
				t.Errorf("a colleague's upload: %v, want %v", got, tc.useOther)
			}
			if got := CanUseImport(tc.a, other, id); got != tc.useOtherOr {
				t.Errorf("an upload of the other organisation: %v, want %v", got, tc.useOtherOr)
			}
		})
	}
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGuessField(t *testing.T) {
	for header, want := range map[string]ImportField{
		"Datum":                             FieldDate,
		"Datum incident":                    FieldDate,
		"Date":                              FieldDate,
		"Omschrijving":                      FieldDescription,
		"Wat is er gebeurd?":                FieldDescription,
		"Description":                       FieldDescription,
		"Melder":                            FieldReporter,
		"Gemeld door":                       FieldReporter,
		"Reporter":                          FieldReporter,
		"School":                            FieldSchool,
		"Locatie":                           FieldSchool,
		"Persoonsgegevens":                  FieldPersonalData,
		"Welke persoonsgegevens":            FieldPersonalData,
		"Personal data":                     FieldPersonalData,
		"Oorzaak":                           FieldCause,
		"Maatregelen":                       FieldMeasures,
		"Genomen maatregelen":               FieldMeasures,
		"Datalek":                           FieldBreach,
		"Datalek?":                          FieldBreach,
		"Data breach":                       FieldBreach,
		"Gemeld bij AP":                     FieldAPNotified,
		"Gemeld bij de AP?":                 FieldAPNotified,
		"Melding AP":                        FieldAPNotified,
		"Reported to DPA":                   FieldAPNotified,
		"Meldingsnummer":                    FieldAPNumber,
		"Meldingsnummer AP":                 FieldAPNumber,
		"Datum melding AP":                  FieldAPDate,
		"Reden":                             FieldAPReason,
		"Reden niet gemeld":                 FieldAPReason,
		"Reden (niet) melden AP":            FieldAPReason,
		"Betrokkenen geïnformeerd":          FieldSubjectsInformed,
		"Betrokkenen geinformeerd?":         FieldSubjectsInformed,
		"Data subjects informed":            FieldSubjectsInformed,
		"Reden niet informeren betrokkenen": FieldSubjectsReason,
		"Systemen":                          FieldSystems,
		"":                                  FieldSkip,
		"Volgnummer":                        FieldSkip,
		"Opmerkingen":                       FieldSkip,
	} {
		if got := GuessField(header); got != want {
			t.Errorf("GuessField(%q) = %q, want %q", header, got, want)
		}
	}
	// A field is proposed once: the second "Datum" column is left alone.
	m := GuessMapping([]string{"Datum", "Omschrijving", "Datum"})
	if m[0] != FieldDate || m[1] != FieldDescription || m[2] != FieldSkip {
		t.Errorf("GuessMapping = %v", m)
	}
}

func TestCheckMapping(t *testing.T) {
	if errs := CheckMapping([]ImportField{FieldDate, FieldDescription, FieldSkip}); len(errs) != 0 {
		t.Errorf("valid mapping refused: %v", errs)
	}
	errs := CheckMapping([]ImportField{FieldDescription, FieldSkip})
	if !strings.Contains(errs["form"], "‘Datum van het incident’") || strings.Contains(errs["form"], "Wat is er gebeurd") {
		t.Errorf("missing date: %v", errs)
	}
	errs = CheckMapping([]ImportField{FieldDate, FieldDescription, FieldDate, "bogus"})
	if !strings.Contains(errs["col2"], "al gekozen voor kolom A") || errs["col3"] == "" || errs["form"] == "" {
		t.Errorf("field twice and an unknown field: %v", errs)
	}
}

func TestParseYesNo(t *testing.T) {
	for in, want := range map[string]string{
		"ja": "yes", "Ja": "yes", " JA ": "yes", "j": "yes", "x": "yes", "X": "yes", "yes": "yes", "1": "yes",
		"nee": "no", "Nee.": "no", "n": "no", "N": "no", "no": "no", "0": "no",
		"TRUE": "yes", "FALSE": "no", // Excel's booleans
		"": "nil", "  ": "nil", "-": "nil", "n.v.t.": "nil", "nvt": "nil",
		"misschien": "bad", "ja, later": "bad", "onbekend": "bad",
	} {
		b, ok := ParseYesNo(in)
		got := "bad"
		switch {
		case ok && b == nil:
			got = "nil"
		case ok && *b:
			got = "yes"
		case ok:
			got = "no"
		}
		if got != want {
			t.Errorf("ParseYesNo(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestParseImportDate(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text, raw string
		want      string // "" = unreadable
	}{
		{"12-03-2024", "45363", "2024-03-12"}, // a real Excel date: the raw serial wins
		{"3/12/24", "45363", "2024-03-12"},    // whatever the display format
		{"", "45363.75", "2024-03-12"},        // a date with a time of day
		{"12-03-2024", "", "2024-03-12"},
		{"12-03-2024", "12-03-2024", "2024-03-12"},
		{"2-3-2024", "", "2024-03-02"},
		{"02/03/2024", "", "2024-03-02"},
		{"2.3.2024", "", "2024-03-02"},
		{"2024-03-02", "", "2024-03-02"},
		{"2024-3-2", "", "2024-03-02"},
		{"12-03-2024 14:30", "", "2024-03-12"},
		{"31-02-2024", "", ""},
		{"13-13-2024", "", ""},
		{"1 mei 2024", "", ""},
		{"gisteren", "", ""},
		{"12-03-24", "", ""},
		{"", "12", ""}, // a small number is no date
		{"", "", ""},
	} {
		got, ok := ParseImportDate(ImportCell{Text: tc.text, Raw: tc.raw}, loc)
		s := ""
		if ok {
			s = got.Format("2006-01-02")
			if got.Location() != loc || got.Hour() != 0 {
				t.Errorf("%q/%q: %v, want midnight in Amsterdam", tc.text, tc.raw, got)
			}
		}
		if s != tc.want {
			t.Errorf("ParseImportDate(%q, raw %q) = %q, want %q", tc.text, tc.raw, s, tc.want)
		}
	}
}

func TestRowKeyIsStable(t *testing.T) {
	row := func(cells ...string) []ImportCell {
		out := make([]ImportCell, len(cells))
		for i, c := range cells {
			out[i] = ImportCell{Text: c}
		}
		return out
	}
	k := RowKey(row("12-03-2024", "Brief kwijt", "Jan"))
	if RowKey(row(" 12-03-2024", "BRIEF   kwijt ", "jan", "", "")) != k {
		t.Error("spaces, capitals or trailing empty cells change the key")
	}
	for _, other := range [][]ImportCell{row("12-03-2024", "Brief kwijt"), row("12-03-2024", "Brief kwijt", "Jan", "x"),
		row("12-03-2024", "Brief", "kwijt Jan"), row("Brief kwijt", "12-03-2024", "Jan")} {
		if RowKey(other) == k {
			t.Errorf("a different row has the same key: %v", other)
		}
	}
}

func TestCheckRowOutcome(t *testing.T) {
	loc := time.UTC
	headers := []string{"Datum", "Omschrijving", "Datalek", "Gemeld bij AP", "Meldingsnummer", "Betrokkenen", "Persoonsgegevens"}
	m := []ImportField{FieldDate, FieldDescription, FieldBreach, FieldAPNotified, FieldAPNumber, FieldSubjectsInformed, FieldPersonalData}
	ic := ImportContext{Headers: headers, Mapping: m, Scope: access.Scope{All: true}, Loc: loc}
	row := func(cells ...string) ImportRow {
		c := make([]ImportCell, len(cells))
		for i, s := range cells {
			c[i] = ImportCell{Text: s}
		}
		return CheckRow(ic, 2, c)
	}
	for _, tc := range []struct {
		cells []string
		want  Outcome
	}{
		{[]string{"01-01-2024", "a", "ja", "", "", "", ""}, OutcomeBreach},
		{[]string{"01-01-2024", "a", "", "ja", "AP-1", "", ""}, OutcomeBreach}, // notified: a breach
		{[]string{"01-01-2024", "a", "", "", "", "x", ""}, OutcomeBreach},
		{[]string{"01-01-2024", "a", "nee", "", "", "", "nee"}, OutcomeNoPersonalData},
		{[]string{"01-01-2024", "a", "nee", "", "", "", "namen"}, OutcomeNoBreach},
		{[]string{"01-01-2024", "a", "", "", "", "", ""}, OutcomeNone},
	} {
		r := row(tc.cells...)
		if r.Status != RowNew || r.Case.Outcome() != tc.want {
			t.Errorf("%v: %s %v, outcome %q want %q", tc.cells, r.Status, r.Problems, r.Case.Outcome(), tc.want)
		}
	}
	r := row("01-01-2024", "a", "", "", "", "", "namen, adressen")
	if r.Case.PersonalData != Yes || r.Case.DataText != "namen, adressen" {
		t.Errorf("personal data named: %q %q", r.Case.PersonalData, r.Case.DataText)
	}
	if len(r.Original) != len(headers) || r.Original[6] != (OriginalCell{Header: "Persoonsgegevens", Value: "namen, adressen"}) {
		t.Errorf("original cells %+v", r.Original)
	}
	r = row("01-01-2024", "a", "", "nee", "AP-1", "", "")
	if r.Status != RowProblem || !strings.Contains(strings.Join(r.Problems, " "), "meldingsnummer, maar gemeld bij de AP is ‘nee’") {
		t.Errorf("number without notification: %v", r.Problems)
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := ColumnName(i); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", i, got, want)
		}
	}
}

// TestImportedCaseGivesNoReporterRights: the importer is stored as reporter
// of an imported case but may not see it, or add evidence, as its reporter.
func TestImportedCaseGivesNoReporterRights(t *testing.T) {
	staff := &access.Actor{UserID: 100, OrganisationID: 1}
	reported := &Case{OrganisationID: 1, ReporterID: 100, Status: StatusNew}
	imported := &Case{OrganisationID: 1, ReporterID: 100, Status: StatusNew, Imported: true}
	if !CanView(staff, reported) || CanView(staff, imported) {
		t.Errorf("CanView: reported %v, imported %v; want true, false", CanView(staff, reported), CanView(staff, imported))
	}
	if k, _ := AttachmentUploadKinds(staff, reported, Relation{}); len(k) != 1 {
		t.Errorf("the reporter may add %v, want evidence", k)
	}
	if k, _ := AttachmentUploadKinds(staff, imported, Relation{}); len(k) != 0 {
		t.Errorf("the importer may add %v to an imported case as its reporter", k)
	}
}
