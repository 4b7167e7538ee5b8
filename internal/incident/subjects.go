package incident

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
)

// Step 7, Informeren betrokkenen: the notice to the data subjects. Seed 000
// ("Communicatie") and seed 001 ("Wat te melden aan de betrokkenen?") ask for
// at least the nature of the breach, contact details of the school and the
// officer, and the measures the school took and those the recipient should
// take; GDPR art. 34(2) adds the likely consequences. The letter is assembled
// from those parts, so that none of them can be left out by editing.

// Channels of a notice: individually where possible; a public communication
// only when individual notice would take disproportionate effort (seed 001,
// exception iii).
const (
	ChannelIndividual = "individual"
	ChannelPublic     = "public"
)

// NoticeChannels are the ways to inform the data subjects.
var NoticeChannels = []Option{
	{ChannelIndividual, "Persoonlijk bericht (brief of e-mail aan iedere betrokkene)"},
	{ChannelPublic, "Openbare mededeling (bijvoorbeeld op de website of in de krant)"},
}

// NoticeGroups are the groups a notice goes to. Pupils under 16 are informed
// through their parents (seed 000 step 7).
var NoticeGroups = []Option{
	{"parents_under_16", "Ouders of verzorgers van leerlingen jonger dan 16 jaar"},
	{"students", "Leerlingen van 16 jaar of ouder"},
	{"parents", "Ouders of verzorgers, over hun eigen gegevens"},
	{"staff", "Medewerkers"},
	{"others", "Anderen (bijvoorbeeld oud-leerlingen, stagiairs of vrijwilligers)"},
}

// SubjectsNotice is the notice to the data subjects as drafted, approved and
// sent. Body is the letter as it is sent, assembled from the parts.
type SubjectsNotice struct {
	Channel           string
	PublicReason      string // why individual notice would take disproportionate effort
	Groups            []string
	RecipientsCount   *int
	Subject           string
	Body              string
	Nature            string
	Consequences      string
	MeasuresTaken     string
	MeasuresRecipient string
	OfficerContact    string
	SchoolContact     string
	Signature         string

	DraftedAt   time.Time
	DraftedBy   string
	DraftedByID int64
	ApprovedAt  *time.Time
	ApprovedBy  string
	// SelfApprovalReason is why the drafter approved their own notice (four
	// eyes: someone else, the board, approves it as a rule).
	SelfApprovalReason string
	SentAt             *time.Time
	SentBy             string
}

// Approved reports whether the current draft was approved.
func (n SubjectsNotice) Approved() bool { return n.ApprovedAt != nil }

// Sent reports whether the notice was sent.
func (n SubjectsNotice) Sent() bool { return n.SentAt != nil }

// SameContent reports whether two drafts say the same: saving an unchanged
// draft keeps its approval, any change needs a new one.
func (n SubjectsNotice) SameContent(o SubjectsNotice) bool {
	count := func(p *int) int {
		if p == nil {
			return -1
		}
		return *p
	}
	return n.Channel == o.Channel && n.PublicReason == o.PublicReason && slices.Equal(n.Groups, o.Groups) &&
		count(n.RecipientsCount) == count(o.RecipientsCount) && n.Subject == o.Subject && n.Body == o.Body &&
		n.Nature == o.Nature && n.Consequences == o.Consequences && n.MeasuresTaken == o.MeasuresTaken &&
		n.MeasuresRecipient == o.MeasuresRecipient && n.OfficerContact == o.OfficerContact &&
		n.SchoolContact == o.SchoolContact && n.Signature == o.Signature
}

// ChannelLabel is the Dutch name of the notice's channel.
func (n SubjectsNotice) ChannelLabel() string { return LabelOf(NoticeChannels, n.Channel) }

// ChannelHow says how the notice goes out, to follow "verstuurd".
func (n SubjectsNotice) ChannelHow() string {
	if n.Channel == ChannelPublic {
		return "als openbare mededeling"
	}
	return "per brief of e-mail aan iedere betrokkene"
}

// GroupsLabel lists the groups in Dutch.
func (n SubjectsNotice) GroupsLabel() string { return labelsText(NoticeGroups, n.Groups) }

// SubjectsStep is what the case page shows of step 7: the officer's decision,
// the notice so far, the deadline, and what the actor may do now.
type SubjectsStep struct {
	Decision   *Decision       // nil before the officer decided (step 3)
	Notice     *SubjectsNotice // nil before the first draft
	NotifiedAt *time.Time      // when the AP was notified; the week counts from here
	Due        *Due            // inform by, while the notice is not sent
	CanDraft   bool
	CanApprove bool
	// OwnDraft: the viewer drafted the notice; approving it themselves needs a reason (four eyes).
	OwnDraft  bool
	CanRecord bool
}

// Relevant reports whether step 7 has anything to show: a decision about a
// breach, or a notice.
func (s SubjectsStep) Relevant() bool {
	return s.Notice != nil || (s.Decision != nil && s.Decision.Breach)
}

// Informing reports whether the decision is to inform the data subjects.
func (s SubjectsStep) Informing() bool {
	return s.Notice != nil || (s.Decision != nil && s.Decision.NotifySubjects)
}

// ToDo lists, in Dutch, what must still happen in step 7; empty when done or
// when the data subjects are not informed.
func (s SubjectsStep) ToDo() []string {
	switch n := s.Notice; {
	case !s.Informing():
		return nil
	case n == nil:
		return []string{"De FG stelt het bericht aan de betrokkenen op."}
	case !n.Approved():
		return []string{"Het bestuur of de FG keurt het bericht goed.",
			"Daarna verstuurt de FG het bericht en legt vast wanneer dat gebeurde."}
	case !n.Sent():
		if n.Channel == ChannelPublic {
			return []string{"De FG maakt het bericht " + n.ChannelHow() + " bekend en legt vast wanneer dat gebeurde."}
		}
		return []string{"De FG verstuurt het bericht aan iedere betrokkene: per e-mail vanuit Lekwacht (met een lijst van ontvangers), of zelf per brief of e-mail, en legt vast wanneer dat gebeurde."}
	}
	return nil
}

// SubjectsForm is step 7's form as typed: the parts of the letter.
type SubjectsForm struct {
	Channel           string
	PublicReason      string
	Groups            []string
	RecipientsCount   string
	Subject           string
	Nature            string
	Consequences      string
	MeasuresTaken     string
	MeasuresRecipient string
	OfficerContact    string
	SchoolContact     string
	Signature         string
}

// LetterContext is what the letter needs besides the form: who sends it
// (the school, or the school board when the case has no school), whether the
// AP was notified, and whether the officer's decision already chose a public
// communication (with its reason, in step 3).
type LetterContext struct {
	Sender         string
	ReportedToAP   bool
	DecisionPublic bool
}

// SubjectsFormFrom drafts the notice from what is known, written for its
// reader (issue 10.4): the nature in general terms from the inventory's kind
// of incident, period and kinds of data; the likely consequences from the
// kinds of data, in plain words; the measures from the repair; the officer's
// name and email; and advice by kind of data. The desk's summary and the
// officer's own description of the consequences are internal texts: they are
// not pasted into a letter. The officer reads and edits every part. school is the sender's name: the
// case's school, or the organisation when the case has none.
func SubjectsFormFrom(c Case, inv *Inventory, rep *Repair, dec *Decision, officer *access.Actor, school string, loc *time.Location) SubjectsForm {
	f := SubjectsForm{Channel: ChannelIndividual}
	if dec != nil && dec.SubjectsChannel == ChannelPublic {
		f.Channel = ChannelPublic
	}

	// Groups: from the report; pupils are assumed to be under 16, so their
	// parents are informed. The officer corrects this for older pupils.
	for _, g := range c.Report.SubjectGroups {
		switch g {
		case "students":
			f.Groups = append(f.Groups, "parents_under_16")
		case "parents", "staff", "others":
			f.Groups = append(f.Groups, g)
		}
	}
	count := c.Report.SubjectsEstimate
	kinds := c.Report.DataKinds
	when := c.Report.OccurredFrom
	nature := ""
	if inv != nil {
		if inv.SubjectCount != nil {
			count = inv.SubjectCount
		}
		if len(inv.DataTypes) > 0 {
			kinds = inv.DataTypes
		}
		if inv.PeriodFrom != nil {
			when = inv.PeriodFrom
		}
		nature = inv.Nature
	}
	if count != nil {
		f.RecipientsCount = strconv.Itoa(*count)
	}

	f.Subject = "Belangrijk: datalek bij " + school
	var b strings.Builder
	if when != nil && loc != nil {
		b.WriteString("Op " + DutchDate(*when, loc) + " " + natureSentence(nature))
	} else {
		b.WriteString("Onlangs " + natureSentence(nature))
	}
	if len(kinds) > 0 {
		b.WriteString("\nHet gaat om deze gegevens: " + strings.ToLower(labelsText(DataKinds, kinds)) + ".")
	}
	f.Nature = b.String()
	f.Consequences = LikelyConsequences(kinds)

	if rep != nil {
		var parts []string
		if now := strings.Join(nonEmpty(rep.TechnicalIncidental, rep.OrganisationalIncidental), "\n"); now != "" {
			parts = append(parts, "Direct:\n"+now)
		}
		if later := strings.Join(nonEmpty(rep.TechnicalStructural, rep.OrganisationalStructural), "\n"); later != "" {
			parts = append(parts, "Om te voorkomen dat dit nog eens gebeurt:\n"+later)
		}
		f.MeasuresTaken = strings.Join(parts, "\n\n")
	}
	f.MeasuresRecipient = strings.Join(RecipientAdvice(kinds), "\n")

	if officer != nil {
		f.OfficerContact = officer.Name + ", functionaris gegevensbescherming\nE-mail: " + officer.Email
	}
	// Lekwacht knows the school's name, not its phone number or desk address:
	// the FG completes the lines (the check asks for one of them).
	f.SchoolContact = school + "\nTelefoon: \nE-mail: "
	if c.SchoolName != "" {
		f.Signature = "De directie van " + c.SchoolName
	} else {
		f.Signature = "Het bestuur van " + school
	}
	return f
}

// SubjectsFormFromNotice fills the form with the stored draft, to edit it.
func SubjectsFormFromNotice(n SubjectsNotice) SubjectsForm {
	count := ""
	if n.RecipientsCount != nil {
		count = strconv.Itoa(*n.RecipientsCount)
	}
	return SubjectsForm{Channel: n.Channel, PublicReason: n.PublicReason, Groups: slices.Clone(n.Groups), RecipientsCount: count,
		Subject: n.Subject, Nature: n.Nature, Consequences: n.Consequences, MeasuresTaken: n.MeasuresTaken,
		MeasuresRecipient: n.MeasuresRecipient, OfficerContact: n.OfficerContact, SchoolContact: n.SchoolContact, Signature: n.Signature}
}

// natureSentence says in plain words what kind of incident it was, to
// follow "Op 22 november 2026" or "Onlangs".
func natureSentence(nature string) string {
	switch nature {
	case "lost_device":
		return "is er een apparaat of gegevensdrager met persoonsgegevens kwijtgeraakt of gestolen, bijvoorbeeld een laptop of USB-stick."
	case "paper":
		return "zijn papieren met persoonsgegevens kwijtgeraakt of op een verkeerde plek terechtgekomen."
	case "misdirected":
		return "zijn persoonsgegevens naar de verkeerde ontvanger gestuurd."
	case "unauthorised_access":
		return "heeft iemand persoonsgegevens kunnen inzien die dat niet mocht."
	case "phishing":
		return "zijn via een nepbericht (phishing) inloggegevens in verkeerde handen gekomen. Daardoor kon iemand mogelijk bij persoonsgegevens."
	case "malware":
		return "zijn onze systemen aangevallen door een hacker of met schadelijke software."
	case "publication":
		return "zijn per ongeluk persoonsgegevens openbaar gemaakt."
	case "unavailable":
		return "zijn persoonsgegevens verloren gegaan of een tijd niet beschikbaar geweest."
	case "processor":
		return "is er een datalek geweest bij een leverancier die voor de school gegevens verwerkt."
	}
	return "is er een datalek geweest waarbij persoonsgegevens betrokken zijn."
}

// LikelyConsequences says in plain words, per kind of data, what the breach
// may mean for the reader ("wat kan dit voor u betekenen?"), without the
// officer's internal assessment.
func LikelyConsequences(kinds []string) string {
	lines := []string{"Wij weten niet of iemand de gegevens heeft bekeken of gebruikt. Dit kan er gebeuren:"}
	add := func(s string) {
		if !slices.Contains(lines, s) {
			lines = append(lines, s)
		}
	}
	for _, k := range kinds {
		switch k {
		case "contact":
			add("- Iemand kan uw gegevens misbruiken voor phishing: nepberichten die echt lijken, bijvoorbeeld alsof ze van de school komen.")
		case "identifier", "birthdate":
			add("- Iemand kan zich met deze gegevens voordoen als de school, of als u.")
		case "results":
			add("- Anderen kunnen cijfers of beoordelingen hebben gezien die niet voor hen bedoeld waren.")
		case "care", "health":
			add("- Anderen kunnen vertrouwelijke informatie hebben gezien over zorg, begeleiding of gezondheid. Dat kan vervelend of kwetsend zijn.")
		case "credentials":
			add("- Iemand kan proberen met de inloggegevens in te loggen op een account.")
		case "financial":
			add("- Iemand kan de gegevens gebruiken voor fraude met geld of betalingen.")
		case "id_document":
			add("- Iemand kan zich met een kopie van een identiteitsbewijs voor u uitgeven (identiteitsfraude).")
		case "photos":
			add("- Foto's of video's kunnen zonder toestemming verder worden verspreid.")
		}
	}
	if len(lines) == 1 {
		return "Wij weten niet of iemand de gegevens heeft bekeken of gebruikt. Het kan zijn dat iemand ze misbruikt, bijvoorbeeld om u een nepbericht te sturen dat echt lijkt."
	}
	return strings.Join(lines, "\n")
}

// RecipientAdvice suggests, per kind of data, what the recipient can do
// themselves ("wat u zelf kunt doen").
func RecipientAdvice(kinds []string) []string {
	var out []string
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, k := range kinds {
		switch k {
		case "credentials":
			add("- Verander uw wachtwoord. Gebruikt u hetzelfde wachtwoord ook ergens anders? Verander het daar ook. Zet tweestapsverificatie aan waar dat kan.")
		case "contact":
			add("- Wees extra alert op e-mails, sms'jes en telefoontjes die u niet verwacht, ook als ze van de school lijken te komen (phishing). Klik niet zomaar op links en geef nooit uw wachtwoord of bankgegevens.")
		case "identifier", "birthdate":
			add("- Noemt iemand die u niet kent uw geboortedatum, leerling- of personeelsnummer of burgerservicenummer (BSN)? Dat bewijst niet dat het echt de school is. Vertrouwt u het niet, bel dan de school.")
		case "financial":
			add("- Kijk de komende tijd goed naar uw bankafschriften. Ziet u een betaling die u niet kent? Neem dan meteen contact op met uw bank.")
		case "id_document":
			add("- Met een kopie van een identiteitsbewijs kan iemand zich voor u uitgeven (identiteitsfraude). Op rijksoverheid.nl leest u wat u kunt doen; het Centraal Meldpunt Identiteitsfraude (CMI) helpt u verder.")
		case "photos":
			add("- Ziet u foto's of video's van u of uw kind op internet staan waar ze niet horen? Laat het ons weten, dan helpen wij ze te laten verwijderen.")
		case "care", "health", "results":
			add("- Spreekt iemand u of uw kind aan over deze gegevens terwijl die persoon ze niet hoort te hebben? Laat het ons dan weten.")
		}
	}
	add("- Ziet u iets vreemds of heeft u vragen? Neem dan contact met ons op. U vindt onze gegevens hieronder.")
	return out
}

// Parse validates the notice and assembles the letter.
func (f SubjectsForm) Parse(lc LetterContext) (SubjectsNotice, error) {
	errs := apperr.FieldErrors{}
	n := SubjectsNotice{
		Channel:           f.Channel,
		PublicReason:      strings.TrimSpace(f.PublicReason),
		Subject:           strings.TrimSpace(f.Subject),
		Nature:            strings.TrimSpace(f.Nature),
		Consequences:      strings.TrimSpace(f.Consequences),
		MeasuresTaken:     strings.TrimSpace(f.MeasuresTaken),
		MeasuresRecipient: strings.TrimSpace(f.MeasuresRecipient),
		OfficerContact:    strings.TrimSpace(f.OfficerContact),
		SchoolContact:     strings.TrimSpace(f.SchoolContact),
		Signature:         strings.TrimSpace(f.Signature),
	}
	switch n.Channel {
	case ChannelIndividual:
		n.PublicReason = ""
	case ChannelPublic:
		if !lc.DecisionPublic && utf8.RuneCountInString(n.PublicReason) < 10 {
			errs.Add("public_reason", "Een openbare mededeling mag alleen als persoonlijk informeren onevenredig veel moeite kost. Leg uit waarom dat hier zo is, bijvoorbeeld: ‘Van deze oud-leerlingen hebben wij geen adressen meer.’")
		}
	default:
		errs.Add("channel", "Kies hoe u de betrokkenen informeert: met een persoonlijk bericht of met een openbare mededeling.")
	}
	n.Groups = choices(errs, "groups", f.Groups, NoticeGroups)
	if len(n.Groups) == 0 && errs["groups"] == "" {
		errs.Add("groups", "Kies minstens één groep die dit bericht krijgt.")
	}
	// Keep the groups in the order of the list, whatever order they came in.
	slices.SortFunc(n.Groups, func(a, b string) int { return optionIndex(NoticeGroups, a) - optionIndex(NoticeGroups, b) })

	if s := strings.TrimSpace(strings.ReplaceAll(f.RecipientsCount, ".", "")); s != "" {
		c, err := strconv.Atoi(s)
		switch {
		case err != nil:
			errs.Add("recipients_count", "Vul een heel getal in, bijvoorbeeld 30. Weet u het niet, laat het dan leeg.")
		case c < 1:
			errs.Add("recipients_count", "Het aantal ontvangers moet minstens 1 zijn.")
		case c > 10_000_000:
			errs.Add("recipients_count", "Dit aantal is onwaarschijnlijk groot. Kijk het na.")
		default:
			n.RecipientsCount = &c
		}
	}

	required := func(field, v, msg string, max int) {
		switch c := utf8.RuneCountInString(v); {
		case c == 0:
			errs.Add(field, msg)
		case c > max:
			errs.Add(field, "Deze tekst is te lang (meer dan "+strconv.Itoa(max)+" tekens).")
		}
	}
	required("subject", n.Subject, "Schrijf een onderwerpregel, bijvoorbeeld: ‘Belangrijk: datalek bij "+lc.Sender+"’.", 200)
	required("nature", n.Nature, "Beschrijf in gewone woorden wat er is gebeurd.", maxLongText)
	required("consequences", n.Consequences, "Beschrijf wat het datalek voor de ontvanger kan betekenen.", maxLongText)
	required("measures_taken", n.MeasuresTaken, "Beschrijf wat de school heeft gedaan om de gevolgen te beperken en herhaling te voorkomen.", maxLongText)
	required("measures_recipient", n.MeasuresRecipient, "Beschrijf wat de ontvanger zelf kan doen, bijvoorbeeld het wachtwoord veranderen of extra alert zijn op phishing.", maxLongText)
	required("officer_contact", n.OfficerContact, "Vul de contactgegevens van de FG in: naam en e-mailadres of telefoonnummer.", 2000)
	required("school_contact", n.SchoolContact, "Vul de contactgegevens van de school in: een telefoonnummer of e-mailadres waar de ontvanger met vragen terecht kan.", 2000)
	required("signature", n.Signature, "Vul in wie het bericht ondertekent, bijvoorbeeld: ‘De directie van "+lc.Sender+"’.", 500)
	if utf8.RuneCountInString(n.PublicReason) > 5000 {
		errs.Add("public_reason", "Deze uitleg is te lang (meer dan 5000 tekens).")
	}
	if n.OfficerContact != "" && errs["officer_contact"] == "" && !reachable(n.OfficerContact) {
		errs.Add("officer_contact", "Vul ook een e-mailadres of telefoonnummer van de FG in.")
	}
	if n.SchoolContact != "" && errs["school_contact"] == "" && !reachable(n.SchoolContact) {
		errs.Add("school_contact", "Vul ook een telefoonnummer of e-mailadres van de school in.")
	}
	if err := errs.Err(); err != nil {
		return SubjectsNotice{}, err
	}
	n.Body = n.Letter(lc)
	return n, nil
}

// Preview assembles the letter from the form as typed, without validating:
// what the officer sees before saving.
func (f SubjectsForm) Preview(lc LetterContext) (subject, body string) {
	n := SubjectsNotice{Channel: f.Channel, Groups: f.Groups, Subject: strings.TrimSpace(f.Subject),
		Nature: strings.TrimSpace(f.Nature), Consequences: strings.TrimSpace(f.Consequences),
		MeasuresTaken: strings.TrimSpace(f.MeasuresTaken), MeasuresRecipient: strings.TrimSpace(f.MeasuresRecipient),
		OfficerContact: strings.TrimSpace(f.OfficerContact), SchoolContact: strings.TrimSpace(f.SchoolContact),
		Signature: strings.TrimSpace(f.Signature)}
	return n.Subject, n.Letter(lc)
}

// Letter assembles the letter in plain Dutch from the parts.
func (n SubjectsNotice) Letter(lc LetterContext) string {
	var b strings.Builder
	b.WriteString(salutation(n.Groups, n.Channel) + "\n\n")
	b.WriteString("Wij laten u weten dat er bij " + lc.Sender + " een datalek is geweest. Het gaat daarbij om gegevens van " +
		about(n.Groups, n.Channel) + ". Dat vinden wij erg vervelend. Hieronder leest u wat er is gebeurd, " +
		"wat dit voor u kan betekenen, wat wij hebben gedaan en wat u zelf kunt doen.\n")
	section := func(title, text string) {
		if text != "" {
			b.WriteString("\n" + title + "\n" + text + "\n")
		}
	}
	section("Wat is er gebeurd?", n.Nature)
	section("Wat kan dit voor u betekenen?", n.Consequences)
	measures := n.MeasuresTaken
	if lc.ReportedToAP {
		measures = strings.TrimSpace(measures + "\n\nWij hebben het datalek gemeld bij de Autoriteit Persoonsgegevens.")
	}
	section("Wat hebben wij gedaan?", measures)
	section("Wat kunt u zelf doen?", n.MeasuresRecipient)
	b.WriteString("\nHeeft u vragen?\n")
	if n.SchoolContact != "" {
		b.WriteString("Neem dan contact op met de school:\n" + n.SchoolContact + "\n")
	}
	if n.OfficerContact != "" {
		b.WriteString("\nU kunt ook terecht bij onze functionaris gegevensbescherming (FG). De FG houdt toezicht op hoe wij met persoonsgegevens omgaan:\n" + n.OfficerContact + "\n")
	}
	b.WriteString("\nMet vriendelijke groet,\n\n" + n.Signature + "\n")
	return b.String()
}

// BodyFor is the approved letter as the reader of one audience receives it
// (issue 10.4): only the greeting and whose data it is change ("Beste ouder
// of verzorger … uw kind" for a parent, "Beste leerling … u" for a student of
// 16 or over), never the approved content. A public communication, or an
// audience the letter does not know, gets the letter as approved.
func (n SubjectsNotice) BodyFor(audience string) string {
	if n.Channel == ChannelPublic {
		return n.Body
	}
	var gs []string
	switch audience {
	case AudienceParent:
		gs = []string{"parents_under_16"}
	case AudienceStudent:
		gs = []string{"students"}
	case AudienceSelf:
		for _, g := range n.Groups {
			if g != "parents_under_16" && !slices.Contains(gs, g) {
				gs = append(gs, g)
			}
		}
		if len(gs) == 0 {
			// A list without a parent's address for a letter to parents:
			// the student reads it at their own address.
			gs = []string{"students"}
		}
	default:
		return n.Body
	}
	body := n.Body
	if old := salutation(n.Groups, n.Channel) + "\n"; strings.HasPrefix(body, old) {
		body = salutation(gs, n.Channel) + "\n" + strings.TrimPrefix(body, old)
	}
	return strings.Replace(body, "om gegevens van "+about(n.Groups, n.Channel)+".", "om gegevens van "+about(gs, n.Channel)+".", 1)
}

// AudienceLabel names an audience in Dutch, for the archive of a mailing.
func AudienceLabel(audience string) string {
	switch audience {
	case AudienceParent:
		return "ouders en verzorgers van leerlingen jonger dan 16"
	case AudienceStudent:
		return "leerlingen van 16 jaar en ouder"
	}
	return "overige ontvangers (op hun eigen adres)"
}

// salutation greets the groups: one group in the singular, several in the
// plural; a public communication addresses everyone involved.
func salutation(groups []string, channel string) string {
	one := map[string]string{"parents_under_16": "ouder of verzorger", "parents": "ouder of verzorger", "students": "leerling", "staff": "medewerker"}
	many := map[string][]string{"parents_under_16": {"ouders", "verzorgers"}, "parents": {"ouders", "verzorgers"},
		"students": {"leerlingen"}, "staff": {"medewerkers"}}
	var singular, plural []string
	for _, g := range groups {
		s, ok := one[g]
		if !ok {
			return "Beste lezer,"
		}
		if !slices.Contains(singular, s) {
			singular, plural = append(singular, s), append(plural, many[g]...)
		}
	}
	switch {
	case len(singular) == 0:
		return "Beste lezer,"
	case len(singular) == 1 && channel != ChannelPublic:
		return "Beste " + singular[0] + ","
	}
	return "Beste " + joinAnd(plural) + ","
}

// about says whose data were involved, as seen by the reader.
func about(groups []string, channel string) string {
	if channel == ChannelPublic {
		names := map[string][]string{"parents_under_16": {"leerlingen"}, "students": {"leerlingen"}, "parents": {"ouders", "verzorgers"},
			"staff": {"medewerkers"}, "others": {"anderen"}}
		var list []string
		for _, g := range groups {
			for _, s := range names[g] {
				if !slices.Contains(list, s) {
					list = append(list, s)
				}
			}
		}
		if len(list) == 0 {
			return "een aantal mensen"
		}
		return joinAnd(list) + " van de school"
	}
	child := slices.Contains(groups, "parents_under_16")
	self := slices.ContainsFunc(groups, func(g string) bool { return g != "parents_under_16" })
	switch {
	case child && self:
		return "u of uw kind"
	case child:
		return "uw kind"
	}
	return "u"
}

func joinAnd(list []string) string {
	if len(list) <= 1 {
		return strings.Join(list, "")
	}
	return strings.Join(list[:len(list)-1], ", ") + " en " + list[len(list)-1]
}

// reachable reports whether contact details hold an email address, a web
// address or a phone number, not only a name.
func reachable(s string) bool {
	if strings.Contains(s, "@") || strings.Contains(strings.ToLower(s), "www.") || strings.Contains(strings.ToLower(s), "http") {
		return true
	}
	digits := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	return digits >= 6
}

func optionIndex(opts []Option, v string) int {
	return slices.IndexFunc(opts, func(o Option) bool { return o.Value == v })
}

var dutchMonths = []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

// DutchDate writes a date as in a Dutch letter: "22 november 2026".
func DutchDate(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return strconv.Itoa(t.Day()) + " " + dutchMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// ParseSubjectsSentAt reads the moment the notice was sent: not in the
// future, and not before the draft it sends.
func ParseSubjectsSentAt(v string, now time.Time, loc *time.Location, draftedAt time.Time) (time.Time, error) {
	errs := apperr.FieldErrors{}
	sent, err := time.ParseInLocation(DateTimeLayout, strings.TrimSpace(v), loc)
	switch {
	case err != nil:
		errs.Add("subjects_sent_at", "Vul de datum en tijd van het versturen in, bijvoorbeeld 30-11-2026 14:30.")
	case sent.After(now.Add(5 * time.Minute)):
		errs.Add("subjects_sent_at", "Deze datum ligt in de toekomst. Leg de verzending vast nadat het bericht is verstuurd.")
	case sent.Before(draftedAt.Truncate(time.Minute)):
		errs.Add("subjects_sent_at", "Deze datum ligt vóór het opstellen van het bericht ("+draftedAt.In(loc).Format("02-01-2006 15:04")+"). Kijk de datum na.")
	}
	if err := errs.Err(); err != nil {
		return time.Time{}, err
	}
	return sent, nil
}
