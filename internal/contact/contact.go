// Package contact holds the contact details of an organisation (the school
// board) and its schools that the AP's notification form and the letters to
// data subjects need (issue 10.3): address, phone, e-mail, website, a
// school's BRIN, the organisation's KvK number and the contact details of
// its FG. It checks and normalises what an administrator types, with a
// Dutch message per field, and puts together the head of a letter. An empty
// value is allowed everywhere: it means "not filled in yet", and the places
// that need it mark it as missing.
package contact

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// Details are the contact details an organisation and a school both have.
type Details struct {
	Street   string // street and house number
	Postcode string // "1234 AB"
	City     string
	Phone    string
	Email    string
	Website  string // with http:// or https://
}

// Organisation is a school board's contact details. Name is its name as
// registered in Lekwacht: shown, never changed through these details.
type Organisation struct {
	Name string
	Details
	KvK     string // eight digits
	FGName  string
	FGEmail string
	FGPhone string
}

// School is a school's contact details; Name as for Organisation.
type School struct {
	ID   int64
	Name string
	Details
	BRIN string // two digits and two letters, e.g. 12AB
}

// The form fields, also the names in Letterhead.Missing and in the audit log.
const (
	FieldStreet   = "street"
	FieldPostcode = "postcode"
	FieldCity     = "city"
	FieldPhone    = "phone"
	FieldEmail    = "email"
	FieldWebsite  = "website"
	FieldBRIN     = "brin"
	FieldKvK      = "kvk"
	FieldFGName   = "fg_name"
	FieldFGEmail  = "fg_email"
	FieldFGPhone  = "fg_phone"
	FieldName     = "name" // only in Letterhead.Missing: the organisation's or school's name
)

// Fields lists every field Check knows, in form order.
var Fields = []string{FieldStreet, FieldPostcode, FieldCity, FieldPhone, FieldEmail, FieldWebsite,
	FieldBRIN, FieldKvK, FieldFGName, FieldFGEmail, FieldFGPhone}

var labels = map[string]string{
	FieldName:     "naam",
	FieldStreet:   "straat en huisnummer",
	FieldPostcode: "postcode",
	FieldCity:     "plaats",
	FieldPhone:    "telefoonnummer",
	FieldEmail:    "e-mailadres",
	FieldWebsite:  "website",
	FieldBRIN:     "BRIN-nummer",
	FieldKvK:      "KvK-nummer",
	FieldFGName:   "naam van de FG",
	FieldFGEmail:  "e-mailadres van de FG",
	FieldFGPhone:  "telefoonnummer van de FG",
}

// Label is the Dutch name of a field (lower case, for in a sentence).
func Label(field string) string {
	if l, ok := labels[field]; ok {
		return l
	}
	return field
}

// Limits in characters; the database checks the same.
const (
	maxStreet  = 200
	maxCity    = 100
	maxName    = 200
	maxPhone   = 30
	maxEmail   = 254
	maxWebsite = 300
)

// Check normalises the value typed for field and returns it, or a Dutch
// message that says what is wrong (then the value returned is the input,
// trimmed). An empty value is always allowed. A value that passes has no
// control characters, and checking it again returns it unchanged.
func Check(field, value string) (string, string) {
	if !utf8.ValidString(value) {
		return "", "Hier staat een teken dat Lekwacht niet kan lezen. Typ de waarde opnieuw."
	}
	value = strings.TrimSpace(value)
	if value == "" {
		return "", ""
	}
	if strings.IndexFunc(value, invisible) >= 0 {
		return value, "Hier staat een onzichtbaar teken (een tab, regeleinde of opmaakteken). Alles past op één regel; typ de waarde opnieuw."
	}
	switch field {
	case FieldStreet:
		return text(value, maxStreet, "Dit adres is te lang (meer dan 200 tekens).")
	case FieldCity:
		return text(value, maxCity, "Deze plaatsnaam is te lang (meer dan 100 tekens).")
	case FieldFGName:
		return text(value, maxName, "Deze naam is te lang (meer dan 200 tekens).")
	case FieldPostcode:
		return postcode(value)
	case FieldPhone, FieldFGPhone:
		return phone(value)
	case FieldEmail, FieldFGEmail:
		return email(value)
	case FieldWebsite:
		return website(value)
	case FieldBRIN:
		return brin(value)
	case FieldKvK:
		return kvk(value)
	}
	return value, "Onbekend veld."
}

// invisible reports a control character (a tab, a line break) or a format
// character (a zero-width space, a right-to-left override that could make a
// letterhead read differently from what is stored).
func invisible(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }

// text collapses runs of spaces to one: "Dorpsstraat   1" is "Dorpsstraat 1".
func text(v string, limit int, tooLong string) (string, string) {
	v = strings.Join(strings.Fields(v), " ")
	if utf8.RuneCountInString(v) > limit {
		return v, tooLong
	}
	return v, ""
}

func postcode(v string) (string, string) {
	s := strings.ToUpper(strings.Join(strings.Fields(v), ""))
	if len(s) != 6 || s[0] < '1' || s[0] > '9' || !digits(s[1:4]) || !letters(s[4:]) {
		return v, "Een postcode heeft vier cijfers en twee letters, zoals 1234 AB."
	}
	return s[:4] + " " + s[4:], ""
}

// phone accepts a Dutch number of ten digits (0…) or one in international
// form (+31 or 0031 with nine digits after it, "(0)" allowed), or another
// country's number of 8 to 15 digits after the +. It keeps the spacing
// typed, with runs of spaces made one.
func phone(v string) (string, string) {
	const msg = "Vul een telefoonnummer in van tien cijfers, zoals 030-1234567, of met landnummer, zoals +31 30 1234567."
	v = strings.Join(strings.Fields(v), " ")
	if utf8.RuneCountInString(v) > maxPhone {
		return v, "Dit telefoonnummer is te lang (meer dan 30 tekens)."
	}
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9', r == ' ', r == '-', r == '(', r == ')':
		case r == '+' && i == 0:
		default:
			return v, "Gebruik in een telefoonnummer alleen cijfers, spaties, een + aan het begin, streepjes en haakjes."
		}
	}
	if strings.Count(v, "(") != strings.Count(v, ")") {
		return v, "Er staat een haakje open of dicht te veel in dit telefoonnummer."
	}
	var ds strings.Builder
	for _, r := range v {
		if r >= '0' && r <= '9' {
			ds.WriteRune(r)
		}
	}
	d := ds.String()
	// "(0)" after a country code is the trunk zero, not dialled from abroad.
	trunk := strings.Contains(strings.ReplaceAll(v, " ", ""), "(0)")
	switch {
	case strings.HasPrefix(v, "+31") || strings.HasPrefix(d, "0031") && !strings.HasPrefix(v, "+"):
		d = strings.TrimPrefix(strings.TrimPrefix(d, "00"), "31")
		if trunk {
			d = strings.Replace(d, "0", "", 1)
		}
		if len(d) != 9 || d[0] == '0' {
			return v, msg
		}
	case strings.HasPrefix(v, "+"):
		if trunk {
			d = strings.Replace(d, "0", "", 1)
		}
		if len(d) < 8 || len(d) > 15 {
			return v, msg
		}
	default:
		if len(d) != 10 || d[0] != '0' || d[1] == '0' {
			return v, msg
		}
	}
	return v, ""
}

func email(v string) (string, string) {
	const msg = "Dit is geen geldig e-mailadres. Gebruik de vorm naam@school.nl."
	v = strings.ToLower(v)
	for _, r := range v {
		if r > unicode.MaxASCII {
			return v, "Gebruik in een e-mailadres alleen letters zonder accenten, cijfers en leestekens."
		}
	}
	if len(v) > maxEmail {
		return v, "Dit e-mailadres is te lang."
	}
	at := strings.LastIndex(v, "@")
	if at <= 0 {
		return v, msg
	}
	domain := v[at+1:]
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || a.Name != "" || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.ContainsAny(v, " \"<>()[],;:\\") {
		return v, msg
	}
	return v, ""
}

// website accepts an http or https address; without a scheme, https:// is
// put in front ("www.school.nl" is "https://www.school.nl"). The scheme is
// written in lower case; the rest stays as typed.
func website(v string) (string, string) {
	const msg = "Dit is geen geldig webadres. Gebruik de vorm https://www.school.nl."
	if strings.ContainsFunc(v, unicode.IsSpace) {
		return v, "Een webadres heeft geen spaties."
	}
	lower := strings.ToLower(v)
	switch {
	case strings.HasPrefix(lower, "https://"):
		v = "https://" + v[len("https://"):]
	case strings.HasPrefix(lower, "http://"):
		v = "http://" + v[len("http://"):]
	case strings.Contains(v, "://"):
		return v, "Een webadres begint met http:// of https://."
	default:
		v = "https://" + v
	}
	if utf8.RuneCountInString(v) > maxWebsite {
		return v, "Dit webadres is te lang (meer dan 300 tekens)."
	}
	u, err := url.Parse(v)
	if err != nil || u.User != nil || u.Opaque != "" {
		return v, msg
	}
	host := u.Hostname()
	if host == "" || !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") ||
		strings.Contains(host, "..") || strings.ContainsAny(host, "%_") {
		return v, msg
	}
	return v, ""
}

func brin(v string) (string, string) {
	s := strings.ToUpper(strings.Join(strings.Fields(v), ""))
	if len(s) != 4 || !digits(s[:2]) || !letters(s[2:]) {
		return v, "Een BRIN-nummer heeft vier tekens: twee cijfers en twee letters, zoals 12AB."
	}
	return s, ""
}

func kvk(v string) (string, string) {
	s := strings.Join(strings.Fields(v), "")
	if len(s) != 8 || !digits(s) {
		return v, "Een KvK-nummer heeft acht cijfers, zoals 41234567."
	}
	return s, ""
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func letters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

// checker checks one field into dst, collecting the message in errs.
type checker struct{ errs apperr.FieldErrors }

func (c checker) do(field string, dst *string) {
	v, msg := Check(field, *dst)
	*dst = v
	if msg != "" {
		c.errs.Add(field, msg)
	}
}

func (c checker) details(d *Details) {
	c.do(FieldStreet, &d.Street)
	c.do(FieldPostcode, &d.Postcode)
	c.do(FieldCity, &d.City)
	c.do(FieldPhone, &d.Phone)
	c.do(FieldEmail, &d.Email)
	c.do(FieldWebsite, &d.Website)
}

// Check returns o with every field normalised, or an Invalid error with a
// message per wrong field (and o as typed, trimmed, to show again).
func (o Organisation) Check() (Organisation, error) {
	c := checker{apperr.FieldErrors{}}
	c.details(&o.Details)
	c.do(FieldKvK, &o.KvK)
	c.do(FieldFGName, &o.FGName)
	c.do(FieldFGEmail, &o.FGEmail)
	c.do(FieldFGPhone, &o.FGPhone)
	return o, c.errs.Err()
}

// Check is Organisation.Check for a school.
func (s School) Check() (School, error) {
	c := checker{apperr.FieldErrors{}}
	c.details(&s.Details)
	c.do(FieldBRIN, &s.BRIN)
	return s, c.errs.Err()
}

// Values lists the organisation's fields by form name (for the audit log).
func (o Organisation) Values() map[string]string {
	m := o.Details.values()
	m[FieldKvK], m[FieldFGName], m[FieldFGEmail], m[FieldFGPhone] = o.KvK, o.FGName, o.FGEmail, o.FGPhone
	return m
}

// Values lists the school's fields by form name.
func (s School) Values() map[string]string {
	m := s.Details.values()
	m[FieldBRIN] = s.BRIN
	return m
}

func (d Details) values() map[string]string {
	return map[string]string{FieldStreet: d.Street, FieldPostcode: d.Postcode, FieldCity: d.City,
		FieldPhone: d.Phone, FieldEmail: d.Email, FieldWebsite: d.Website}
}

// Changes compares two sets of Values and returns the fields that differ,
// old and new: what the audit log records of a change.
func Changes(old, new map[string]string) (from, to map[string]string) {
	from, to = map[string]string{}, map[string]string{}
	for _, f := range Fields {
		o, okO := old[f]
		n, okN := new[f]
		if (okO || okN) && o != n {
			from[f], to[f] = o, n
		}
	}
	return from, to
}
