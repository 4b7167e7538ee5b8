package assessment

import (
	"fmt"
	"strconv"
	"strings"
)

// Level is a severity level of the ENISA method.
type Level string

// The ENISA severity levels.
const (
	LevelLow      Level = "low"       // SE < 2
	LevelMedium   Level = "medium"    // 2 ≤ SE < 3
	LevelHigh     Level = "high"      // 3 ≤ SE < 4
	LevelVeryHigh Level = "very_high" // SE ≥ 4
)

// Severity is the ENISA score with how it was computed, so that the FG can
// follow every number and disagree with it.
type Severity struct {
	// Score is SE = DPC × EI + CB.
	Score float64 `json:"score"`
	Level Level   `json:"level"`
	// Computed is false when there is no breach to score; then the numbers
	// are zero and Level is "low".
	Computed bool `json:"computed"`
	// DPC is the data processing context, 1 to 4.
	DPC float64 `json:"dpc"`
	// EI is the ease of identification: 0.25, 0.5, 0.75 or 1.
	EI float64 `json:"ei"`
	// CB is the sum of the circumstances of the breach, 0 to 2.
	CB float64 `json:"cb"`
	// DPCBasis, EIBasis and CBBasis explain each part in Dutch.
	DPCBasis string `json:"dpc_basis"`
	EIBasis  string `json:"ei_basis"`
	CBBasis  string `json:"cb_basis"`
	// Explanation is the whole computation in one Dutch sentence.
	Explanation string `json:"explanation"`
}

// ENISA ease-of-identification levels.
const (
	EINegligible  = 0.25
	EILimited     = 0.5
	EISignificant = 0.75
	EIMaximum     = 1.0
)

// Score is the ENISA 2013 severity formula SE = DPC × EI + CB.
func Score(dpc, ei, cb float64) float64 { return dpc*ei + cb }

// LevelFor maps a score to its ENISA level.
func LevelFor(score float64) Level {
	switch {
	case score < 2:
		return LevelLow
	case score < 3:
		return LevelMedium
	case score < 4:
		return LevelHigh
	default:
		return LevelVeryHigh
	}
}

// levelNames are the Dutch names of the levels: one word per level,
// everywhere Lekwacht shows one (issue 10.1).
var levelNames = map[Level]string{
	LevelLow:      "laag",
	LevelMedium:   "gemiddeld",
	LevelHigh:     "hoog",
	LevelVeryHigh: "zeer hoog",
}

// LevelName is the Dutch word for a level, as every page and text uses it.
func LevelName(l Level) string {
	if n, ok := levelNames[l]; ok {
		return n
	}
	return string(l)
}

// Number writes a score the Dutch way (2,5), as the reasons do.
func Number(x float64) string { return num(x) }

// dpcScore is the ENISA data processing context of one kind of data, with the
// ENISA category (and adjustment) it comes from.
type dpcScore struct {
	score float64
	basis string
}

// dpcByType gives each kind of data its ENISA basic score, already adjusted
// for the context every Dutch school shares. Annex 1 of the ENISA
// recommendations: simple data 1, behavioural 2, financial 3, sensitive 4.
var dpcByType = map[DataType]dpcScore{
	DataBasic:       {1, "eenvoudige gegevens (1)"},
	DataContact:     {1, "eenvoudige gegevens (1)"},
	DataIdentifier:  {1, "eenvoudige gegevens (1)"},
	DataPerformance: {2, "eenvoudige gegevens (1) +1 omdat prestaties aannames over iemands functioneren mogelijk maken"},
	DataLocation:    {2, "gedragsgegevens (2)"},
	DataFinancial:   {3, "financiële gegevens (3)"},
	DataCredentials: {3, "inloggegevens, die ENISA scoort naar wat ze openen: in een schoolaccount doorgaans leerling- en personeelsgegevens, vaak ook gevoelige (3)"},
	DataIDDocument:  {3, "eenvoudige gegevens (1) +2 omdat een kopie van een identiteitsbewijs identiteitsfraude mogelijk maakt"},
	DataCare:        {3, "gevoelige gegevens (4) −1 omdat zorggegevens meestal aannames over gezondheid of gedrag toelaten, geen diagnose (kies \"special\" voor medische gegevens)"},
	DataSpecial:     {4, "gevoelige gegevens (4)"},
	DataCriminal:    {4, "gevoelige gegevens (4)"},
}

// aspects are the kinds of unlawful processing that remain after a valid
// exclusion: what the breach consists of.
type aspects struct {
	confidentiality bool
	integrity       bool
	availability    Availability
}

func (a aspects) empty() bool {
	return !a.confidentiality && !a.integrity && a.availability == AvailabilityNone
}

// notComputed is the severity of something that is not a breach.
func notComputed() Severity {
	return Severity{
		Level:       LevelLow,
		Explanation: "Geen ernstscore berekend: het incident is geen datalek.",
	}
}

// severity scores a breach by the ENISA 2013 method.
func severity(f Facts, a aspects) Severity {
	s := Severity{Computed: true}
	s.DPC, s.DPCBasis = dataProcessingContext(f)
	s.EI, s.EIBasis = easeOfIdentification(f)
	s.CB, s.CBBasis = circumstances(f, a)
	s.Score = Score(s.DPC, s.EI, s.CB)
	s.Level = LevelFor(s.Score)
	s.Explanation = fmt.Sprintf("Ernst (SE) = context van de gegevens (DPC) × herleidbaarheid (EI) + omstandigheden van het lek (CB) = %s × %s + %s = %s: %s.",
		num(s.DPC), num(s.EI), num(s.CB), num(s.Score), levelNames[s.Level])
	return s
}

// dataProcessingContext takes the highest score of the kinds of data
// involved, then applies the ENISA adjustments that the facts can show.
func dataProcessingContext(f Facts) (float64, string) {
	if len(f.Data) == 0 {
		return 1, "Niet opgegeven welke gegevens het betreft, dus uitgegaan van eenvoudige gegevens; vul de soorten gegevens aan, want de score kan hoger uitvallen."
	}
	best := f.Data[0]
	for _, d := range f.Data[1:] {
		if dpcByType[d].score > dpcByType[best].score {
			best = d
		}
	}
	dpc := dpcByType[best].score
	parts := []string{fmt.Sprintf("de zwaarste soort gegevens zijn %s: %s", dataLabels[best], dpcByType[best].basis)}

	if len(f.Data) >= ManyDataTypes {
		dpc++
		parts = append(parts, fmt.Sprintf("+1 omdat %d soorten gegevens per persoon samen een profiel van de betrokkene mogelijk maken", len(f.Data)))
	}
	if f.Children && (contains(f.Consequences, ConsequencePhysical) || contains(f.Consequences, ConsequenceStigma)) && dpc < 4 {
		dpc = 4
		parts = append(parts, "verhoogd tot 4 omdat de gegevens van kinderen of andere kwetsbare personen kritiek kunnen zijn voor hun veiligheid of psychisch welzijn")
	}
	if dpc > 4 {
		dpc = 4
		parts = append(parts, "begrensd op het maximum 4")
	}
	return dpc, capitalise(strings.Join(parts, "; ")) + "."
}

// easeOfIdentification derives EI from how the data identify people.
func easeOfIdentification(f Facts) (float64, string) {
	switch {
	case f.Unintelligible:
		return EINegligible, "Verwaarloosbaar: de gegevens zijn versleuteld of gehasht volgens de stand van de techniek en de sleutel is niet gelekt, dus vrijwel niet tot personen te herleiden."
	case f.DirectIdentifiable || contains(f.Data, DataIDDocument):
		return EIMaximum, "Maximaal: de gegevens zijn direct tot personen te herleiden, zonder verder zoeken."
	case contains(f.Data, DataIdentifier) || contains(f.Data, DataContact) || contains(f.Data, DataCredentials) || contains(f.Data, DataLocation):
		return EISignificant, "Aanzienlijk: de gegevens zijn indirect herleidbaar (zoals een leerlingnummer, e-mailadres zonder naam of postcode) en binnen de schoolgemeenschap eenvoudig aan een persoon te koppelen."
	default:
		return EILimited, "Beperkt: de gegevens zijn alleen met moeite tot personen te herleiden."
	}
}

// circumstances adds up the ENISA circumstances of the breach.
func circumstances(f Facts, a aspects) (float64, string) {
	var cb float64
	var parts []string
	if a.confidentiality {
		switch f.Recipient {
		case RecipientPublic:
			cb += 0.5
			parts = append(parts, "verlies van vertrouwelijkheid naar een onbekend aantal ontvangers +0,5")
		case RecipientTrusted, RecipientUntrusted:
			cb += 0.25
			parts = append(parts, "verlies van vertrouwelijkheid naar bekende ontvangers +0,25")
		}
		// A confidentiality breach with nobody known to have the data (a
		// lost USB stick) adds nothing: no row of its own (issue 10.1).
	}
	if a.integrity {
		if f.Backup {
			cb += 0.25
			parts = append(parts, "verlies van integriteit, herstelbaar uit een back-up +0,25")
		} else {
			cb += 0.5
			parts = append(parts, "verlies van integriteit zonder mogelijkheid tot herstel +0,5")
		}
	}
	switch a.availability {
	case AvailabilityTemporary:
		cb += 0.25
		parts = append(parts, "tijdelijk verlies van beschikbaarheid +0,25")
	case AvailabilityPermanent:
		if f.Backup {
			cb += 0.25
			parts = append(parts, "verlies van beschikbaarheid, met tijd herstelbaar uit een back-up +0,25")
		} else {
			cb += 0.5
			parts = append(parts, "blijvend verlies van beschikbaarheid +0,5")
		}
	}
	if f.Malicious {
		cb += 0.5
		parts = append(parts, "kwade opzet +0,5")
	}
	if len(parts) == 0 {
		return 0, "Geen verzwarende omstandigheden."
	}
	return cb, capitalise(strings.Join(parts, "; ")) + "."
}

// capitalise starts a sentence with a capital letter.
func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// num formats a score the Dutch way: 2,5 rather than 2.5.
func num(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), ".", ",", 1)
}
