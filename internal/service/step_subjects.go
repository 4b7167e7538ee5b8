package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Step 7, Informeren betrokkenen: the officer drafts the notice to the data
// subjects, the board or the officer approves it, and the officer records
// when it was sent, which moves the case on to the desk. Sending it by mail
// from Lekwacht comes later; here it is drafted, approved and recorded.

// SubjectsDraftView is the officer's page for drafting the notice.
type SubjectsDraftView struct {
	Case     incident.Case
	Decision incident.Decision
	Notice   *incident.SubjectsNotice // the stored draft, when there is one
	Form     incident.SubjectsForm    // the stored draft, or a first draft from what is known
	Letter   incident.LetterContext
}

// SubjectsDraft gathers the drafting page: the stored draft to edit, or a
// first draft built from the inventory, the decision and the repair.
func (s *Incidents) SubjectsDraft(ctx context.Context, a *access.Actor, id int64) (SubjectsDraftView, error) {
	ctx = scoped(ctx, a)
	v, err := s.Case(ctx, a, id)
	if err != nil {
		return SubjectsDraftView{}, err
	}
	if !v.Can(incident.ActDraftSubjects) {
		return SubjectsDraftView{}, refusal(a, &v.Case, incident.ActDraftSubjects,
			"Alleen de FG stelt het bericht aan de betrokkenen op.")
	}
	q := s.d.Store.Queries
	out := SubjectsDraftView{Case: v.Case}
	dec, decided, err := q.Decision(ctx, a.OrganisationID, id)
	if err != nil {
		return out, err
	}
	if !decided {
		return out, apperr.Conflictf("Er is nog geen besluit van de FG vastgelegd (stap 3).")
	}
	out.Decision = dec
	if out.Letter, err = s.letterContext(ctx, q, a, &v.Case, dec); err != nil {
		return out, err
	}
	n, ok, err := q.SubjectsNotice(ctx, a.OrganisationID, id)
	if err != nil {
		return out, err
	}
	if ok {
		out.Notice = &n
		out.Form = incident.SubjectsFormFromNotice(n)
	} else {
		out.Form = incident.SubjectsFormFrom(v.Case, v.Inventory, v.Repair, &dec, a, out.Letter.Sender, s.d.Location)
	}
	return out, nil
}

// letterContext is what the letter needs besides the form.
func (s *Incidents) letterContext(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case, dec incident.Decision) (incident.LetterContext, error) {
	lc := incident.LetterContext{Sender: c.SchoolName, DecisionPublic: dec.SubjectsChannel == incident.ChannelPublic}
	if lc.Sender == "" {
		lc.Sender = a.Organisation
	}
	list, err := q.Notifications(ctx, a.OrganisationID, c.ID)
	if err != nil {
		return lc, err
	}
	lc.ReportedToAP = slices.ContainsFunc(list, func(n incident.Notification) bool { return n.Kind == incident.NoticeInitial })
	return lc, nil
}

// DraftSubjectsNotice stores the officer's notice to the data subjects with
// the letter assembled from its parts. Changing an approved draft withdraws
// the approval: what is sent is always what was approved.
func (s *Incidents) DraftSubjectsNotice(ctx context.Context, a *access.Actor, id int64, f incident.SubjectsForm) error {
	ctx = scoped(ctx, a)
	return s.perform(ctx, a, id, incident.ActDraftSubjects, func(q *store.Queries, c *incident.Case) (change, error) {
		dec, decided, err := q.Decision(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		if !decided {
			return change{}, apperr.Conflictf("Er is nog geen besluit van de FG vastgelegd (stap 3).")
		}
		lc, err := s.letterContext(ctx, q, a, c, dec)
		if err != nil {
			return change{}, err
		}
		n, err := f.Parse(lc)
		if err != nil {
			return change{}, err
		}
		old, had, err := q.SubjectsNotice(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		keep := had && old.Approved() && old.SameContent(n)
		if err := q.SaveSubjectsDraft(ctx, a.OrganisationID, id, a.UserID, n, s.d.Now(), keep); err != nil {
			return change{}, err
		}
		summary := "Bericht aan betrokkenen opgesteld (stap 7); het wacht op goedkeuring"
		cleared := had && old.Approved() && !keep
		switch {
		case cleared:
			summary = "Bericht aan betrokkenen aangepast (stap 7); de goedkeuring is vervallen, het moet opnieuw worden goedgekeurd"
		case keep:
			summary = "Bericht aan betrokkenen opnieuw opgeslagen zonder wijzigingen (stap 7); de goedkeuring blijft staan"
		case had:
			summary = "Bericht aan betrokkenen aangepast (stap 7); het wacht op goedkeuring"
		}
		if !keep {
			// The draft waits for approval: the board hears of it.
			if err := s.d.notifyBoardApproval(ctx, q, a, c); err != nil {
				return change{}, err
			}
		}
		return change{Summary: summary, Details: map[string]any{"channel": n.Channel, "groups": n.Groups,
			"approval_cleared": cleared}}, nil
	})
}

// ApproveSubjectsNotice records that the board or the officer approved the
// current draft, and who did. Four eyes: someone other than the drafter
// approves it; the drafter (the officer) only with selfReason, why the board
// could not approve in time, which the register shows.
func (s *Incidents) ApproveSubjectsNotice(ctx context.Context, a *access.Actor, id int64, selfReason string) error {
	ctx = scoped(ctx, a)
	selfReason = strings.TrimSpace(selfReason)
	return s.perform(ctx, a, id, incident.ActApproveSubjects, func(q *store.Queries, c *incident.Case) (change, error) {
		n, ok, err := q.SubjectsNotice(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		switch {
		case !ok:
			return change{}, apperr.Conflictf("Er is nog geen bericht aan de betrokkenen om goed te keuren. De FG stelt het eerst op.")
		case n.Approved():
			return change{}, apperr.Conflictf("Dit bericht is al goedgekeurd door %s.", n.ApprovedBy)
		}
		own := n.DraftedByID == a.UserID
		if !own {
			selfReason = ""
		}
		if own && len([]rune(selfReason)) < 10 {
			return change{}, &apperr.Error{Kind: apperr.Invalid, Message: "U stelde dit bericht zelf op: iemand anders (het bestuur) keurt het goed.",
				Fields: map[string]string{"self_approval_reason": "Keurt u uw eigen bericht goed, leg dan uit waarom het bestuur dat niet op tijd kon, bijvoorbeeld: ‘Bestuur in het weekend onbereikbaar, ouders moeten vandaag bericht krijgen.’"}}
		}
		if len([]rune(selfReason)) > 5000 {
			return change{}, &apperr.Error{Kind: apperr.Invalid, Message: "De reden is te lang.",
				Fields: map[string]string{"self_approval_reason": "Houd de reden korter dan 5000 tekens."}}
		}
		if err := q.ApproveSubjectsNotice(ctx, a.OrganisationID, id, a.UserID, selfReason, s.d.Now()); err != nil {
			return change{}, err
		}
		if err := q.MessagesDone(ctx, a.OrganisationID, id, []string{"subjects_approval"}, s.d.Now()); err != nil {
			return change{}, err
		}
		kept, err := s.keepApprovedLetters(ctx, q, a, c)
		if err != nil {
			return change{}, err
		}
		as := "FG"
		if a.ScopeFor(access.Board).Covers(c.SchoolID) {
			as = "bestuur"
		}
		summary := "Bericht aan betrokkenen goedgekeurd (stap 7)"
		if own {
			summary = "Bericht aan betrokkenen goedgekeurd door wie het opstelde (stap 7), zonder het bestuur: " + selfReason
		}
		return change{Summary: summary, Details: map[string]any{"approved_as": as, "own_draft": own, "self_approval_reason": selfReason,
			"letters_kept": kept}}, nil
	})
}

// RecordSubjectsSent records when the officer sent the approved notice (a
// datetime-local value): not in the future, not before the draft. The case
// moves on to the desk to be recorded and closed.
func (s *Incidents) RecordSubjectsSent(ctx context.Context, a *access.Actor, id int64, sentAt string) error {
	ctx = scoped(ctx, a)
	return s.perform(ctx, a, id, incident.ActRecordSubjects, func(q *store.Queries, c *incident.Case) (change, error) {
		n, ok, err := q.SubjectsNotice(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		switch {
		case !ok:
			return change{}, apperr.Conflictf("Er is nog geen bericht aan de betrokkenen opgesteld.")
		case !n.Approved():
			return change{}, apperr.Conflictf("Het bericht aan de betrokkenen is nog niet goedgekeurd. Laat het eerst goedkeuren door het bestuur of de FG.")
		}
		at, err := incident.ParseSubjectsSentAt(sentAt, s.d.Now(), s.d.Location, n.DraftedAt)
		if err != nil {
			return change{}, err
		}
		if err := q.RecordSubjectsSent(ctx, a.OrganisationID, id, a.UserID, at); err != nil {
			return change{}, err
		}
		summary := "Bericht aan betrokkenen verzonden op " + at.In(s.d.Location).Format("02-01-2006 15:04") + ", " + n.ChannelHow()
		details := map[string]any{"sent_at": at, "channel": n.Channel, "groups": n.Groups}
		// Sent another way (by letter, by the school): an uploaded list is
		// not needed any more, nor its addresses.
		if dropped, err := q.DropUnsentRecipients(ctx, a.OrganisationID, id); err != nil {
			return change{}, err
		} else if dropped > 0 {
			summary += fmt.Sprintf("; de ongebruikte ontvangerslijst (%d adressen) is verwijderd", dropped)
			details["recipients_dropped"] = dropped
		}
		if due, ok, err := s.subjectsDue(ctx, q, a.OrganisationID, id); err != nil {
			return change{}, err
		} else if ok && at.After(due) {
			summary += ", na de termijn van een week"
			details["late"] = true
		}
		return change{Summary: summary, To: incident.StatusRecording, Details: details}, nil
	})
}

// SubjectsNotice gathers step 7 for the case page: for whoever may read the
// case in full (the desk, officer and board of its school).
func (s *Incidents) SubjectsNotice(ctx context.Context, a *access.Actor, id int64) (incident.SubjectsStep, error) {
	ctx = scoped(ctx, a)
	v, err := s.Case(ctx, a, id)
	if err != nil {
		return incident.SubjectsStep{}, err
	}
	if !v.Full {
		return incident.SubjectsStep{}, apperr.NotFoundf("Deze melding bestaat niet, of u mag haar niet inzien.")
	}
	return s.SubjectsStepOf(ctx, v)
}

// SubjectsStepOf builds step 7 for a case view already loaded (and checked)
// by Case: the case page calls it for full readers without loading the case
// twice. For others it returns nothing.
func (s *Incidents) SubjectsStepOf(ctx context.Context, v CaseView) (incident.SubjectsStep, error) {
	if !v.Full {
		return incident.SubjectsStep{}, nil
	}
	// The case was loaded (and checked) for the actor of its organisation.
	ctx = store.InOrganisation(ctx, v.Case.OrganisationID)
	n, ok, err := s.d.Store.SubjectsNotice(ctx, v.Case.OrganisationID, v.Case.ID)
	if err != nil {
		return incident.SubjectsStep{}, err
	}
	var notice *incident.SubjectsNotice
	if ok {
		notice = &n
	}
	return s.subjectsStep(v, notice), nil
}

// subjectsStep is step 7 of a case view with its notice (nil: none drafted).
func (s *Incidents) subjectsStep(v CaseView, notice *incident.SubjectsNotice) incident.SubjectsStep {
	var out incident.SubjectsStep
	if !v.Full {
		return out
	}
	// Case loaded the decision and the notifications already.
	var decidedAt *time.Time
	if v.Decision != nil {
		out.Decision = &v.Decision.Decision
		decidedAt = &v.Decision.Decision.DecidedAt
	}
	out.Notice = notice
	out.NotifiedAt = initialSentAt(v.Notifications)
	if v.Case.Status == incident.StatusInforming && (out.Notice == nil || !out.Notice.Sent()) {
		if d, ok := s.subjectsDeadline(out.NotifiedAt, decidedAt); ok {
			out.Due = &d
		}
	}
	out.CanDraft = v.Can(incident.ActDraftSubjects)
	out.CanApprove = v.Can(incident.ActApproveSubjects) && out.Notice != nil && !out.Notice.Approved()
	out.CanRecord = v.Can(incident.ActRecordSubjects) && out.Notice != nil && out.Notice.Approved() && !out.Notice.Sent()
	return out
}

// subjectsDue is the deadline to inform the data subjects (see
// subjectsDeadline), read from the database inside a transaction.
func (s *Incidents) subjectsDue(ctx context.Context, q *store.Queries, orgID, id int64) (due time.Time, ok bool, err error) {
	list, err := q.Notifications(ctx, orgID, id)
	if err != nil {
		return due, false, err
	}
	var decidedAt *time.Time
	if dec, decided, err := q.Decision(ctx, orgID, id); err != nil {
		return due, false, err
	} else if decided {
		decidedAt = &dec.DecidedAt
	}
	d, ok := s.subjectsDeadline(initialSentAt(list), decidedAt)
	return d.At, ok, nil
}

// initialSentAt is when the first notification to the AP was sent, if it was.
func initialSentAt(list []incident.Notification) *time.Time {
	for _, n := range list {
		if n.Kind == incident.NoticeInitial {
			at := n.SentAt
			return &at
		}
	}
	return nil
}
