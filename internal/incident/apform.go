package incident

import (
	"strconv"
	"strings"
	"time"

	"github.com/lekwacht/lekwacht/internal/assessment"
	"github.com/lekwacht/lekwacht/internal/contact"
)

// APField is one answer for the AP's online form; Missing marks what is not
// known yet, so the officer sees it before sending.
type APField struct {
	Label   string
	Value   string
	Missing bool
	Long    bool // a text to copy as a block
}

// APSection is a page of the AP's form. Note, when set, says where what is
// missing in it is filled in.
type APSection struct {
	Title  string
	Fields []APField
	Note   string
}

// APFormInput is everything collected about a case.
type APFormInput struct {
	Case Case
	// Contact is the organisation's name and contact details and its FG's
	// (issue 10.3), as the administrator keeps them.
	Contact      contact.Organisation
	Inventory    *Inventory
	Repair       *Repair
	Decision     *Decision
	Notification *Notification // the initial notification, once sent
	Location     *time.Location
}

// APForm lists everything collected in the order of the AP's online
// notification form (meldformulier datalekken), with what is missing marked.
func APForm(in APFormInput) []APSection {
	loc := in.Location
	dt := func(t *time.Time) (string, bool) {
		if t == nil {
			return "", true
		}
		return t.In(loc).Format("02-01-2006 15:04"), false
	}
	text := func(s string) (string, bool) { return strings.TrimSpace(s), strings.TrimSpace(s) == "" }
	f := func(label string, v string, missing bool) APField {
		return APField{Label: label, Value: v, Missing: missing}
	}
	long := func(label string, v string) APField {
		v, m := text(v)
		return APField{Label: label, Value: v, Missing: m, Long: true}
	}
	inv := in.Inventory
	if inv == nil {
		inv = &Inventory{}
	}
	rep := in.Repair
	if rep == nil {
		rep = &Repair{}
	}
	dec := in.Decision
	if dec == nil {
		dec = &Decision{}
	}
	c := in.Case

	var out []APSection
	about := APSection{Title: "1. Over de melding"}
	if in.Notification == nil {
		about.Fields = append(about.Fields, f("Soort melding", "Nieuwe melding", false))
	} else {
		about.Fields = append(about.Fields, f("Soort melding", "Vervolgmelding (aanvulling of intrekking)", false),
			f("Meldingsnummer", in.Notification.Number, false))
	}
	about.Fields = append(about.Fields, f("Intern zaaknummer", c.Number.String(), false))
	out = append(out, about)

	// The AP asks for the organisation's name, KvK number and address and
	// for a contact person with e-mail and phone: those are marked when
	// empty. Its phone, e-mail and website are shown when known.
	o := in.Contact
	needed := func(label, v string) APField { v, m := text(v); return f(label, v, m) }
	org := APSection{Title: "2. Organisatie en contactpersoon", Fields: []APField{
		needed("Naam organisatie (verwerkingsverantwoordelijke)", o.Name),
		needed("KvK-nummer", o.KvK),
		needed("Straat en huisnummer", o.Street),
		needed("Postcode", o.Postcode),
		needed("Plaats", o.City),
		f("Telefoonnummer organisatie", orDashText(o.Phone), false),
		f("E-mailadres organisatie", orDashText(o.Email), false),
		f("Website", orDashText(o.Website), false),
		f("School", orDashText(c.SchoolName), false),
		needed("Contactpersoon (FG)", o.FGName),
		needed("E-mailadres contactpersoon", o.FGEmail),
		needed("Telefoonnummer contactpersoon", o.FGPhone),
	}}
	for _, fl := range org.Fields {
		if fl.Missing {
			org.Note = "Wat hier ontbreekt, vult de beheerder in bij Contactgegevens (Beheer)."
			break
		}
	}
	out = append(out, org)

	from, fromMissing := dt(inv.PeriodFrom)
	if inv.PeriodFrom == nil {
		from, fromMissing = dt(c.Report.OccurredFrom)
	}
	until, _ := dt(inv.PeriodUntil)
	if inv.PeriodUntil == nil {
		until, _ = dt(c.Report.OccurredUntil)
	}
	disc, discMissing := dt(c.Report.DiscoveredAt)
	aware, _ := dt(&c.AwareAt)
	ongoing := c.Report.Ongoing.Label()
	out = append(out, APSection{Title: "3. Tijdlijn", Fields: []APField{
		f("Begin van het datalek", from, fromMissing),
		f("Einde van het datalek", orDashText(until), false),
		f("Ontdekt op", disc, discMissing),
		f("Moment van kennisname (72 uur lopen vanaf hier)", aware+reasonSuffix(c.AwareReason), false),
		f("Is het datalek nog gaande?", ongoing, c.Report.Ongoing == Unknown),
	}})

	summary := inv.Summary
	if summary == "" {
		summary = c.Report.WhatHappened
	}
	nature := LabelOf(Natures, inv.Nature)
	out = append(out, APSection{Title: "4. Samenvatting en aard", Fields: []APField{
		long("Samenvatting van het incident", summary),
		f("Aard van het incident", nature, inv.Nature == ""),
		f("Apparaat, drager of systeem", labelsText(Carriers, c.Report.Carriers)+systemsSuffix(c.Report.Systems), len(c.Report.Carriers) == 0 && c.Report.Systems == ""),
	}})

	kinds := inv.DataTypes
	if len(kinds) == 0 {
		kinds = c.Report.DataKinds
	}
	out = append(out, APSection{Title: "5. Persoonsgegevens", Fields: []APField{
		f("Soorten persoonsgegevens", labelsText(DataKinds, kinds), len(kinds) == 0),
		f("Bijzondere of gevoelige gegevens", inv.Sensitive.Label()+noteSuffix(inv.SensitiveNote), inv.Sensitive == "" || inv.Sensitive == Unknown),
		f("Gedeeld in een keten", inv.ChainShared.Label()+noteSuffix(inv.ChainNote), inv.ChainShared == "" || inv.ChainShared == Unknown),
	}})

	count := inv.SubjectCount
	if count == nil {
		count = c.Report.SubjectsEstimate
	}
	countText := ""
	if count != nil {
		countText = strconv.Itoa(*count)
	}
	groups := inv.SubjectGroups
	if groups == "" {
		groups = labelsText(SubjectGroups, c.Report.SubjectGroups)
	}
	out = append(out, APSection{Title: "6. Betrokkenen", Fields: []APField{
		f("Groep betrokkenen", groups, groups == "" || groups == "–"),
		f("Aantal betrokkenen (minimaal en maximaal)", countText, count == nil),
	}})

	out = append(out, APSection{Title: "7. Maatregelen vóór het datalek, versleuteling", Fields: []APField{
		f("Waren de gegevens onleesbaar of versleuteld?", rep.Unintelligible.Label()+noteSuffix(rep.UnintelligibleHow), rep.Unintelligible == "" || rep.Unintelligible == Unknown),
	}})

	severity := ""
	if dec.SeverityLevel != "" {
		severity = severityLabel(dec.SeverityLevel) + " (ENISA-score " + dec.SeverityScore + ")"
	}
	out = append(out, APSection{Title: "8. Gevolgen", Fields: []APField{
		long("Mogelijke gevolgen voor de betrokkenen", dec.Consequences),
		f("Ernst", severity, severity == ""),
	}})

	inform := "Nee"
	if dec.NotifySubjects {
		inform = "Ja (" + channelLabel(dec.SubjectsChannel) + ")"
	}
	measures := strings.Join(nonEmpty(rep.TechnicalIncidental, rep.TechnicalStructural, rep.OrganisationalIncidental, rep.OrganisationalStructural), "\n")
	why := long("Waarom niet?", strings.TrimSpace(exceptionLabel(dec.SubjectsException)+" "+dec.SubjectsReason))
	if dec.NotifySubjects {
		why = long("Hoe en met welke inhoud?", dec.NoticePlan)
	}
	out = append(out, APSection{Title: "9. Vervolg", Fields: []APField{
		f("Worden de betrokkenen geïnformeerd?", inform, in.Decision == nil),
		why,
		long("Genomen en geplande maatregelen", measures),
		f("Betrokkenen in andere EU-landen (grensoverschrijdend)?", inv.CrossBorder.Label(), inv.CrossBorder == "" || inv.CrossBorder == Unknown),
	}})
	return out
}

// Missing counts the fields still unknown.
func Missing(sections []APSection) int {
	n := 0
	for _, s := range sections {
		for _, f := range s.Fields {
			if f.Missing {
				n++
			}
		}
	}
	return n
}

func orDashText(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

func labelsText(opts []Option, values []string) string {
	if len(values) == 0 {
		return ""
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = LabelOf(opts, v)
	}
	return strings.Join(out, "; ")
}

func noteSuffix(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return ": " + strings.TrimSpace(s)
}

func reasonSuffix(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return " (" + strings.TrimSpace(s) + ")"
}

func systemsSuffix(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return "; " + strings.TrimSpace(s)
}

func severityLabel(level string) string {
	name := assessment.LevelName(assessment.Level(level))
	if name == "" {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

func channelLabel(ch string) string {
	switch ch {
	case "individual":
		return "persoonlijk bericht"
	case "public":
		return "openbare mededeling"
	}
	return "kanaal nog te kiezen"
}

func exceptionLabel(e string) string {
	if e == "" {
		return ""
	}
	return LabelOf(SubjectsExceptions, e) + "."
}
