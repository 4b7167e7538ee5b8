package web

import (
	"strings"
	"time"

	"github.com/lekwacht/lekwacht/internal/assessment"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// The dossier of one case is built once, as sections of labelled fields, and
// rendered twice: as a page (DossierPage) and as a PDF (WriteDossierPDF). So
// the print the officer hands to the AP or the board says exactly what the
// page says.

// DossierProps is everything recorded about a case, as the service read it.
type DossierProps struct {
	Case          incident.Case
	Organisation  string
	PrintedAt     time.Time
	AuthorityDue  time.Time
	Inventory     *incident.Inventory
	Questions     []incident.Question
	Decision      *DecisionView
	Facts         *assessment.Facts
	Repair        *incident.Repair
	BoardNotes    []incident.BoardNote
	Notifications []incident.Notification
	Subjects      incident.SubjectsStep
	Attachments   []incident.Attachment
	Events        []incident.Event
	// Processor is the supplier where the breach happened, when linked.
	Processor *incident.CaseProcessor
	// Import is the origin of a case imported from an Excel register.
	Import *incident.ImportOrigin

	// DecisionVersions are every recorded version of the decision, the
	// first first; the last is Decision. Nothing decided is ever dropped.
	DecisionVersions []DecisionView
	// The recorded versions of the inventory, the repair and the notice to
	// the data subjects, the first first; the last is the current one.
	InventoryVersions []incident.Inventory
	RepairVersions    []incident.Repair
	NoticeVersions    []incident.SubjectsNotice

	// Chains are the heads of the organisation's hash chains (the timeline
	// and the security log) when the dossier was made.
	Chains []ChainHead
}

// ChainHead is where one hash chain stood: its rows and last hash (hex).
type ChainHead struct {
	Label string
	Rows  int64
	Hash  string
}

// groupHex writes a long hex hash in groups of eight, so that it wraps and
// can be read aloud or compared by eye.
func groupHex(h string) string {
	var b strings.Builder
	for i := 0; i < len(h); i += 8 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i:min(i+8, len(h))])
	}
	return b.String()
}

func inventoryFields(p Page, i incident.Inventory) []DossierField {
	return []DossierField{
		field("Samenvatting", i.Summary),
		field("Aard", incident.LabelOf(incident.Natures, i.Nature)),
		field("Periode", period(p, incident.Report{OccurredFrom: i.PeriodFrom, OccurredUntil: i.PeriodUntil})),
		field("Bijzondere of gevoelige gegevens", i.Sensitive.Label()+noteText(i.SensitiveNote)),
		field("Vermoeden van een datalek", i.BreachSuspected.Label()),
		field("Groep betrokkenen", i.SubjectGroups),
		field("Aantal betrokkenen", countText(i.SubjectCount)),
		field("Soorten persoonsgegevens", labels(incident.DataKinds, i.DataTypes)),
		field("Gedeeld in een keten", i.ChainShared.Label()+noteText(i.ChainNote)),
		field("Mensen in andere EU-landen", i.CrossBorder.Label()),
	}
}

func repairFields(_ Page, r incident.Repair) []DossierField {
	return []DossierField{
		field("Oorzaak", r.Cause),
		field("Technisch, direct", r.TechnicalIncidental),
		field("Technisch, structureel", r.TechnicalStructural),
		field("Organisatorisch, direct", r.OrganisationalIncidental),
		field("Organisatorisch, structureel", r.OrganisationalStructural),
		field("Gegevens onleesbaar (versleuteld)", r.Unintelligible.Label()+noteText(r.UnintelligibleHow)),
	}
}

// repairVersionFields are a version of the repair: its fields, and whether
// it was done then (the current one says so in its "Stand").
func repairVersionFields(p Page, r incident.Repair) []DossierField {
	return append(repairFields(p, r), field("Afgerond", yesNoLabel(r.Completed)))
}

// noticeFields are what a draft of the notice to the data subjects says.
func noticeFields(_ Page, n incident.SubjectsNotice) []DossierField {
	fs := []DossierField{field("Hoe", n.ChannelLabel())}
	if n.PublicReason != "" {
		fs = append(fs, field("Waarom openbaar", n.PublicReason))
	}
	return append(fs,
		field("Aan wie", n.GroupsLabel()),
		field("Aantal ontvangers", recipientsText(n.RecipientsCount)),
		field("Onderwerp", n.Subject),
		field("Tekst van het bericht", n.Body))
}

// earlierVersions lists the versions of a record before its current (last)
// one, the latest first: who recorded each and when, and what it said
// where the next version says something else. So what was once recorded
// and then changed stays readable in the dossier (issue 9.3).
func earlierVersions[T any](p Page, versions []T, fields func(Page, T) []DossierField, by func(T) (string, time.Time)) []DossierItem {
	var items []DossierItem
	for k := len(versions) - 2; k >= 0; k-- {
		who, when := by(versions[k])
		it := DossierItem{Title: "Eerdere versie " + Itoa(int64(k+1)) + " van " + Itoa(int64(len(versions))) +
			", vastgelegd door " + who + ", " + p.DateTime(when) + ": wat toen anders was"}
		next := map[string]string{}
		for _, f := range fields(p, versions[k+1]) {
			next[f.Label] = f.Value
		}
		for _, f := range fields(p, versions[k]) {
			if next[f.Label] != f.Value {
				it.Fields = append(it.Fields, f)
			}
		}
		if len(it.Fields) == 0 {
			it.Fields = []DossierField{field("", "Inhoudelijk gelijk aan de volgende versie.")}
		}
		items = append(items, it)
	}
	return items
}

// Dossier is the dossier as sections, ready to render.
type Dossier struct {
	Title        string // "Dossier melding 2026-0007"
	Number       string
	Organisation string
	School       string
	PrintedAt    string
	Sections     []DossierSection
}

// DossierSection is one part of the dossier: fields, then items.
type DossierSection struct {
	ID     string // data-testid suffix: dossier-<ID>
	Title  string
	Empty  string // shown when the section has nothing yet
	Fields []DossierField
	Items  []DossierItem
}

// DossierItem is one entry of a list in a section (a question, a
// notification, an attachment, a timeline entry).
type DossierItem struct {
	Title  string
	Fields []DossierField
}

// DossierField is one label with its value; Deviates marks a decision that
// departs from Lekwacht's advice, Late a deadline missed.
type DossierField struct {
	Label    string
	Value    string
	Deviates bool
	Late     bool
}

func field(label, value string) DossierField { return DossierField{Label: label, Value: orDash(value)} }

// BuildDossier puts the dossier together in the order of the protocol.
func BuildDossier(p Page, v DossierProps) Dossier {
	c := v.Case
	d := Dossier{Title: "Dossier melding " + c.Number.String(), Number: c.Number.String(),
		Organisation: v.Organisation, School: orDash(c.SchoolName), PrintedAt: p.DateTime(v.PrintedAt)}
	add := func(s DossierSection) { d.Sections = append(d.Sections, s) }

	outcome := c.Outcome.Label()
	if c.OutcomeReason != "" {
		outcome += ": " + c.OutcomeReason
	}
	add(DossierSection{ID: "summary", Title: "Overzicht", Fields: []DossierField{
		field("Meldingsnummer", c.Number.String()),
		field("Verantwoordelijke (schoolbestuur)", v.Organisation),
		field("School", c.SchoolName),
		field("Stand van zaken", c.Status.Label()),
		field("Uitkomst", outcome),
		field("Gemeld op", p.DateTime(c.ReportedAt)),
		field("Afgesloten op", p.DateTimePtr(c.ClosedAt)),
	}})

	if o := v.Import; o != nil {
		// An imported case: the row of the Excel register it came from, cell by cell.
		s := DossierSection{ID: "import", Title: "Oorspronkelijke regel uit het Excel-register", Fields: []DossierField{
			field("Geïmporteerd", p.DateTime(o.ImportedAt)+" uit "+o.Filename+", blad ‘"+o.Sheet+"’, regel "+Itoa(int64(o.Row))),
			field("Gemeld door (volgens het register)", o.ReporterName),
		}}
		for _, cell := range o.Original {
			s.Fields = append(s.Fields, field(cell.Header, cell.Value))
		}
		add(s)
	}

	reporter := field("Gemeld door", c.ReporterName+" ("+c.ReporterEmail+")"+contactExtra(c.Report))
	if v.Import != nil {
		reporter = field("Ingevoerd door", c.ReporterName+" (import uit het Excel-register)")
	}
	add(DossierSection{ID: "report", Title: "1. Melding (Ontdekken)", Fields: []DossierField{
		reporter,
		field("Wat is er gebeurd", c.Report.WhatHappened),
		field("Wanneer gebeurd", period(p, c.Report)),
		field("Ontdekt", p.DateTimePtr(c.Report.DiscoveredAt)),
		field("Apparaat, systeem of plek", labels(incident.Carriers, c.Report.Carriers)),
		field("Systemen", c.Report.Systems),
		field("Persoonsgegevens", c.Report.PersonalData.Label()),
		field("Soorten gegevens", labels(incident.DataKinds, c.Report.DataKinds)),
		field("Aantal mensen", subjects(c.Report)),
		field("Van wie", labels(incident.SubjectGroups, c.Report.SubjectGroups)),
		field("Nog gaande", c.Report.Ongoing.Label()),
		field("Al gedaan", c.Report.ActionsTaken),
	}})

	inv := DossierSection{ID: "inventory", Title: "2. Inventarisatie (Meldpunt)", Empty: "Het meldpunt heeft nog geen feiten vastgelegd."}
	if i := v.Inventory; i != nil {
		inv.Fields = append([]DossierField{field("Vastgelegd door", i.UpdatedBy+", "+p.DateTime(i.UpdatedAt))}, inventoryFields(p, *i)...)
	}
	if c.TechnicianName != "" {
		inv.Fields = append(inv.Fields, field("Technicus toegewezen", c.TechnicianName))
	}
	for _, q := range v.Questions {
		it := DossierItem{Title: "Vraag van " + q.AskedBy + " aan " + q.AddresseeName + ", " + p.DateTime(q.AskedAt),
			Fields: []DossierField{field("Vraag", q.Question)}}
		if q.Open() {
			it.Fields = append(it.Fields, field("Antwoord", "Nog geen antwoord."))
		} else {
			it.Fields = append(it.Fields, field("Antwoord", q.Answer+" ("+p.DateTime(*q.AnsweredAt)+")"))
		}
		inv.Items = append(inv.Items, it)
	}
	inv.Items = append(inv.Items, earlierVersions(p, v.InventoryVersions, inventoryFields, func(i incident.Inventory) (string, time.Time) {
		return i.UpdatedBy, i.UpdatedAt
	})...)
	add(inv)

	add(assessmentSection(p, v))

	rep := DossierSection{ID: "repair", Title: "4. Herstel (Technicus)", Empty: "De technicus heeft nog geen oorzaak of maatregelen vastgelegd."}
	if r := v.Repair; r != nil {
		state := "Bezig"
		if r.Completed {
			state = "Afgerond"
		}
		rep.Fields = append([]DossierField{field("Stand", state+"; bijgewerkt door "+r.UpdatedBy+", "+p.DateTime(r.UpdatedAt))},
			repairFields(p, *r)...)
	}
	rep.Items = earlierVersions(p, v.RepairVersions, repairVersionFields, func(r incident.Repair) (string, time.Time) { return r.UpdatedBy, r.UpdatedAt })
	add(rep)

	if pr := v.Processor; pr != nil {
		add(processorSection(p, *pr))
	}

	board := DossierSection{ID: "board", Title: "5. Bestuur geïnformeerd", Empty: "Geen lid van het bestuur heeft vastgelegd dat het is geïnformeerd."}
	for _, n := range v.BoardNotes {
		board.Items = append(board.Items, DossierItem{Title: n.Name + ", " + p.DateTime(n.At), Fields: []DossierField{field("Standpunt", n.View)}})
	}
	add(board)

	ap := DossierSection{ID: "notifications", Title: "5. Melding aan de Autoriteit Persoonsgegevens",
		Fields: []DossierField{field("Uiterlijk melden (72 uur na kennisname)", p.DateTime(v.AuthorityDue))}}
	if dec := v.Decision; dec != nil && dec.Decision.Breach && !dec.Decision.NotifyAuthority {
		ap.Fields = append(ap.Fields, field("Niet gemeld, want", dec.Reasons.Authority))
	} else if len(v.Notifications) == 0 {
		ap.Fields = append(ap.Fields, field("Melding", "Nog niet gemeld."))
	}
	for _, n := range v.Notifications {
		it := DossierItem{Title: incident.NoticeKindLabel(n.Kind) + " " + n.Number, Fields: []DossierField{
			field("Meldingsnummer", n.Number),
			field("Verstuurd", p.DateTime(n.SentAt)),
			field("Vastgelegd door", n.RecordedBy+", "+p.DateTime(n.RecordedAt)),
		}}
		if n.Kind == incident.NoticeInitial {
			late := n.SentAt.After(v.AuthorityDue)
			it.Fields = append(it.Fields, DossierField{Label: "Binnen 72 uur", Value: map[bool]string{true: "Nee, te laat", false: "Ja"}[late], Late: late})
		}
		if n.Content != "" {
			it.Fields = append(it.Fields, field("Inhoud", n.Content))
		}
		if n.LateReason != "" {
			it.Fields = append(it.Fields, field("Redenen voor de vertraging", n.LateReason))
		}
		if n.BoardReason != "" {
			it.Fields = append(it.Fields, field("Waarom het bestuur niet eerst is geïnformeerd", n.BoardReason))
		}
		ap.Items = append(ap.Items, it)
	}
	add(ap)

	sub := subjectsSection(p, v.Subjects)
	sub.Items = append(sub.Items, earlierVersions(p, v.NoticeVersions, noticeFields, func(n incident.SubjectsNotice) (string, time.Time) {
		return n.DraftedBy, n.DraftedAt
	})...)
	add(sub)

	closing := DossierSection{ID: "closing", Title: "6. Vastleggen", Fields: []DossierField{
		field("Afgesloten", p.DateTimePtr(c.ClosedAt)),
		field("Uitkomst", outcome),
	}}
	add(closing)

	att := DossierSection{ID: "attachments", Title: "Bijlagen", Empty: "Geen bijlagen."}
	for _, a := range v.Attachments {
		att.Items = append(att.Items, DossierItem{Title: a.Filename, Fields: []DossierField{
			field("Soort", a.Kind.Label()),
			field("Bestand", a.TypeLabel()+", "+a.SizeLabel()),
			field("Toegevoegd door", a.UploadedBy+", "+p.DateTime(a.UploadedAt)),
		}})
	}
	add(att)

	tl := DossierSection{ID: "timeline", Title: "Tijdlijn"}
	for _, e := range v.Events {
		tl.Items = append(tl.Items, DossierItem{Title: p.DateTime(e.At), Fields: []DossierField{{Label: "", Value: e.Summary + " (door " + e.ActorName + ")"}}})
	}
	add(tl)

	if len(v.Chains) > 0 {
		ch := DossierSection{ID: "chains", Title: "Audittrail"}
		for _, h := range v.Chains {
			ch.Fields = append(ch.Fields, field(h.Label, Itoa(h.Rows)+" regels; laatste ketenhash "+groupHex(h.Hash)))
		}
		ch.Fields = append(ch.Fields, field("Controle", "De tijdlijn en het beveiligingslog zijn hashketens: elke regel bevat een hash over "+
			"haar inhoud en over de vorige regel. Dit is de stand bij het maken van dit dossier (deze inzage meegeteld). "+
			"De beheerder controleert de ketens met ‘lekwacht audit verify’; wie later een ander aantal regels of een "+
			"andere hash op dezelfde plaats vindt, weet dat er iets is herschreven."))
		add(ch)
	}
	return d
}

func assessmentSection(p Page, v DossierProps) DossierSection {
	c := v.Case
	s := DossierSection{ID: "assessment", Title: "3. Beoordeling (FG)"}
	aware := p.DateTime(c.AwareAt)
	if c.AwareReason != "" {
		aware += ". Reden: " + c.AwareReason
	} else {
		aware += " (het moment van de melding)"
	}
	s.Fields = append(s.Fields, field("Moment van kennisname", aware))
	dv := v.Decision
	if dv == nil {
		s.Fields = append(s.Fields, field("Besluit", "De FG heeft nog geen besluit vastgelegd."))
		return s
	}
	d, r, a := dv.Decision, dv.Reasons, dv.Advice
	s.Fields = append(s.Fields, field("Besloten door", dv.DecidedBy+", "+p.DateTime(d.DecidedAt)))
	if d.Version > 1 {
		s.Fields = append(s.Fields,
			field("Versie", Itoa(int64(d.Version))+" (het besluit is gewijzigd; elke versie staat hieronder)"),
			field("Waarom gewijzigd", r.Change))
	}
	decided := func(label string, decided, advised bool, reason string) {
		val := yesNoLabel(decided) + " (advies Lekwacht: " + strings.ToLower(yesNoLabel(advised)) + ")"
		if decided != advised {
			val += ". Wijkt af van het advies"
		}
		if reason != "" {
			val += ". Reden: " + reason
		}
		s.Fields = append(s.Fields, DossierField{Label: label, Value: val, Deviates: decided != advised})
	}
	decided("Datalek?", d.Breach, a.Breach, r.Breach)
	if d.Breach {
		decided("Melden aan de AP?", d.NotifyAuthority, a.NotifyAuthority, r.Authority)
		decided("Betrokkenen informeren?", d.NotifySubjects, a.NotifySubjects, exceptionText(d.SubjectsException)+r.Subjects)
		if d.NotifySubjects {
			s.Fields = append(s.Fields, field("Hoe informeren", informLabel(d)))
		}
	}
	s.Fields = append(s.Fields, field("Mogelijke gevolgen voor de betrokkenen", d.Consequences))
	s.Fields = append(s.Fields, field("Hoe en met welke inhoud melden", d.NoticePlan))
	if f := v.Facts; f != nil {
		s.Fields = append(s.Fields, field("Vastgestelde feiten", factsText(*f)))
	}
	if len(a.Reasons) > 0 {
		s.Fields = append(s.Fields, field("Advies van Lekwacht, met redenen", "– "+strings.Join(a.Reasons, "\n– ")))
	}
	if sv := a.Severity; sv.Computed {
		s.Fields = append(s.Fields,
			field("Ernst volgens de ENISA-methode", levelLabel(sv.Level)+" ("+score(sv.Score)+")"),
			field("Zo berekend", "Context van de gegevens: "+score(sv.DPC)+". "+sv.DPCBasis+
				"\nHerleidbaarheid: "+score(sv.EI)+". "+sv.EIBasis+"\nOmstandigheden van het lek: "+score(sv.CB)+". "+sv.CBBasis+
				"\n"+sv.Explanation))
	} else {
		s.Fields = append(s.Fields, field("Ernst volgens de ENISA-methode", "Niet berekend: "+orDash(sv.Explanation)))
	}
	if len(v.DecisionVersions) > 1 {
		for _, ver := range v.DecisionVersions {
			s.Items = append(s.Items, decisionVersionItem(p, ver, ver.Decision.Version == d.Version))
		}
	}
	return s
}

// decisionVersionItem is one version of the decision: who, when, what was
// decided with the reasons, and from version 2 on why it changed.
func decisionVersionItem(p Page, v DecisionView, current bool) DossierItem {
	d, r, a := v.Decision, v.Reasons, v.Advice
	title := "Besluit versie " + Itoa(int64(d.Version)) + ", door " + v.DecidedBy + ", " + p.DateTime(d.DecidedAt)
	if current {
		title += " (huidig besluit)"
	}
	it := DossierItem{Title: title}
	if d.Version > 1 {
		it.Fields = append(it.Fields, field("Waarom gewijzigd", r.Change))
	}
	answer := func(label string, decided, advised bool, reason string) {
		val := yesNoLabel(decided)
		if decided != advised {
			val += " (wijkt af van het advies)"
		}
		if reason != "" {
			val += ". Reden: " + reason
		}
		it.Fields = append(it.Fields, DossierField{Label: label, Value: val, Deviates: decided != advised})
	}
	answer("Datalek?", d.Breach, a.Breach, r.Breach)
	if d.Breach {
		answer("Melden aan de AP?", d.NotifyAuthority, a.NotifyAuthority, r.Authority)
		answer("Betrokkenen informeren?", d.NotifySubjects, a.NotifySubjects, exceptionText(d.SubjectsException)+r.Subjects)
	}
	if d.Consequences != "" {
		it.Fields = append(it.Fields, field("Mogelijke gevolgen voor de betrokkenen", d.Consequences))
	}
	return it
}

// factsText lists the facts the officer established, in the order of the
// decision tree.
func factsText(f assessment.Facts) string {
	yn := func(b bool) string { return strings.ToLower(yesNoLabel(b)) }
	lines := []string{
		"Beveiligingsincident: " + yn(f.Incident),
		"Persoonsgegevens betrokken: " + yn(f.PersonalData),
		"Vertrouwelijkheid geschonden (niet uit te sluiten): " + yn(f.Confidentiality),
		"Integriteit geschonden (niet uit te sluiten): " + yn(f.Integrity),
		"Beschikbaarheid: " + incident.LabelOf(availabilityOptions, string(f.Availability)),
		"Onrechtmatige verwerking uit te sluiten: " + incident.LabelOf(exclusionOptions, string(f.Excluded)),
		"Aantal betrokkenen: " + Itoa(int64(f.Subjects)),
	}
	var data []string
	for _, x := range f.Data {
		data = append(data, string(x))
	}
	lines = append(lines, "Soorten gegevens: "+labels(dataOptions, data),
		"Kinderen of kwetsbare mensen: "+yn(f.Children),
		"Direct herleidbaar: "+yn(f.DirectIdentifiable),
		"Onleesbaar (versleuteld): "+yn(f.Unintelligible),
		"Recente back-up: "+yn(f.Backup),
		"Met opzet (diefstal, hack): "+yn(f.Malicious),
		"Wie heeft de gegevens: "+incident.LabelOf(recipientOptions, string(f.Recipient)),
		"Maatregelen maken hoog risico onwaarschijnlijk: "+yn(f.Mitigated),
		"Persoonlijk informeren kost onevenredig veel moeite: "+yn(f.DisproportionateEffort))
	var cons []string
	for _, x := range f.Consequences {
		cons = append(cons, string(x))
	}
	lines = append(lines, "Mogelijke gevolgen: "+labels(consequenceOptions, cons))
	return strings.Join(lines, "\n")
}

func subjectsSection(p Page, st incident.SubjectsStep) DossierSection {
	s := DossierSection{ID: "subjects", Title: "7. Informeren betrokkenen"}
	if d := st.Decision; d != nil && d.Breach && !d.NotifySubjects && st.Notice == nil {
		s.Fields = append(s.Fields, field("Niet geïnformeerd", exceptionText(d.SubjectsException)+d.SubjectsReason))
		return s
	}
	n := st.Notice
	if n == nil {
		if st.Informing() {
			s.Fields = append(s.Fields, field("Bericht", "Nog niet opgesteld."))
		} else {
			s.Empty = "Er is (nog) niet besloten de betrokkenen te informeren."
		}
		return s
	}
	s.Fields = []DossierField{
		field("Stand", subjectsStatus(n)),
		field("Hoe", n.ChannelLabel()),
	}
	if n.PublicReason != "" {
		s.Fields = append(s.Fields, field("Waarom openbaar", n.PublicReason))
	}
	s.Fields = append(s.Fields,
		field("Aan wie", n.GroupsLabel()),
		field("Aantal ontvangers", recipientsText(n.RecipientsCount)),
		field("Opgesteld door", n.DraftedBy+", "+p.DateTime(n.DraftedAt)))
	if n.ApprovedAt != nil {
		s.Fields = append(s.Fields, field("Goedgekeurd door", n.ApprovedBy+", "+p.DateTime(*n.ApprovedAt)))
	} else {
		s.Fields = append(s.Fields, field("Goedgekeurd", "Nog niet."))
	}
	if n.SentAt != nil {
		s.Fields = append(s.Fields, field("Verzonden", p.DateTime(*n.SentAt)+", vastgelegd door "+n.SentBy))
	} else {
		s.Fields = append(s.Fields, field("Verzonden", "Nog niet."))
	}
	if st.Due != nil && n.SentAt == nil {
		s.Fields = append(s.Fields, DossierField{Label: "Uiterlijk " + st.Due.Label, Value: p.DateTime(st.Due.At) + " (" + st.Due.Text + ")", Late: st.Due.Overdue})
	}
	s.Fields = append(s.Fields, field("Onderwerp", n.Subject), field("Tekst van het bericht", n.Body))
	return s
}

func processorSection(p Page, cp incident.CaseProcessor) DossierSection {
	pr := cp.Processor
	delivered := "Nog niet"
	if cp.DeliveredAt != nil {
		delivered = p.DateTime(*cp.DeliveredAt)
	}
	return DossierSection{ID: "processor", Title: "Verwerker waar het datalek gebeurde", Fields: append([]DossierField{
		field("Verwerker", pr.Name),
		field("Geïnformeerd op", p.DateTime(cp.InformedAt)),
		field("Informatie uiterlijk", p.DateTime(cp.DeliveryDue())+" ("+pr.DeliveryLabel()+")"),
		field("Informatie ontvangen", delivered),
		field("Gekoppeld door", cp.LinkedBy+", "+p.DateTime(cp.LinkedAt)),
	}, ProcessorAgreements(pr)...)}
}

// ProcessorAgreements are a processor's breach agreements as fields (seed 000
// "Afspraken met leveranciers"), for the processor page, the case page and
// the dossier.
func ProcessorAgreements(pr incident.Processor) []DossierField {
	return []DossierField{
		field("Verwerkt", pr.Processes),
		field("Contact bij een datalek", pr.BreachContact),
		field("Hoe informeren we elkaar", pr.HowInform),
		field("Bereikbaar in weekend en vakanties", pr.OffHours),
		field("Wie meldt bij de AP", pr.APNotifierLabel()),
		field("Welke informatie levert de verwerker", pr.Information),
		field("Binnen welke tijd", pr.DeliveryLabel()),
		field("Wie communiceert met de gebruikers", pr.CommunicatorLabel()),
	}
}
