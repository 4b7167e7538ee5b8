package incident

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// Answer is a reporter's ja / nee / weet ik niet.
type Answer string

// Answers.
const (
	Yes     Answer = "yes"
	No      Answer = "no"
	Unknown Answer = "unknown"
)

// Label is the Dutch answer.
func (a Answer) Label() string {
	switch a {
	case Yes:
		return "Ja"
	case No:
		return "Nee"
	case Unknown:
		return "Weet ik niet"
	}
	return "-"
}

// Option is one choice of a multiple-choice question.
type Option struct {
	Value, Label string
}

// Carriers are the systems, carriers or places where it happened.
var Carriers = []Option{
	{"laptop", "Laptop of computer"},
	{"phone", "Telefoon of tablet"},
	{"usb", "USB-stick of externe schijf"},
	{"email", "E-mail (bijv. verkeerd geadresseerd, cc in plaats van bcc)"},
	{"paper", "Papier (print, schrift, dossier, brief)"},
	{"student_admin", "Leerlingadministratie (bijv. Magister, ParnasSys, Somtoday)"},
	{"learning_platform", "Leermiddel of online leerplatform"},
	{"cloud", "Cloudopslag of gedeelde map (bijv. OneDrive, Google Drive, Teams)"},
	{"account", "Account of wachtwoord (bijv. inloggegevens gedeeld of gestolen)"},
	{"website", "Website, app of sociale media"},
	{"supplier", "Bij een leverancier"},
	{"other", "Iets anders"},
}

// DataKinds are the kinds of personal data that may be involved.
var DataKinds = []Option{
	{"contact", "Namen en contactgegevens (adres, e-mail, telefoon)"},
	{"identifier", "Leerlingnummer, personeelsnummer of BSN"},
	{"birthdate", "Geboortedatum"},
	{"results", "Cijfers, toetsen of werkprestaties"},
	{"care", "Zorg, begeleiding of gedrag (bijv. leerlingdossier, handelingsplan)"},
	{"health", "Gezondheid, godsdienst, afkomst of andere bijzondere gegevens"},
	{"credentials", "Inloggegevens of wachtwoorden"},
	{"financial", "Financiële gegevens (bijv. bankrekening, ouderbijdrage)"},
	{"id_document", "Kopie van een identiteitsbewijs"},
	{"photos", "Foto’s of video’s"},
	{"other", "Andere gegevens"},
}

// SubjectGroups are the groups of people whose data are involved.
var SubjectGroups = []Option{
	{"students", "Leerlingen"},
	{"parents", "Ouders of verzorgers"},
	{"staff", "Medewerkers"},
	{"others", "Anderen"},
}

// LabelOf returns the Dutch label of value in opts.
func LabelOf(opts []Option, value string) string {
	for _, o := range opts {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}

// Report is what the reporter tells in step 1: the questions of seed 000
// steps 1–2 and seed 001 part II.
type Report struct {
	WhatHappened     string
	OccurredFrom     *time.Time
	OccurredUntil    *time.Time
	DiscoveredAt     *time.Time
	SchoolID         *int64
	Carriers         []string
	Systems          string
	PersonalData     Answer
	DataKinds        []string
	SubjectsEstimate *int
	SubjectGroups    []string
	Ongoing          Answer
	ActionsTaken     string
	ContactPhone     string
	ContactNote      string
}

// ReportForm is the report as typed into the form: strings only, so that
// whatever the user typed can be shown back to them, even when it is wrong.
type ReportForm struct {
	SubmissionKey    string
	WhatHappened     string
	OccurredFrom     string // datetime-local: 2006-01-02T15:04
	OccurredUntil    string
	DiscoveredAt     string
	School           string // school id, or "" for the board office / unknown
	Carriers         []string
	Systems          string
	PersonalData     string
	DataKinds        []string
	SubjectsEstimate string
	SubjectGroups    []string
	Ongoing          string
	ActionsTaken     string
	ContactPhone     string
	ContactNote      string
}

// DateTimeLayout is the layout of an HTML datetime-local input.
const DateTimeLayout = "2006-01-02T15:04"

const (
	maxLongText  = 10000
	maxShortText = 500
)

// Parse validates the form and returns the report, or an apperr.Invalid with
// a Dutch message per field. now and loc (Europe/Amsterdam) interpret the
// dates; schools is the set of valid school ids of the organisation.
func (f ReportForm) Parse(now time.Time, loc *time.Location, schools []int64) (Report, error) {
	errs := apperr.FieldErrors{}
	r := Report{
		WhatHappened: strings.TrimSpace(f.WhatHappened),
		Systems:      strings.TrimSpace(f.Systems),
		ActionsTaken: strings.TrimSpace(f.ActionsTaken),
		ContactPhone: strings.TrimSpace(f.ContactPhone),
		ContactNote:  strings.TrimSpace(f.ContactNote),
	}
	switch n := utf8.RuneCountInString(r.WhatHappened); {
	case n == 0:
		errs.Add("what_happened", "Beschrijf kort wat er is gebeurd. Dit is de enige vraag die u moet invullen.")
	case n > maxLongText:
		errs.Add("what_happened", "Deze beschrijving is te lang (meer dan 10.000 tekens). Houd het bij de hoofdzaken.")
	}
	checkLen := func(field, v string, max int) {
		if utf8.RuneCountInString(v) > max {
			errs.Add(field, "Dit antwoord is te lang (meer dan "+strconv.Itoa(max)+" tekens).")
		}
	}
	checkLen("systems", r.Systems, maxShortText*4)
	checkLen("actions_taken", r.ActionsTaken, maxLongText)
	checkLen("contact_phone", r.ContactPhone, 50)
	checkLen("contact_note", r.ContactNote, maxShortText)

	when := func(field, v string) *time.Time {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil
		}
		t, err := time.ParseInLocation(DateTimeLayout, v, loc)
		if err != nil {
			// Browsers without a date picker send what was typed; accept the Dutch way too.
			for _, layout := range []string{"2006-01-02", "2-1-2006 15:04", "2-1-2006"} {
				if t2, err2 := time.ParseInLocation(layout, v, loc); err2 == nil {
					t, err = t2, nil
					break
				}
			}
		}
		if err != nil {
			errs.Add(field, "Deze datum begrijpen we niet. Gebruik bijvoorbeeld 14-03-2026 09:30.")
			return nil
		}
		if t.After(now.Add(5 * time.Minute)) {
			errs.Add(field, "Deze datum ligt in de toekomst.")
			return nil
		}
		if t.Year() < 2000 {
			errs.Add(field, "Deze datum ligt te ver in het verleden.")
			return nil
		}
		return &t
	}
	r.OccurredFrom = when("occurred_from", f.OccurredFrom)
	r.OccurredUntil = when("occurred_until", f.OccurredUntil)
	r.DiscoveredAt = when("discovered_at", f.DiscoveredAt)
	if r.OccurredUntil != nil && r.OccurredFrom == nil {
		errs.Add("occurred_from", "Vul ook in wanneer het begon, of laat het einde leeg.")
	}
	if r.OccurredFrom != nil && r.OccurredUntil != nil && r.OccurredUntil.Before(*r.OccurredFrom) {
		errs.Add("occurred_until", "Het einde ligt vóór het begin.")
	}
	if r.OccurredFrom != nil && r.DiscoveredAt != nil && r.DiscoveredAt.Before(*r.OccurredFrom) {
		errs.Add("discovered_at", "U kunt het niet hebben ontdekt vóórdat het gebeurde. Kijk beide datums na.")
	}

	if s := strings.TrimSpace(f.School); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || !slices.Contains(schools, id) {
			errs.Add("school", "Kies een school uit de lijst.")
		} else {
			r.SchoolID = &id
		}
	}

	r.Carriers = choices(errs, "carriers", f.Carriers, Carriers)
	r.DataKinds = choices(errs, "data_kinds", f.DataKinds, DataKinds)
	r.SubjectGroups = choices(errs, "subject_groups", f.SubjectGroups, SubjectGroups)
	r.PersonalData = answer(errs, "personal_data", f.PersonalData)
	r.Ongoing = answer(errs, "ongoing", f.Ongoing)
	if r.PersonalData == No && len(r.DataKinds) > 0 {
		errs.Add("data_kinds", "U antwoordde dat er geen persoonsgegevens bij betrokken zijn, maar u koos wel soorten gegevens. Kies bij de vorige vraag ‘Ja’ of ‘Weet ik niet’, of haal de vinkjes weg.")
	}

	if s := strings.TrimSpace(strings.ReplaceAll(f.SubjectsEstimate, ".", "")); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			errs.Add("subjects_estimate", "Vul een heel getal in, bijvoorbeeld 30. Weet u het niet, laat het dan leeg.")
		case n < 0:
			errs.Add("subjects_estimate", "Het aantal kan niet negatief zijn.")
		case n > 10_000_000:
			errs.Add("subjects_estimate", "Dit aantal is onwaarschijnlijk groot. Kijk het na.")
		default:
			r.SubjectsEstimate = &n
		}
	}
	if err := errs.Err(); err != nil {
		return Report{}, err
	}
	return r, nil
}

func choices(errs apperr.FieldErrors, field string, values []string, opts []Option) []string {
	out := []string{}
	for _, v := range values {
		if v == "" {
			continue
		}
		if !slices.ContainsFunc(opts, func(o Option) bool { return o.Value == v }) {
			errs.Add(field, "Kies alleen uit de genoemde mogelijkheden.")
			continue
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func answer(errs apperr.FieldErrors, field, v string) Answer {
	switch Answer(v) {
	case Yes, No, Unknown:
		return Answer(v)
	case "":
		return Unknown
	}
	errs.Add(field, "Kies ja, nee of weet ik niet.")
	return Unknown
}
