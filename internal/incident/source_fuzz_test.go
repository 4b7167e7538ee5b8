package incident_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// Native fuzz tests for the outside input of issue 12: the public report
// form, the desk's caller details, the processor's form, follow-up codes,
// processor tokens and slugs. Nobody signs in for these: anything may come.

func FuzzPublicReportFormParse(f *testing.F) {
	f.Add("Mijn kind kreeg een lijst met namen mee", "2026-11-20T08:00", "1", "parent", "yes", false, "Petra", "petra@example.org", "06-1234", "", "contact")
	f.Add("", "gisteren", "x", "ouder", "misschien", true, "Piet", "geen adres", "", "http://spam", "nope")
	f.Add(strings.Repeat("é", 5001), "2-1-2006", "99", "pupil", "no", true, "", "", "", " ", "")
	f.Add("\x00\xff", "2026-11-24T10:00", "", "supplier", "yes", false, "", "a@b", "", "", "health")
	loc := fuzzLoc(f)
	f.Fuzz(func(t *testing.T, what, from, school, role, contact string, anonymous bool, name, email, phone, website, kind string) {
		form := incident.PublicReportForm{WhatHappened: what, OccurredFrom: from, School: school, Role: role, WantsContact: contact,
			Anonymous: anonymous, Name: name, Email: email, Phone: phone, Website: website, DataKinds: []string{kind}}
		_ = form.HoneypotFilled()
		r, src, err := form.Parse(fuzzNow, loc, []int64{1, 2})
		fieldErrorsOnly(t, err)
		if err != nil {
			return
		}
		if r.WhatHappened == "" || len([]rune(r.WhatHappened)) > 5000 {
			t.Fatalf("accepted a description of %d characters", len([]rune(r.WhatHappened)))
		}
		if src.Kind != incident.SourcePublic || src.Role == "" {
			t.Fatalf("source %+v", src)
		}
		if src.Anonymous && (src.Name != "" || src.Email != "" || src.Phone != "") {
			t.Fatal("an anonymous report kept contact details")
		}
		if src.WantsContact && src.Email == "" && src.Phone == "" {
			t.Fatal("wants contact without a way to reach them")
		}
		if src.Email != "" && !strings.Contains(src.Email, "@") {
			t.Fatalf("accepted address %q", src.Email)
		}
		if r.SchoolID != nil && *r.SchoolID != 1 && *r.SchoolID != 2 {
			t.Fatalf("accepted school %d", *r.SchoolID)
		}
	})
}

func FuzzOnBehalfFormParse(f *testing.F) {
	f.Add("parent", "Fatima", "f@example.org", "06-1", "phone")
	f.Add("", "", "", "", "fax")
	f.Add("boss", strings.Repeat("x", 300), "x@y", "", "email")
	f.Fuzz(func(t *testing.T, role, name, email, phone, channel string) {
		src, err := incident.OnBehalfForm{Role: role, Name: name, Email: email, Phone: phone, Channel: channel}.Parse()
		fieldErrorsOnly(t, err)
		if err == nil && (src.Name == "" || (src.Email == "" && src.Phone == "") || incident.LabelOf(incident.Channels, src.Channel) == src.Channel) {
			t.Fatalf("accepted %+v", src)
		}
	})
}

func FuzzProcessorReportFormParse(f *testing.F) {
	f.Add("Bij ons is een back-up met leerlinggegevens onversleuteld gedeeld", "2026-11-20T08:00", "", "1", "12", "Jan de Vries", "jan@leverancier.nl", "")
	f.Add("", "x", "y", "z", "-1", "", "", "")
	f.Fuzz(func(t *testing.T, what, from, discovered, school, estimate, name, email, phone string) {
		r, src, err := incident.ProcessorReportForm{WhatHappened: what, OccurredFrom: from, DiscoveredAt: discovered, School: school,
			SubjectsEstimate: estimate, Name: name, Email: email, Phone: phone}.Parse(fuzzNow, fuzzLoc(t), []int64{1})
		fieldErrorsOnly(t, err)
		if err == nil && (r.WhatHappened == "" || src.Kind != incident.SourceProcessor || src.Name == "") {
			t.Fatalf("accepted %+v %+v", r, src)
		}
	})
}

func FuzzParseFollowUpCode(f *testing.F) {
	f.Add(incident.NewFollowUpCode())
	f.Add("abcd efgh jkmn pqrs")
	f.Add("ABCD-EFGH-JKMN-PQR0")
	f.Add(strings.Repeat("A", 100))
	f.Add("ÄBCD-EFGH-JKMN-PQRS")
	f.Fuzz(func(t *testing.T, v string) {
		code, ok := incident.ParseFollowUpCode(v)
		if !ok {
			return
		}
		if len(code) != 16 || strings.ToUpper(code) != code {
			t.Fatalf("normalised %q to %q", v, code)
		}
		// The hash does not depend on how it was typed.
		if !bytes.Equal(incident.HashFollowUpCode(v), incident.HashFollowUpCode(code)) {
			t.Fatal("hash depends on the typing")
		}
		again, ok := incident.ParseFollowUpCode(code)
		if !ok || again != code {
			t.Fatal("not idempotent")
		}
	})
}

func FuzzParseProcessorToken(f *testing.F) {
	f.Add(incident.NewProcessorToken())
	f.Add(strings.Repeat("A", 43))
	f.Add(strings.Repeat("=", 43))
	f.Add("../../etc/passwd")
	f.Fuzz(func(t *testing.T, v string) {
		tok, ok := incident.ParseProcessorToken(v)
		if ok && (tok != v || len(tok) != 43) {
			t.Fatalf("accepted %q as %q", v, tok)
		}
	})
}

func FuzzParseSlug(f *testing.F) {
	f.Add("stichting-demo")
	f.Add(" Stichting-Demo ")
	f.Add("a")
	f.Add("-abc-")
	f.Add("a--b")
	f.Add("école")
	f.Fuzz(func(t *testing.T, v string) {
		s, err := incident.ParseSlug(v)
		fieldErrorsOnly(t, err)
		if err == nil && (!incident.ValidSlug(s) || strings.ContainsAny(s, "/?#%. ")) {
			t.Fatalf("accepted slug %q from %q", s, v)
		}
	})
}

func TestFollowUpCodesDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := incident.NewFollowUpCode()
		if _, ok := incident.ParseFollowUpCode(c); !ok || seen[c] {
			t.Fatalf("code %q invalid or repeated", c)
		}
		seen[c] = true
	}
	if _, ok := incident.ParseProcessorToken(incident.NewProcessorToken()); !ok {
		t.Fatal("a fresh token does not parse")
	}
}
