package assessment

// Availability says whether personal data became unavailable, and for how long.
type Availability string

// The kinds of loss of availability. Deliberate unavailability such as planned
// maintenance is no loss: it is AvailabilityNone.
const (
	AvailabilityNone      Availability = "none"
	AvailabilityTemporary Availability = "temporary"
	AvailabilityPermanent Availability = "permanent"
)

// Exclusion is the ground on which the FG can reasonably exclude unlawful
// processing (seed 001, "Onrechtmatige verwerking?").
type Exclusion string

// The grounds for excluding unlawful processing.
const (
	// ExcludedNone: no ground; unlawful processing cannot be excluded.
	ExcludedNone Exclusion = "none"
	// ExcludedBounced: the email went to a wrong address, but bounced.
	ExcludedBounced Exclusion = "bounced"
	// ExcludedRestored: deleted or altered data were restored quickly from a
	// recent backup. Only holds when Facts.Backup is true.
	ExcludedRestored Exclusion = "restored"
	// ExcludedResetNoAccess: a lost password was reset at once and the logs
	// show no login in the meantime.
	ExcludedResetNoAccess Exclusion = "reset_no_access"
	// ExcludedRecipientDeleted is no ground: seed 001 names only the bounce,
	// the quick restore and the reset password with clean logs. The data
	// were disclosed; that the recipient deleted them is a measure that may
	// lower the risk (Facts.RecipientDeleted). Kept so that facts stored or
	// sent with it still read; it is read as ExcludedNone with
	// RecipientDeleted, and the reasons say so (issue 10.2).
	ExcludedRecipientDeleted Exclusion = "recipient_deleted"
	// ExcludedOther: another ground, to be written down in the register.
	ExcludedOther Exclusion = "other"
)

// Recipient says who may have the data now.
type Recipient string

// The kinds of recipient.
const (
	RecipientNone      Recipient = "none"      // nobody
	RecipientUnknown   Recipient = "unknown"   // not known whether anyone has them (a lost USB stick)
	RecipientTrusted   Recipient = "trusted"   // known recipients who can be trusted (a colleague school)
	RecipientUntrusted Recipient = "untrusted" // known recipients who cannot be trusted (a thief, a hacker)
	RecipientPublic    Recipient = "public"    // an unknown number of people (published on the internet)
)

// DataType is a kind of personal data involved in a breach.
type DataType string

// The kinds of personal data.
const (
	DataBasic       DataType = "basic"       // name, birth date, gender, class
	DataContact     DataType = "contact"     // address, email address, phone number
	DataIdentifier  DataType = "identifier"  // student number, staff number, BSN, IP address
	DataCredentials DataType = "credentials" // user names with passwords, access codes
	DataFinancial   DataType = "financial"   // bank account, parental contribution, salary
	DataIDDocument  DataType = "id_document" // copy of a passport or identity card
	DataSpecial     DataType = "special"     // GDPR art. 9: health, religion, ethnicity, biometrics, …
	DataCriminal    DataType = "criminal"    // criminal convictions and offences (GDPR art. 10)
	DataPerformance DataType = "performance" // grades, reports, staff appraisals
	DataCare        DataType = "care"        // pupil care, behaviour, support needs
	DataLocation    DataType = "location"    // whereabouts, travel, camera images of movements
)

// Consequence is a possible adverse effect for the data subjects.
type Consequence string

// The possible consequences.
const (
	ConsequenceDiscrimination Consequence = "discrimination"
	ConsequenceIdentityFraud  Consequence = "identity_fraud"
	ConsequenceFinancial      Consequence = "financial"
	ConsequenceReputation     Consequence = "reputation"
	ConsequencePhysical       Consequence = "physical"
	ConsequenceStigma         Consequence = "stigma"
	ConsequenceLossOfControl  Consequence = "loss_of_control"
)

// Facts are what the FG knows about an incident. The JSON field names are a
// contract with the web forms and `lekwacht assess`: fields may be added,
// never renamed.
//
// Absent fields take their zero value, except that an empty availability or
// excluded means "none" and an empty recipient means "unknown". DecodeFacts
// insists on the answers to the first two questions of the decision tree
// (incident, personal_data, confidentiality, integrity, availability), so that
// a forgotten answer is never silently read as "no".
type Facts struct {
	// Incident: a security incident actually happened (not only a threat).
	Incident bool `json:"incident"`
	// PersonalData: personal data were involved.
	PersonalData bool `json:"personal_data"`
	// Confidentiality: unauthorised access cannot be excluded.
	Confidentiality bool `json:"confidentiality"`
	// Integrity: unauthorised or accidental change cannot be excluded.
	Integrity bool `json:"integrity"`
	// Availability: whether the data became unavailable, and for how long.
	Availability Availability `json:"availability"`
	// UnavailableHours is how long the data were unavailable, for a temporary
	// loss; 0 when unknown.
	UnavailableHours float64 `json:"unavailable_hours"`
	// Excluded is why unlawful processing can be excluded, if it can.
	Excluded Exclusion `json:"excluded"`
	// Subjects is the estimated number of people affected; 0 when unknown.
	Subjects int `json:"subjects"`
	// Data lists the kinds of personal data involved.
	Data []DataType `json:"data"`
	// Children: the data subjects include minors or other vulnerable people.
	Children bool `json:"children"`
	// DirectIdentifiable: the data directly identify people (a name, an email
	// address with a name), not only indirectly (a student number).
	DirectIdentifiable bool `json:"direct_identifiable"`
	// Unintelligible: the data were encrypted or hashed to the state of the
	// art and the key was not compromised.
	Unintelligible bool `json:"unintelligible"`
	// Backup: a recent backup of the data exists.
	Backup bool `json:"backup"`
	// Malicious: the breach was caused on purpose (theft, hacking).
	Malicious bool `json:"malicious"`
	// Recipient says who may have the data now.
	Recipient Recipient `json:"recipient"`
	// Mitigated: measures taken right after the breach make a high risk
	// unlikely (a remote wipe of a stolen laptop).
	Mitigated bool `json:"mitigated"`
	// DisproportionateEffort: informing each data subject in person would take
	// a disproportionate effort (no contact details).
	DisproportionateEffort bool `json:"disproportionate_effort"`
	// Consequences lists the possible adverse effects for the data subjects.
	Consequences []Consequence `json:"consequences"`
	// RecipientDeleted: the recipient declared that they deleted the data.
	// Never a ground to exclude a breach; for a known, trusted recipient and
	// data that are not sensitive it may remove the risk (EDPB Guidelines
	// 9/2022, the "trusted" recipient).
	RecipientDeleted bool `json:"recipient_deleted"`
	// WellKnown: the data subjects include people known to the public, or
	// their children (seed 001: "kinderen van bekende Nederlanders").
	WellKnown bool `json:"well_known"`
	// OutageHarmless: a temporary loss of availability hindered nobody (no
	// lessons, tests, care or safety depended on the data meanwhile). Without
	// it a temporary loss counts as a risk.
	OutageHarmless bool `json:"outage_harmless"`
}

// requiredFields are the answers DecodeFacts will not default: reading a
// forgotten answer as "no" would turn a breach into "no breach".
var requiredFields = []string{"incident", "personal_data", "confidentiality", "integrity", "availability"}

var availabilities = []Availability{AvailabilityNone, AvailabilityTemporary, AvailabilityPermanent}

var exclusions = []Exclusion{ExcludedNone, ExcludedBounced, ExcludedRestored, ExcludedResetNoAccess, ExcludedRecipientDeleted, ExcludedOther}

var recipients = []Recipient{RecipientNone, RecipientUnknown, RecipientTrusted, RecipientUntrusted, RecipientPublic}

var dataTypes = []DataType{DataBasic, DataContact, DataIdentifier, DataCredentials, DataFinancial, DataIDDocument, DataSpecial, DataCriminal, DataPerformance, DataCare, DataLocation}

var consequences = []Consequence{ConsequenceDiscrimination, ConsequenceIdentityFraud, ConsequenceFinancial, ConsequenceReputation, ConsequencePhysical, ConsequenceStigma, ConsequenceLossOfControl}

// dataLabels are the Dutch names shown in reasons.
var dataLabels = map[DataType]string{
	DataBasic:       "basisgegevens",
	DataContact:     "contactgegevens",
	DataIdentifier:  "identificatienummers",
	DataCredentials: "inloggegevens",
	DataFinancial:   "financiële gegevens",
	DataIDDocument:  "kopieën van identiteitsbewijzen",
	DataSpecial:     "bijzondere persoonsgegevens",
	DataCriminal:    "strafrechtelijke gegevens",
	DataPerformance: "gegevens over prestaties",
	DataCare:        "zorg- en begeleidingsgegevens",
	DataLocation:    "locatiegegevens",
}

// consequenceLabels are the Dutch names shown in reasons.
var consequenceLabels = map[Consequence]string{
	ConsequenceDiscrimination: "discriminatie",
	ConsequenceIdentityFraud:  "(identiteits)fraude",
	ConsequenceFinancial:      "financiële schade",
	ConsequenceReputation:     "reputatieschade",
	ConsequencePhysical:       "lichamelijk letsel of gevaar",
	ConsequenceStigma:         "stigmatisering",
	ConsequenceLossOfControl:  "verlies van controle over de eigen gegevens",
}

// normalized returns the facts with defaults filled in and the lists without
// duplicates, so that counting kinds of data counts each kind once. Values
// Validate would reject are read as the most cautious valid one: an advice
// must never be milder because of a typing mistake.
func (f Facts) normalized() Facts {
	switch {
	case f.Availability == "":
		f.Availability = AvailabilityNone
	case !contains(availabilities, f.Availability):
		f.Availability = AvailabilityPermanent
	}
	if f.Excluded == "" {
		f.Excluded = ExcludedNone
	}
	if f.Excluded == ExcludedRecipientDeleted {
		f.RecipientDeleted = true
	}
	// An unknown exclusion is reported and ignored by the decision path.
	switch {
	case f.Recipient == "":
		f.Recipient = RecipientUnknown
	case !contains(recipients, f.Recipient):
		f.Recipient = RecipientPublic
	}
	data := make([]DataType, 0, len(f.Data))
	for _, d := range f.Data {
		if !contains(dataTypes, d) {
			d = DataSpecial
		}
		data = append(data, d)
	}
	f.Data = dedupe(data)
	f.Consequences = dedupe(f.Consequences)
	return f
}

func dedupe[T comparable](in []T) []T {
	out := make([]T, 0, len(in))
	seen := make(map[T]bool, len(in))
	for _, v := range in {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func contains[T comparable](list []T, v T) bool {
	for _, w := range list {
		if w == v {
			return true
		}
	}
	return false
}
