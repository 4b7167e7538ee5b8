package incident

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/assessment"
)

// DecisionReasons are the officer's reasons, per question of the decision.
type DecisionReasons struct {
	Breach    string
	Authority string
	Subjects  string
	// Change says why a decision departs from the version before it
	// (required from version 2 on; empty for the first).
	Change string
}

// DecisionForm is step 3's page as typed: the facts (as the questions of the
// decision tree, in its order; field names are the JSON names of
// assessment.Facts) and the officer's decision with reasons.
type DecisionForm struct {
	Incident               bool
	PersonalData           bool
	Confidentiality        bool
	Integrity              bool
	Availability           string
	UnavailableHours       string
	Excluded               string
	Subjects               string
	Data                   []string
	Children               bool
	DirectIdentifiable     bool
	Unintelligible         bool
	Backup                 bool
	Malicious              bool
	Recipient              string
	Mitigated              bool
	DisproportionateEffort bool
	Consequences           []string
	RecipientDeleted       bool
	WellKnown              bool
	OutageHarmless         bool

	Breach          string // "yes" or "no"
	BreachReason    string
	NotifyAuthority string
	AuthorityReason string
	NotifySubjects  string
	SubjectsReason  string
	SubjectsChannel string
	// SubjectsException is the ground for not informing: no_high_risk,
	// unintelligible or mitigated (disproportionate effort means a public
	// notice instead, so it is a channel, not a ground for silence).
	SubjectsException string
	Effects           string // possible consequences for the data subjects (seed 000 step 3)
	NoticePlan        string // how and with what content the notification(s) will be made
	// Version is the number of the decision the officer saw when the form
	// was shown ("0" or empty: none yet); saving becomes the next version,
	// and saving on top of a newer one than seen is a conflict.
	Version string
	// ChangeReason answers "Waarom wijkt dit af van het vorige besluit?",
	// required when there is a previous decision.
	ChangeReason string
}

// Facts turns the form's facts into assessment facts, with a Dutch message
// per field for what cannot be read.
func (f DecisionForm) Facts() (assessment.Facts, apperr.FieldErrors) {
	errs := apperr.FieldErrors{}
	facts := assessment.Facts{
		Incident: f.Incident, PersonalData: f.PersonalData, Confidentiality: f.Confidentiality, Integrity: f.Integrity,
		Availability: assessment.Availability(f.Availability), Excluded: assessment.Exclusion(f.Excluded),
		Children: f.Children, DirectIdentifiable: f.DirectIdentifiable, Unintelligible: f.Unintelligible, Backup: f.Backup,
		Malicious: f.Malicious, Recipient: assessment.Recipient(f.Recipient), Mitigated: f.Mitigated,
		DisproportionateEffort: f.DisproportionateEffort,
		RecipientDeleted:       f.RecipientDeleted, WellKnown: f.WellKnown, OutageHarmless: f.OutageHarmless,
	}
	if s := strings.TrimSpace(f.Subjects); s != "" {
		n, err := strconv.Atoi(strings.ReplaceAll(s, ".", ""))
		if err != nil || n < 0 {
			errs.Add("subjects", "Vul een heel getal in; 0 als het onbekend is.")
		} else {
			facts.Subjects = n
		}
	}
	if s := strings.TrimSpace(strings.ReplaceAll(f.UnavailableHours, ",", ".")); s != "" {
		h, err := strconv.ParseFloat(s, 64)
		if err != nil || h < 0 {
			errs.Add("unavailable_hours", "Vul een aantal uren in, bijvoorbeeld 6.")
		} else {
			facts.UnavailableHours = h
		}
	}
	for _, d := range f.Data {
		facts.Data = append(facts.Data, assessment.DataType(d))
	}
	for _, c := range f.Consequences {
		facts.Consequences = append(facts.Consequences, assessment.Consequence(c))
	}
	var ve *assessment.ValidationError
	if err := assessment.Validate(facts); errors.As(err, &ve) {
		for field, msg := range ve.Fields() {
			if field == "" {
				field = "form"
			}
			errs.Add(field, msg)
		}
	}
	return facts, errs
}

// Decide validates the officer's decision against the advice: a reason for
// every "no", and for every deviation from the advice ("in doubt: notify").
func (f DecisionForm) Decide(advice assessment.Advice) (Decision, DecisionReasons, error) {
	errs := apperr.FieldErrors{}
	yes := func(field, v string) bool {
		switch v {
		case "yes":
			return true
		case "no":
			return false
		}
		errs.Add(field, choiceMissing[field])
		return false
	}
	reason := func(field, v string, needed bool, why string) string {
		v = strings.TrimSpace(v)
		if needed && utf8.RuneCountInString(v) < 10 {
			errs.Add(field, why)
		}
		if utf8.RuneCountInString(v) > 5000 {
			errs.Add(field, "Deze uitleg is te lang (meer dan 5000 tekens).")
		}
		return v
	}
	deviates := "U wijkt af van het advies van Lekwacht: leg uit waarom."
	var d Decision
	var r DecisionReasons
	d.Breach = yes("breach", f.Breach)
	r.Breach = reason("breach_reason", f.BreachReason, chosen(f.Breach) && ((f.Breach == "no") || d.Breach != advice.Breach),
		map[bool]string{true: deviates, false: "Leg uit waarom dit geen datalek is: het register moet de reden tonen."}[d.Breach != advice.Breach])
	d.Consequences = strings.TrimSpace(f.Effects)
	if d.Breach {
		d.NotifyAuthority = yes("notify_authority", f.NotifyAuthority)
		d.NotifySubjects = yes("notify_subjects", f.NotifySubjects)
		if d.Consequences == "" {
			errs.Add("effects", "Beschrijf de mogelijke gevolgen voor de privacy van de betrokkenen (stap 3 van het protocol).")
		}
	}
	d.AuthorityReason = reason("authority_reason", f.AuthorityReason,
		d.Breach && chosen(f.NotifyAuthority) && (!d.NotifyAuthority || d.NotifyAuthority != advice.NotifyAuthority),
		map[bool]string{true: deviates, false: "Leg uit waarom u niet meldt bij de Autoriteit Persoonsgegevens."}[d.NotifyAuthority != advice.NotifyAuthority])
	d.SubjectsReason = reason("subjects_reason", f.SubjectsReason,
		d.Breach && chosen(f.NotifySubjects) && (!d.NotifySubjects || d.NotifySubjects != advice.NotifySubjects),
		map[bool]string{true: deviates, false: "Noem welke uitzondering geldt en waarom (onleesbaar, maatregelen achteraf, onevenredige inspanning), of waarom er geen hoog risico is."}[d.NotifySubjects != advice.NotifySubjects])
	d.SubjectsChannel = "none"
	if d.Breach && f.NotifySubjects == "no" {
		switch f.SubjectsException {
		case "no_high_risk", "unintelligible", "mitigated":
			d.SubjectsException = f.SubjectsException
		default:
			errs.Add("subjects_exception", "Kies waarom de betrokkenen niet worden geïnformeerd: geen hoog risico, onleesbare gegevens of maatregelen achteraf.")
		}
	}
	if d.NotifySubjects {
		switch f.SubjectsChannel {
		case "individual", "public":
			d.SubjectsChannel = f.SubjectsChannel
		default:
			errs.Add("subjects_channel", "Kies hoe de betrokkenen worden geïnformeerd: persoonlijk of met een openbare mededeling.")
		}
	}
	d.NoticePlan = strings.TrimSpace(f.NoticePlan)
	if d.Breach && (d.NotifyAuthority || d.NotifySubjects) && d.NoticePlan == "" {
		errs.Add("notice_plan", "Beschrijf hoe en met welke inhoud er gemeld wordt.")
	}
	r.Change = reason("change_reason", f.ChangeReason, false, "")
	if utf8.RuneCountInString(d.Consequences) > 10000 || utf8.RuneCountInString(d.NoticePlan) > 10000 {
		errs.Add("effects", "Deze tekst is te lang (meer dan 10.000 tekens).")
	}
	if err := errs.Err(); err != nil {
		return Decision{}, DecisionReasons{}, err
	}
	r.Authority, r.Subjects = d.AuthorityReason, d.SubjectsReason
	return d, r, nil
}

// choiceMissing are the messages beside a question the officer did not answer:
// Lekwacht never answers for them (issue 10.1).
var choiceMissing = map[string]string{
	"breach":           "Kies of dit een datalek is. Lekwacht kiest niet voor u; wilt u het advies volgen, kies dan ‘Advies overnemen’.",
	"notify_authority": "Kies of u meldt bij de Autoriteit Persoonsgegevens. Lekwacht kiest niet voor u; wilt u het advies volgen, kies dan ‘Advies overnemen’.",
	"notify_subjects":  "Kies of u de betrokkenen informeert. Lekwacht kiest niet voor u; wilt u het advies volgen, kies dan ‘Advies overnemen’.",
}

func chosen(v string) bool { return v == "yes" || v == "no" }

// Deviations lists where the decision differs from the advice, in Dutch.
func Deviations(d Decision, a assessment.Advice) []string {
	var out []string
	if d.Breach != a.Breach {
		out = append(out, "datalek")
	}
	if d.NotifyAuthority != a.NotifyAuthority {
		out = append(out, "melden aan de AP")
	}
	if d.NotifySubjects != a.NotifySubjects {
		out = append(out, "betrokkenen informeren")
	}
	return out
}

// reportData maps the kinds of data a reporter or the desk ticked to the
// kinds of the assessment.
var reportData = map[string]assessment.DataType{
	"contact": assessment.DataContact, "identifier": assessment.DataIdentifier, "birthdate": assessment.DataBasic,
	"results": assessment.DataPerformance, "care": assessment.DataCare, "health": assessment.DataSpecial,
	"credentials": assessment.DataCredentials, "financial": assessment.DataFinancial, "id_document": assessment.DataIDDocument,
	"photos": assessment.DataBasic, "other": assessment.DataBasic,
}

// DecisionFormFrom fills step 3's page: the facts of a stored assessment (a
// reopened case decided again), or else the facts as far as the report, the
// inventory and the repair tell them, read in doubt towards a breach. The
// answers are left to the officer: nothing is preselected, not the advice
// and not the previous version's answers (issue 10.1); the page shows both
// beside the questions. The previous description of the consequences and of
// the notification are kept as a start, as they describe the case.
func DecisionFormFrom(c Case, inv *Inventory, rep *Repair, facts *assessment.Facts, d *Decision) DecisionForm {
	if facts != nil && d != nil {
		f := DecisionForm{Incident: facts.Incident, PersonalData: facts.PersonalData, Confidentiality: facts.Confidentiality,
			Integrity: facts.Integrity, Availability: string(facts.Availability), Excluded: string(facts.Excluded),
			Subjects: strconv.Itoa(facts.Subjects), Children: facts.Children, DirectIdentifiable: facts.DirectIdentifiable,
			Unintelligible: facts.Unintelligible, Backup: facts.Backup, Malicious: facts.Malicious, Recipient: string(facts.Recipient),
			Mitigated: facts.Mitigated, DisproportionateEffort: facts.DisproportionateEffort,
			RecipientDeleted: facts.RecipientDeleted, WellKnown: facts.WellKnown, OutageHarmless: facts.OutageHarmless,
			Effects: d.Consequences, NoticePlan: d.NoticePlan, Version: strconv.Itoa(d.Version)}
		if f.Excluded == string(assessment.ExcludedRecipientDeleted) {
			// No longer a ground (issue 10.2): the page asks it as a measure.
			f.Excluded, f.RecipientDeleted = string(assessment.ExcludedNone), true
		}
		if facts.UnavailableHours > 0 {
			f.UnavailableHours = strconv.FormatFloat(facts.UnavailableHours, 'f', -1, 64)
		}
		for _, x := range facts.Data {
			f.Data = append(f.Data, string(x))
		}
		for _, x := range facts.Consequences {
			f.Consequences = append(f.Consequences, string(x))
		}
		return f
	}
	f := DecisionForm{Incident: true, PersonalData: c.Report.PersonalData != No, Confidentiality: true,
		Availability: string(assessment.AvailabilityNone), Excluded: string(assessment.ExcludedNone),
		DirectIdentifiable: true, Recipient: string(assessment.RecipientUnknown)}
	kinds, count, nature := c.Report.DataKinds, c.Report.SubjectsEstimate, ""
	if inv != nil {
		if len(inv.DataTypes) > 0 {
			kinds = inv.DataTypes
		}
		if inv.SubjectCount != nil {
			count = inv.SubjectCount
		}
		nature = inv.Nature
		if inv.BreachSuspected == Yes {
			f.PersonalData = true
		}
	}
	if count != nil {
		f.Subjects = strconv.Itoa(*count)
	}
	for _, k := range kinds {
		if d, ok := reportData[k]; ok && !containsString(f.Data, string(d)) {
			f.Data = append(f.Data, string(d))
		}
	}
	for _, g := range c.Report.SubjectGroups {
		if g == "students" || g == "parents" {
			f.Children = true
		}
	}
	switch nature {
	case "unavailable":
		f.Confidentiality, f.Availability = false, string(assessment.AvailabilityPermanent)
	case "malware":
		f.Integrity, f.Malicious, f.Availability, f.Recipient = true, true, string(assessment.AvailabilityTemporary), string(assessment.RecipientUntrusted)
	case "phishing", "unauthorised_access":
		f.Malicious, f.Recipient = nature == "phishing", string(assessment.RecipientUntrusted)
	case "publication":
		f.Recipient = string(assessment.RecipientPublic)
	}
	if rep != nil && rep.Unintelligible == Yes {
		f.Unintelligible = true
	}
	return f
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// The questions of the decision whose advice the officer can adopt with one
// button ("Advies overnemen").
const (
	QuestionBreach    = "breach"
	QuestionAuthority = "notify_authority"
	QuestionSubjects  = "notify_subjects"
)

// Adopt takes the advice as the officer's answer to one question, on their
// explicit request; the other answers stay as they were. Adopting "do not
// inform" picks the ground the advice relies on.
func (f DecisionForm) Adopt(a assessment.Advice, question string) DecisionForm {
	switch question {
	case QuestionBreach:
		f.Breach = yesNo(a.Breach)
	case QuestionAuthority:
		f.NotifyAuthority = yesNo(a.NotifyAuthority)
	case QuestionSubjects:
		f.NotifySubjects = yesNo(a.NotifySubjects)
		if a.NotifySubjects {
			f.SubjectsChannel, f.SubjectsException = string(a.SubjectsChannel), ""
			break
		}
		f.SubjectsChannel, f.SubjectsException = "", "no_high_risk"
		for _, e := range []string{assessment.ExceptionMitigated, assessment.ExceptionUnintelligible} {
			if containsString(a.Exceptions, e) {
				f.SubjectsException = e
				break
			}
		}
	}
	return f
}

// SubjectsExceptions are the grounds for not informing the data subjects.
var SubjectsExceptions = []Option{
	{"no_high_risk", "Geen hoog risico voor de betrokkenen"},
	{"unintelligible", "De gegevens waren onleesbaar (goede versleuteling, sleutel niet gelekt)"},
	{"mitigated", "Maatregelen direct na het lek maken een hoog risico onwaarschijnlijk"},
}
