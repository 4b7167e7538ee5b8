package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// change is what a workflow action did: the timeline entry and, when the
// case moves, its new status.
type change struct {
	Summary string
	Details map[string]any
	To      incident.Status // "" keeps the status
	// Kind names the timeline entry when it is not the action itself (a
	// step within an action, e.g. uploading the recipients of step 7).
	Kind string
}

// perform runs one workflow action on a case in one transaction: it loads the
// case of the actor's organisation, checks the transition table (role within
// its school scope or relation to the case, and the current status), takes
// the case's row lock with a guard on its status, lets fn make the change,
// moves the case when fn says so, and writes the timeline entry. Two people
// acting at once: the second gets a Conflict and nothing of theirs is stored.
func (s *Incidents) perform(ctx context.Context, a *access.Actor, id int64, act incident.Action,
	fn func(q *store.Queries, c *incident.Case) (change, error)) error {
	return s.performIf(ctx, a, id, act, func(c *incident.Case, rel incident.Relation) error {
		if !incident.CanDo(a, c, rel, act) {
			return refusal(a, c, act, "U mag dit niet doen bij deze melding.")
		}
		return nil
	}, fn)
}

// performIf is perform for an action outside the transition table (it does
// not move the case): allowed decides, on the case as locked, whether the
// actor may act, and returns the refusal otherwise.
func (s *Incidents) performIf(ctx context.Context, a *access.Actor, id int64, act incident.Action,
	allowed func(c *incident.Case, rel incident.Relation) error,
	fn func(q *store.Queries, c *incident.Case) (change, error)) error {
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	now := s.d.Now()
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		c, err := q.Case(ctx, a.OrganisationID, id)
		if err != nil {
			return err
		}
		rel, err := q.CaseRelation(ctx, a.OrganisationID, id, a.UserID)
		if err != nil {
			return err
		}
		if !incident.CanViewWith(a, &c, rel) {
			return apperr.NotFoundf("Deze melding bestaat niet, of u mag haar niet inzien.")
		}
		if err := allowed(&c, rel); err != nil {
			return err
		}
		// The row lock, and the guard that the status is still what we checked.
		if err := q.TouchCase(ctx, a.OrganisationID, id, c.Status, now); err != nil {
			return err
		}
		ch, err := fn(q, &c)
		if err != nil {
			return err
		}
		if ch.To != "" && ch.To != c.Status {
			if !incident.Leads(act, ch.To) {
				return fmt.Errorf("workflow: %s may not lead to %s", act, ch.To)
			}
			if err := q.MoveCase(ctx, a.OrganisationID, id, c.Status, ch.To, now); err != nil {
				return err
			}
			// Messages about the step the case left no longer ask for anything;
			// at closing, none does (a message that only informs, such as the
			// reporter's summary, stays until read).
			if err := q.MessagesDone(ctx, a.OrganisationID, id, incident.MessagesDoneIn(ch.To), now); err != nil {
				return err
			}
		}
		details := ch.Details
		if details == nil {
			details = map[string]any{}
		}
		details["action"] = string(act)
		if ch.To != "" && ch.To != c.Status {
			details["from"], details["to"] = string(c.Status), string(ch.To)
		}
		kind := string(act)
		if ch.Kind != "" {
			kind = ch.Kind
		}
		return q.AddEvent(ctx, store.NewEvent{OrganisationID: a.OrganisationID, CaseID: id, At: now, ActorID: &a.UserID,
			Kind: kind, Summary: ch.Summary, Details: details})
	})
}

// refusal says why the actor may not perform act now: not in this step (a
// conflict: someone moved the case on, or it is not there yet), or not
// theirs to do (forbidden, with msg).
func refusal(a *access.Actor, c *incident.Case, act incident.Action, msg string) error {
	t, _ := incident.TransitionFor(act)
	if !slices.Contains(t.From, c.Status) {
		return apperr.Conflictf("Dit kan niet (meer) in deze stap: de melding staat nu op ‘%s’. Bekijk de melding opnieuw.", c.Status.Label())
	}
	return apperr.Forbiddenf("%s", msg)
}

// StepPage loads a case for the page of one workflow action, refusing the
// page to whoever may not perform that action now (msg says who may).
func (s *Incidents) StepPage(ctx context.Context, a *access.Actor, id int64, act incident.Action, msg string) (CaseView, error) {
	ctx = scoped(ctx, a)
	v, err := s.Case(ctx, a, id)
	if err != nil {
		return CaseView{}, err
	}
	if !v.Can(act) {
		return CaseView{}, refusal(a, &v.Case, act, msg)
	}
	return v, nil
}
