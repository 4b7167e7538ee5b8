package incident

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// Natures are the kinds of incident the desk records (aard van het incident).
var Natures = []Option{
	{"lost_device", "Verlies of diefstal van apparaat of gegevensdrager"},
	{"paper", "Papieren gegevens kwijt of op de verkeerde plek"},
	{"misdirected", "Gegevens naar de verkeerde ontvanger gestuurd (e-mail, post, cc/bcc)"},
	{"unauthorised_access", "Onbevoegde toegang of inzage (bijv. account van een collega)"},
	{"phishing", "Phishing of gestolen inloggegevens"},
	{"malware", "Hack, malware of ransomware"},
	{"publication", "Onbedoeld gepubliceerd (website, sociale media, gedeelde map)"},
	{"unavailable", "Gegevens niet beschikbaar of vernietigd"},
	{"processor", "Incident bij een leverancier (verwerker)"},
	{"other", "Anders"},
}

// InventoryForm is step 2's form as typed.
type InventoryForm struct {
	Summary         string
	Sensitive       string
	SensitiveNote   string
	PeriodFrom      string
	PeriodUntil     string
	Nature          string
	BreachSuspected string
	SubjectGroups   string
	SubjectCount    string
	DataTypes       []string
	ChainShared     string
	ChainNote       string
	CrossBorder     string
}

// InventoryFormFrom fills the form from what is known: the recorded
// inventory, or else the report.
func InventoryFormFrom(c Case, inv *Inventory, loc *time.Location) InventoryForm {
	dt := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(loc).Format(DateTimeLayout)
	}
	count := func(n *int) string {
		if n == nil {
			return ""
		}
		return strconv.Itoa(*n)
	}
	if inv != nil {
		return InventoryForm{Summary: inv.Summary, Sensitive: string(inv.Sensitive), SensitiveNote: inv.SensitiveNote,
			PeriodFrom: dt(inv.PeriodFrom), PeriodUntil: dt(inv.PeriodUntil), Nature: inv.Nature,
			BreachSuspected: string(inv.BreachSuspected), SubjectGroups: inv.SubjectGroups, SubjectCount: count(inv.SubjectCount),
			DataTypes: inv.DataTypes, ChainShared: string(inv.ChainShared), ChainNote: inv.ChainNote,
			CrossBorder: string(inv.CrossBorder)}
	}
	r := c.Report
	var groups []string
	for _, g := range r.SubjectGroups {
		groups = append(groups, strings.ToLower(LabelOf(SubjectGroups, g)))
	}
	return InventoryForm{Summary: r.WhatHappened, PeriodFrom: dt(r.OccurredFrom), PeriodUntil: dt(r.OccurredUntil),
		Nature: SuggestNature(r.Carriers), BreachSuspected: string(r.PersonalData), SubjectGroups: strings.Join(groups, ", "), SubjectCount: count(r.SubjectsEstimate),
		DataTypes: r.DataKinds, Sensitive: string(Unknown), ChainShared: string(Unknown), CrossBorder: string(No)}
}

// natureOfCarrier is the nature a carrier the reporter ticked points to,
// where it points to one (issue 14.2: the inventory takes over what the
// reporter said). A laptop, phone or USB stick in a report is most often
// lost or stolen; a hack of a laptop is corrected by the desk.
var natureOfCarrier = map[string]string{
	"laptop": "lost_device", "phone": "lost_device", "usb": "lost_device",
	"email": "misdirected", "paper": "paper", "account": "phishing",
	"website": "publication", "cloud": "publication", "supplier": "processor",
}

// SuggestNature is the nature the reporter's carriers point to, or "" when
// they point to none or to more than one.
func SuggestNature(carriers []string) string {
	nature := ""
	for _, c := range carriers {
		n, ok := natureOfCarrier[c]
		if !ok {
			continue
		}
		if nature != "" && n != nature {
			return ""
		}
		nature = n
	}
	return nature
}

// Parse validates the inventory.
func (f InventoryForm) Parse(now time.Time, loc *time.Location) (Inventory, error) {
	errs := apperr.FieldErrors{}
	inv := Inventory{
		Summary: strings.TrimSpace(f.Summary), SensitiveNote: strings.TrimSpace(f.SensitiveNote),
		Nature: f.Nature, SubjectGroups: strings.TrimSpace(f.SubjectGroups), ChainNote: strings.TrimSpace(f.ChainNote),
	}
	switch n := utf8.RuneCountInString(inv.Summary); {
	case n == 0:
		errs.Add("summary", "Vat samen wat er is gebeurd en met welke gegevens.")
	case n > maxLongText:
		errs.Add("summary", "Deze samenvatting is te lang (meer dan 10.000 tekens).")
	}
	for field, v := range map[string]string{"sensitive_note": inv.SensitiveNote, "subject_groups": inv.SubjectGroups, "chain_note": inv.ChainNote} {
		if utf8.RuneCountInString(v) > 2000 {
			errs.Add(field, "Dit antwoord is te lang (meer dan 2000 tekens).")
		}
	}
	if inv.Nature != "" && LabelOf(Natures, inv.Nature) == inv.Nature {
		errs.Add("nature", "Kies de aard van het incident uit de lijst.")
	}
	inv.Sensitive = answer(errs, "sensitive", f.Sensitive)
	inv.BreachSuspected = answer(errs, "breach_suspected", f.BreachSuspected)
	inv.ChainShared = answer(errs, "chain_shared", f.ChainShared)
	inv.CrossBorder = answer(errs, "cross_border", f.CrossBorder)
	inv.DataTypes = choices(errs, "data_types", f.DataTypes, DataKinds)
	rf := ReportForm{WhatHappened: "x", OccurredFrom: f.PeriodFrom, OccurredUntil: f.PeriodUntil, SubjectsEstimate: f.SubjectCount}
	r, err := rf.Parse(now, loc, nil)
	if e, ok := apperr.As(err); ok {
		for k, msg := range e.Fields {
			switch k {
			case "occurred_from":
				errs.Add("period_from", msg)
			case "occurred_until":
				errs.Add("period_until", msg)
			case "subjects_estimate":
				errs.Add("subject_count", msg)
			}
		}
	}
	inv.PeriodFrom, inv.PeriodUntil, inv.SubjectCount = r.OccurredFrom, r.OccurredUntil, r.SubjectsEstimate
	if err := errs.Err(); err != nil {
		return Inventory{}, err
	}
	return inv, nil
}
