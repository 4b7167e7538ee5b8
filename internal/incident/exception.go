package incident

import (
	"slices"
	"time"
)

// Exceptions are revisited, not forgotten (seed 001 "Uitzonderingen"): when
// the data subjects are not informed because the data were unintelligible
// (i) or measures right after the breach removed the high risk (ii), the FG
// reviews that ground every period (per organisation, default a year). It
// either still holds (the review moves on by the period), or it no longer
// does: the case goes back to the FG's assessment (step 3), where a new
// decision on informing the data subjects is recorded as any other; when
// that decision is to inform them, the case goes on to step 7.

// ExceptionReview is the periodic review of the ground on which the data
// subjects were not informed.
type ExceptionReview struct {
	Exception  string
	DueAt      time.Time
	StartedAt  time.Time
	ReviewedAt *time.Time
	EndedAt    *time.Time
	EndReason  string
}

// exceptionReviewed are the statuses in which a case can have a review in
// force: after a decision that relies on an exception, the case is with the
// AP notification, the desk or in the register.
var exceptionReviewed = []Status{StatusNotification, StatusRecording, StatusClosed}

// ReviewedExceptions are the grounds that are reviewed: the ones that can
// stop holding. "Geen hoog risico" is an assessment, not an exception.
var ReviewedExceptions = []string{"unintelligible", "mitigated"}

// Reviewed reports whether a decision not to inform on this ground gets a
// periodic review.
func Reviewed(exception string) bool { return slices.Contains(ReviewedExceptions, exception) }

// Review period bounds, in months.
const (
	DefaultReviewMonths = 12
	MinReviewMonths     = 1
	MaxReviewMonths     = 60
)

// NextReview is the review date after due by the period, moved on by
// further periods until it lies after now (a review confirmed late does not
// come due again at once).
func NextReview(due, now time.Time, months int, loc *time.Location) time.Time {
	if months < MinReviewMonths {
		months = DefaultReviewMonths
	}
	next := due.In(loc).AddDate(0, months, 0)
	for !next.After(now) {
		next = next.AddDate(0, months, 0)
	}
	return next
}

// ExceptionBecause completes "de betrokkenen zijn niet geïnformeerd omdat …".
func ExceptionBecause(exception string) string {
	switch exception {
	case "unintelligible":
		return "de gegevens onleesbaar waren (goed versleuteld, de sleutel niet gelekt)"
	case "mitigated":
		return "maatregelen direct na het lek een hoog risico onwaarschijnlijk maakten"
	}
	return LabelOf(SubjectsExceptions, exception)
}
