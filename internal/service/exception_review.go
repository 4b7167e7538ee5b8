package service

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Exceptions are revisited (seed 001 "Uitzonderingen"; incident/exception.go):
// a decision not to inform the data subjects on a ground that can stop
// holding gets a review date; the scan reminds the FG once per due review;
// the FG confirms the ground, or records that it no longer holds, which
// sends the case back to step 3 for a new decision.

// ReminderException is the reminder kind of a due exception review.
const ReminderException = "exception_review"

// planExceptionReview is called in the transaction of every saved decision:
// a decision that relies on a reviewed exception plans its first review a
// period from now; any other ends the review in force.
func (s *Incidents) planExceptionReview(ctx context.Context, q *store.Queries, orgID, id int64, d incident.Decision) error {
	now := s.d.Now()
	if d.Breach && !d.NotifySubjects && incident.Reviewed(d.SubjectsException) {
		months, err := q.ExceptionReviewMonths(ctx, orgID)
		if err != nil {
			return err
		}
		return q.StartExceptionReview(ctx, orgID, id, d.SubjectsException, now.In(s.d.Location).AddDate(0, months, 0), now)
	}
	return q.EndExceptionReview(ctx, orgID, id, "Nieuw besluit zonder deze uitzondering", now)
}

// ExceptionReviewOf returns the case's review in force, for its page; ok is
// false when there is none or the actor may not see the case in full.
func (s *Incidents) ExceptionReviewOf(ctx context.Context, a *access.Actor, id int64) (store.ExceptionReview, bool, error) {
	ctx = scoped(ctx, a)
	v, err := s.Case(ctx, a, id)
	if err != nil || !v.Full {
		return store.ExceptionReview{}, false, err
	}
	return s.d.Store.ActiveExceptionReview(ctx, a.OrganisationID, id)
}

// ExceptionHolds records that the exception still holds (with an optional
// note) and moves the review on by the organisation's period.
func (s *Incidents) ExceptionHolds(ctx context.Context, a *access.Actor, id int64, note string) error {
	ctx = scoped(ctx, a)
	errs := apperr.FieldErrors{}
	note = text(errs, "exception_note", note, 0, 5000, "")
	if err := errs.Err(); err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActExceptionHolds, func(q *store.Queries, c *incident.Case) (change, error) {
		r, ok, err := q.ActiveExceptionReview(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		if !ok {
			return change{}, apperr.New(apperr.Invalid, "Bij deze melding loopt geen herbeoordeling van een uitzondering.")
		}
		months, err := q.ExceptionReviewMonths(ctx, a.OrganisationID)
		if err != nil {
			return change{}, err
		}
		now := s.d.Now()
		next := incident.NextReview(r.DueAt, now, months, s.d.Location)
		if err := q.ConfirmExceptionReview(ctx, a.OrganisationID, id, a.UserID, next, now); err != nil {
			return change{}, err
		}
		summary := "Herbeoordeling: de uitzondering geldt nog (" + incident.LabelOf(incident.SubjectsExceptions, r.Exception) +
			"); volgende herbeoordeling op " + next.In(s.d.Location).Format("02-01-2006")
		if note != "" {
			summary += ". " + note
		}
		return change{Summary: summary, Details: map[string]any{"exception": r.Exception, "due": r.DueAt, "next": next, "note": note}}, nil
	})
}

// ExceptionLapsed records that the exception no longer holds, with the
// reason: the review ends and the case goes back to the FG's assessment for
// a new decision on informing the data subjects (step 3, then step 7).
func (s *Incidents) ExceptionLapsed(ctx context.Context, a *access.Actor, id int64, reason string) error {
	ctx = scoped(ctx, a)
	errs := apperr.FieldErrors{}
	reason = text(errs, "lapse_reason", reason, 10, 5000, "Leg uit waarom de uitzondering niet meer geldt, bijvoorbeeld: ‘De versleuteling van de stick is gekraakt.’")
	if err := errs.Err(); err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActExceptionLapsed, func(q *store.Queries, c *incident.Case) (change, error) {
		r, ok, err := q.ActiveExceptionReview(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		if !ok {
			return change{}, apperr.New(apperr.Invalid, "Bij deze melding loopt geen herbeoordeling van een uitzondering.")
		}
		if err := q.EndExceptionReview(ctx, a.OrganisationID, id, reason, s.d.Now()); err != nil {
			return change{}, err
		}
		return change{Summary: "De uitzondering geldt niet meer (" + incident.LabelOf(incident.SubjectsExceptions, r.Exception) + "): " + reason +
			". Terug naar de FG voor een nieuw besluit over het informeren van de betrokkenen.",
			To: incident.StatusAssessment, Details: map[string]any{"exception": r.Exception, "reason": reason}}, nil
	})
}

// exceptionReminders reminds the officers of the case's school of every
// review that has come due, once per due date: the reminder row is keyed
// by the date, inserted with the notification in one transaction.
func (s *Services) exceptionReminders(ctx context.Context, now time.Time) (int, error) {
	due, err := s.d.Store.DueExceptionReviews(ctx, now, s.reminderBatch())
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, r := range due {
		err := transact(ctx, s.d.Store, func(q *store.Queries) error {
			fresh, err := q.AddReminder(ctx, r.OrganisationID, r.CaseID, ReminderException, r.DueAt.UTC().Format(time.RFC3339), r.DueAt, now, true)
			if err != nil || !fresh {
				return err
			}
			to, err := q.UsersWithRoleFor(ctx, r.OrganisationID, access.Officer, r.SchoolID)
			if err != nil {
				return err
			}
			id := r.CaseID
			if err := s.d.notify(ctx, q, r.OrganisationID, to, 0, notice{
				Kind: "reminder_" + ReminderException, Key: "reminder:" + strconv.FormatInt(r.CaseID, 10) + ":" + ReminderException + ":" + r.DueAt.UTC().Format(time.RFC3339),
				CaseID:  &id,
				Subject: fmt.Sprintf("Herbeoordeling uitzondering bij melding %s", r.Number),
				Paragraphs: []string{
					fmt.Sprintf("Bij melding %s zijn de betrokkenen niet geïnformeerd omdat %s. Op %s is het tijd om na te gaan of dat nog zo is.",
						r.Number, incident.ExceptionBecause(r.Exception), r.DueAt.In(s.d.Location).Format("02-01-2006")),
					"Geldt de uitzondering nog (bijvoorbeeld: de versleuteling is nog niet te kraken)? Leg dat vast. Geldt ze niet meer? Leg vast waarom; de melding gaat dan terug naar de beoordeling, zodat u opnieuw besluit over het informeren van de betrokkenen.",
				},
				Path: casePath(r.CaseID), LinkText: "Bekijk de melding",
			}); err != nil {
				return err
			}
			sent++
			return q.AddEvent(ctx, store.NewEvent{OrganisationID: r.OrganisationID, CaseID: r.CaseID, At: now,
				Kind: "reminder", Summary: "Herinnering verstuurd aan de FG: herbeoordeling van de uitzondering",
				Details: map[string]any{"kind": ReminderException, "due": r.DueAt, "recipients": len(to)}})
		})
		if err != nil {
			return sent, fmt.Errorf("exception review reminder for case %d: %w", r.CaseID, err)
		}
	}
	return sent, nil
}
