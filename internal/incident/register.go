package incident

import (
	"strconv"
	"strings"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
)

// Register actions: reading the datalekregister on its page, and exporting
// it (Excel, CSV, PDF). An export is a read of everything in the actor's
// scope at once.
const (
	ActViewRegister   Action = "view_register"
	ActExportRegister Action = "export_register"
)

// registerReaders may read the register on its page: the desk, officer
// and board. registerExporters may also export it: those, and the
// administrator, who hands the register to the AP on request or keeps a copy
// (seed 001 "Registratieplicht"). An export is a read of everything in scope.
var (
	registerReaders   = caseReaders
	registerExporters = []access.Role{access.Desk, access.Officer, access.Board, access.Admin}
)

// RegisterScope is the policy of the register: whether the actor may perform
// act (ActViewRegister or ActExportRegister) on the register of organisation
// orgID, and the schools whose cases it may then hold (the union of the
// scopes of the actor's roles that allow it). Another organisation's register
// is never allowed.
func RegisterScope(a *access.Actor, orgID int64, act Action) (access.Scope, bool) {
	if a == nil || a.UserID == 0 || a.OrganisationID != orgID {
		return access.Scope{}, false
	}
	var roles []access.Role
	switch act {
	case ActViewRegister:
		roles = registerReaders
	case ActExportRegister:
		roles = registerExporters
	default:
		return access.Scope{}, false
	}
	s := unionScope(a, roles...)
	return s, !s.None()
}

// CanViewRegister reports whether the actor may read its organisation's
// register page (the desk, officer and board; see RegisterScope).
func CanViewRegister(a *access.Actor) bool {
	_, ok := RegisterScope(a, orgOf(a), ActViewRegister)
	return ok
}

// CanExportRegister reports whether the actor may export its organisation's
// register (the desk, officer, board and administrator; see RegisterScope).
func CanExportRegister(a *access.Actor) bool {
	_, ok := RegisterScope(a, orgOf(a), ActExportRegister)
	return ok
}

func orgOf(a *access.Actor) int64 {
	if a == nil {
		return 0
	}
	return a.OrganisationID
}

// RegisterEntry is one case as the register shows it: the questions of seed
// 001 "Registratieplicht", each answered from the step that records it (the
// inventory over the report where both exist), plus the decisions and reasons
// of every step, the deadlines and where the confirmations are kept.
type RegisterEntry struct {
	ID           int64
	Number       Number
	SchoolName   string
	Status       Status
	ReportedAt   time.Time
	UpdatedAt    time.Time
	ClosedAt     *time.Time
	ReporterName string // who reported (step 1)
	// Source is where the report came from when not a staff member's own (issue 12).
	Source Source

	// What was reported: the inventory's summary, else the report (step 2 over 1).
	What         string
	WhatReported string // the reporter's own words (step 1)
	Nature       string // the inventory's nature of the incident (code, see Natures)
	// Which personal data: the inventory's data types, else the report's kinds.
	DataKinds     []string
	Sensitive     Answer // inventory: sensitive data?
	SensitiveNote string
	// Whose data and how many: the inventory, else the report.
	SubjectGroups string
	SubjectCount  *int
	ChainShared   Answer
	CrossBorder   Answer
	// How it happened: the carriers the reporter named (step 1) and the
	// cause the technician found (step 4).
	Carriers []string
	Cause    string
	// Which systems (step 1), and the processor (supplier) where it happened
	// (linked in step 2 or 3).
	Systems   string
	Processor string
	// When it happened: the inventory's period, else the report's; and when
	// it was discovered.
	OccurredFrom  *time.Time
	OccurredUntil *time.Time
	DiscoveredAt  *time.Time
	// Consequences for the data subjects (step 3).
	Consequences string
	// Corrective measures: what the reporter did at once (step 1) and the
	// technician's measures (step 4).
	ActionsTaken             string
	TechnicalIncidental      string
	TechnicalStructural      string
	OrganisationalIncidental string
	OrganisationalStructural string
	Unintelligible           Answer
	UnintelligibleHow        string
	RepairCompleted          bool
	RepairRecorded           bool

	// Outcome and its reason: the desk's closing reason in step 2, or the
	// officer's reason in step 3.
	Outcome       Outcome
	OutcomeReason string
	// The officer's decision (step 3).
	Decided      bool
	DecidedAt    *time.Time
	BreachReason string
	Deviations   []string // where the decision departs from Lekwacht's advice
	AwareAt      time.Time
	AwareReason  string
	// DecisionVersion is the number of the current decision (0: none yet);
	// above 1 the decision changed, and DecisionChange says why. Every
	// version is in the dossier.
	DecisionVersion int
	DecisionChange  string

	// The AP: notified (with its meldingsnummer), decided not to (with the
	// reason), or still open.
	APNotifiedAt *time.Time
	APNumber     string
	APDecided    bool // a decision on notifying exists
	APNotify     bool // the decision was to notify
	APReason     string
	APLateReason string
	// APLate is set when the initial notification was sent more than 72 hours
	// after awareness; nil without a notification.
	APLate          *bool
	APSupplements   []time.Time
	APWithdrawnAt   *time.Time
	BoardInformedAt *time.Time
	BoardViews      string
	// The Inspectie van het Onderwijs (test or exam results, issue 10.4):
	// what the officer recorded, when InspectorateRecorded.
	InspectorateRecorded bool
	Inspectorate         Inspectorate

	// Data subjects: informed (sent), decided not to (with the reason and the
	// ground), or open.
	SubjectsSentAt    *time.Time
	SubjectsDecided   bool
	SubjectsNotify    bool
	SubjectsReason    string
	SubjectsException string
	SubjectsChannel   string
	// SubjectsSelfApproval is why the drafter approved the notice themselves (four eyes).
	SubjectsSelfApproval string

	// Where the AP's confirmation and the notice to the data subjects are
	// kept: the attachments of the case.
	APConfirmations []string
	SubjectsNotices []string
	// NoConfirmationReason is why a case notified to the AP was closed
	// without the AP's confirmation attached (issue 9.6).
	NoConfirmationReason string
	// ExceptionReviewAt is the next review of the exception the decision
	// relies on (nil when none is in force).
	ExceptionReviewAt *time.Time

	// Imported is set for a case imported from an Excel register; its
	// ReporterName is then the name the sheet gave (the importer's when empty).
	Imported bool

	// The deadlines, filled by the service (internal/deadline).
	Deadline72h    DeadlineCheck
	DeadlineFiling DeadlineCheck
	DeadlineWeek   DeadlineCheck
	// Deadlines are the deadlines that run now, the one that counts first
	// (CaseDeadlines, as on the case page and the start pages); WaitingOn
	// says who must act next.
	Deadlines []Due
	WaitingOn string
}

// DueFacts is what the entry's running deadlines count from.
func (e RegisterEntry) DueFacts() DueFacts {
	return DueFacts{Status: e.Status, DecidedAt: e.DecidedAt, NotifiedAt: e.APNotifiedAt, SubjectsSentAt: e.SubjectsSentAt,
		Imported: e.Imported, Clock: Clock{Start: e.AwareAt, Discovered: e.DiscoveredAt, Reported: e.ReportedAt, Reason: e.AwareReason}}
}

// GoverningText is the deadline that counts now in the words of every page
// ("Uiterlijk melden aan de AP (72 uur): zo 6 december 08:15 — nog 2 dagen
// en 16 uur"), with the note when the officer moved the start of the 72
// hours; empty when no deadline runs.
func (e RegisterEntry) GoverningText(loc *time.Location) string {
	if len(e.Deadlines) == 0 {
		return ""
	}
	d := e.Deadlines[0]
	if d.Note != "" {
		return d.Sentence(loc) + "\n" + d.Note
	}
	return d.Sentence(loc)
}

// DeadlineState is how a deadline stands in the register.
type DeadlineState string

// Deadline states.
const (
	DeadlineNA      DeadlineState = ""        // does not apply (yet)
	DeadlineMet     DeadlineState = "met"     // done in time
	DeadlineLate    DeadlineState = "late"    // done, too late
	DeadlineRunning DeadlineState = "running" // not done, still time
	DeadlineOverdue DeadlineState = "overdue" // not done, too late
)

// DeadlineCheck is one deadline of a register entry.
type DeadlineCheck struct {
	State DeadlineState
	Due   time.Time
}

// Open reports whether the deadline still runs or was missed without the
// work being done.
func (d DeadlineCheck) Open() bool { return d.State == DeadlineRunning || d.State == DeadlineOverdue }

// Text is the deadline in Dutch for the register.
func (d DeadlineCheck) Text(loc *time.Location) string {
	due := d.Due.In(loc).Format("02-01-2006 15:04")
	switch d.State {
	case DeadlineMet:
		return "Gehaald (uiterlijk " + due + ")"
	case DeadlineLate:
		return "Te laat (uiterlijk " + due + ")"
	case DeadlineRunning:
		return "Loopt, uiterlijk " + due
	case DeadlineOverdue:
		return "Verstreken op " + due + ", nog niet gedaan"
	}
	return "Niet van toepassing"
}

// APText answers "Gemeld aan de AP? Waarom (niet)?" in one line.
func (e RegisterEntry) APText(loc *time.Location) string {
	switch {
	case e.APNotifiedAt != nil:
		s := "Ja, gemeld op " + e.APNotifiedAt.In(loc).Format("02-01-2006 15:04")
		if e.APReason != "" {
			s += ". " + e.APReason
		}
		return s
	case e.APDecided && !e.APNotify && e.Outcome == OutcomeBreach:
		return "Nee: " + orText(e.APReason, "geen reden vastgelegd")
	case e.APDecided && e.APNotify:
		return "Ja, besloten te melden; nog niet gemeld"
	case e.Outcome != OutcomeNone && e.Outcome != OutcomeBreach:
		return "Nee, geen datalek: " + orText(e.OutcomeReason, e.Outcome.Label())
	}
	return "Nog niet besloten"
}

// SubjectsText answers "Betrokkenen geïnformeerd? Waarom (niet)?" in one line.
func (e RegisterEntry) SubjectsText(loc *time.Location) string {
	switch {
	case e.SubjectsSentAt != nil:
		s := "Ja, op " + e.SubjectsSentAt.In(loc).Format("02-01-2006 15:04")
		if e.SubjectsChannel != "" && e.SubjectsChannel != "none" {
			s += " (" + strings.ToLower(strings.SplitN(LabelOf(NoticeChannels, e.SubjectsChannel), " (", 2)[0]) + ")"
		}
		if e.SubjectsSelfApproval != "" {
			s += "; bericht goedgekeurd door wie het opstelde, zonder het bestuur: " + e.SubjectsSelfApproval
		}
		return s
	case e.SubjectsDecided && !e.SubjectsNotify && e.Outcome == OutcomeBreach:
		s := "Nee"
		if e.SubjectsException != "" {
			s += ": " + LabelOf(SubjectsExceptions, e.SubjectsException)
		}
		if e.SubjectsReason != "" {
			s += ". " + e.SubjectsReason
		}
		if e.ExceptionReviewAt != nil {
			s += ". Herbeoordeling van de uitzondering op " + e.ExceptionReviewAt.In(loc).Format("02-01-2006")
		}
		return s
	case e.Imported && e.SubjectsDecided && e.SubjectsNotify:
		return "Ja, volgens het Excel-register"
	case e.SubjectsDecided && e.SubjectsNotify:
		return "Ja, besloten te informeren; nog niet verstuurd"
	case e.Outcome != OutcomeNone && e.Outcome != OutcomeBreach:
		return "Nee, geen datalek"
	}
	return "Nog niet besloten"
}

// NotificationText is the meldingsnummer with its supplements and withdrawal.
func (e RegisterEntry) NotificationText(loc *time.Location) string {
	if e.APNumber == "" {
		return ""
	}
	s := e.APNumber
	for _, t := range e.APSupplements {
		s += "; aanvulling " + t.In(loc).Format("02-01-2006")
	}
	if e.APWithdrawnAt != nil {
		s += "; ingetrokken " + e.APWithdrawnAt.In(loc).Format("02-01-2006")
	}
	return s
}

// MeasuresText lists the corrective measures, labelled.
func (e RegisterEntry) MeasuresText() string {
	var parts []string
	for _, p := range []struct{ label, v string }{
		{"Direct door de melder", e.ActionsTaken},
		{"Technisch, direct", e.TechnicalIncidental},
		{"Technisch, structureel", e.TechnicalStructural},
		{"Organisatorisch, direct", e.OrganisationalIncidental},
		{"Organisatorisch, structureel", e.OrganisationalStructural},
	} {
		if p.v != "" {
			parts = append(parts, p.label+": "+p.v)
		}
	}
	return strings.Join(parts, "\n")
}

// HowText answers "Hoe is het gebeurd?": the nature, the carriers and the cause.
func (e RegisterEntry) HowText() string {
	var parts []string
	if e.Nature != "" {
		parts = append(parts, LabelOf(Natures, e.Nature))
	}
	if len(e.Carriers) > 0 {
		parts = append(parts, "Drager: "+labelsText(Carriers, e.Carriers))
	}
	if e.Cause != "" {
		parts = append(parts, "Oorzaak: "+e.Cause)
	}
	return strings.Join(parts, "\n")
}

// DecisionsText gives the decisions and reasons of every step.
func (e RegisterEntry) DecisionsText(loc *time.Location) string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+": "+v)
		}
	}
	if e.AwareReason != "" {
		add("Moment van kennisname", e.AwareAt.In(loc).Format("02-01-2006 15:04")+", "+e.AwareReason)
	}
	if e.Outcome != OutcomeNone {
		add("Uitkomst", e.Outcome.Label())
	}
	if e.OutcomeReason != "" && e.OutcomeReason != e.BreachReason {
		add("Reden", e.OutcomeReason)
	}
	add("Datalek, reden FG", e.BreachReason)
	if len(e.Deviations) > 0 {
		add("Afwijkend van het advies", strings.Join(e.Deviations, ", "))
	}
	if e.Outcome == OutcomeBreach {
		add("AP", e.APText(loc))
		add("Betrokkenen", e.SubjectsText(loc))
	}
	if e.BoardInformedAt != nil {
		add("Bestuur geïnformeerd", e.BoardInformedAt.In(loc).Format("02-01-2006 15:04")+orPrefix(" (", e.BoardViews, ")"))
	}
	add("Reden te late melding", e.APLateReason)
	if e.Unintelligible == Yes {
		add("Gegevens onleesbaar", orText(e.UnintelligibleHow, "ja"))
	}
	return strings.Join(parts, "\n")
}

// DecisionChanged reports whether the officer's decision was changed after
// it was first recorded (a reopened case decided again).
func (e RegisterEntry) DecisionChanged() bool { return e.DecisionVersion > 1 }

// DecisionChangedText answers "Is het besluit gewijzigd?": empty before a
// decision, "Nee" for the first, else the version with why it changed; the
// decision the register shows is always the current one.
func (e RegisterEntry) DecisionChangedText(loc *time.Location) string {
	switch {
	case e.DecisionVersion == 0:
		return ""
	case !e.DecisionChanged():
		return "Nee"
	}
	s := "Ja, nu versie " + strconv.Itoa(e.DecisionVersion)
	if e.DecidedAt != nil {
		s += " van " + e.DecidedAt.In(loc).Format("02-01-2006 15:04")
	}
	s += orPrefix(". Waarom gewijzigd: ", e.DecisionChange, "")
	return s + ". Eerdere versies staan in het dossier."
}

// PeriodText is when it happened.
func (e RegisterEntry) PeriodText(loc *time.Location) string {
	f := func(t *time.Time) string { return t.In(loc).Format("02-01-2006 15:04") }
	switch {
	case e.OccurredFrom != nil && e.OccurredUntil != nil:
		return f(e.OccurredFrom) + " tot " + f(e.OccurredUntil)
	case e.OccurredFrom != nil:
		return "Vanaf " + f(e.OccurredFrom)
	case e.OccurredUntil != nil:
		return "Tot " + f(e.OccurredUntil)
	}
	return ""
}

// PersonalDataText answers "Welke persoonsgegevens?", with whose and how many.
func (e RegisterEntry) PersonalDataText() string {
	var parts []string
	if len(e.DataKinds) > 0 {
		parts = append(parts, labelsText(DataKinds, e.DataKinds))
	}
	if e.Sensitive == Yes {
		parts = append(parts, "Gevoelig"+orPrefix(": ", e.SensitiveNote, ""))
	}
	if e.SubjectGroups != "" || e.SubjectCount != nil {
		s := "Betrokkenen: " + e.SubjectGroups
		if e.SubjectCount != nil {
			s = strings.TrimSuffix(s, " ") + " (" + strconv.Itoa(*e.SubjectCount) + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n")
}

// AttachmentsText says where the AP's confirmation and the notice are kept.
func (e RegisterEntry) AttachmentsText() string {
	var parts []string
	for _, n := range e.APConfirmations {
		parts = append(parts, "Bevestiging AP: bijlage "+n)
	}
	if len(e.APConfirmations) == 0 && e.NoConfirmationReason != "" {
		parts = append(parts, "Geen bevestiging van de AP bewaard: "+e.NoConfirmationReason)
	}
	for _, n := range e.SubjectsNotices {
		parts = append(parts, "Bericht aan betrokkenen: bijlage "+n)
	}
	return strings.Join(parts, "\n")
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

func orPrefix(pre, s, post string) string {
	if s == "" {
		return ""
	}
	return pre + s + post
}

// Cell is one value of a register column: a text, a moment, or a number.
type Cell struct {
	Text   string
	Time   *time.Time
	Number *int
}

// RegisterColumn is one column of the register as exports show it; the page
// shows the same fields behind each row.
type RegisterColumn struct {
	Header string
	// Width is the column width in characters (Excel) and relative width (PDF).
	Width float64
	Value func(e RegisterEntry, loc *time.Location) Cell
}

func text(s string) Cell       { return Cell{Text: s} }
func moment(t *time.Time) Cell { return Cell{Time: t} }
func at(t time.Time) Cell      { return Cell{Time: &t} }
func yesNoText(b bool) string  { return map[bool]string{true: "Ja", false: "Nee"}[b] }
func answerText(a Answer) string {
	if a == "" {
		return ""
	}
	return a.Label()
}

// RegisterColumns are the register's columns in the order of seed 001
// "Registratieplicht", then the decisions, deadlines and attachments.
var RegisterColumns = []RegisterColumn{
	{"Zaaknummer", 11, func(e RegisterEntry, _ *time.Location) Cell { return text(e.Number.String()) }},
	{"School", 22, func(e RegisterEntry, _ *time.Location) Cell { return text(e.SchoolName) }},
	{"Status", 22, func(e RegisterEntry, _ *time.Location) Cell { return text(e.Status.Label()) }},
	{"Gemeld op", 17, func(e RegisterEntry, _ *time.Location) Cell { return at(e.ReportedAt) }},
	{"Gemeld door", 20, func(e RegisterEntry, _ *time.Location) Cell { return text(e.ReporterName) }},
	{"Wat is er gemeld", 50, func(e RegisterEntry, _ *time.Location) Cell { return text(e.What) }},
	{"Welke persoonsgegevens", 40, func(e RegisterEntry, _ *time.Location) Cell { return text(e.PersonalDataText()) }},
	{"Aantal betrokkenen", 10, func(e RegisterEntry, _ *time.Location) Cell { return Cell{Number: e.SubjectCount} }},
	{"Hoe is het gebeurd", 40, func(e RegisterEntry, _ *time.Location) Cell { return text(e.HowText()) }},
	{"Welke systemen", 25, func(e RegisterEntry, _ *time.Location) Cell {
		if e.Processor != "" {
			return text(strings.TrimPrefix(e.Systems+"\nVerwerker: "+e.Processor, "\n"))
		}
		return text(e.Systems)
	}},
	{"Gebeurd vanaf", 17, func(e RegisterEntry, _ *time.Location) Cell { return moment(e.OccurredFrom) }},
	{"Gebeurd tot", 17, func(e RegisterEntry, _ *time.Location) Cell { return moment(e.OccurredUntil) }},
	{"Ontdekt op", 17, func(e RegisterEntry, _ *time.Location) Cell { return moment(e.DiscoveredAt) }},
	{"Gevolgen", 40, func(e RegisterEntry, _ *time.Location) Cell { return text(e.Consequences) }},
	{"Genomen maatregelen", 50, func(e RegisterEntry, _ *time.Location) Cell { return text(e.MeasuresText()) }},
	{"Datalek?", 24, func(e RegisterEntry, _ *time.Location) Cell { return text(e.Outcome.Label()) }},
	{"Reden (geen) datalek", 40, func(e RegisterEntry, _ *time.Location) Cell {
		return text(orText(e.BreachReason, e.OutcomeReason))
	}},
	{"Gemeld aan de AP? Waarom (niet)?", 40, func(e RegisterEntry, loc *time.Location) Cell { return text(e.APText(loc)) }},
	{"Gemeld aan de AP op", 17, func(e RegisterEntry, _ *time.Location) Cell { return moment(e.APNotifiedAt) }},
	{"Meldingsnummer (aanvullingen, intrekking)", 28, func(e RegisterEntry, loc *time.Location) Cell {
		return text(e.NotificationText(loc))
	}},
	{"Betrokkenen geïnformeerd? Waarom (niet)?", 40, func(e RegisterEntry, loc *time.Location) Cell {
		return text(e.SubjectsText(loc))
	}},
	{"Betrokkenen geïnformeerd op", 17, func(e RegisterEntry, _ *time.Location) Cell { return moment(e.SubjectsSentAt) }},
	{"Inspectie van het Onderwijs geïnformeerd?", 24, func(e RegisterEntry, _ *time.Location) Cell {
		if !e.InspectorateRecorded {
			return text("")
		}
		return text(e.Inspectorate.Text())
	}},
	{"Geldende termijn", 40, func(e RegisterEntry, loc *time.Location) Cell { return text(e.GoverningText(loc)) }},
	{"Wacht op", 16, func(e RegisterEntry, _ *time.Location) Cell {
		if len(e.Deadlines) == 0 {
			return text("")
		}
		return text(e.WaitingOn)
	}},
	{"Termijn 72 uur (AP)", 30, func(e RegisterEntry, loc *time.Location) Cell { return text(e.Deadline72h.Text(loc)) }},
	{"Termijn 2 werkdagen (indienen)", 30, func(e RegisterEntry, loc *time.Location) Cell {
		return text(e.DeadlineFiling.Text(loc))
	}},
	{"Termijn 1 week (betrokkenen)", 30, func(e RegisterEntry, loc *time.Location) Cell {
		return text(e.DeadlineWeek.Text(loc))
	}},
	{"Besluiten en redenen per stap", 50, func(e RegisterEntry, loc *time.Location) Cell { return text(e.DecisionsText(loc)) }},
	{"Besluit gewijzigd", 30, func(e RegisterEntry, loc *time.Location) Cell { return text(e.DecisionChangedText(loc)) }},
	{"Herstel afgerond", 10, func(e RegisterEntry, _ *time.Location) Cell {
		if !e.RepairRecorded {
			return text("")
		}
		return text(yesNoText(e.RepairCompleted))
	}},
	{"Gegevens onleesbaar (versleuteld)", 14, func(e RegisterEntry, _ *time.Location) Cell { return text(answerText(e.Unintelligible)) }},
	{"Bewaard (bevestiging AP, bericht betrokkenen)", 40, func(e RegisterEntry, _ *time.Location) Cell {
		return text(e.AttachmentsText())
	}},
	{"Afgesloten op", 17, func(e RegisterEntry, _ *time.Location) Cell { return moment(e.ClosedAt) }},
}

// RegisterEvent is one timeline row of a case in the register's export.
type RegisterEvent struct {
	CaseID     int64
	CaseNumber Number
	At         time.Time
	ActorName  string
	Kind       string
	Summary    string
}

// StepOrder is the position of a status in the protocol (1 for new, 8 for
// closed), as the register sorts on it; the SQL function case_step_order
// (migration 00024) is the same.
func StepOrder(s Status) int {
	for i, st := range Statuses {
		if st == s {
			return i + 1
		}
	}
	return 0
}
