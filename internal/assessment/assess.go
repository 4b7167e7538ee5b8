package assessment

import (
	"fmt"
	"strings"
)

// Thresholds. docs/assessment.md explains each choice.
const (
	// ManySubjects is from how many people a breach is quantitatively serious.
	// Seed 001 ("Kwantitatief ernstig"): "een A4'tje met een paar
	// e-mailadressen" is not, "tientallen of meer dan honderd e-mailadressen"
	// is. "Tientallen" (several tens) starts at twenty: Lekwacht's literal
	// reading, which the reasons name whenever it decides.
	ManySubjects = 20
	// HundredsOfSubjects is from how many people a breach of directly
	// identifiable data weighs towards a high risk. Seed 001: "meer dan
	// honderd e-mailadressen" ("Kwantitatief ernstig") and, on high risk,
	// "Heeft het datalek betrekking op één persoon, of zijn honderden
	// personen getroffen?". The reasons name it whenever it decides.
	HundredsOfSubjects = 100
	// ManyDataTypes is from how many kinds of data per person a breach is
	// "much data per person": quantitatively serious, and +1 on ENISA's DPC
	// because the combination allows a profile of the person.
	ManyDataTypes = 4
)

// Channel is how the data subjects are to be informed.
type Channel string

// The channels.
const (
	ChannelIndividual Channel = "individual" // each person (parents of pupils under 16)
	ChannelPublic     Channel = "public"     // a public notice, when individual notice takes disproportionate effort
	ChannelNone       Channel = "none"       // not informed
)

// The exceptions to informing the data subjects (GDPR art. 34(3), seed 001
// "Uitzonderingen"). Each one used must be registered with its reason and
// revisited when it stops holding.
const (
	ExceptionUnintelligible         = "unintelligible"
	ExceptionMitigated              = "mitigated"
	ExceptionDisproportionateEffort = "disproportionate_effort"
)

// Advice is what Lekwacht advises the FG. The JSON field names are a contract.
type Advice struct {
	Breach          bool     `json:"breach"`
	NotifyAuthority bool     `json:"notify_authority"`
	NotifySubjects  bool     `json:"notify_subjects"`
	SubjectsChannel Channel  `json:"subjects_channel"`
	Severity        Severity `json:"severity"`
	// Reasons explain each step of the reasoning in plain Dutch, in order.
	Reasons []string `json:"reasons"`
	// Exceptions lists the exceptions relied on (ExceptionUnintelligible, …):
	// each must be registered and revisited if it stops holding.
	Exceptions []string `json:"exceptions"`
}

// sensitiveData are the kinds of data that make a breach qualitatively
// serious. Seed 001: "gevoelige persoonsgegevens" is wider than the GDPR's
// special categories: also login credentials, financial data, copies of
// identity documents, work performance and data that can stigmatise.
var sensitiveData = []DataType{DataCredentials, DataFinancial, DataIDDocument, DataSpecial, DataCriminal, DataPerformance, DataCare}

// seriousConsequences make a breach qualitatively serious (seed 001:
// discrimination, (identity) fraud, financial or reputational damage; the
// pester example adds stigma) and weigh towards a high risk (seed 001 adds
// bodily harm).
var seriousConsequences = []Consequence{ConsequenceDiscrimination, ConsequenceIdentityFraud, ConsequenceFinancial, ConsequenceReputation, ConsequencePhysical, ConsequenceStigma}

// Assess walks the decision path of the protocols for the given facts and
// returns the advice with its reasons. Facts should be valid (see Validate);
// a value Validate rejects is read as the most cautious valid one (an unknown
// availability as a permanent loss, an unknown recipient as the public, an
// unknown kind of data as special data, an unknown exclusion as none).
func Assess(f Facts) Advice {
	f = f.normalized()
	a := &assessor{f: f, advice: Advice{
		SubjectsChannel: ChannelNone,
		Severity:        notComputed(),
		Reasons:         []string{},
		Exceptions:      []string{},
	}}
	a.run()
	return a.advice
}

type assessor struct {
	f      Facts
	advice Advice
	// countDecided: the number of people made the breach quantitatively
	// serious; the reasons say so when nothing else did.
	countDecided bool
	// remaining is the unlawful processing left after a valid exclusion.
	remaining aspects
	// confidentialityRisk: the loss of confidentiality counts towards a risk
	// (it happened and the data were not unintelligible).
	confidentialityRisk bool
}

func (a *assessor) say(format string, args ...any) {
	a.advice.Reasons = append(a.advice.Reasons, fmt.Sprintf(format, args...))
}

func (a *assessor) run() {
	if !a.isBreach() {
		return
	}
	a.advice.Breach = true
	defer a.remindInspectorate()
	a.advice.Severity = severity(a.f, a.remaining)
	sv := a.advice.Severity
	a.say("Ernst volgens de ENISA-methode: %s (%s; context van de gegevens %s × herleidbaarheid %s + omstandigheden van het lek %s). Deze score ondersteunt de afweging hieronder; de stappen van het protocol zijn leidend.",
		levelNames[sv.Level], num(sv.Score), num(sv.DPC), num(sv.EI), num(sv.CB))

	if !a.notifyAuthority() {
		a.say("Wie niet bij de AP hoeft te melden, komt niet toe aan de vraag of de betrokkenen moeten worden ingelicht: zonder risico is er ook geen hoog risico.")
		return
	}
	a.advice.NotifyAuthority = true
	a.notifySubjects()
}

// isBreach answers questions 1 and 2 of the decision tree.
func (a *assessor) isBreach() bool {
	f := a.f
	if !f.Incident {
		a.say("Er heeft zich geen beveiligingsincident voorgedaan: alleen een dreiging is nooit een datalek. Registreer de melding toch en geef een concrete dreiging zo snel mogelijk door aan de FG.")
		return false
	}
	a.say("Er heeft zich een beveiligingsincident voorgedaan. Registreer het, ook als het geen datalek blijkt, met de reden waarom wel of niet.")

	if !f.PersonalData {
		a.say("Bij het incident zijn geen persoonsgegevens betrokken (zoals alleen omzet- of winstcijfers van de school). Het is daarom geen datalek in de zin van de AVG. Let op: ook indirect herleidbare gegevens, zoals een leerlingnummer, postcode of IP-adres, zijn persoonsgegevens.")
		return false
	}

	present := aspects{confidentiality: f.Confidentiality, integrity: f.Integrity, availability: f.Availability}
	if present.empty() {
		a.say("Er zijn persoonsgegevens bij betrokken, maar hun vertrouwelijkheid, integriteit en beschikbaarheid zijn niet aangetast. Opzettelijke onbeschikbaarheid, zoals gepland onderhoud, is geen onrechtmatige verwerking. Het is daarom geen datalek.")
		return false
	}
	a.say("Er zijn persoonsgegevens bij betrokken en er is sprake van %s.", describe(present))

	a.remaining = a.exclude(present)
	if a.remaining.empty() {
		a.say("Onrechtmatige verwerking is daarmee redelijkerwijs uitgesloten: het incident is geen datalek. Leg deze reden vast in het register.")
		return false
	}
	a.say("Onrechtmatige verwerking is niet redelijkerwijs uit te sluiten: het incident is een datalek. Registreer het in het datalekregister, ook als het niet gemeld hoeft te worden.")
	return true
}

// describe names the kinds of unlawful processing in Dutch.
func describe(p aspects) string {
	var parts []string
	if p.confidentiality {
		parts = append(parts, "een inbreuk op de vertrouwelijkheid (onbevoegde toegang is niet uit te sluiten)")
	}
	if p.integrity {
		parts = append(parts, "een inbreuk op de integriteit (de gegevens kunnen zijn gewijzigd)")
	}
	switch p.availability {
	case AvailabilityTemporary:
		parts = append(parts, "een inbreuk op de beschikbaarheid (de gegevens waren tijdelijk niet beschikbaar)")
	case AvailabilityPermanent:
		parts = append(parts, "een inbreuk op de beschikbaarheid (de gegevens zijn verloren gegaan)")
	}
	return joinDutch(parts)
}

// exclude applies the ground for excluding unlawful processing, if it holds,
// and returns what is left. A ground only excludes the kinds of processing it
// covers: a reset password says nothing about a deleted database.
func (a *assessor) exclude(p aspects) aspects {
	f := a.f
	// The kinds of processing the ground excludes.
	var covers struct{ confidentiality, integrity, availability bool }
	switch f.Excluded {
	case ExcludedNone:
		a.say("Er is geen grond opgegeven om onrechtmatige verwerking uit te sluiten. Bij twijfel: melden.")
		return p
	case ExcludedBounced:
		if f.Recipient == RecipientTrusted || f.Recipient == RecipientUntrusted || f.Recipient == RecipientPublic {
			a.say("De e-mail zou onbestelbaar zijn teruggekomen, maar volgens de feiten heeft iemand de gegevens wel. Die tegenstrijdigheid sluit onrechtmatige verwerking niet uit; bij twijfel geldt het als datalek.")
			return p
		}
		a.say("De verkeerd verstuurde e-mail kwam als onbestelbaar terug: er is niemand die de gegevens heeft ontvangen. Dat sluit onbevoegde toegang uit (zonder foutmelding was het wél een datalek).")
		covers.confidentiality = true
	case ExcludedRestored:
		if !f.Backup {
			a.say("Er is herstel opgegeven, maar er is geen recente back-up. Zonder recente back-up zijn de gegevens blijvend verloren of gewijzigd, en dan is het wél een datalek.")
			return p
		}
		a.say("De gegevens zijn snel hersteld uit een recente back-up. Dat sluit blijvend verlies en blijvende wijziging uit, maar niet dat onbevoegden de gegevens hebben ingezien.")
		covers.integrity, covers.availability = true, true
	case ExcludedResetNoAccess:
		a.say("Het wachtwoord is direct gewijzigd en de logbestanden laten zien dat er in de tussentijd niet is ingelogd. Dat sluit onbevoegde toegang en wijziging uit, maar geen verlies van gegevens.")
		covers.confidentiality, covers.integrity = true, true
	case ExcludedRecipientDeleted:
		a.say("Dat de ontvanger de gegevens heeft verwijderd, sluit een datalek niet uit: het protocol (seed 001) noemt alleen de onbestelbare e-mail, het snelle herstel uit een recente back-up en het direct gewijzigde wachtwoord met schone logbestanden. De gegevens zijn wel bij iemand terechtgekomen. De verwijdering weegt hieronder mee als maatregel die het risico kan verlagen.")
		return p
	case ExcludedOther:
		a.say("De FG heeft een andere reden opgegeven waarom onrechtmatige verwerking is uitgesloten. Leg die reden precies vast in het register: alleen als de FG onrechtmatige verwerking echt kan uitsluiten, is er geen datalek.")
		covers.confidentiality, covers.integrity, covers.availability = true, true, true
	default:
		a.say("De opgegeven grond om onrechtmatige verwerking uit te sluiten (%q) is onbekend. Bij twijfel geldt het als datalek.", string(f.Excluded))
		return p
	}

	left := p
	if covers.confidentiality {
		left.confidentiality = false
	}
	if covers.integrity {
		left.integrity = false
	}
	if covers.availability {
		left.availability = AvailabilityNone
	}
	if !left.empty() && left != p {
		a.say("Die grond dekt niet alles: er blijft %s.", describe(left))
	} else if left == p {
		a.say("Die grond dekt niet wat hier gebeurd is: er blijft %s.", describe(left))
	}
	return left
}

// notifyAuthority answers question 3: notify the AP unless the breach is
// unlikely to be a risk to the rights and freedoms of the data subjects.
func (a *assessor) notifyAuthority() bool {
	f, r := a.f, a.remaining

	a.confidentialityRisk = r.confidentiality && !f.Unintelligible
	if r.confidentiality && f.Unintelligible {
		a.useException(ExceptionUnintelligible)
		a.say("De gelekte gegevens waren onbegrijpelijk voor onbevoegden: versleuteld of gehasht volgens de stand van de techniek, met een sleutel die niet is gelekt. Het verlies van vertrouwelijkheid levert daardoor waarschijnlijk geen risico op. Leg deze uitzondering met de reden vast in het register en herbeoordeel het besluit zodra de versleuteling niet meer veilig blijkt of de sleutel toch is gelekt: dan moeten de AP en de betrokkenen alsnog worden ingelicht.")
	}

	if a.confidentialityRisk && f.RecipientDeleted {
		a.weighDeletion()
	}

	availabilityRisk := r.availability == AvailabilityPermanent
	if r.availability == AvailabilityTemporary {
		how := "tijdelijk"
		if f.UnavailableHours > 0 {
			how = num(f.UnavailableHours) + " uur"
		}
		switch {
		case contains(f.Data, DataCare) || contains(f.Data, DataSpecial):
			availabilityRisk = true
			a.say("De gegevens waren %s niet beschikbaar. Het gaat om zorg- of bijzondere gegevens, die ook kort nodig kunnen zijn voor de zorg voor een leerling: de onbeschikbaarheid geldt als risico (zoals bij de medische gegevens van een ziekenhuis in de richtsnoeren van de EDPB).", how)
		case f.OutageHarmless:
			a.say("De gegevens waren %s niet beschikbaar en volgens de FG heeft niemand daar hinder van gehad (geen lessen, toetsen, zorg of veiligheid hingen er in die tijd van af). Zo'n onbeschikbaarheid levert waarschijnlijk geen risico op (richtsnoeren van de EDPB: systemen die enkele uren niet beschikbaar zijn zonder gevolgen voor de betrokkenen).", how)
		default:
			availabilityRisk = true
			a.say("De gegevens waren %s niet beschikbaar en het is niet vastgesteld dat niemand daar hinder van had (lessen, toetsen en zorg kunnen ervan afhangen). Bij twijfel geldt de onbeschikbaarheid als risico; Lekwacht hanteert daarbij geen vaste grens in uren.", how)
		}
	}

	if !a.confidentialityRisk && !r.integrity && !availabilityRisk {
		a.say("Het datalek levert daarom waarschijnlijk geen risico op voor de rechten en vrijheden van de betrokkenen: niet melden bij de AP. Leg in het register vast waarom niet.")
		return false
	}

	quantitative := a.quantitative()
	qualitative := a.qualitative()
	switch {
	case quantitative || qualitative:
		a.say("Het datalek is %s ernstig en houdt dus waarschijnlijk een risico in: melden bij de AP, zo snel mogelijk en uiterlijk 72 uur na ontdekking. Een melding kan later worden aangevuld of ingetrokken.", seriousness(quantitative, qualitative))
		if a.countDecided && !qualitative && len(f.Data) < ManyDataTypes {
			a.say("Alleen het aantal betrokkenen (%d) gaf hier de doorslag: Lekwacht leest ‘tientallen’ (seed 001) als %d of meer. Weegt u het aantal anders, leg dan uit waarom.", f.Subjects, ManySubjects)
		}
		return true
	case a.advice.Severity.Score >= 2:
		a.say("Het datalek is niet kwantitatief en niet kwalitatief ernstig, maar de ENISA-ernst is %s (%s). Bij twijfel: melden bij de AP, zo snel mogelijk en uiterlijk 72 uur na ontdekking.", levelNames[a.advice.Severity.Level], num(a.advice.Severity.Score))
		return true
	default:
		a.say("Het datalek is niet kwantitatief en niet kwalitatief ernstig, en ook de ENISA-ernst is laag: het levert waarschijnlijk geen risico op. Niet melden bij de AP; leg in het register vast waarom niet.")
		return false
	}
}

func seriousness(quantitative, qualitative bool) string {
	switch {
	case quantitative && qualitative:
		return "zowel kwantitatief als kwalitatief"
	case quantitative:
		return "kwantitatief"
	default:
		return "kwalitatief"
	}
}

// quantitative: many people, or much data per person (seed 001
// "Kwantitatief ernstig").
func (a *assessor) quantitative() bool {
	f := a.f
	serious := false
	switch {
	case f.Subjects == 0:
		serious = true
		a.say("Het aantal betrokkenen is onbekend. Bij twijfel geldt het datalek als kwantitatief ernstig; vul het aantal aan zodra het bekend is.")
	case f.Subjects >= ManySubjects:
		serious, a.countDecided = true, true
		a.say("Het datalek treft %d personen: tientallen of meer, dus kwantitatief ernstig (Lekwacht legt de grens bij %d).", f.Subjects, ManySubjects)
	default:
		a.say("Het datalek treft %d %s: minder dan %d, zoals een A4'tje met een paar e-mailadressen, dus op het aantal alleen niet kwantitatief ernstig.", f.Subjects, plural(f.Subjects, "persoon", "personen"), ManySubjects)
	}
	if len(f.Data) >= ManyDataTypes {
		serious = true
		a.say("Er zijn %d soorten gegevens per persoon betrokken (%s): veel gegevens per persoon, dus kwantitatief ernstig.", len(f.Data), labels(f.Data, dataLabels))
	}
	return serious
}

// qualitative: sensitive data, serious consequences, or circumstances of who
// leaked what to whom (seed 001 "Kwalitatief ernstig").
func (a *assessor) qualitative() bool {
	f := a.f
	serious := false
	if len(f.Data) == 0 {
		serious = true
		a.say("Niet opgegeven is welke gegevens het betreft. Bij twijfel geldt het datalek als kwalitatief ernstig; vul de soorten gegevens aan.")
	}
	if sensitive := filter(f.Data, sensitiveData); len(sensitive) > 0 {
		serious = true
		a.say("Het gaat om gevoelige gegevens (%s). Gevoelig is breder dan de bijzondere persoonsgegevens van de AVG: ook inloggegevens, financiële gegevens, kopieën van identiteitsbewijzen, prestaties en gegevens die kunnen stigmatiseren tellen mee. Dat maakt het datalek kwalitatief ernstig.", labels(sensitive, dataLabels))
	}
	if grave := filter(f.Consequences, seriousConsequences); len(grave) > 0 {
		serious = true
		a.say("Het datalek kan leiden tot %s. Dat maakt het kwalitatief ernstig.", labels(grave, consequenceLabels))
	}
	// The circumstances seed 001 lists beside the kind of data: of whom,
	// to whom, how easily identified, how severe the consequences.
	if a.confidentialityRisk && f.WellKnown {
		serious = true
		a.say("Van wie: het gaat om gegevens van bekende personen of hun kinderen. Seed 001 noemt de e-mailadressen van kinderen van bekende Nederlanders als voorbeeld van een datalek dat gemeld moet worden: reputatieschade ligt voor de hand. Dat maakt het datalek kwalitatief ernstig.")
	}
	if a.confidentialityRisk && (f.Recipient == RecipientUntrusted || f.Recipient == RecipientPublic) {
		switch {
		case f.Malicious:
			serious = true
			a.say("Aan wie en hoe: de gegevens zijn met opzet buitgemaakt en bij een onbetrouwbare partij of openbaar terechtgekomen. Door die omstandigheden is het datalek kwalitatief ernstig.")
		case f.DirectIdentifiable:
			serious = true
			a.say("Aan wie en hoe gemakkelijk te identificeren: de gegevens zijn direct tot personen te herleiden en bij een onbetrouwbare ontvanger of openbaar terechtgekomen, waar ze niet meer terug te halen zijn. Door die omstandigheden is het datalek kwalitatief ernstig.")
		}
	}
	if !serious {
		a.say("De gegevens zijn niet gevoelig, en gevolgen als discriminatie, (identiteits)fraude, financiële schade, reputatieschade of stigmatisering zijn niet te verwachten: niet kwalitatief ernstig. Weet u van zulke gevolgen, kruis ze dan aan.")
	}
	return serious
}

// notifySubjects answers question 4: inform the data subjects when the breach
// is likely a high risk, unless an exception holds.
func (a *assessor) notifySubjects() {
	f := a.f
	var why []string
	if len(f.Data) == 0 {
		why = append(why, "niet bekend is welke gegevens zijn gelekt")
	}
	if sensitive := filter(f.Data, sensitiveData); len(sensitive) > 0 {
		why = append(why, "het gevoelige gegevens betreft ("+labels(sensitive, dataLabels)+")")
	}
	if grave := filter(f.Consequences, seriousConsequences); len(grave) > 0 {
		why = append(why, "het kan leiden tot "+labels(grave, consequenceLabels))
	}
	if a.confidentialityRisk && f.Children && f.DirectIdentifiable {
		why = append(why, "het direct herleidbare gegevens van kinderen of andere kwetsbare personen betreft (een school weegt daarbij zwaar, zoals een ziekenhuis)")
	}
	if a.confidentialityRisk && f.WellKnown {
		why = append(why, "het gegevens van bekende personen of hun kinderen betreft, wat tot reputatieschade kan leiden")
	}
	countOnly := false
	if a.confidentialityRisk && f.DirectIdentifiable && f.Subjects >= HundredsOfSubjects {
		countOnly = len(why) == 0
		why = append(why, fmt.Sprintf("het direct herleidbare gegevens van %d personen betreft", f.Subjects))
	}
	if a.advice.Severity.Score >= 3 {
		countOnly = false
		why = append(why, "de ENISA-ernst "+levelNames[a.advice.Severity.Level]+" is")
	}
	if len(why) == 0 {
		a.say("Het datalek houdt wel een risico in, maar waarschijnlijk geen hoog risico voor de betrokkenen: zij hoeven niet te worden ingelicht. Leg in het register vast waarom niet. Twijfelt u, informeer hen dan toch.")
		return
	}
	a.say("Het datalek houdt waarschijnlijk een hoog risico in voor de betrokkenen, omdat %s. Bij twijfel: informeren.", joinDutch(why))
	if countOnly {
		a.say("Alleen het aantal betrokkenen (%d) gaf hier de doorslag: Lekwacht telt vanaf %d (seed 001: ‘meer dan honderd’, ‘honderden personen’). Weegt u het aantal anders, leg dan uit waarom.", f.Subjects, HundredsOfSubjects)
	}

	if f.Unintelligible {
		a.say("Dat de gegevens onbegrijpelijk waren, beschermt niet tegen vernietiging, wijziging of onbeschikbaarheid. Voor dat deel van het datalek geldt de uitzondering voor versleutelde gegevens dus niet.")
	}
	if f.Mitigated {
		a.useException(ExceptionMitigated)
		a.say("Direct na het datalek zijn maatregelen genomen waardoor het hoge risico zich waarschijnlijk niet meer voordoet (zoals het op afstand wissen van een gestolen laptop): de betrokkenen hoeven niet te worden ingelicht. Leg deze uitzondering met de reden vast in het register en herbeoordeel het besluit als de maatregel toch niet afdoende blijkt: dan moeten de betrokkenen alsnog worden ingelicht.")
		return
	}
	a.advice.NotifySubjects = true
	if f.DisproportionateEffort {
		a.useException(ExceptionDisproportionateEffort)
		a.advice.SubjectsChannel = ChannelPublic
		a.say("Iedere betrokkene persoonlijk inlichten zou een onevenredige inspanning vergen. Informeer hen daarom met een openbare mededeling die hen even doeltreffend bereikt (website, krant). Leg deze uitzondering met de reden vast in het register en herbeoordeel het besluit als persoonlijk inlichten alsnog mogelijk wordt.")
		return
	}
	a.advice.SubjectsChannel = ChannelIndividual
	a.say("Licht de betrokkenen onverwijld en persoonlijk in (bij leerlingen jonger dan 16 jaar hun ouders), uiterlijk een week na de melding bij de AP: met de aard van het datalek, de contactgegevens van de FG en de school, en de maatregelen die de school heeft genomen en die zij zelf kunnen nemen.")
}

// remindInspectorate reminds the officer, for a breach of grades or results,
// that test or exam results may also concern the Inspectie van het
// Onderwijs (issue 10.4). It is a reminder, not part of the decision.
func (a *assessor) remindInspectorate() {
	if contains(a.f.Data, DataPerformance) {
		a.say("Let op: gaat het om toets- of examenresultaten, dan informeert de school ook de Inspectie van het Onderwijs. Leg vast of en wanneer dat is gebeurd.")
	}
}

// weighDeletion weighs the recipient's declaration that they deleted the
// data (issue 10.2). The breach stays a breach (seed 001); for a known,
// trusted recipient the EDPB's guidance lets it remove the risk, but never
// for data seed 001 calls sensitive, nor when the circumstances make the
// breach qualitatively serious anyway: those are notified to the AP.
func (a *assessor) weighDeletion() {
	f := a.f
	sensitive := filter(f.Data, sensitiveData)
	grave := filter(f.Consequences, seriousConsequences)
	switch {
	case f.Recipient != RecipientTrusted:
		a.say("De ontvanger verklaart de gegevens te hebben verwijderd, maar het is geen bekende, betrouwbare ontvanger: op die verklaring alleen verlaagt Lekwacht het risico niet.")
	case len(f.Data) == 0:
		a.say("De ontvanger verklaart de gegevens te hebben verwijderd, maar niet opgegeven is welke gegevens het betreft: bij twijfel verlaagt dat het risico niet.")
	case len(sensitive) > 0:
		a.say("De ontvanger verklaart de gegevens te hebben verwijderd, maar het gaat om gevoelige gegevens (%s). Seed 001 rekent die tot kwalitatief ernstig, ook als het om één persoon gaat: de verwijdering neemt het risico niet weg en het datalek wordt gemeld bij de AP.", labels(sensitive, dataLabels))
	case len(grave) > 0 || f.WellKnown:
		a.say("De ontvanger verklaart de gegevens te hebben verwijderd, maar de omstandigheden (mogelijke gevolgen of bekende betrokkenen) maken het datalek kwalitatief ernstig: de verwijdering neemt het risico niet weg.")
	default:
		a.confidentialityRisk = false
		a.say("Een bekende, betrouwbare ontvanger heeft verklaard de gegevens te hebben verwijderd. Het blijft een datalek, maar het risico voor de betrokkenen is daardoor waarschijnlijk weggenomen: de richtsnoeren van de EDPB (9/2022, ‘trusted recipient’) zeggen dat een betrouwbare ontvanger de ernst kan wegnemen, ook al is er een datalek. Het protocol noemt dit niet; het aantal betrokkenen telt daarom voor de vertrouwelijkheid niet mee. Bewaar de verklaring bij de registratie; twijfelt u aan de ontvanger, meld dan toch.")
	}
}

func (a *assessor) useException(name string) {
	if !contains(a.advice.Exceptions, name) {
		a.advice.Exceptions = append(a.advice.Exceptions, name)
	}
}

func filter[T comparable](list, keep []T) []T {
	var out []T
	for _, v := range list {
		if contains(keep, v) {
			out = append(out, v)
		}
	}
	return out
}

func labels[T comparable](list []T, names map[T]string) string {
	parts := make([]string, len(list))
	for i, v := range list {
		name, ok := names[v]
		if !ok {
			name = fmt.Sprint(v)
		}
		parts[i] = name
	}
	return joinDutch(parts)
}

// joinDutch joins "a", "b" and "c" as "a, b en c".
func joinDutch(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	default:
		return strings.Join(parts[:len(parts)-1], ", ") + " en " + parts[len(parts)-1]
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
