// Package incident is the domain core: what a case is, what a reporter tells
// (step 1, Ontdekken), how a report is validated, how cases are numbered, and
// the policies that say who may see and do what. It knows no SQL, HTTP or HTML.
package incident

import (
	"fmt"
	"strconv"
	"time"
)

// Status is where a case stands in the seven steps.
type Status string

// Statuses. Later steps add theirs; the report form creates StatusNew.
const (
	StatusNew Status = "new" // reported, waiting for the desk (step 1 done)
)

// Label is the Dutch name shown to users.
func (s Status) Label() string {
	switch s {
	case StatusNew:
		return "Nieuw, wacht op het meldpunt"
	case StatusInventory:
		return "Meldpunt inventariseert"
	case StatusConfirmation:
		return "Wacht op bevestiging van de FG"
	case StatusAssessment:
		return "FG beoordeelt"
	case StatusNotification:
		return "Melden aan de AP"
	case StatusInforming:
		return "Betrokkenen informeren"
	case StatusRecording:
		return "Vastleggen en afsluiten"
	case StatusClosed:
		return "Afgesloten"
	}
	return string(s)
}

// Number is a case number: per organisation and calendar year (in
// Europe/Amsterdam), e.g. 2026-0007.
type Number struct {
	Year int
	Seq  int
}

func (n Number) String() string { return string(n.Append(make([]byte, 0, 12))) }

// Append appends the number as String writes it (2025-0042) to b.
func (n Number) Append(b []byte) []byte {
	if n.Seq < 0 {
		return fmt.Appendf(b, "%d-%04d", n.Year, n.Seq)
	}
	b = strconv.AppendInt(b, int64(n.Year), 10)
	b = append(b, '-')
	for d := 1000; d > 1 && n.Seq < d; d /= 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n.Seq), 10)
}

// Case is one reported incident with everything known about it.
type Case struct {
	ID             int64
	OrganisationID int64
	Number         Number
	SchoolID       *int64
	SchoolName     string
	ReporterID     int64
	ReporterName   string
	ReporterEmail  string
	Status         Status
	ReportedAt     time.Time
	UpdatedAt      time.Time
	Report         Report

	// TechnicianID is the technician assigned to repair (step 4).
	TechnicianID   *int64
	TechnicianName string
	// AwareAt is the moment the clock starts: the 72 hours to notify the AP
	// run from here. It is cases.clock_start, the one definition (migration
	// 00019): the moment of awareness the officer set with a reason (seed
	// 001), earlier or later, when set (AwareSet); else the reporter's
	// discovery, never later than the report (seed 000: "binnen 72 uur na
	// ontdekking"); else the report's own time.
	AwareAt     time.Time
	AwareReason string
	// AwareSet: the officer set the moment of awareness (aware_at).
	AwareSet bool
	// Outcome says how the case ended or what it turned out to be.
	Outcome       Outcome
	OutcomeReason string
	ClosedAt      *time.Time
	// Imported is set for a case imported from an Excel register. Its
	// ReporterID is then the importer, who entered it but did not report it:
	// the reporter's rights (seeing the case, adding evidence) do not apply.
	Imported bool
	// Source is where the report came from when it was not a staff
	// member's own (issue 12); ReporterID is then the organisation's
	// stand-in account.
	Source Source
}

// ReportedBy reports whether user reported case c themselves.
func (c *Case) ReportedBy(user int64) bool {
	return c.ReporterID == user && !c.Imported && c.Source.Kind == SourceStaff
}

// Outcome is what a case turned out to be.
type Outcome string

// Outcomes. The desk can close a case in step 2 as one of the first two.
const (
	OutcomeNone           Outcome = ""
	OutcomeNoIncident     Outcome = "no_incident"      // no security incident (a threat only)
	OutcomeNoPersonalData Outcome = "no_personal_data" // a security incident, no personal data
	OutcomeNoBreach       Outcome = "no_breach"        // personal data, but unlawful processing excluded
	OutcomeBreach         Outcome = "breach"           // a data breach
)

// Label is the Dutch name of the outcome.
func (o Outcome) Label() string {
	switch o {
	case OutcomeNoIncident:
		return "Geen beveiligingsincident"
	case OutcomeNoPersonalData:
		return "Beveiligingsincident, geen persoonsgegevens"
	case OutcomeNoBreach:
		return "Beveiligingsincident, geen datalek"
	case OutcomeBreach:
		return "Datalek"
	}
	return "Nog niet bepaald"
}

// Summary is a case as listed in an inbox or overview.
type Summary struct {
	ID           int64
	Number       Number
	SchoolName   string
	ReporterName string
	Status       Status
	ReportedAt   time.Time
	Excerpt      string
	PersonalData Answer
	// Source is "" for a staff member's own report (issue 12).
	Source SourceKind
}

// FromOutside reports whether the case came from outside (public page or processor).
func (s Summary) FromOutside() bool { return s.Source == SourcePublic || s.Source == SourceProcessor }

// Event is one entry on a case's timeline.
type Event struct {
	ID        int64
	At        time.Time
	ActorID   *int64
	ActorName string
	Kind      string
	Summary   string
}

// Event kinds.
const (
	EventReported = "reported"
)

// Inventory is what the desk records in step 2 (seed 000 step 2).
type Inventory struct {
	Summary         string
	Sensitive       Answer
	SensitiveNote   string
	PeriodFrom      *time.Time
	PeriodUntil     *time.Time
	Nature          string
	BreachSuspected Answer
	SubjectGroups   string
	SubjectCount    *int
	DataTypes       []string
	ChainShared     Answer
	ChainNote       string
	CrossBorder     Answer // data subjects in other EU countries
	UpdatedAt       time.Time
	UpdatedBy       string
}

// Question is a follow-up question of the desk and its answer.
type Question struct {
	ID            int64
	AskedBy       string
	AddresseeID   int64
	AddresseeName string
	Question      string
	AskedAt       time.Time
	Answer        string
	AnsweredAt    *time.Time
}

// Open reports whether the question still waits for an answer.
func (q Question) Open() bool { return q.AnsweredAt == nil }

// OpenQuestion is a question waiting for its addressee, with its case.
type OpenQuestion struct {
	Question
	CaseID     int64
	CaseNumber Number
}

// Repair is what the technician records in step 4 (seed 000 step 4): the
// cause, the measures (technical and organisational, incidental and
// structural), and whether the leaked data were unintelligible and how.
type Repair struct {
	Cause                    string
	TechnicalIncidental      string
	TechnicalStructural      string
	OrganisationalIncidental string
	OrganisationalStructural string
	Unintelligible           Answer
	UnintelligibleHow        string
	Completed                bool
	UpdatedAt                time.Time
	UpdatedBy                string
}

// WorkItem is an open case on someone's start page, with what the deadlines
// are computed from.
type WorkItem struct {
	Summary
	AwareAt      time.Time // cases.clock_start (see Case.AwareAt)
	AwareReason  string
	DiscoveredAt *time.Time
	// BoardInformed: a board member recorded being informed.
	BoardInformed  bool
	SubjectsSentAt *time.Time
	DecidedAt      *time.Time
	NotifiedAt     *time.Time // the AP notification, when sent
	RepairDone     bool
	// ProcessorName and ProcessorDue: the processor's information is awaited
	// by then (nil without a linked processor, or once delivered).
	ProcessorName string
	ProcessorDue  *time.Time
	// Deadlines are filled by the service (CaseDeadlines), the one that
	// counts first; WaitingOn says who must act next.
	Deadlines []Due
	WaitingOn string
}

// WorkPaging is where one list of a start page stands: the cases it holds
// in all, and the cursors of the pages before and after the one shown (""
// when there is none), for links that work without JavaScript.
type WorkPaging struct {
	Total int
	// More: the list holds more than Total cases (it is counted only that
	// far: see store.WorkCountCap).
	More       bool
	Prev, Next string
}

// DueFacts is what the item's deadlines count from.
func (w WorkItem) DueFacts() DueFacts {
	return DueFacts{Status: w.Status, DecidedAt: w.DecidedAt, NotifiedAt: w.NotifiedAt, SubjectsSentAt: w.SubjectsSentAt,
		Clock: Clock{Start: w.AwareAt, Discovered: w.DiscoveredAt, Reported: w.ReportedAt, Reason: w.AwareReason}}
}

// Due is one deadline of a case as users see it (see CaseDeadlines).
type Due struct {
	Kind    DueKind
	Label   string // what must be done: "melden aan de AP (72 uur)"
	At      time.Time
	Overdue bool
	Urgent  bool   // under a day left
	Text    string // "nog 5 uur en 12 minuten", "3 uur te laat"
	// Note explains a start of the 72 hours the officer moved (Clock.Note).
	Note string
	now  time.Time // the moment it was judged at
}

// BoardNote records that a board member was informed, with their view, or
// the board's view recorded during the assessment (Kind).
type BoardNote struct {
	ID   int64
	Name string
	At   time.Time
	View string
	Kind string // BoardInformed or BoardView
}

// Kinds of board notes.
const (
	BoardInformed = "informed" // informed before the AP notification (seed 000 step 5)
	BoardView     = "view"     // its view during step 3, before the officer decides (seed 001)
)

// Label names the kind of note.
func (n BoardNote) Label() string {
	if n.Kind == BoardView {
		return "zienswijze vóór het besluit"
	}
	return "geïnformeerd"
}

// Message is a message to a user inside the app.
type Message struct {
	ID         int64
	CaseID     *int64
	CaseNumber *Number
	Subject    string
	Body       string
	CreatedAt  time.Time
	Read       bool
	Done       bool // it no longer asks for anything (issue 12.4)
}
