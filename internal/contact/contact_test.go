package contact_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/contact"
)

func TestCheckNormalises(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ field, in, want string }{
		{contact.FieldBRIN, " 12ab ", "12AB"},
		{contact.FieldBRIN, "12 AB", "12AB"},
		{contact.FieldKvK, "4123 4567", "41234567"},
		{contact.FieldPostcode, "1234ab", "1234 AB"},
		{contact.FieldPostcode, " 1234  Ab ", "1234 AB"},
		{contact.FieldPhone, "030-1234567", "030-1234567"},
		{contact.FieldPhone, "06  12 34 56 78", "06 12 34 56 78"},
		{contact.FieldPhone, "+31 30 1234567", "+31 30 1234567"},
		{contact.FieldPhone, "+31 (0)30 123 45 67", "+31 (0)30 123 45 67"},
		{contact.FieldPhone, "0031 30 1234567", "0031 30 1234567"},
		{contact.FieldPhone, "(030) 123 45 67", "(030) 123 45 67"},
		{contact.FieldPhone, "+32 2 123 45 67", "+32 2 123 45 67"},
		{contact.FieldFGPhone, "06-12345678", "06-12345678"},
		{contact.FieldEmail, " Info@Regenboog.NL ", "info@regenboog.nl"},
		{contact.FieldFGEmail, "fg@stichting.nl", "fg@stichting.nl"},
		{contact.FieldWebsite, "www.regenboog.nl", "https://www.regenboog.nl"},
		{contact.FieldWebsite, "HTTP://regenboog.nl/contact?x=1", "http://regenboog.nl/contact?x=1"},
		{contact.FieldWebsite, "https://www.regenboog.nl", "https://www.regenboog.nl"},
		{contact.FieldStreet, " Dorpsstraat   12a ", "Dorpsstraat 12a"},
		{contact.FieldCity, "'s-Hertogenbosch", "'s-Hertogenbosch"},
		{contact.FieldFGName, "Femke  de Functionaris", "Femke de Functionaris"},
		{contact.FieldKvK, "", ""},
		{contact.FieldBRIN, "   ", ""},
	} {
		got, msg := contact.Check(c.field, c.in)
		if msg != "" || got != c.want {
			t.Errorf("Check(%s, %q) = %q, %q; want %q", c.field, c.in, got, msg, c.want)
		}
	}
}

func TestCheckRefuses(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ field, in, want string }{
		{contact.FieldBRIN, "123", "vier tekens"},
		{contact.FieldBRIN, "AB12", "twee cijfers en twee letters"},
		{contact.FieldBRIN, "12AB01", "vier tekens"},
		{contact.FieldKvK, "1234567", "acht cijfers"},
		{contact.FieldKvK, "1234567a", "acht cijfers"},
		{contact.FieldKvK, "123456789", "acht cijfers"},
		{contact.FieldPostcode, "0123 AB", "vier cijfers en twee letters"},
		{contact.FieldPostcode, "1234 A", "vier cijfers en twee letters"},
		{contact.FieldPostcode, "12345", "vier cijfers en twee letters"},
		{contact.FieldPhone, "12345", "tien cijfers"},
		{contact.FieldPhone, "030-123456", "tien cijfers"},
		{contact.FieldPhone, "+31 30 123456", "tien cijfers"},
		{contact.FieldPhone, "0612345678x", "alleen cijfers"},
		{contact.FieldPhone, "06+12345678", "alleen cijfers"},
		{contact.FieldPhone, "(030 1234567", "haakje"},
		{contact.FieldFGPhone, "bel maar", "alleen cijfers"},
		{contact.FieldEmail, "info@regenboog", "geen geldig e-mailadres"},
		{contact.FieldEmail, "Regenboog <info@regenboog.nl>", "geen geldig e-mailadres"},
		{contact.FieldEmail, "café@regenboog.nl", "zonder accenten"},
		{contact.FieldFGEmail, "fg", "geen geldig e-mailadres"},
		{contact.FieldWebsite, "ftp://regenboog.nl", "http:// of https://"},
		{contact.FieldWebsite, "regenboog", "geen geldig webadres"},
		{contact.FieldWebsite, "https://user:pw@regenboog.nl", "geen geldig webadres"},
		{contact.FieldWebsite, "www.regen boog.nl", "geen spaties"},
		{contact.FieldStreet, "Dorpsstraat\t1", "onzichtbaar teken"},
		{contact.FieldCity, "Utrecht\u202e", "onzichtbaar teken"},
		{contact.FieldStreet, strings.Repeat("a", 201), "te lang"},
		{contact.FieldFGName, strings.Repeat("é", 201), "te lang"},
		{contact.FieldPhone, "0" + strings.Repeat(" 1", 20), "te lang"},
	} {
		got, msg := contact.Check(c.field, c.in)
		if !strings.Contains(msg, c.want) {
			t.Errorf("Check(%s, %q) = %q, %q; want a message with %q", c.field, c.in, got, msg, c.want)
		}
	}
}

func TestOrganisationCheckGivesAMessagePerField(t *testing.T) {
	t.Parallel()
	o := contact.Organisation{Name: "Stichting", KvK: "123", FGEmail: "fg@", Details: contact.Details{Postcode: "1234ab", Website: "school.nl"}}
	got, err := o.Check()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid {
		t.Fatalf("err = %v, want Invalid", err)
	}
	if len(e.Fields) != 2 || e.Fields["kvk"] == "" || e.Fields["fg_email"] == "" {
		t.Errorf("fields = %v, want kvk and fg_email", e.Fields)
	}
	if got.KvK != "123" || got.Postcode != "1234 AB" || got.Website != "https://school.nl" || got.Name != "Stichting" {
		t.Errorf("checked = %+v", got)
	}
	s, err := contact.School{BRIN: "12ab", Details: contact.Details{Phone: "030-1234567"}}.Check()
	if err != nil || s.BRIN != "12AB" {
		t.Errorf("school = %+v, %v", s, err)
	}
	if _, err := (contact.School{BRIN: "1"}).Check(); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad BRIN accepted: %v", err)
	}
}

func TestChangesListsOnlyWhatDiffers(t *testing.T) {
	t.Parallel()
	old := contact.Organisation{KvK: "41234567", Details: contact.Details{City: "Utrecht"}}
	new := old
	new.City, new.FGName = "Amersfoort", "Femke"
	from, to := contact.Changes(old.Values(), new.Values())
	if len(from) != 2 || from["city"] != "Utrecht" || to["city"] != "Amersfoort" || from["fg_name"] != "" || to["fg_name"] != "Femke" {
		t.Errorf("changes = %v → %v", from, to)
	}
}

func TestLetterheadFallsBackToTheOrganisation(t *testing.T) {
	t.Parallel()
	org := contact.Organisation{Name: "Stichting Demo", KvK: "41234567", FGName: "Femke", FGEmail: "fg@demo.nl",
		Details: contact.Details{Street: "Kerkplein 1", Postcode: "3511 AA", City: "Utrecht", Phone: "030-1234567",
			Email: "info@demo.nl", Website: "https://demo.nl"}}

	h := contact.LetterheadOf(org, nil)
	if h.Name != "Stichting Demo" || h.Street != "Kerkplein 1" || h.FGName != "Femke" || !slices.Equal(h.Missing, []string{"fg_phone"}) {
		t.Errorf("without a school: %+v", h)
	}

	school := &contact.School{Name: "De Regenboog", BRIN: "12AB",
		Details: contact.Details{Street: "Schoolstraat 5", City: "Zeist", Email: "info@regenboog.nl"}}
	h = contact.LetterheadOf(org, school)
	if h.Name != "De Regenboog" || h.Street != "Schoolstraat 5" || h.City != "Zeist" || h.Postcode != "" {
		t.Errorf("the school's own address, never mixed with the board's: %+v", h)
	}
	if h.Email != "info@regenboog.nl" || h.Phone != "030-1234567" || h.Website != "https://demo.nl" {
		t.Errorf("phone and website fall back, e-mail the school's: %+v", h)
	}
	if !slices.Equal(h.Missing, []string{"postcode", "fg_phone"}) {
		t.Errorf("missing = %v", h.Missing)
	}

	h = contact.LetterheadOf(org, &contact.School{Name: "Het Baken"})
	if h.Street != "Kerkplein 1" || h.Postcode != "3511 AA" || h.City != "Utrecht" {
		t.Errorf("a school without an address: the board's: %+v", h)
	}
	if h := contact.LetterheadOf(contact.Organisation{}, nil); len(h.Missing) != 10 {
		t.Errorf("nothing filled in: missing %v", h.Missing)
	}
	if contact.Label("kvk") != "KvK-nummer" || contact.Label("fg_phone") != "telefoonnummer van de FG" {
		t.Error("labels")
	}
}

// FuzzContactCheck feeds any text to every field's check: a value that
// passes is normalised once and for all (checking it again changes nothing
// and passes), holds no control or format character and is valid UTF-8; a
// refusal always has a message.
func FuzzContactCheck(f *testing.F) {
	for _, s := range []string{"12ab", "41234567", "1234ab", "+31 (0)30 123 45 67", "0031 30 1234567",
		"Info@Regenboog.NL", "www.regenboog.nl", "HTTP://x.nl/a?b#c", " Dorpsstraat   12 ", "\x00", "\xff\xfe",
		"a\u202eb", "https://user@x.nl", "https://[::1]/", "06-12345678", "((0))", "+", "0000 AA", "  ",
		"https://xn--caf-dma.nl", "https://café.nl", "ıİ@x.nl", "\u0085x\u0085"} {
		for i := range contact.Fields {
			f.Add(i, s)
		}
	}
	f.Fuzz(func(t *testing.T, i int, value string) {
		if i < 0 {
			i = -(i + 1)
		}
		field := contact.Fields[i%len(contact.Fields)]
		got, msg := contact.Check(field, value)
		if msg != "" {
			return
		}
		if !utf8.ValidString(got) || strings.ContainsFunc(got, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) {
			t.Fatalf("%s: %q passed as %q with an invisible character", field, value, got)
		}
		again, msg := contact.Check(field, got)
		if msg != "" || again != got {
			t.Fatalf("%s: %q passed as %q, checked again %q (%q)", field, value, got, again, msg)
		}
		if got != strings.TrimSpace(got) {
			t.Fatalf("%s: %q kept spaces around it", field, got)
		}
	})
}
