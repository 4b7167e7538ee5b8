package incident

import (
	"testing"
	"time"
)

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

	full := APFormInput{Case: c, Location: loc, Organisation: "Stichting Demo", OfficerName: "Femke", OfficerEmail: "fg@demo.nl",
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
