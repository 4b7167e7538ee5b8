package incident_test

// Native fuzz tests for every parser of outside input in the domain: the
// report form, the dates typed in forms, the recipients list, the rows and
// mapping of an Excel import, and the type detection of attachments. Their
// seeds run in every `go test`; `make fuzz` runs each for FUZZTIME.

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/assessment"
	"github.com/lekwacht/lekwacht/internal/incident"
)

var fuzzNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func fuzzLoc(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// fieldErrorsOnly fails unless err is nil or carries Dutch field messages:
// outside input may be refused, never crash or give an internal error.
func fieldErrorsOnly(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if apperr.KindOf(err) != apperr.Invalid {
		t.Fatalf("not a refusal with messages: %v", err)
	}
}

func FuzzReportFormParse(f *testing.F) {
	f.Add("De laptop van groep 8 is gestolen", "2026-11-20T08:00", "", "22-11-2026 9:15", "1", "yes", "12", "unknown", "06-12345678")
	f.Add(" ", "gisteren", "2026-11-19T08:00", "2026-11-24T10:00", "99", "nee", "-3", "ja", "")
	f.Add("\x00\xff", "2-1-2006", "2006-01-02", "1999-12-31T23:59", "abc", "no", "een klas", "no", strings.Repeat("é", 60))
	loc := fuzzLoc(f)
	f.Fuzz(func(t *testing.T, what, from, until, discovered, school, personal, estimate, ongoing, phone string) {
		form := incident.ReportForm{WhatHappened: what, OccurredFrom: from, OccurredUntil: until, DiscoveredAt: discovered,
			School: school, PersonalData: personal, SubjectsEstimate: estimate, Ongoing: ongoing, ContactPhone: phone,
			Carriers: []string{personal}, DataKinds: []string{ongoing}, SubjectGroups: []string{school}}
		r, err := form.Parse(fuzzNow, loc, []int64{1, 2})
		fieldErrorsOnly(t, err)
		if err != nil {
			return
		}
		if n := utf8.RuneCountInString(r.WhatHappened); n == 0 || n > 10000 {
			t.Errorf("accepted a description of %d characters", n)
		}
		for _, d := range []*time.Time{r.OccurredFrom, r.OccurredUntil, r.DiscoveredAt} {
			if d != nil && (d.After(fuzzNow.Add(5*time.Minute)) || d.Year() < 2000) {
				t.Errorf("accepted the date %s", d)
			}
		}
		if r.OccurredFrom != nil && r.OccurredUntil != nil && r.OccurredUntil.Before(*r.OccurredFrom) {
			t.Errorf("accepted an end before the start")
		}
	})
}

// FuzzFormDates feeds the date fields of the other step forms.
func FuzzFormDates(f *testing.F) {
	for _, s := range []string{"2026-11-20T08:00", "20-11-2026 08:00", "2026-11-20", "", "31-02-2026 25:61", "0000-01-01T00:00", "2026-11-20T08:00\x00", "2026-W47", "+292277026596-12-04T15:30"} {
		f.Add(s, s)
	}
	f.Add("2026-11-20T08:00", "2026-11-19T08:00")
	loc := fuzzLoc(f)
	drafted := fuzzNow.Add(-48 * time.Hour)
	f.Fuzz(func(t *testing.T, a, b string) {
		inv, err := incident.InventoryForm{Summary: "x", PeriodFrom: a, PeriodUntil: b, SubjectCount: b}.Parse(fuzzNow, loc)
		fieldErrorsOnly(t, err)
		if err == nil && inv.PeriodFrom != nil && inv.PeriodUntil != nil && inv.PeriodUntil.Before(*inv.PeriodFrom) {
			t.Errorf("inventory accepted an end before the start: %q %q", a, b)
		}
		_, err = incident.NotificationForm{SentAt: a, Number: b}.Parse(fuzzNow, loc, drafted, fuzzNow, true)
		fieldErrorsOnly(t, err)
		_, err = incident.AmendForm{SentAt: a, Content: b}.Parse(fuzzNow, loc, drafted)
		fieldErrorsOnly(t, err)
		_, _, err = incident.ProcessorLinkForm{ProcessorID: b, InformedAt: a}.Parse(fuzzNow, loc)
		fieldErrorsOnly(t, err)
		sent, err := incident.ParseSubjectsSentAt(a, fuzzNow, loc, drafted)
		fieldErrorsOnly(t, err)
		if err == nil && (sent.After(fuzzNow.Add(5*time.Minute)) || sent.Before(drafted.Truncate(time.Minute))) {
			t.Errorf("subjects sent at %s accepted", sent)
		}
		if h, ok := incident.ParseHalfYear(a); ok && !h.End(loc).After(h.Start(loc)) {
			t.Errorf("half year %q ends before it starts", a)
		}
	})
}

func FuzzParseRecipients(f *testing.F) {
	f.Add([]byte("\ufeffNaam;E-mail;E-mail ouder\r\nJan Jansen;jan@school.nl;\r\nFatima (groep 5);;ouder.fatima@example.nl\r\n"))
	f.Add([]byte("name,email\n\"Vries, Anna de\",anna@example.nl\n"))
	f.Add([]byte("naam;e-mail;ouder\nSem;sem@leerling.nl;papa@example.nl\n"))
	f.Add([]byte("naam\tmail\n\"open quote;x@y.nl\n"))
	f.Add([]byte{0xff, 0xfe, 'n', 0, 'a', 0})
	f.Add([]byte(""))
	f.Add([]byte("naam;e-mail;e-mail ouder;geboortedatum\nSem;sem@leerling.nl;papa@example.nl;04-12-2010\nLot;;mama@example.nl;2015-01-31\nBo;bo@x.nl;;31-02-2009\n"))
	f.Add([]byte("naam,e-mail,geboren\nX,x@y.nl,99-99-9999\n"))
	f.Add([]byte("naam;e-mail\nJan\x00Jansen;jan@school.nl\n\"Piet\nPuk\";piet@school.nl\nA\x7fB;ab@school.nl\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, dup, err := incident.ParseRecipients(data, time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
		fieldErrorsOnly(t, err)
		if err != nil {
			return
		}
		if dup < 0 || len(list) == 0 {
			t.Errorf("accepted a list of %d with %d duplicates", len(list), dup)
		}
		seen := map[string]bool{}
		for _, r := range list {
			if strings.TrimSpace(r.Name) == "" || !strings.Contains(r.Email, "@") || r.Line < 2 {
				t.Errorf("accepted recipient %+v", r)
			}
			if strings.IndexFunc(r.Name+r.Email, unicode.IsControl) >= 0 {
				t.Errorf("accepted recipient %q <%q> with a control character", r.Name, r.Email)
			}
			if (r.Audience == incident.AudienceParent) != r.ToParent || (r.Audience != incident.AudienceParent && r.Audience != incident.AudienceStudent && r.Audience != incident.AudienceSelf) {
				t.Errorf("recipient %+v: audience and address disagree", r)
			}
			if seen[strings.ToLower(r.Email)] {
				t.Errorf("address %q twice", r.Email)
			}
			seen[strings.ToLower(r.Email)] = true
		}
	})
}

func FuzzCheckAttachment(f *testing.F) {
	f.Add("bewijs.pdf", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF"))
	f.Add("foto.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"))
	f.Add("scherm.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	f.Add("mail.eml", []byte("From: a@b.nl\r\nSubject: x\r\n\r\nhallo"))
	f.Add("notitie.txt", []byte("gewone tekst\n"))
	f.Add("../../etc/passwd", []byte("root:x:0:0"))
	f.Add("x.html", []byte("<html><script>alert(1)</script>"))
	f.Add("a.svg", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"))
	f.Add("b.docx", []byte("PK\x03\x04\x14\x00\x06\x00"))
	f.Add("\x00\u202e.exe", []byte("MZ\x90\x00"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		clean := incident.SanitiseFilename(name)
		if !utf8.ValidString(clean) || strings.ContainsAny(clean, "/\\\x00\"<>:|?*") || utf8.RuneCountInString(clean) > 255 {
			t.Errorf("SanitiseFilename(%q) = %q", name, clean)
		}
		got, err := incident.CheckAttachment(name, data)
		fieldErrorsOnly(t, err)
		if err != nil {
			return
		}
		if got.Filename == "" || strings.ContainsAny(got.Filename, "/\\") || got.ContentType == "" {
			t.Errorf("accepted %q as %+v", name, got)
		}
		for _, bad := range []string{"html", "svg", "javascript", "xml"} {
			if strings.Contains(got.ContentType, bad) {
				t.Errorf("accepted active content as %s", got.ContentType)
			}
		}
		if bytes.HasPrefix(bytes.TrimSpace(data), []byte("<")) && strings.HasPrefix(got.ContentType, "text/plain") &&
			!strings.Contains(got.ContentType, "charset") {
			t.Errorf("markup served as text without a charset")
		}
	})
}

// FuzzImportSheet feeds the pure part of the Excel import: guessing a
// mapping from the header row, checking a mapping, and reading a data row.
func FuzzImportSheet(f *testing.F) {
	f.Add("Datum;Omschrijving;Datalek;Gemeld bij AP;Meldingsnummer;Betrokkenen;Persoonsgegevens;School",
		"01-01-2024;Brief kwijt;ja;ja;AP-1;x;namen;De Regenboog", "45292")
	f.Add("Nr;Melder;Wat;Wanneer", "1;Jan;USB-stick;12 maart 2024", "")
	f.Add(";;;", ";;;", "-1")
	f.Add("datum\x00;\xff", "31-02-2024;\x00", "1e308")
	f.Add("Omschrijving", "Brief\x00kwijt\x1f\n\tx", "")
	loc := fuzzLoc(f)
	schools := map[string]access.School{incident.FoldText("De Regenboog"): {ID: 1, Name: "De Regenboog"}}
	f.Fuzz(func(t *testing.T, header, row, raw string) {
		headers := strings.Split(header, ";")
		if len(headers) > 64 {
			headers = headers[:64]
		}
		m := incident.GuessMapping(headers)
		if len(m) != len(headers) {
			t.Fatalf("GuessMapping gave %d fields for %d headers", len(m), len(headers))
		}
		_ = incident.CheckMapping(m)
		for _, h := range headers {
			_ = incident.GuessField(h)
		}
		var cells []incident.ImportCell
		for i, s := range strings.Split(row, ";") {
			if i >= 64 {
				break
			}
			cells = append(cells, incident.ImportCell{Text: s, Raw: raw})
		}
		ic := incident.ImportContext{Headers: headers, Mapping: m, Schools: schools, Scope: access.Scope{All: true}, Loc: loc, Today: fuzzNow}
		r := incident.CheckRow(ic, 2, cells)
		if len(r.Key) != 64 {
			t.Errorf("row key %q", r.Key)
		}
		_ = incident.RowEmpty(cells)
		if c := incident.CleanCell(row); !utf8.ValidString(c) || strings.ContainsRune(c, 0) || incident.CleanCell(c) != c {
			t.Errorf("CleanCell(%q) = %q", row, c)
		}
		if d, ok := incident.ParseImportDate(incident.ImportCell{Text: row, Raw: raw}, loc); ok && d.IsZero() {
			t.Errorf("ParseImportDate(%q, %q) accepted a zero date", row, raw)
		}
		_, _ = incident.ParseYesNo(row)
	})
}

// FuzzDecisionForm feeds step 3's form (the officer's answers) through the
// facts, the advice and the decision.
func FuzzDecisionForm(f *testing.F) {
	f.Add(true, true, "temporary", "30", "many", "special", "yes", "geen reden", "individual", "")
	f.Add(false, false, "", "", "", "", "", "", "", "")
	f.Add(true, false, "permanent", "-1", "\x00", "bsn", "no", strings.Repeat("x", 6000), "public", "unintelligible")
	f.Fuzz(func(t *testing.T, inc, pd bool, avail, hours, subjects, data, breach, reason, channel, exception string) {
		form := incident.DecisionForm{Incident: inc, PersonalData: pd, Confidentiality: pd, Availability: avail,
			UnavailableHours: hours, Subjects: subjects, Data: []string{data}, Consequences: []string{data},
			Breach: breach, BreachReason: reason, NotifyAuthority: breach, AuthorityReason: reason,
			NotifySubjects: breach, SubjectsReason: reason, SubjectsChannel: channel, SubjectsException: exception,
			RecipientDeleted: pd, WellKnown: inc, OutageHarmless: !inc}
		facts, errs := form.Facts()
		if len(errs) > 0 {
			return
		}
		if err := assessment.Validate(facts); err != nil {
			return
		}
		advice := assessment.Assess(facts)
		_, _, err := form.Decide(advice)
		fieldErrorsOnly(t, err)
		for _, q := range []string{incident.QuestionBreach, incident.QuestionAuthority, incident.QuestionSubjects} {
			if _, _, err := form.Adopt(advice, q).Decide(advice); err != nil {
				fieldErrorsOnly(t, err)
			}
		}
	})
}

// FuzzInspectorateForm feeds the Inspectie form (issue 10.4).
func FuzzInspectorateForm(f *testing.F) {
	f.Add("yes", "2026-12-04", "")
	f.Add("yes", "4-12-2026", "schoolexamen")
	f.Add("yes", "31/02/2026", "")
	f.Add("no", "", "oefentoets")
	f.Add("no", "", " ")
	f.Add("", "0000-01-01", "\x00")
	loc := fuzzLoc(f)
	f.Fuzz(func(t *testing.T, informed, on, reason string) {
		r, err := incident.InspectorateForm{Informed: informed, InformedOn: on, Reason: reason}.Parse(fuzzNow, loc)
		fieldErrorsOnly(t, err)
		if err != nil {
			return
		}
		if r.Informed && (r.InformedOn.IsZero() || r.InformedOn.After(fuzzNow) || r.InformedOn.Year() < 2000) {
			t.Errorf("accepted informed on %v", r.InformedOn)
		}
		if !r.Informed && strings.TrimSpace(r.Reason) == "" {
			t.Error("accepted not informed without a reason")
		}
		if r.Text() == "" {
			t.Error("no text")
		}
	})
}
