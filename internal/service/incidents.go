package service

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Incidents handles cases: the report (step 1) and reading cases.
type Incidents struct{ d Deps }

// NewSubmissionKey returns the key a new report form carries, so that
// submitting the same form twice creates one case.
func (s *Incidents) NewSubmissionKey() string { return uuid.NewString() }

// Reported is the outcome of a report.
type Reported struct {
	ID     int64
	Number incident.Number
	// Again is true when this form had been submitted before; nothing new was stored.
	Again bool
}

// Report stores a reporter's report as a new case with its first timeline
// entry. Submitting the same form again (double click, back button, retry
// after a timeout) returns the case created the first time.
func (s *Incidents) Report(ctx context.Context, a *access.Actor, f incident.ReportForm) (Reported, error) {
	ctx = scoped(ctx, a)
	if !incident.Can(a, incident.ActReport) {
		return Reported{}, apperr.New(apperr.Unauthenticated, "Log eerst in om een melding te doen.")
	}
	key, err := uuid.Parse(f.SubmissionKey)
	if err != nil {
		// The form always carries a key; without one, treat it as a new form.
		key = uuid.New()
	}
	schools, err := s.d.Store.Schools(ctx, a.OrganisationID)
	if err != nil {
		return Reported{}, err
	}
	ids := make([]int64, len(schools))
	for i, sc := range schools {
		ids[i] = sc.ID
	}
	now := s.d.Now()
	report, err := f.Parse(now, s.d.Location, ids)
	if err != nil {
		return Reported{}, err
	}
	var out Reported
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		out = Reported{}
		// One statement stores the case, its number and its timeline entry,
		// or finds the case this form made before.
		id, n, again, err := q.ReportCase(ctx, store.NewCase{
			OrganisationID: a.OrganisationID, Number: incident.Number{Year: now.In(s.d.Location).Year()}, ReporterID: a.UserID,
			SubmissionKey: key.String(), ReportedAt: now, Report: report,
		}, "Melding gedaan (stap 1, Ontdekken)")
		if err != nil {
			return err
		}
		out = Reported{ID: id, Number: n, Again: again}
		if again {
			return nil
		}
		return s.d.notifyReported(ctx, q, a, id, n, report.SchoolID, schoolName(schools, report.SchoolID), report.PersonalData != incident.No)
	})
	if errors.Is(err, store.ErrDuplicateSubmission) {
		// The same form was stored by a concurrent request a moment ago.
		id, n, err := s.d.Store.CaseBySubmission(ctx, a.OrganisationID, a.UserID, key.String())
		if err != nil {
			return Reported{}, fmt.Errorf("report after duplicate: %w", err)
		}
		return Reported{ID: id, Number: n, Again: true}, nil
	}
	if err != nil {
		return Reported{}, err
	}
	if !out.Again {
		s.d.Logger.Info("case reported", "organisation_id", a.OrganisationID, "case_id", out.ID, "case_number", out.Number.String())
	}
	return out, nil
}

// Mine lists the cases the actor reported, and nothing else.
func (s *Incidents) Mine(ctx context.Context, a *access.Actor) ([]incident.Summary, error) {
	ctx = scoped(ctx, a)
	if !incident.Can(a, incident.ActViewOwn) {
		return nil, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	return s.d.Store.CasesByReporter(ctx, a.OrganisationID, a.UserID)
}

// Inbox lists the new cases the desk must pick up, within the schools the
// desk role covers.
func (s *Incidents) Inbox(ctx context.Context, a *access.Actor) ([]incident.Summary, error) {
	ctx = scoped(ctx, a)
	if !incident.Can(a, incident.ActViewInbox) {
		return nil, apperr.Forbiddenf("Alleen het meldpunt ziet de binnengekomen meldingen.")
	}
	return s.d.Store.CasesInStatus(ctx, a.OrganisationID, a.ScopeFor(access.Desk), incident.StatusNew)
}

// CaseView is one case as the actor may see it, with what they may do now.
type CaseView struct {
	Case   incident.Case
	Events []incident.Event
	// Deadlines run now, the one that counts first, as the work lists show
	// them (for every role that sees the case); WaitingOn says who must act.
	Deadlines []incident.Due
	WaitingOn string
	// Full is true for the desk, officer and board of the case's school: they
	// see the inventory and every question. The reporter, an assigned
	// technician or someone asked a question see the report, the status and
	// their own questions.
	Full      bool
	Inventory *incident.Inventory
	Repair    *incident.Repair
	Questions []incident.Question
	// BoardNotes: the board was informed, with its views.
	BoardNotes []incident.BoardNote
	// ClosingGaps lists what the register still needs (desk, step 6).
	ClosingGaps []string
	// NeedsConfirmationReason: the case was notified to the AP and no
	// confirmation is attached, so closing asks why (issue 9.6).
	NeedsConfirmationReason bool
	// ExceptionReview is the review of the exception the decision relies on,
	// when one is in force (desk, officer and board).
	ExceptionReview *incident.ExceptionReview
	// Subjects is step 7, Informeren betrokkenen, for the desk, officer and board.
	Subjects incident.SubjectsStep
	// Decision is step 3 as decided, with Lekwacht's advice beside it (desk,
	// officer and board of the case's school).
	Decision *store.StoredDecision
	// Notifications to the AP (desk, officer and board of the case's school).
	Notifications []incident.Notification
	// Inspectorate is what the officer recorded about the Inspectie van het
	// Onderwijs; AsksInspectorate is set when the decision concerns test or
	// exam results or something was recorded (issue 10.4).
	Inspectorate     *incident.Inspectorate
	AsksInspectorate bool
	Relation         incident.Relation
	// Actions are the workflow transitions the actor may perform now.
	Actions []incident.Transition
	// Technicians of the organisation, for the desk's forms.
	Technicians []access.Account
	// Attachments the actor may see (all of them for Full and the assigned
	// technician, otherwise their own uploads), and the kinds they may add
	// now (none: no "Bijlage toevoegen" link).
	Attachments     []incident.Attachment
	AttachmentKinds []incident.AttachmentKind
	// Processor is the supplier where the breach happened, with its
	// agreements (desk, officer and board); ProcessorDue its delivery
	// deadline while the information is awaited.
	Processor    *incident.CaseProcessor
	ProcessorDue *incident.Due
	// Processors to choose from, when the actor may link one now.
	Processors []incident.Processor
	// Import is where an imported case came from, with its original row
	// (desk, officer and board of the case's school); nil otherwise.
	Import *incident.ImportOrigin
}

// Can reports whether the actor may perform act now.
func (v CaseView) Can(act incident.Action) bool {
	for _, t := range v.Actions {
		if t.Action == act {
			return true
		}
	}
	return false
}

// Case loads a case the actor may see. A case of another organisation, or
// one the actor may not see, is reported as not found: its existence is not
// revealed.
func (s *Incidents) Case(ctx context.Context, a *access.Actor, id int64) (CaseView, error) {
	ctx = scoped(ctx, a)
	if a == nil {
		return CaseView{}, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	// Two round trips (store.Gather): the case and the actor's relation to
	// it, which decide what the actor may see; then every part of the page
	// the actor may see, at once.
	var c incident.Case
	var rel incident.Relation
	org := a.OrganisationID
	err := s.d.Store.Gather(ctx,
		func(q *store.Queries) (err error) { c, err = q.Case(ctx, org, id); return err },
		func(q *store.Queries) (err error) { rel, err = q.CaseRelation(ctx, org, id, a.UserID); return err })
	if err != nil {
		return CaseView{}, err
	}
	if !incident.CanViewWith(a, &c, rel) {
		return CaseView{}, apperr.NotFoundf("Deze melding bestaat niet, of u mag haar niet inzien.")
	}
	v := CaseView{Case: c, Relation: rel, Full: incident.ReadScope(a).Covers(c.SchoolID),
		Actions: incident.Available(a, &c, rel)}
	var (
		events    []incident.Event
		item      incident.WorkItem
		questions []incident.Question
		inv       incident.Inventory
		rep       incident.Repair
		dec       store.StoredDecision
		cp        incident.CaseProcessor
		review    store.ExceptionReview
		notice    incident.SubjectsNotice
		insp      incident.Inspectorate

		hasInv, hasRep, hasDec, hasCP, hasReview, hasNotice, hasInsp bool
	)
	parts := []func(q *store.Queries) error{
		func(q *store.Queries) (err error) { events, err = q.Events(ctx, org, id); return err },
		func(q *store.Queries) (err error) {
			item, err = q.WorkItemOf(ctx, org, id)
			return err
		},
		func(q *store.Queries) (err error) { questions, err = q.Questions(ctx, org, id); return err },
		func(q *store.Queries) (err error) {
			v.Attachments, v.AttachmentKinds, err = caseAttachments(ctx, q, a, &c, rel)
			return err
		},
	}
	if v.Full || rel.AssignedTechnician {
		parts = append(parts,
			func(q *store.Queries) (err error) { inv, hasInv, err = q.Inventory(ctx, org, id); return err },
			func(q *store.Queries) (err error) { rep, hasRep, err = q.Repair(ctx, org, id); return err })
	}
	if v.Full {
		parts = append(parts,
			func(q *store.Queries) (err error) { v.BoardNotes, err = q.BoardNotes(ctx, org, id); return err },
			func(q *store.Queries) (err error) { dec, hasDec, err = q.StoredDecisionOf(ctx, org, id); return err },
			func(q *store.Queries) (err error) { v.Notifications, err = q.Notifications(ctx, org, id); return err },
			func(q *store.Queries) (err error) { cp, hasCP, err = q.CaseProcessor(ctx, org, id); return err },
			func(q *store.Queries) (err error) { v.Import, err = caseImport(ctx, q, org, id); return err },
			func(q *store.Queries) (err error) {
				review, hasReview, err = q.ActiveExceptionReview(ctx, org, id)
				return err
			},
			func(q *store.Queries) (err error) {
				notice, hasNotice, err = q.SubjectsNotice(ctx, org, id)
				return err
			},
			func(q *store.Queries) (err error) { insp, hasInsp, err = q.Inspectorate(ctx, org, id); return err })
		if incident.CanLinkProcessor(a, &v.Case) {
			parts = append(parts, func(q *store.Queries) (err error) { v.Processors, err = q.Processors(ctx, org); return err })
		}
	}
	if v.Can(incident.ActAssignTechnician) || v.Can(incident.ActAskQuestion) {
		parts = append(parts, func(q *store.Queries) (err error) {
			v.Technicians, err = q.UsersWithRole(ctx, org, access.Technician)
			return err
		})
	}
	if err := s.d.Store.Gather(ctx, parts...); err != nil {
		return CaseView{}, err
	}

	v.Events = visibleEvents(events, v.Full, a.UserID)
	s.fillDeadlines(&item, s.d.Now())
	v.Deadlines, v.WaitingOn = item.Deadlines, item.WaitingOn
	for _, q := range questions {
		if v.Full || q.AddresseeID == a.UserID {
			v.Questions = append(v.Questions, q)
		}
	}
	if hasInv {
		v.Inventory = &inv
	}
	if hasRep {
		v.Repair = &rep
	}
	if hasDec {
		v.Decision = &dec
	}
	if hasCP {
		v.Processor = &cp
		v.ProcessorDue = s.processorDeadline(&cp)
	}
	if v.Can(incident.ActClose) {
		cc := closeCheckOf(v)
		v.ClosingGaps, v.NeedsConfirmationReason = cc.Missing(), cc.NeedsConfirmationReason()
	}
	if hasReview {
		v.ExceptionReview = &review
	}
	if hasInsp {
		v.Inspectorate = &insp
	}
	v.AsksInspectorate = hasInsp || concernsResults(v.Decision)
	var n *incident.SubjectsNotice
	if hasNotice {
		n = &notice
	}
	v.Subjects = s.subjectsStep(v, n)
	return v, nil
}

// milestones are the timeline entries that everyone who may see a case sees:
// where it stands. The rest (questions to others, attachments, technicians)
// only those who read the whole case, and anyone their own entries.
var milestones = []string{incident.EventReported, string(incident.ActStartInventory), string(incident.ActSendToOfficer),
	string(incident.ActAssess), string(incident.ActRecordNotice), string(incident.ActRecordSubjects),
	string(incident.ActClose), string(incident.ActCloseNoIncident), string(incident.ActReopen)}

func visibleEvents(events []incident.Event, full bool, userID int64) []incident.Event {
	if full {
		return events
	}
	var out []incident.Event
	for _, e := range events {
		if slices.Contains(milestones, e.Kind) || (e.ActorID != nil && *e.ActorID == userID) {
			out = append(out, e)
		}
	}
	return out
}

func schoolName(schools []access.School, id *int64) string {
	for _, sc := range schools {
		if id != nil && sc.ID == *id {
			return sc.Name
		}
	}
	return ""
}
