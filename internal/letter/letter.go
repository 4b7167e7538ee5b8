// Package letter writes the texts that tell people about a data breach
// (issue 10.4): a letter for each reader (parents or guardians of students
// under 16, students of 16 and over, staff), the public notice for when
// individual notice would take disproportionate effort (seed 001, exception
// iii) and the press statement for the board (seed 000 "Communicatie": for a
// large breach, with the board). Each is drafted in plain Dutch (B1) from the
// recorded facts only, with the content seed 001 ("Wat te melden aan de
// betrokkenen?"), seed 000 ("Communicatie") and GDPR art. 34(2) ask for: what
// happened in general terms, which data, the likely consequences, what the
// school did, what the reader can do, and who to contact. The desk's summary
// and the officer's reasons are internal texts: Facts has no place for them,
// so no draft can paste them. The officer edits every text before approval.
// No I/O here.
package letter

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/contact"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// Kind is a text kept with a case: a letter for one reader, the public
// notice or the press statement.
type Kind string

// The kinds of text, as stored (case_letters.kind).
const (
	Parent  Kind = "parent"  // parents or guardians of students under 16
	Student Kind = "student" // students of 16 and over
	Staff   Kind = "staff"   // staff, and anyone else at their own address
	Public  Kind = "public"  // the public notice (website, newspaper)
	Press   Kind = "press"   // the press statement for the board
)

// Kinds lists every kind in the order the pages show them.
var Kinds = []Kind{Parent, Student, Staff, Public, Press}

// Readers are the kinds that go to one person each (the mailing's letters).
var Readers = []Kind{Parent, Student, Staff}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Reader reports whether k is a letter to one reader.
func (k Kind) Reader() bool { return slices.Contains(Readers, k) }

// Label names the text in Dutch.
func (k Kind) Label() string {
	switch k {
	case Parent:
		return "Brief aan ouders en verzorgers van leerlingen jonger dan 16"
	case Student:
		return "Brief aan leerlingen van 16 jaar en ouder"
	case Staff:
		return "Brief aan medewerkers (en anderen op hun eigen adres)"
	case Public:
		return "Openbare mededeling (website of krant)"
	case Press:
		return "Persbericht (voor het bestuur)"
	}
	return string(k)
}

// Slug is the kind in a web address and a file name.
func (k Kind) Slug() string {
	switch k {
	case Parent:
		return "ouders"
	case Student:
		return "leerlingen"
	case Staff:
		return "medewerkers"
	case Public:
		return "openbaar"
	case Press:
		return "pers"
	}
	return ""
}

// KindOfSlug is the kind of a web address's slug.
func KindOfSlug(s string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Slug() == s {
			return k, true
		}
	}
	return "", false
}

// ForAudience is the letter a recipient of the mailing reads: the under-16
// rule of seed 000 step 7 gave each recipient its audience.
func ForAudience(audience string) Kind {
	switch audience {
	case incident.AudienceParent:
		return Parent
	case incident.AudienceStudent:
		return Student
	}
	return Staff
}

// Facts are the recorded facts a draft is written from. Nothing typed by the
// desk as a summary, nor the officer's reasons, belongs here.
type Facts struct {
	// Sender is the school, or the school board when the case has no school;
	// Board is the school board.
	Sender, Board string
	ForSchool     bool // the case belongs to a school: the school's direction signs
	Occurred      *time.Time
	Nature        string   // the inventory's kind of incident (incident.Natures)
	DataKinds     []string // incident.DataKinds
	Groups        []string // whose data: incident.SubjectGroups values
	Count         *int     // the number of data subjects, when known
	// MeasuresNow and MeasuresLater are the repair's measures (step 4):
	// those taken at once and those against repetition.
	MeasuresNow, MeasuresLater string
	// Measures, SchoolContact and OfficerContact are what the officer wrote
	// for the readers in the notice (step 7), when drafted: the measures as
	// the readers read them (instead of the repair's), and the contact lines
	// used where the letterhead lacks the school's or the FG's details.
	// Happened and Signature are likewise the notice's: what happened in
	// general terms, and who signs.
	Measures, SchoolContact, OfficerContact, Happened, Signature string
	ReportedToAP                                                 bool
	PublicChannel                                                bool // the officer chose a public communication
	Head                                                         contact.Letterhead
	Today                                                        time.Time
	Loc                                                          *time.Location
}

// Fill marks where the officer must still write something: a draft never
// invents a fact it does not know.
const Fill = "[Vul in"

// MaxLen caps a text (a long letter is some 5,000 characters).
const MaxLen = 20000

// Unfinished reports whether a text still holds a mark to fill in.
func Unfinished(body string) bool { return strings.Contains(body, Fill) }

// Parse validates a text as typed: not empty, not too long. The message is
// for the field "letter_text".
func Parse(body string) (string, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		return "", fieldErr("De tekst is leeg. Schrijf de tekst, of laat Lekwacht een nieuwe eerste versie maken.")
	case n > MaxLen:
		return "", fieldErr("De tekst is te lang: " + strconv.Itoa(n) + " tekens, hoogstens " + strconv.Itoa(MaxLen) + ". Maak hem korter.")
	}
	return body, nil
}

func fieldErr(msg string) error {
	return &apperr.Error{Kind: apperr.Invalid, Message: "De tekst is niet opgeslagen.", Fields: map[string]string{"letter_text": msg}}
}

// Title is the heading of the text, for the PDF and the page.
func Title(f Facts, k Kind) string {
	if k == Press {
		return "Persbericht: datalek bij " + f.Sender
	}
	return "Datalek bij " + f.Sender
}

// voice is how a text addresses its reader.
type voice struct {
	kind  Kind
	je    bool   // "je" instead of "u" (students)
	whom  string // who may be approached: "u of uw kind", "je", "u"
	whose string // whose data: "uw kind", "jou", "u"
}

func (v voice) p(u, je string) string {
	if v.je {
		return je
	}
	return u
}

func voiceOf(k Kind) voice {
	switch k {
	case Parent:
		return voice{kind: k, whom: "u of uw kind", whose: "uw kind"}
	case Student:
		return voice{kind: k, je: true, whom: "je", whose: "jou"}
	case Public, Press:
		return voice{kind: k, whom: "u of uw kind", whose: "u of uw kind"}
	}
	return voice{kind: k, whom: "u", whose: "u"}
}

// Draft writes the first version of the text of kind k from the facts.
func Draft(f Facts, k Kind) string {
	switch k {
	case Public:
		return publicNotice(f)
	case Press:
		return pressStatement(f)
	}
	return personal(f, voiceOf(k))
}

func personal(f Facts, v voice) string {
	var b strings.Builder
	switch v.kind {
	case Parent:
		b.WriteString("Beste ouder of verzorger,\n\n")
		b.WriteString("Wij schrijven u omdat er bij " + f.Sender + " een datalek is geweest. Daarbij ging het ook om gegevens van uw kind. ")
	case Student:
		b.WriteString("Beste leerling,\n\n")
		b.WriteString("Wij schrijven je omdat er bij " + f.Sender + " een datalek is geweest. Daarbij ging het ook om gegevens van jou. ")
	default:
		// The letter for anyone at their own address: to staff, unless the
		// data are also of parents (about themselves) or others.
		if slices.Contains(f.Groups, "parents") || slices.Contains(f.Groups, "others") || !slices.Contains(f.Groups, "staff") {
			b.WriteString("Beste lezer,\n\n")
		} else {
			b.WriteString("Beste medewerker,\n\n")
		}
		b.WriteString("Wij schrijven u omdat er bij " + f.Sender + " een datalek is geweest. Daarbij ging het ook om uw gegevens. ")
	}
	b.WriteString("Dat vinden wij erg vervelend. In deze brief " + v.p("leest u", "lees je") + " wat er is gebeurd, wat dit kan betekenen, " +
		"wat wij hebben gedaan en wat " + v.p("u", "je") + " zelf kunt doen.\n")
	section(&b, "Wat is er gebeurd?", happened(f))
	section(&b, "Om welke gegevens gaat het?", whichData(f, v))
	section(&b, "Wat kan dit betekenen?", consequences(f.DataKinds, v))
	section(&b, "Wat hebben wij gedaan?", measures(f))
	section(&b, "Wat "+v.p("kunt u", "kun je")+" zelf doen?", strings.Join(advice(f.DataKinds, v), "\n"))
	section(&b, v.p("Heeft u", "Heb je")+" vragen?", contactLines(f, v))
	b.WriteString("\nMet vriendelijke groet,\n\n" + signature(f) + "\n")
	return b.String()
}

func publicNotice(f Facts) string {
	v := voiceOf(Public)
	var b strings.Builder
	b.WriteString("Datalek bij " + f.Sender + "\n\n")
	b.WriteString("Bij " + f.Sender + " is een datalek geweest. Het gaat om gegevens van " + groupsText(f.Groups) + count(f.Count) + ". " +
		"Wij kunnen niet iedereen van wie gegevens zijn gelekt persoonlijk bereiken. Daarom maken wij het datalek op deze manier bekend. " +
		"Hieronder leest u wat er is gebeurd, wat dit kan betekenen, wat wij hebben gedaan en wat u zelf kunt doen.\n")
	section(&b, "Wat is er gebeurd?", happened(f))
	section(&b, "Om welke gegevens gaat het?", whichData(f, v))
	section(&b, "Wat kan dit betekenen?", consequences(f.DataKinds, v))
	section(&b, "Wat hebben wij gedaan?", measures(f))
	section(&b, "Wat kunt u zelf doen?", strings.Join(advice(f.DataKinds, v), "\n"))
	section(&b, "Gaat het om uw gegevens?", "Bent u, of is uw kind, "+groupSingular(f.Groups)+" van "+f.Sender+
		" (geweest) en wilt u weten of het ook om uw gegevens gaat? Neem dan contact met ons op. Wij zoeken het voor u uit.")
	section(&b, "Heeft u vragen?", contactLines(f, v))
	b.WriteString("\n" + signature(f) + "\n")
	return b.String()
}

func pressStatement(f Facts) string {
	var b strings.Builder
	b.WriteString("PERSBERICHT\n\n")
	b.WriteString(f.Board + " meldt datalek bij " + f.Sender + "\n\n")
	place := f.Head.City
	if place == "" {
		place = Fill + ": plaats]"
	}
	b.WriteString(place + ", " + incident.DutchDate(f.Today, loc(f)) + " – Bij " + f.Sender + " is een datalek geweest. " +
		"Het gaat om gegevens van " + groupsText(f.Groups) + count(f.Count) + ". " + happened(f) + "\n\n")
	if list := dataList(f.DataKinds); len(list) > 0 {
		b.WriteString("Het gaat om " + joinAnd(list) + ".\n\n")
	} else {
		b.WriteString("Het gaat om " + Fill + ": welke gegevens het zijn, in algemene woorden].\n\n")
	}
	done := strings.TrimSpace(strings.Join(nonEmpty(f.MeasuresNow, f.MeasuresLater), " "))
	if m := strings.TrimSpace(f.Measures); m != "" {
		done = m
	}
	if done == "" {
		done = Fill + ": wat de school heeft gedaan om de gevolgen te beperken en herhaling te voorkomen]"
	}
	b.WriteString("Wat de school heeft gedaan: " + done + "\n\n")
	if f.ReportedToAP {
		b.WriteString("Het datalek is gemeld bij de Autoriteit Persoonsgegevens. ")
	}
	if f.PublicChannel {
		b.WriteString("Niet iedereen van wie gegevens zijn gelekt is persoonlijk te bereiken. Daarom maakt de school het datalek ook op haar website bekend.\n\n")
	} else {
		b.WriteString("Iedereen van wie gegevens zijn gelekt, krijgt persoonlijk bericht.\n\n")
	}
	b.WriteString("‘" + Fill + ": een uitspraak van de bestuurder, bijvoorbeeld: Wij vinden het heel vervelend dat dit is gebeurd. Wij doen er alles aan om herhaling te voorkomen.]’\n\n")
	b.WriteString("Noot voor de redactie, niet voor publicatie:\n")
	b.WriteString("Vragen van de pers beantwoordt het bestuur van " + f.Board + ".\n")
	b.WriteString(boardReach(f.Head))
	return b.String()
}

// boardReach is how the press reaches the board: its own phone, e-mail and
// website, never a school's.
func boardReach(h contact.Letterhead) string {
	return reach(h.BoardPhone, h.BoardEmail, h.BoardWebsite, "het bestuur")
}

func section(b *strings.Builder, title, text string) {
	b.WriteString("\n" + title + "\n" + text + "\n")
}

func loc(f Facts) *time.Location {
	if f.Loc == nil {
		return time.UTC
	}
	return f.Loc
}

// happened says in general terms what happened, without names or details.
func happened(f Facts) string {
	if s := strings.TrimSpace(f.Happened); s != "" {
		return s
	}
	when := "Onlangs "
	if f.Occurred != nil {
		when = "Op " + incident.DutchDate(*f.Occurred, loc(f)) + " "
	}
	var what string
	switch f.Nature {
	case "lost_device":
		what = "is er een apparaat of gegevensdrager met persoonsgegevens kwijtgeraakt of gestolen, bijvoorbeeld een laptop of USB-stick."
	case "paper":
		what = "zijn papieren met persoonsgegevens kwijtgeraakt of op een verkeerde plek terechtgekomen."
	case "misdirected":
		what = "zijn persoonsgegevens naar de verkeerde ontvanger gestuurd."
	case "unauthorised_access":
		what = "heeft iemand persoonsgegevens kunnen inzien die dat niet mocht."
	case "phishing":
		what = "zijn via een nepbericht (phishing) inloggegevens in verkeerde handen gekomen. Daardoor kon iemand mogelijk bij persoonsgegevens."
	case "malware":
		what = "zijn onze systemen aangevallen door een hacker of met schadelijke software."
	case "publication":
		what = "zijn per ongeluk persoonsgegevens openbaar gemaakt."
	case "unavailable":
		what = "zijn persoonsgegevens verloren gegaan of een tijd niet beschikbaar geweest."
	case "processor":
		what = "is er een datalek geweest bij een leverancier die voor de school gegevens verwerkt."
	default:
		what = "is er een datalek geweest waarbij persoonsgegevens betrokken zijn. " + Fill + ": wat er is gebeurd, in algemene woorden]"
	}
	return when + what
}

var plainKinds = map[string]string{
	"contact":     "naam en contactgegevens (adres, e-mailadres of telefoonnummer)",
	"identifier":  "een leerlingnummer, personeelsnummer of burgerservicenummer (BSN)",
	"birthdate":   "geboortedatum",
	"results":     "cijfers, toetsen of beoordelingen",
	"care":        "gegevens over zorg, begeleiding of gedrag",
	"health":      "gegevens over gezondheid, geloof, afkomst of andere gevoelige onderwerpen",
	"credentials": "inloggegevens of wachtwoorden",
	"financial":   "financiële gegevens (bijvoorbeeld een rekeningnummer of de ouderbijdrage)",
	"id_document": "een kopie van een identiteitsbewijs",
	"photos":      "foto’s of video’s",
	"other":       "andere gegevens (" + Fill + ": welke]",
}

func dataList(kinds []string) []string {
	var out []string
	for _, k := range kinds {
		if s, ok := plainKinds[k]; ok && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func whichData(f Facts, v voice) string {
	list := dataList(f.DataKinds)
	if len(list) == 0 {
		return Fill + ": welke gegevens het zijn, bijvoorbeeld naam en adres]"
	}
	head := "Het gaat om deze gegevens:"
	switch v.kind {
	case Parent:
		head = "Het gaat om deze gegevens van uw kind:"
	case Student:
		head = "Het gaat om deze gegevens van jou:"
	case Staff:
		head = "Het gaat om deze gegevens van u:"
	}
	return head + "\n- " + strings.Join(list, "\n- ")
}

// consequences says per kind of data what the breach may mean for the
// reader, in plain words (GDPR art. 34(2): the likely consequences).
func consequences(kinds []string, v voice) string {
	lines := []string{"Wij weten niet of iemand de gegevens heeft bekeken of gebruikt. Dit kan er gebeuren:"}
	add := func(s string) {
		if !slices.Contains(lines, s) {
			lines = append(lines, s)
		}
	}
	for _, k := range kinds {
		switch k {
		case "contact":
			add("- Iemand kan de gegevens gebruiken om " + v.whom + " nepberichten te sturen die echt lijken (phishing), bijvoorbeeld alsof ze van school komen.")
		case "identifier", "birthdate":
			add("- Iemand kan zich met deze gegevens voordoen als de school, of als " + v.p(v.whose, "jij") + ".")
		case "results":
			add("- Anderen kunnen cijfers of beoordelingen hebben gezien die niet voor hen bedoeld waren.")
		case "care", "health":
			add("- Anderen kunnen vertrouwelijke informatie hebben gezien over zorg, begeleiding of gezondheid. Dat kan vervelend of kwetsend zijn.")
		case "credentials":
			add("- Iemand kan proberen met de inloggegevens in te loggen op een account.")
		case "financial":
			add("- Iemand kan de gegevens gebruiken voor fraude met geld of betalingen.")
		case "id_document":
			add("- Iemand kan zich met een kopie van een identiteitsbewijs voor " + v.whose + " uitgeven (identiteitsfraude).")
		case "photos":
			add("- Foto’s of video’s kunnen zonder toestemming verder worden verspreid.")
		}
	}
	if len(lines) == 1 {
		add("- Iemand kan de gegevens misbruiken, bijvoorbeeld om " + v.whom + " een nepbericht te sturen dat echt lijkt.")
	}
	return strings.Join(lines, "\n")
}

func measures(f Facts) string {
	var parts []string
	if s := strings.TrimSpace(f.Measures); s != "" {
		parts = append(parts, s)
	} else if s := strings.TrimSpace(f.MeasuresNow); s != "" {
		parts = append(parts, "Direct:\n"+s)
	}
	if s := strings.TrimSpace(f.MeasuresLater); s != "" {
		parts = append(parts, "Om te voorkomen dat dit nog eens gebeurt:\n"+s)
	}
	if len(parts) == 0 {
		parts = append(parts, Fill+": wat de school direct heeft gedaan om de gevolgen te beperken, en wat zij doet om herhaling te voorkomen]")
	}
	if f.ReportedToAP {
		parts = append(parts, "Wij hebben het datalek gemeld bij de Autoriteit Persoonsgegevens. Dat is de toezichthouder op de privacy in Nederland.")
	}
	return strings.Join(parts, "\n\n")
}

// advice says per kind of data what the reader can do themselves.
func advice(kinds []string, v voice) []string {
	var out []string
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, k := range kinds {
		switch k {
		case "credentials":
			switch v.kind {
			case Parent:
				add("- Laat uw kind het wachtwoord veranderen. Gebruikt uw kind hetzelfde wachtwoord ook ergens anders? Dan daar ook.")
			case Student:
				add("- Verander je wachtwoord. Gebruik je hetzelfde wachtwoord ook ergens anders? Verander het daar ook. Zet tweestapsverificatie aan als dat kan.")
			default:
				add("- Verander uw wachtwoord. Gebruikt u hetzelfde wachtwoord ook ergens anders? Verander het daar ook. Zet tweestapsverificatie aan als dat kan.")
			}
		case "contact":
			if v.je {
				add("- Let extra op e-mails, appjes en telefoontjes die je niet verwacht, ook als ze van school lijken te komen. Klik niet zomaar op links. Geef nooit je wachtwoord.")
			} else {
				add("- Let extra op e-mails, sms’jes en telefoontjes die u niet verwacht, ook als ze van de school lijken te komen. Klik niet zomaar op links. Geef nooit uw wachtwoord of bankgegevens.")
			}
		case "identifier", "birthdate":
			add("- Noemt iemand die " + v.p("u", "je") + " niet kent deze gegevens? Dat bewijst niet dat het echt de school is. " +
				v.p("Vertrouwt u", "Vertrouw je") + " het niet? Bel dan de school.")
		case "financial":
			add("- Kijk de komende tijd goed naar " + v.p("uw", "je") + " bankafschriften. " + v.p("Ziet u", "Zie je") +
				" een betaling die " + v.p("u", "je") + " niet kent? Neem dan meteen contact op met " + v.p("uw", "je") + " bank.")
		case "id_document":
			add("- Met een kopie van een identiteitsbewijs kan iemand zich voor " + v.whose + " uitgeven. Op rijksoverheid.nl " +
				v.p("leest u", "lees je") + " wat " + v.p("u", "je") + " kunt doen. Het Centraal Meldpunt Identiteitsfraude (CMI) helpt verder.")
		case "photos":
			add("- " + v.p("Ziet u", "Zie je") + " foto’s of video’s op internet staan waar ze niet horen? Laat het ons weten. Wij helpen om ze te laten verwijderen.")
		case "care", "health", "results":
			add("- Spreekt iemand " + v.whom + " aan over deze gegevens, terwijl die persoon ze niet hoort te hebben? Laat het ons dan weten.")
		}
	}
	switch v.kind {
	case Parent:
		add("- Praat met uw kind over wat er is gebeurd, op een manier die past bij de leeftijd van uw kind.")
	case Student:
		add("- Maak je je zorgen? Praat erover met je ouders, je mentor of iemand anders die je vertrouwt.")
	}
	add("- " + v.p("Merkt u", "Merk je") + " iets vreemds, of " + v.p("heeft u", "heb je") + " vragen? Neem dan contact met ons op. " +
		v.p("U vindt", "Je vindt") + " onze gegevens hieronder.")
	return out
}

// contactLines are who to contact: the school and the FG (seed 001: the
// contact details of the school and the FG).
func contactLines(f Facts, v voice) string {
	var b strings.Builder
	h := f.Head
	name := h.Name
	if name == "" {
		name = f.Sender
	}
	if h.Phone == "" && h.Email == "" && strings.TrimSpace(f.SchoolContact) != "" {
		b.WriteString("Neem dan contact op met de school:\n" + strings.TrimSpace(f.SchoolContact) + "\n")
	} else {
		b.WriteString("Neem dan contact op met " + name + ".\n")
		b.WriteString(schoolReach(h))
	}
	b.WriteString("\n" + v.p("U kunt", "Je kunt") + " ook terecht bij onze functionaris gegevensbescherming (FG). " +
		"De FG let erop dat wij goed omgaan met persoonsgegevens.\n")
	if h.FGEmail == "" && h.FGPhone == "" && strings.TrimSpace(f.OfficerContact) != "" {
		b.WriteString(strings.TrimSpace(f.OfficerContact) + "\n")
		return strings.TrimRight(b.String(), "\n")
	}
	if h.FGName != "" {
		b.WriteString(h.FGName + ", functionaris gegevensbescherming\n")
	}
	if h.FGEmail != "" {
		b.WriteString("E-mail: " + h.FGEmail + "\n")
	}
	if h.FGPhone != "" {
		b.WriteString("Telefoon: " + h.FGPhone + "\n")
	}
	if h.FGEmail == "" && h.FGPhone == "" {
		b.WriteString(Fill + ": naam en e-mailadres of telefoonnummer van de FG]\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func schoolReach(h contact.Letterhead) string {
	return reach(h.Phone, h.Email, h.Website, "de school")
}

// reach is the contact lines of whom (phone, e-mail, website), or a line to
// fill in when there is neither a phone nor an e-mail address.
func reach(phone, email, website, whom string) string {
	var b strings.Builder
	if phone != "" {
		b.WriteString("Telefoon: " + phone + "\n")
	}
	if email != "" {
		b.WriteString("E-mail: " + email + "\n")
	}
	if website != "" {
		b.WriteString("Website: " + website + "\n")
	}
	if phone == "" && email == "" {
		b.WriteString(Fill + ": telefoonnummer of e-mailadres van " + whom + "]\n")
	}
	return b.String()
}

func signature(f Facts) string {
	if s := strings.TrimSpace(f.Signature); s != "" {
		return s
	}
	if f.ForSchool {
		return "De directie van " + f.Sender
	}
	return "Het bestuur van " + f.Sender
}

func groupsText(groups []string) string {
	names := map[string]string{"students": "leerlingen", "parents": "ouders en verzorgers", "staff": "medewerkers", "others": "anderen"}
	var list []string
	for _, g := range groups {
		if s, ok := names[g]; ok && !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	if len(list) == 0 {
		return "leerlingen, ouders of medewerkers"
	}
	return joinAnd(list)
}

// groupSingular names one member of the groups: "leerling of ouder".
func groupSingular(groups []string) string {
	names := map[string]string{"students": "leerling", "parents": "ouder of verzorger", "staff": "medewerker", "others": "betrokken"}
	var list []string
	for _, g := range groups {
		if s, ok := names[g]; ok && !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	if len(list) == 0 || slices.Contains(list, "betrokken") {
		return "leerling, ouder of medewerker"
	}
	if len(list) == 1 {
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " of " + list[len(list)-1]
}

func count(n *int) string {
	if n == nil || *n < 1 {
		return ""
	}
	if *n == 1 {
		return " (één persoon)"
	}
	return " (ongeveer " + strconv.Itoa(*n) + " mensen)"
}

func joinAnd(list []string) string {
	if len(list) <= 1 {
		return strings.Join(list, "")
	}
	return strings.Join(list[:len(list)-1], ", ") + " en " + list[len(list)-1]
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Text is one text of a case as the pages show it: kept (saved by the
// officer, or kept at approval) or Lekwacht's draft from the facts.
type Text struct {
	Kind     Kind
	Title    string
	Body     string
	Kept     bool
	EditedAt *time.Time
	EditedBy string // "" for Lekwacht's draft kept at approval
}
