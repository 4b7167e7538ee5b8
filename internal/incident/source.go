package incident

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// Reports that are not a staff member's own (issue 12): from outside through
// the organisation's public page ("signalen van buitenaf", seed 000), entered
// by the desk on someone's behalf, or by a processor through its own link.

// SourceKind says how a report came in; "" is a staff member's own report.
type SourceKind string

// Source kinds.
const (
	SourceStaff     SourceKind = ""
	SourcePublic    SourceKind = "public"
	SourceDesk      SourceKind = "desk"
	SourceProcessor SourceKind = "processor"
)

// ReporterRoles are who an outside reporter says they are.
var ReporterRoles = []Option{
	{"parent", "Ouder of verzorger"},
	{"pupil", "Leerling"},
	{"supplier", "Leverancier"},
	{"other", "Iemand anders"},
}

// CallerRoles are who called the desk; a staff member may too.
var CallerRoles = append([]Option{{"staff", "Medewerker"}}, ReporterRoles...)

// Channels are the ways a report reached the desk.
var Channels = []Option{
	{"phone", "Telefoon"},
	{"email", "E-mail"},
	{"in_person", "Persoonlijk"},
}

// Source is where a case came from, beyond the stand-in reporter account.
type Source struct {
	Kind         SourceKind
	Role         string // one of CallerRoles
	Name         string
	Email        string
	Phone        string
	Anonymous    bool
	WantsContact bool
	Channel      string // one of Channels, "web" or "processor_link"
	EnteredByID  *int64
	EnteredBy    string
}

// Outside reports whether the report came from outside the organisation's staff accounts.
func (s Source) Outside() bool { return s.Kind == SourcePublic || s.Kind == SourceProcessor }

// Label is how lists, the register and the analysis name the origin.
func (s Source) Label() string {
	switch s.Kind {
	case SourcePublic:
		return "Melding van buiten"
	case SourceDesk:
		return "Via het meldpunt"
	case SourceProcessor:
		return "Melding van een verwerker"
	}
	return "Medewerker"
}

// ReporterLabel is who reported, as the case page and the register show it.
func (s Source) ReporterLabel() string {
	who := LabelOf(CallerRoles, s.Role)
	switch s.Kind {
	case SourcePublic:
		if s.Anonymous || s.Name == "" {
			return "Melding van buiten: " + lowerFirst(who) + " (anoniem)"
		}
		return "Melding van buiten: " + s.Name + " (" + lowerFirst(who) + ")"
	case SourceDesk:
		out := s.Name
		if s.Role != "" {
			out += " (" + lowerFirst(who) + ")"
		}
		out += ", via het meldpunt (" + lowerFirst(LabelOf(Channels, s.Channel)) + ")"
		if s.EnteredBy != "" {
			out += ", ingevoerd door " + s.EnteredBy
		}
		return out
	case SourceProcessor:
		if s.Name != "" {
			return "Verwerker: " + s.Name
		}
		return "Verwerker"
	}
	return ""
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToLower(string(r)) + s[n:]
}

// Limits of outside input: shorter than the staff form's, since anyone can send it.
const (
	maxPublicText = 5000
	maxNameLen    = 200
	maxEmailLen   = 254
	maxPhoneLen   = 50
)

// PublicReportForm is the public report page as typed: strings only.
type PublicReportForm struct {
	SubmissionKey string
	WhatHappened  string
	OccurredFrom  string
	School        string
	DataKinds     []string
	SubjectGroups []string
	Role          string
	WantsContact  string // "yes" or "no"
	Anonymous     bool
	Name          string
	Email         string
	Phone         string
	// Website is the honeypot: hidden from people, filled in by robots.
	Website string
}

// HoneypotFilled reports whether a robot filled in the hidden field.
func (f PublicReportForm) HoneypotFilled() bool { return strings.TrimSpace(f.Website) != "" }

// Parse validates the public form and returns the report and its source, or
// an apperr.Invalid with a Dutch message per field.
func (f PublicReportForm) Parse(now time.Time, loc *time.Location, schools []int64) (Report, Source, error) {
	errs := apperr.FieldErrors{}
	if utf8.RuneCountInString(strings.TrimSpace(f.WhatHappened)) > maxPublicText {
		errs.Add("what_happened", "Deze beschrijving is te lang (meer dan 5.000 tekens). Houd het bij de hoofdzaken.")
	}
	personal := Unknown
	if len(f.DataKinds) > 0 {
		personal = Yes
	}
	rf := ReportForm{WhatHappened: f.WhatHappened, OccurredFrom: f.OccurredFrom, School: f.School,
		DataKinds: f.DataKinds, SubjectGroups: f.SubjectGroups, PersonalData: string(personal)}
	r, err := rf.Parse(now, loc, schools)
	mergeFieldErrors(errs, err)
	src := Source{Kind: SourcePublic, Channel: "web", Anonymous: f.Anonymous}
	if !validOption(ReporterRoles, f.Role) {
		errs.Add("role", "Kies wie u bent.")
	}
	src.Role = f.Role
	switch f.WantsContact {
	case "yes":
		src.WantsContact = true
	case "no", "":
	default:
		errs.Add("wants_contact", "Kies ja of nee.")
	}
	if !src.Anonymous {
		src.Name = shortText(errs, "name", f.Name, maxNameLen)
		src.Email = email(errs, "email", f.Email)
		src.Phone = shortText(errs, "phone", f.Phone, maxPhoneLen)
	}
	if src.WantsContact && src.Anonymous {
		errs.Add("wants_contact", "Anoniem melden en contact willen gaan niet samen: we weten dan niet hoe we u bereiken. Kies één van beide.")
	} else if src.WantsContact && src.Email == "" && src.Phone == "" {
		errs.Add("email", "Vul een e-mailadres of telefoonnummer in, zodat we contact met u kunnen opnemen.")
	}
	if err := errs.Err(); err != nil {
		return Report{}, Source{}, err
	}
	return r, src, nil
}

// OnBehalfForm is who the desk enters a report for (a phone call, an e-mail,
// someone at the desk).
type OnBehalfForm struct {
	Role    string
	Name    string
	Email   string
	Phone   string
	Channel string
}

// Parse validates the caller's details.
func (f OnBehalfForm) Parse() (Source, error) {
	errs := apperr.FieldErrors{}
	src := Source{Kind: SourceDesk}
	src.Name = shortText(errs, "caller_name", f.Name, maxNameLen)
	if src.Name == "" {
		errs.Add("caller_name", "Vul de naam in van wie het meldde.")
	}
	src.Email = email(errs, "caller_email", f.Email)
	src.Phone = shortText(errs, "caller_phone", f.Phone, maxPhoneLen)
	if src.Email == "" && src.Phone == "" {
		errs.Add("caller_phone", "Vul een telefoonnummer of e-mailadres in, zodat het meldpunt de melder kan terugbellen of mailen.")
	}
	if !validOption(Channels, f.Channel) {
		errs.Add("channel", "Kies hoe de melding binnenkwam.")
	}
	src.Channel = f.Channel
	if f.Role != "" && !validOption(CallerRoles, f.Role) {
		errs.Add("caller_role", "Kies alleen uit de genoemde mogelijkheden.")
	}
	src.Role = f.Role
	src.WantsContact = true
	if err := errs.Err(); err != nil {
		return Source{}, err
	}
	return src, nil
}

// ProcessorReportForm is a processor's report through its own link.
type ProcessorReportForm struct {
	SubmissionKey    string
	WhatHappened     string
	OccurredFrom     string
	DiscoveredAt     string
	School           string
	DataKinds        []string
	SubjectsEstimate string
	SubjectGroups    []string
	ActionsTaken     string
	Name             string
	Email            string
	Phone            string
}

// Parse validates a processor's report.
func (f ProcessorReportForm) Parse(now time.Time, loc *time.Location, schools []int64) (Report, Source, error) {
	errs := apperr.FieldErrors{}
	personal := Unknown
	if len(f.DataKinds) > 0 {
		personal = Yes
	}
	rf := ReportForm{WhatHappened: f.WhatHappened, OccurredFrom: f.OccurredFrom, DiscoveredAt: f.DiscoveredAt, School: f.School,
		DataKinds: f.DataKinds, SubjectsEstimate: f.SubjectsEstimate, SubjectGroups: f.SubjectGroups,
		PersonalData: string(personal), ActionsTaken: f.ActionsTaken, ContactPhone: f.Phone}
	r, err := rf.Parse(now, loc, schools)
	mergeFieldErrors(errs, err)
	src := Source{Kind: SourceProcessor, Role: "supplier", Channel: "processor_link", WantsContact: true}
	src.Name = shortText(errs, "name", f.Name, maxNameLen)
	if src.Name == "" {
		errs.Add("name", "Vul uw naam in, zodat de school weet wie het meldde.")
	}
	src.Email = email(errs, "email", f.Email)
	src.Phone = shortText(errs, "contact_phone", f.Phone, maxPhoneLen)
	if src.Email == "" && src.Phone == "" {
		errs.Add("email", "Vul een e-mailadres of telefoonnummer in.")
	}
	if err := errs.Err(); err != nil {
		return Report{}, Source{}, err
	}
	return r, src, nil
}

func mergeFieldErrors(errs apperr.FieldErrors, err error) {
	if e, ok := apperr.As(err); ok {
		for k, v := range e.Fields {
			errs.Add(k, v)
		}
	}
}

func validOption(opts []Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

func shortText(errs apperr.FieldErrors, field, v string, max int) string {
	v = strings.TrimSpace(v)
	if utf8.RuneCountInString(v) > max {
		errs.Add(field, "Dit antwoord is te lang.")
		return ""
	}
	return v
}

func email(errs apperr.FieldErrors, field, v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" {
		return ""
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || len(v) > maxEmailLen || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
		errs.Add(field, "Dit e-mailadres klopt niet. Een voorbeeld: naam@voorbeeld.nl.")
		return ""
	}
	return v
}

// The slug of a public report page: lower-case letters, digits and hyphens,
// 3 to 40 long, not beginning or ending with a hyphen.
var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$`)

// ParseSlug normalises and checks a slug the administrator typed.
func ParseSlug(v string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	if !slugRe.MatchString(s) || strings.Contains(s, "--") {
		return "", &apperr.Error{Kind: apperr.Invalid, Message: "Kies een ander adres.",
			Fields: map[string]string{"slug": "Gebruik 3 tot 40 kleine letters, cijfers of streepjes, bijvoorbeeld ‘stichting-demo’."}}
	}
	return s, nil
}

// ValidSlug reports whether a slug in a URL can be one at all (before any
// database lookup).
func ValidSlug(s string) bool { return slugRe.MatchString(s) && !strings.Contains(s, "--") }

// The follow-up code: 16 characters from an alphabet without look-alikes
// (no 0/O, 1/I/L), shown in groups of four; about 78 bits.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

const codeLen = 16

// NewFollowUpCode returns a fresh code, as shown to the reporter.
func NewFollowUpCode() string {
	var b strings.Builder
	for i := range codeLen {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(codeAlphabet[randIndex(len(codeAlphabet))])
	}
	return b.String()
}

func randIndex(n int) int {
	// Rejection sampling keeps every character equally likely.
	limit := 256 - 256%n
	var one [1]byte
	for {
		_, _ = rand.Read(one[:])
		if int(one[0]) < limit {
			return int(one[0]) % n
		}
	}
}

// ParseFollowUpCode normalises a code as typed (lower case, spaces, hyphens)
// and reports whether it can be a code at all.
func ParseFollowUpCode(v string) (string, bool) {
	if len(v) > 64 {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(v) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r < utf8.RuneSelf && strings.IndexByte(codeAlphabet, byte(r)) >= 0:
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	if b.Len() != codeLen {
		return "", false
	}
	return b.String(), true
}

// HashFollowUpCode is what is stored of a code: its SHA-256 after normalising.
func HashFollowUpCode(code string) []byte {
	n, _ := ParseFollowUpCode(code)
	h := sha256.Sum256([]byte("followup:" + n))
	return h[:]
}

// A processor's private link carries a token of 32 random bytes, base64url
// without padding (43 characters).
const tokenLen = 43

// NewProcessorToken returns a fresh token.
func NewProcessorToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseProcessorToken reports whether a token from a URL can be one at all.
func ParseProcessorToken(v string) (string, bool) {
	if len(v) != tokenLen {
		return "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(b) != 32 {
		return "", false
	}
	return v, true
}

// HashProcessorToken is what is stored of a token.
func HashProcessorToken(token string) []byte {
	h := sha256.Sum256([]byte("processor-link:" + token))
	return h[:]
}
