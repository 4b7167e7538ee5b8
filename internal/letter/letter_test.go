package letter

import (
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/contact"
)

var amsterdam = func() *time.Location {
	l, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return l
}()

func facts() Facts {
	when := time.Date(2026, 11, 22, 9, 0, 0, 0, amsterdam)
	n := 28
	return Facts{
		Sender: "De Regenboog", Board: "Stichting Primair", ForSchool: true, Occurred: &when,
		Nature: "lost_device", DataKinds: []string{"contact", "birthdate", "credentials"}, Groups: []string{"students", "staff"},
		Count: &n, MeasuresNow: "De stick is op afstand geblokkeerd.", MeasuresLater: "USB-sticks zijn voortaan versleuteld.",
		ReportedToAP: true, Today: time.Date(2026, 11, 24, 10, 0, 0, 0, amsterdam), Loc: amsterdam,
		Head: contact.Letterhead{Name: "De Regenboog", City: "Leiden", Phone: "071 123 45 67", Email: "info@regenboog.example",
			FGName: "Femke de Vries", FGEmail: "fg@primair.example", FGPhone: "020 663 1941",
			BoardPhone: "071 999 00 11", BoardEmail: "bestuur@primair.example"},
	}
}

// TestReadersLetters: seed 001 "Wat te melden aan de betrokkenen?" and seed
// 000 "Communicatie" (the nature in general terms, contact details of the
// school and the FG, the measures taken and those for the reader) and GDPR
// art. 34(2) (the likely consequences), for each of the three readers, each
// addressed as itself (issue 10.4).
func TestReadersLetters(t *testing.T) {
	t.Parallel()
	f := facts()
	common := []string{
		"Wat is er gebeurd?", "Op 22 november 2026 is er een apparaat", // what happened, in general terms
		"Om welke gegevens gaat het?", "geboortedatum", "inloggegevens of wachtwoorden", // which data
		"Wat kan dit betekenen?", "phishing", // the likely consequences
		"Wat hebben wij gedaan?", "op afstand geblokkeerd", "voortaan versleuteld", "Autoriteit Persoonsgegevens", // what the school did
		"zelf doen?", "wachtwoord", // what the reader can do
		"vragen?", "071 123 45 67", "info@regenboog.example", "Femke de Vries", "fg@primair.example", "020 663 1941", // who to contact
		"De directie van De Regenboog",
	}
	cases := []struct {
		kind         Kind
		greeting     string
		want, absent []string
	}{
		{Parent, "Beste ouder of verzorger,", []string{"gegevens van uw kind", "Laat uw kind het wachtwoord veranderen", "Praat met uw kind"},
			[]string{"Beste leerling", " je ", "Beste medewerker"}},
		{Student, "Beste leerling,", []string{"gegevens van jou", "Verander je wachtwoord", "Heb je vragen?", "je mentor"},
			[]string{"ouder of verzorger", "uw kind", "Heeft u", "Beste medewerker"}},
		{Staff, "Beste medewerker,", []string{"uw gegevens", "Verander uw wachtwoord", "Heeft u vragen?"},
			[]string{"ouder of verzorger", "uw kind", " je "}},
	}
	for _, c := range cases {
		t.Run(string(c.kind), func(t *testing.T) {
			body := Draft(f, c.kind)
			if !strings.HasPrefix(body, c.greeting+"\n") {
				t.Errorf("greeting: want %q, got:\n%s", c.greeting, body)
			}
			for _, w := range append(common, c.want...) {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q:\n%s", w, body)
				}
			}
			for _, a := range c.absent {
				if strings.Contains(body, a) {
					t.Errorf("holds %q, not for this reader:\n%s", a, body)
				}
			}
			if Unfinished(body) {
				t.Errorf("all facts are known, yet a mark to fill in:\n%s", body)
			}
		})
	}
}

// TestDraftMarksWhatIsNotKnown: a draft never invents a fact; where the FG's
// details, the school's phone or the measures are not recorded, it says what
// to fill in, and the mailing refuses a text that still says so.
func TestDraftMarksWhatIsNotKnown(t *testing.T) {
	t.Parallel()
	f := facts()
	f.Head = contact.Letterhead{Name: "De Regenboog", Missing: []string{"telefoon", "e-mail"}}
	f.MeasuresNow, f.MeasuresLater, f.Nature, f.DataKinds = "", "", "", nil
	for _, k := range Kinds {
		body := Draft(f, k)
		if !Unfinished(body) {
			t.Errorf("%s: no mark for what is unknown:\n%s", k, body)
		}
	}
	body := Draft(f, Staff)
	for _, w := range []string{"[Vul in: naam en e-mailadres of telefoonnummer van de FG]", "[Vul in: telefoonnummer of e-mailadres van de school]",
		"[Vul in: wat de school direct heeft gedaan", "[Vul in: welke gegevens het zijn"} {
		if !strings.Contains(body, w) {
			t.Errorf("lacks %q:\n%s", w, body)
		}
	}
}

// TestPublicNoticeAndPressStatement: the public notice (seed 001 exception
// iii) addresses anyone it may concern and says how to find out; the press
// statement (seed 000) is the board's, dated, with a note for the editors.
func TestPublicNoticeAndPressStatement(t *testing.T) {
	t.Parallel()
	f := facts()
	pub := Draft(f, Public)
	for _, w := range []string{"Datalek bij De Regenboog", "leerlingen en medewerkers (ongeveer 28 mensen)", "niet iedereen",
		"persoonlijk bereiken", "Wat is er gebeurd?", "Wat kan dit betekenen?", "Wat hebben wij gedaan?", "Wat kunt u zelf doen?",
		"Bent u, of is uw kind, leerling of medewerker van De Regenboog", "fg@primair.example", "071 123 45 67"} {
		if !strings.Contains(pub, w) {
			t.Errorf("public notice lacks %q:\n%s", w, pub)
		}
	}
	press := Draft(f, Press)
	for _, w := range []string{"PERSBERICHT", "Stichting Primair meldt datalek bij De Regenboog", "Leiden, 24 november 2026 – ",
		"ongeveer 28 mensen", "Autoriteit Persoonsgegevens", "persoonlijk bericht", "Noot voor de redactie", "uitspraak van de bestuurder"} {
		if !strings.Contains(press, w) {
			t.Errorf("press statement lacks %q:\n%s", w, press)
		}
	}
	// The press is sent to the board, not to the school.
	note := press[strings.Index(press, "Noot voor de redactie"):]
	if !strings.Contains(note, "071 999 00 11") || !strings.Contains(note, "bestuur@primair.example") ||
		strings.Contains(note, "071 123 45 67") || strings.Contains(note, "info@regenboog.example") {
		t.Errorf("the note for the editors does not give the board's contact details, or gives the school's:\n%s", note)
	}
	f.Head.BoardPhone, f.Head.BoardEmail = "", ""
	if note := Draft(f, Press); !strings.Contains(note, "[Vul in: telefoonnummer of e-mailadres van het bestuur]") {
		t.Errorf("without the board's details the press statement asks for none:\n%s", note)
	}
	if Title(f, Press) != "Persbericht: datalek bij De Regenboog" || Title(f, Parent) != "Datalek bij De Regenboog" {
		t.Errorf("titles: %q, %q", Title(f, Press), Title(f, Parent))
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "  \n ", strings.Repeat("a", MaxLen+1)} {
		_, err := Parse(in)
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.Invalid || ae.Fields["letter_text"] == "" {
			t.Errorf("Parse(%d runes) = %v, want Invalid with a message for body", len(in), err)
		}
	}
	if got, err := Parse(" Beste lezer,\r\n\r\nTekst. "); err != nil || got != "Beste lezer,\n\nTekst." {
		t.Errorf("Parse = %q, %v", got, err)
	}
}

func TestKinds(t *testing.T) {
	t.Parallel()
	for _, k := range Kinds {
		if got, ok := KindOfSlug(k.Slug()); !ok || got != k || k.Label() == string(k) {
			t.Errorf("%s: slug %q back %q, label %q", k, k.Slug(), got, k.Label())
		}
	}
	if _, ok := KindOfSlug("x"); ok {
		t.Error("unknown slug accepted")
	}
	if ForAudience("parent") != Parent || ForAudience("student") != Student || ForAudience("self") != Staff {
		t.Error("ForAudience")
	}
}

// TestNoticeContactsWhenNoLetterhead: until the contact details are kept,
// the contact lines and the measures the officer wrote in the notice for its
// readers fill the letter; the letterhead wins when it has them.
func TestNoticeContactsWhenNoLetterhead(t *testing.T) {
	t.Parallel()
	f := facts()
	f.Head = contact.Letterhead{Name: "De Regenboog"}
	f.SchoolContact, f.OfficerContact = "De Regenboog, telefoon 071 999 99 99", "Stan, scholen@fg.example"
	f.Measures = "Wij hebben de stick laten blokkeren."
	body := Draft(f, Parent)
	for _, w := range []string{"071 999 99 99", "scholen@fg.example", "Wij hebben de stick laten blokkeren."} {
		if !strings.Contains(body, w) {
			t.Errorf("lacks %q:\n%s", w, body)
		}
	}
	if Unfinished(body) || strings.Contains(body, "op afstand geblokkeerd") {
		t.Errorf("marks, or the repair's text instead of the notice's:\n%s", body)
	}
	f.Head = facts().Head
	if body := Draft(f, Parent); strings.Contains(body, "071 999 99 99") || !strings.Contains(body, "fg@primair.example") {
		t.Errorf("the letterhead does not win:\n%s", body)
	}
}

// TestOwnAddressLetterGreetsItsReaders: the third letter goes to everyone at
// their own address; it greets staff only when only staff read it.
func TestOwnAddressLetterGreetsItsReaders(t *testing.T) {
	t.Parallel()
	f := facts()
	for groups, want := range map[string]string{"staff": "Beste medewerker,", "students staff": "Beste medewerker,",
		"staff parents": "Beste lezer,", "others": "Beste lezer,"} {
		f.Groups = strings.Fields(groups)
		if body := Draft(f, Staff); !strings.HasPrefix(body, want+"\n") {
			t.Errorf("groups %q: want %q, got %.40q", groups, want, body)
		}
	}
}
