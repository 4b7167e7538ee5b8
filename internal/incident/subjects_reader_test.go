package incident_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// Issue 10.4: the first draft of the notice is written for its reader, with
// the content seed 001 ("Wat te melden aan de betrokkenen?") and seed 000
// ("Communicatie") require: what happened in general terms, which data, the
// likely consequences, what the school did, what the reader can do and who
// to contact. It is built from the recorded facts; the desk's summary and the
// officer's own description of the consequences are internal texts that a
// letter never repeats.
func TestTheDraftNoticeIsWrittenForItsReader(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	when := time.Date(2026, 11, 22, 9, 0, 0, 0, loc)
	count := 28
	const deskSummary = "INTERN: stick lag in kluis 3; Jan (conciërge) had sleutel, zie ticket 4711"
	const officerEffects = "FG-afweging: risico op phishing beperkt, ENISA gemiddeld, zie dossier"
	c := incident.Case{SchoolName: "De Regenboog"}
	c.Report.SubjectGroups = []string{"students", "parents"}
	c.Report.DataKinds = []string{"contact", "results"}
	inv := &incident.Inventory{Nature: "lost_device", Summary: deskSummary, PeriodFrom: &when, SubjectCount: &count,
		DataTypes: []string{"contact", "results"}}
	rep := &incident.Repair{TechnicalIncidental: "De stick is op afstand geblokkeerd.", OrganisationalStructural: "USB-sticks zijn voortaan versleuteld."}
	dec := &incident.Decision{Breach: true, NotifyAuthority: true, NotifySubjects: true, SubjectsChannel: incident.ChannelIndividual,
		Consequences: officerEffects}
	officer := &access.Actor{Name: "Femke de Vries", Email: "fg@example.nl"}
	f := incident.SubjectsFormFrom(c, inv, rep, dec, officer, "De Regenboog", loc)
	_, letter := f.Preview(incident.LetterContext{Sender: "De Regenboog", ReportedToAP: true})

	for _, internal := range []string{deskSummary, officerEffects, "ENISA", "FG-afweging"} {
		if strings.Contains(letter, internal) {
			t.Errorf("the letter repeats the internal text %q:\n%s", internal, letter)
		}
	}
	for what, want := range map[string]string{
		"what happened, in general terms": "Op 22 november 2026 is er een apparaat of gegevensdrager met persoonsgegevens kwijtgeraakt of gestolen",
		"which data":                      "Het gaat om deze gegevens: namen en contactgegevens",
		"the likely consequences":         "Wat kan dit voor u betekenen?\nWij weten niet of iemand de gegevens heeft bekeken of gebruikt.",
		"consequences of the data kinds":  "cijfers of beoordelingen",
		"what the school did":             "De stick is op afstand geblokkeerd.",
		"the AP notified":                 "Wij hebben het datalek gemeld bij de Autoriteit Persoonsgegevens.",
		"what the reader can do":          "Wat kunt u zelf doen?",
		"who to contact":                  "Femke de Vries, functionaris gegevensbescherming",
	} {
		if !strings.Contains(letter, want) {
			t.Errorf("%s: the letter does not contain %q:\n%s", what, want, letter)
		}
	}
}

// Issue 10.4: one case, three audiences. The approved letter reads right for
// each reader: the parents of a student under 16, a student of 16 or over,
// and staff; each keeps the required content and none has an internal text.
func TestOneNoticeThreeReaders(t *testing.T) {
	const deskSummary = "INTERN: zie ticket 4711"
	c := incident.Case{SchoolName: "De Regenboog"}
	c.Report.SubjectGroups = []string{"students", "staff"}
	inv := &incident.Inventory{Nature: "misdirected", Summary: deskSummary, DataTypes: []string{"contact"}}
	dec := &incident.Decision{Breach: true, NotifySubjects: true, SubjectsChannel: incident.ChannelIndividual, Consequences: "FG-afweging: laag"}
	f := incident.SubjectsFormFrom(c, inv, &incident.Repair{TechnicalIncidental: "De e-mail is teruggeroepen."}, dec,
		&access.Actor{Name: "Femke de Vries", Email: "fg@example.nl"}, "De Regenboog", nil)
	f.SchoolContact = "De Regenboog\nTelefoon: 071 123 45 67"
	n, err := f.Parse(incident.LetterContext{Sender: "De Regenboog"})
	if err != nil {
		t.Fatal(err)
	}
	for audience, want := range map[string][]string{
		incident.AudienceParent:  {"Beste ouder of verzorger,", "om gegevens van uw kind."},
		incident.AudienceStudent: {"Beste leerling,", "om gegevens van u."},
		incident.AudienceSelf:    {"Beste medewerker,", "om gegevens van u."},
	} {
		body := n.BodyFor(audience)
		want = append(want, "zijn persoonsgegevens naar de verkeerde ontvanger gestuurd", "phishing", "De e-mail is teruggeroepen.",
			"Wat kunt u zelf doen?", "071 123 45 67", "Femke de Vries, functionaris gegevensbescherming")
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the letter lacks %q:\n%s", audience, w, body)
			}
		}
		for _, internal := range []string{deskSummary, "FG-afweging"} {
			if strings.Contains(body, internal) {
				t.Errorf("%s: the letter holds the internal %q", audience, internal)
			}
		}
	}
}
