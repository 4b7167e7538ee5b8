package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// InformBoard records that a board member was informed of the case and the
// officer's advice, with their view (seed 000 step 5). The decision stays the
// officer's.
func (s *Incidents) InformBoard(ctx context.Context, a *access.Actor, id int64, view string) error {
	ctx = scoped(ctx, a)
	errs := apperr.FieldErrors{}
	view = text(errs, "view", view, 2, 5000, "Schrijf kort uw standpunt op, bijvoorbeeld: ‘Akkoord met melden aan de AP.’")
	if err := errs.Err(); err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActInformBoard, func(q *store.Queries, c *incident.Case) (change, error) {
		if err := q.AddBoardNote(ctx, a.OrganisationID, id, a.UserID, incident.BoardInformed, view, s.d.Now()); err != nil {
			return change{}, err
		}
		if err := q.MessagesDone(ctx, a.OrganisationID, id, []string{"board_before_ap"}, s.d.Now()); err != nil {
			return change{}, err
		}
		return change{Summary: "Bestuur geïnformeerd; standpunt vastgelegd"}, nil
	})
}

// RecordBoardView records the board's view during the assessment (step 3):
// seed 001 decides "in overleg met de directie". The officer sees it on the
// decision page; the decision stays the officer's, and the 72 hours do not
// wait for it.
func (s *Incidents) RecordBoardView(ctx context.Context, a *access.Actor, id int64, view string) error {
	ctx = scoped(ctx, a)
	errs := apperr.FieldErrors{}
	view = text(errs, "board_view", view, 2, 5000, "Schrijf kort de zienswijze van het bestuur op, bijvoorbeeld: ‘Wij adviseren de ouders te informeren.’")
	if err := errs.Err(); err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActRecordBoardView, func(q *store.Queries, c *incident.Case) (change, error) {
		if err := q.AddBoardNote(ctx, a.OrganisationID, id, a.UserID, incident.BoardView, view, s.d.Now()); err != nil {
			return change{}, err
		}
		if err := q.MessagesDone(ctx, a.OrganisationID, id, []string{"board_assessment"}, s.d.Now()); err != nil {
			return change{}, err
		}
		return change{Summary: "Zienswijze van het bestuur vastgelegd (stap 3): " + view}, nil
	})
}

// closeCheck gathers what the register needs of a case.
func closeCheck(ctx context.Context, q *store.Queries, orgID, id int64) (incident.CloseCheck, error) {
	var cc incident.CloseCheck
	var err error
	if _, cc.HasInventory, err = q.Inventory(ctx, orgID, id); err != nil {
		return cc, err
	}
	dec, decided, err := q.Decision(ctx, orgID, id)
	if err != nil {
		return cc, err
	}
	cc.HasDecision, cc.Breach, cc.Consequences = decided, dec.Breach, dec.Consequences
	rep, ok, err := q.Repair(ctx, orgID, id)
	if err != nil {
		return cc, err
	}
	if ok {
		cc.Repair = &rep
	}
	notes, err := q.Notifications(ctx, orgID, id)
	if err != nil {
		return cc, err
	}
	files, err := q.Attachments(ctx, orgID, id, 0)
	if err != nil {
		return cc, err
	}
	cc.Notified, cc.HasConfirmation = len(notes) > 0, hasConfirmation(files)
	return cc, nil
}

func hasConfirmation(files []incident.Attachment) bool {
	for _, f := range files {
		if f.Kind == incident.AttachAPConfirmation {
			return true
		}
	}
	return false
}

// closeCheckOf is closeCheck from a case view that loaded it all already.
func closeCheckOf(v CaseView) incident.CloseCheck {
	cc := incident.CloseCheck{HasInventory: v.Inventory != nil, Repair: v.Repair,
		Notified: len(v.Notifications) > 0, HasConfirmation: hasConfirmation(v.Attachments)}
	if v.Decision != nil {
		cc.HasDecision, cc.Breach, cc.Consequences = true, v.Decision.Decision.Breach, v.Decision.Decision.Consequences
	}
	return cc
}

// ClosingGaps lists what must still be recorded before the desk can close.
// A missing AP confirmation is no gap: the close form asks why
// (CaseView.NeedsConfirmationReason).
func (s *Incidents) ClosingGaps(ctx context.Context, a *access.Actor, id int64) ([]string, error) {
	ctx = scoped(ctx, a)
	v, err := s.Case(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !v.Full {
		return nil, apperr.NotFoundf("Deze melding bestaat niet, of u mag haar niet inzien.")
	}
	return v.ClosingGaps, nil
}

// CloseCaseForm is what the desk gives when closing (step 6): why the AP's
// confirmation is missing, for a case notified to the AP without one.
type CloseCaseForm struct {
	NoConfirmationReason string
}

// Close archives the case in the register (step 6): only when what the
// register needs is complete. The reporter receives the summary of measures
// in the app, in the same transaction.
func (s *Incidents) Close(ctx context.Context, a *access.Actor, id int64) error {
	ctx = scoped(ctx, a)
	return s.CloseWith(ctx, a, id, CloseCaseForm{})
}

// CloseWith is Close with the desk's closing form: a case notified to the
// AP closes only with the AP's confirmation attached, or with the reason why
// there is none (issue 9.6), which the register shows.
func (s *Incidents) CloseWith(ctx context.Context, a *access.Actor, id int64, f CloseCaseForm) error {
	ctx = scoped(ctx, a)
	reason := strings.TrimSpace(f.NoConfirmationReason)
	if utf8.RuneCountInString(reason) > 5000 {
		return apperr.FieldErrors{"no_confirmation_reason": "Houd de reden korter dan 5000 tekens."}.Err()
	}
	return s.perform(ctx, a, id, incident.ActClose, func(q *store.Queries, c *incident.Case) (change, error) {
		cc, err := closeCheck(ctx, q, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		if missing := cc.Missing(); len(missing) > 0 {
			return change{}, apperr.New(apperr.Invalid, "De melding is nog niet compleet voor het register. Nog nodig: "+strings.Join(missing, " "))
		}
		if !cc.NeedsConfirmationReason() {
			reason = "" // the confirmation is attached: nothing to explain
		} else if utf8.RuneCountInString(reason) < 10 {
			return change{}, apperr.FieldErrors{"no_confirmation_reason": "Deze melding is gemeld bij de AP, maar de bevestiging van de AP is niet als bijlage bewaard. Voeg die toe (soort ‘Bevestiging van de AP’), of leg uit waarom die er niet is (minstens 10 tekens)."}.Err()
		}
		var details map[string]any
		note := ""
		if reason != "" {
			if err := q.SetNoConfirmationReason(ctx, a.OrganisationID, id, reason); err != nil {
				return change{}, err
			}
			details, note = map[string]any{"no_confirmation_reason": reason}, "; zonder bevestiging van de AP: "+reason
		}
		if c.Imported {
			// Reopened after an import: nobody in Lekwacht reported it.
			return change{Summary: "Vastgelegd in het register en afgesloten (stap 6)" + note, To: incident.StatusClosed, Details: details}, nil
		}
		body := incident.MeasuresSummary(*c, cc.Repair)
		if err := s.d.notifyClosed(ctx, q, a, c, body); err != nil {
			return change{}, err
		}
		return change{Summary: "Vastgelegd in het register en afgesloten (stap 6); de melder kreeg een samenvatting van de maatregelen" + note,
			To: incident.StatusClosed, Details: details}, nil
	})
}

// Reopen brings a closed case back to the officer, with the reason: an
// exception that no longer holds (encryption broken), or new facts.
func (s *Incidents) Reopen(ctx context.Context, a *access.Actor, id int64, reason string) error {
	ctx = scoped(ctx, a)
	errs := apperr.FieldErrors{}
	reason = text(errs, "reopen_reason", reason, 10, 5000, "Leg uit waarom de melding weer open moet, bijvoorbeeld: ‘De versleuteling blijkt gekraakt.’")
	if err := errs.Err(); err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActReopen, func(q *store.Queries, c *incident.Case) (change, error) {
		if err := s.d.notifyBoardAssessment(ctx, q, a, c); err != nil {
			return change{}, err
		}
		return change{Summary: "Heropend: " + reason, To: incident.StatusAssessment, Details: map[string]any{"reason": reason}}, nil
	})
}

// Messages lists the actor's latest messages in the app.
func (s *Incidents) Messages(ctx context.Context, a *access.Actor) ([]incident.Message, error) {
	ctx = scoped(ctx, a)
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	return s.d.Store.Messages(ctx, a.OrganisationID, a.UserID, 10, true)
}

// AllMessages lists the actor's notifications in the app, newest first (the
// latest 200): everything Lekwacht mailed them is here too.
func (s *Incidents) AllMessages(ctx context.Context, a *access.Actor) ([]incident.Message, error) {
	ctx = scoped(ctx, a)
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	return s.d.Store.Messages(ctx, a.OrganisationID, a.UserID, 200, false)
}

// UnreadMessages counts the actor's own messages not yet marked as read.
func (s *Incidents) UnreadMessages(ctx context.Context, a *access.Actor) (int, error) {
	ctx = scoped(ctx, a)
	if a == nil {
		return 0, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	return s.d.Store.UnreadMessages(ctx, a.OrganisationID, a.UserID)
}

// MarkMessagesRead marks the actor's own messages up to message upTo (the
// newest on the page they saw) as read. Only the actor's own: the query
// filters by organisation and user.
func (s *Incidents) MarkMessagesRead(ctx context.Context, a *access.Actor, upTo int64) error {
	ctx = scoped(ctx, a)
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	if upTo <= 0 {
		return apperr.New(apperr.Invalid, "Er zijn geen berichten om als gelezen te markeren.")
	}
	_, err := s.d.Store.MarkMessagesRead(ctx, a.OrganisationID, a.UserID, upTo, incident.ActionableKinds(), s.d.Now())
	return err
}
