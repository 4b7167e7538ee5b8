package incident

import (
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/contact"
)

func apField(s APSection, label string) (APField, bool) {
	for _, f := range s.Fields {
		if f.Label == label {
			return f, true
		}
	}
	return APField{}, false
}

func TestAPFormMarksWhatIsMissing(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	at := time.Date(2026, 11, 22, 8, 0, 0, 0, loc)
	n := 28
	c := Case{Number: Number{2026, 7}, SchoolName: "De Regenboog", ReportedAt: at, AwareAt: at,
		Report: Report{WhatHappened: "USB-stick kwijt", Ongoing: No, DiscoveredAt: &at, Carriers: []string{"usb"}}}

	empty := APForm(APFormInput{Case: c, Location: loc})
	if len(empty) != 9 {
		t.Fatalf("%d sections, want the AP form's 9", len(empty))
	}
	if got := Missing(empty); got < 10 {
		t.Errorf("only %d fields marked missing with nothing recorded", got)
	}

	// Every contact detail the AP asks for is marked while empty, and the
	// section says who fills it in (issue 10.3).
	org := empty[1]
	for _, label := range []string{"Naam organisatie (verwerkingsverantwoordelijke)", "KvK-nummer", "Straat en huisnummer",
		"Postcode", "Plaats", "Contactpersoon (FG)", "E-mailadres contactpersoon", "Telefoonnummer contactpersoon"} {
		if fl, ok := apField(org, label); !ok || !fl.Missing {
			t.Errorf("empty %q: %+v, %v; want it marked missing", label, fl, ok)
		}
	}
	for _, label := range []string{"Telefoonnummer organisatie", "E-mailadres organisatie", "Website"} {
		if fl, ok := apField(org, label); !ok || fl.Missing || fl.Value != "–" {
			t.Errorf("empty %q: %+v, %v; want a dash, not marked", label, fl, ok)
		}
	}
	if org.Note == "" {
		t.Error("no note on who fills in the missing details")
	}

	details := contact.Organisation{Name: "Stichting Demo", KvK: "41234567", FGName: "Femke", FGEmail: "fg@demo.nl", FGPhone: "030-7654321",
		Details: contact.Details{Street: "Stationsplein 1", Postcode: "3511 AA", City: "Utrecht", Phone: "030-1234567", Website: "https://demo.nl"}}
	full := APFormInput{Case: c, Location: loc, Contact: details,
		Inventory: &Inventory{Summary: "Stick met adreslijst 3b", Nature: "lost_device", PeriodFrom: &at, Sensitive: No,
			SubjectGroups: "leerlingen en ouders", SubjectCount: &n, DataTypes: []string{"contact"}, ChainShared: No, CrossBorder: No},
		Repair: &Repair{Unintelligible: No, TechnicalIncidental: "Niets meer op sticks"},
		Decision: &Decision{Breach: true, NotifyAuthority: true, NotifySubjects: true, SubjectsChannel: "individual",
			Consequences: "Phishing", NoticePlan: "Brief aan de ouders", SeverityLevel: "medium", SeverityScore: "2,00"}}
	sections := APForm(full)
	if got := Missing(sections); got != 0 {
		for _, s := range sections {
			for _, f := range s.Fields {
				if f.Missing {
					t.Errorf("still missing: %s / %s", s.Title, f.Label)
				}
			}
		}
	}
	for label, want := range map[string]string{"KvK-nummer": "41234567", "Straat en huisnummer": "Stationsplein 1", "Postcode": "3511 AA",
		"Plaats": "Utrecht", "Telefoonnummer organisatie": "030-1234567", "E-mailadres organisatie": "–", "Website": "https://demo.nl",
		"Contactpersoon (FG)": "Femke", "E-mailadres contactpersoon": "fg@demo.nl", "Telefoonnummer contactpersoon": "030-7654321"} {
		if fl, _ := apField(sections[1], label); fl.Value != want || fl.Missing {
			t.Errorf("%q = %+v, want %q", label, fl, want)
		}
	}
	if sections[1].Note != "" {
		t.Errorf("note with nothing missing: %q", sections[1].Note)
	}
	follow := sections[8].Fields[1]
	if follow.Label != "Hoe en met welke inhoud?" || follow.Value != "Brief aan de ouders" {
		t.Errorf("follow-up when informing = %+v", follow)
	}
	full.Decision.NotifySubjects, full.Decision.SubjectsException, full.Decision.SubjectsReason = false, "unintelligible", "BitLocker."
	if why := APForm(full)[8].Fields[1]; why.Label != "Waarom niet?" || why.Value != "De gegevens waren onleesbaar (goede versleuteling, sleutel niet gelekt). BitLocker." {
		t.Errorf("follow-up when not informing = %+v", why)
	}
	full.Notification = &Notification{Number: "M-1"}
	if about := APForm(full)[0].Fields; about[0].Value != "Vervolgmelding (aanvulling of intrekking)" || about[1].Value != "M-1" {
		t.Errorf("a follow-up notification: %+v", about)
	}
}
