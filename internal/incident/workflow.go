package incident

import (
	"slices"

	"github.com/lekwacht/lekwacht/internal/access"
)

// The statuses of a case along the seven steps of seed 000. Repair (step 4)
// is not a status: it runs alongside inventory, assessment and notification.
const (
	StatusInventory Status = "inventory" // step 2 Inventariseren: the desk gathers the facts
	// StatusConfirmation: the desk closed a report that may involve personal
	// data as no breach; only the officer decides that (seed 001), so it
	// waits for the officer's confirmation.
	StatusConfirmation Status = "confirmation"
	StatusAssessment   Status = "assessment"   // step 3 Beoordelen: with the officer
	StatusNotification Status = "notification" // step 5 Melden: the officer notifies the AP
	StatusInforming    Status = "informing"    // step 7 Informeren betrokkenen
	StatusRecording    Status = "recording"    // step 6 Vastleggen: the desk completes and closes
	StatusClosed       Status = "closed"       // in the register
)

// Statuses lists every status in the order a case passes them.
var Statuses = []Status{StatusNew, StatusInventory, StatusConfirmation, StatusAssessment, StatusNotification, StatusInforming, StatusRecording, StatusClosed}

// open lists the statuses in which work can still happen.
var open = []Status{StatusNew, StatusInventory, StatusConfirmation, StatusAssessment, StatusNotification, StatusInforming, StatusRecording}

// Performer says who may perform a transition: a role within its school
// scope, or someone by their relation to the case.
type Performer string

// Performers.
const (
	ByDesk       Performer = "desk"       // the desk, for the case's school
	ByOfficer    Performer = "officer"    // the officer, for the case's school
	ByBoard      Performer = "board"      // the board, for the case's school
	ByTechnician Performer = "technician" // the technician assigned to the case
	ByAddressee  Performer = "addressee"  // the person a question is addressed to
)

// Label is the Dutch name of the performer for docs and pages.
func (p Performer) Label() string {
	switch p {
	case ByDesk:
		return "Meldpunt"
	case ByOfficer:
		return "FG"
	case ByBoard:
		return "Bestuur"
	case ByTechnician:
		return "Toegewezen technicus"
	case ByAddressee:
		return "Wie de vraag kreeg"
	}
	return string(p)
}

// Workflow actions (the actions of the foundation are in policy.go).
const (
	ActStartInventory  Action = "start_inventory"
	ActAskQuestion     Action = "ask_question"
	ActAnswerQuestion  Action = "answer_question"
	ActRecordInventory Action = "record_inventory"
	ActCloseNoIncident Action = "close_no_breach"
	// ActMarkSpam closes a report from outside as spam (issue 12); the
	// service refuses it for any other report.
	ActMarkSpam         Action = "mark_spam"
	ActSendToOfficer    Action = "send_to_officer"
	ActConfirmNoBreach  Action = "confirm_no_breach"
	ActAssessAfterAll   Action = "assess_after_all"
	ActRecordBoardView  Action = "record_board_view"
	ActAssignTechnician Action = "assign_technician"
	ActRecordRepair     Action = "record_repair"
	ActSetAwareness     Action = "set_awareness"
	ActAssess           Action = "assess"
	ActInformBoard      Action = "inform_board"
	ActRecordNotice     Action = "record_notification"
	ActAmendNotice      Action = "amend_notification"
	ActDraftSubjects    Action = "draft_subjects"
	ActApproveSubjects  Action = "approve_subjects"
	ActRecordSubjects   Action = "record_subjects"
	ActClose            Action = "close"
	ActReopen           Action = "reopen"
	// The periodic review of an exception used not to inform the data
	// subjects (seed 001 "Uitzonderingen"; see exception.go).
	ActExceptionHolds  Action = "exception_holds"
	ActExceptionLapsed Action = "exception_lapsed"
	// ActRecordInspectorate records whether the Inspectie van het Onderwijs
	// was informed (issue 10.4: test or exam results), or why not.
	ActRecordInspectorate Action = "record_inspectorate"
)

// Transition is one row of the workflow table: who may do what in which
// statuses, and where the case goes. An empty To keeps the status; several
// To values mean the outcome decides (the service picks one of them).
type Transition struct {
	Action Action
	Label  string // the Dutch button or form title
	Step   string // the step of seed 000 it belongs to
	From   []Status
	To     []Status
	By     []Performer
}

// Workflow is the transition table. It drives the service checks, the
// buttons on the case page, and docs/workflow.md.
var Workflow = []Transition{
	{ActStartInventory, "Oppakken", "2 Inventariseren", []Status{StatusNew}, []Status{StatusInventory}, []Performer{ByDesk}},
	{ActRecordInventory, "Feiten vastleggen", "2 Inventariseren", []Status{StatusNew, StatusInventory}, []Status{StatusInventory}, []Performer{ByDesk}},
	{ActAskQuestion, "Vraag stellen", "2 Inventariseren", []Status{StatusNew, StatusInventory, StatusAssessment}, nil, []Performer{ByDesk}},
	{ActAnswerQuestion, "Vraag beantwoorden", "2 Inventariseren", open, nil, []Performer{ByAddressee}},
	{ActAssignTechnician, "Technicus toewijzen", "4 Repareren", []Status{StatusNew, StatusInventory, StatusConfirmation, StatusAssessment, StatusNotification, StatusInforming, StatusRecording}, nil, []Performer{ByDesk}},
	// Closing a report whose reporter said personal data "ja" or "weet ik
	// niet" goes to the officer's confirmation; "nee" closes at once.
	{ActCloseNoIncident, "Afsluiten: geen datalek", "2 Inventariseren", []Status{StatusNew, StatusInventory}, []Status{StatusClosed, StatusConfirmation}, []Performer{ByDesk}},
	{ActMarkSpam, "Afsluiten als spam (alleen meldingen van buiten)", "2 Inventariseren", []Status{StatusNew, StatusInventory}, []Status{StatusClosed}, []Performer{ByDesk}},
	{ActSendToOfficer, "Naar de FG voor beoordeling", "2 Inventariseren", []Status{StatusInventory}, []Status{StatusAssessment}, []Performer{ByDesk}},
	{ActConfirmNoBreach, "Bevestigen: geen datalek", "3 Beoordelen", []Status{StatusConfirmation}, []Status{StatusClosed}, []Performer{ByOfficer}},
	{ActAssessAfterAll, "Toch beoordelen (stap 3)", "3 Beoordelen", []Status{StatusConfirmation}, []Status{StatusAssessment}, []Performer{ByOfficer}},
	{ActRecordBoardView, "Zienswijze bestuur vastleggen", "3 Beoordelen", []Status{StatusAssessment}, nil, []Performer{ByBoard}},
	{ActRecordRepair, "Oorzaak en maatregelen vastleggen", "4 Repareren", []Status{StatusNew, StatusInventory, StatusAssessment, StatusNotification, StatusInforming, StatusRecording}, nil, []Performer{ByTechnician}},
	{ActSetAwareness, "Moment van kennisname aanpassen", "3 Beoordelen", []Status{StatusAssessment, StatusNotification}, nil, []Performer{ByOfficer}},
	{ActAssess, "Beoordelen en besluiten", "3 Beoordelen", []Status{StatusAssessment}, []Status{StatusNotification, StatusInforming, StatusRecording}, []Performer{ByOfficer}},
	{ActInformBoard, "Bestuur geïnformeerd", "5 Melden", []Status{StatusAssessment, StatusNotification}, nil, []Performer{ByBoard}},
	{ActRecordNotice, "Melding aan de AP vastleggen", "5 Melden", []Status{StatusNotification}, []Status{StatusInforming, StatusRecording}, []Performer{ByOfficer}},
	{ActAmendNotice, "Melding aanvullen of intrekken", "5 Melden", []Status{StatusInforming, StatusRecording, StatusClosed}, nil, []Performer{ByOfficer}},
	{ActDraftSubjects, "Bericht aan betrokkenen opstellen", "7 Informeren betrokkenen", []Status{StatusInforming}, nil, []Performer{ByOfficer}},
	{ActApproveSubjects, "Bericht aan betrokkenen goedkeuren", "7 Informeren betrokkenen", []Status{StatusInforming}, nil, []Performer{ByBoard, ByOfficer}},
	{ActRecordSubjects, "Verzending aan betrokkenen vastleggen", "7 Informeren betrokkenen", []Status{StatusInforming}, []Status{StatusRecording}, []Performer{ByOfficer}},
	{ActClose, "Vastleggen en afsluiten", "6 Vastleggen", []Status{StatusRecording}, []Status{StatusClosed}, []Performer{ByDesk}},
	{ActReopen, "Heropenen", "6 Vastleggen", []Status{StatusClosed}, []Status{StatusAssessment}, []Performer{ByOfficer}},
	{ActExceptionHolds, "Uitzondering geldt nog", "7 Informeren betrokkenen", exceptionReviewed, nil, []Performer{ByOfficer}},
	{ActExceptionLapsed, "Uitzondering geldt niet meer: opnieuw beoordelen", "7 Informeren betrokkenen", exceptionReviewed, []Status{StatusAssessment}, []Performer{ByOfficer}},
	{ActRecordInspectorate, "Inspectie van het Onderwijs vastleggen", "5 Melden", []Status{StatusNotification, StatusInforming, StatusRecording, StatusClosed}, nil, []Performer{ByOfficer}},
}

// Unprompted lists the transitions that move a case on only when something
// new came up (new facts, an exception that stopped holding), never as the
// work a case waits for: "wacht op" (WaitingOn) leaves them out.
var Unprompted = []Action{ActReopen, ActExceptionLapsed}

// TransitionFor returns the row of an action.
func TransitionFor(act Action) (Transition, bool) {
	for _, t := range Workflow {
		if t.Action == act {
			return t, true
		}
	}
	return Transition{}, false
}

// Relation is what the policy must know of the actor's relation to a case
// beyond roles: whether they are its assigned technician, or have an open
// question on it.
type Relation struct {
	AssignedTechnician bool
	OpenQuestion       bool
}

// performs reports whether the actor acts as performer p on case c.
func performs(a *access.Actor, c *Case, rel Relation, p Performer) bool {
	switch p {
	case ByDesk:
		return a.ScopeFor(access.Desk).Covers(c.SchoolID)
	case ByOfficer:
		return a.ScopeFor(access.Officer).Covers(c.SchoolID)
	case ByBoard:
		return a.ScopeFor(access.Board).Covers(c.SchoolID)
	case ByTechnician:
		return rel.AssignedTechnician && a.Has(access.Technician)
	case ByAddressee:
		return rel.OpenQuestion
	}
	return false
}

// CanDo reports whether the actor may perform act on case c in its current
// status. It is the one check the service makes before every workflow action.
func CanDo(a *access.Actor, c *Case, rel Relation, act Action) bool {
	if a == nil || c == nil || a.OrganisationID != c.OrganisationID {
		return false
	}
	t, ok := TransitionFor(act)
	if !ok || !slices.Contains(t.From, c.Status) {
		return false
	}
	// Spam comes from outside: a staff member's report is never closed as spam.
	if act == ActMarkSpam && c.Source.Kind != SourcePublic {
		return false
	}
	for _, p := range t.By {
		if performs(a, c, rel, p) {
			return true
		}
	}
	return false
}

// Available lists the transitions the actor may perform on c now, in table
// order: the buttons of the case page.
func Available(a *access.Actor, c *Case, rel Relation) []Transition {
	var out []Transition
	for _, t := range Workflow {
		if CanDo(a, c, rel, t.Action) {
			out = append(out, t)
		}
	}
	return out
}

// Leads reports whether act may move a case to status to.
func Leads(act Action, to Status) bool {
	t, ok := TransitionFor(act)
	return ok && slices.Contains(t.To, to)
}
