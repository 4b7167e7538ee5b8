package deadline

import (
	"fmt"
	"time"
)

// AuthorityWindow is the GDPR art. 33(1) limit for notifying the Autoriteit
// Persoonsgegevens: 72 hours after the controller became aware of the breach.
const AuthorityWindow = 72 * time.Hour

// Authority returns the latest moment to notify the Autoriteit Persoonsgegevens:
// exactly 72 hours (an absolute duration) after awareAt, the moment the officer
// became aware of the breach with reasonable certainty (seed 000 counts from
// discovery). Across a daylight-saving change the Amsterdam wall clock shows
// 73 (March) or 71 (October) hours later. The result keeps awareAt's location;
// use Calendar.Authority for the same instant in Amsterdam.
func Authority(awareAt time.Time) time.Time {
	return awareAt.Add(AuthorityWindow)
}

// Authority is Authority(awareAt) shown in Europe/Amsterdam.
func (c *Calendar) Authority(awareAt time.Time) time.Time {
	return Authority(awareAt).In(c.loc)
}

// FilingWorkingDays is the number of working days the officer has to file the
// notification after the step-3 conclusion (seed 000 step 5).
const FilingWorkingDays = 2

// Filing returns the latest moment for the officer to file the notification
// (seed 000 step 5: "binnen twee werkdagen"): the end (23:59:59.999999,
// see EndOfDay) of the second working day after the Amsterdam calendar day of
// concludedAt. The day of the conclusion itself never counts; a conclusion on
// a weekend or holiday therefore counts from the next working day, so a
// conclusion on Saturday or Sunday has the same deadline as one on Friday
// (Tuesday, end of day, in an ordinary week).
func (c *Calendar) Filing(concludedAt time.Time) time.Time {
	return c.EndOfDay(c.AddWorkingDays(concludedAt, FilingWorkingDays))
}

// Subjects returns the moment by which data subjects are to be informed
// (seed 000 "Communicatie": "binnen 1 week na melding"): seven calendar days
// after notifiedAt at the same Amsterdam wall-clock time, so a daylight-saving
// change in between does not move the hour (the week then lasts 167 or 169
// hours). A time that does not exist on the target day (02:xx on the last
// Sunday of March) is normalised by time.Date to one hour later; a time that
// occurs twice (02:xx on the last Sunday of October) resolves, with Go 1.26,
// to the second occurrence (CET), the later deadline.
func (c *Calendar) Subjects(notifiedAt time.Time) time.Time {
	return notifiedAt.In(c.loc).AddDate(0, 0, 7)
}

// Late reports whether a deadline was missed: doneAt is after due. Being done
// exactly at due is in time.
func Late(due, doneAt time.Time) bool {
	return doneAt.After(due)
}

// UrgentWithin is the time left under which a deadline is urgent.
const UrgentWithin = 24 * time.Hour

// Status describes a deadline as seen at one moment.
type Status struct {
	Due     time.Time
	Left    time.Duration // due - now; negative when overdue
	Overdue bool          // now is after due
	Urgent  bool          // not overdue and less than 24 hours left
}

// Check returns the status of the deadline due at the moment now. Durations
// are absolute (a day is 24 hours), so they stay correct across a
// daylight-saving change.
func Check(due, now time.Time) Status {
	left := due.Sub(now)
	overdue := Late(due, now)
	return Status{
		Due:     due,
		Left:    left,
		Overdue: overdue,
		Urgent:  !overdue && left < UrgentWithin,
	}
}

// Text returns the status in Dutch, with the two largest units, rounded down:
// "nog 2 dagen en 5 uur", "nog 5 uur en 12 minuten", "nog 40 minuten",
// "nog minder dan 1 minuut", "3 uur te laat", "1 dag en 2 uur te laat".
// A zero second unit is left out ("nog 2 dagen", "3 uur te laat").
func (s Status) Text() string {
	if s.Overdue {
		return amount(-s.Left) + " te laat"
	}
	return "nog " + amount(s.Left)
}

// amount formats a non-negative duration in Dutch with its two largest units
// (days and hours, or hours and minutes, or minutes), rounded down.
func amount(d time.Duration) string {
	days := int64(d / (24 * time.Hour))
	hours := int64(d % (24 * time.Hour) / time.Hour)
	minutes := int64(d % time.Hour / time.Minute)
	switch {
	case days > 0:
		return pair(unit(days, "dag", "dagen"), hours, "uur", "uur")
	case hours > 0:
		return pair(unit(hours, "uur", "uur"), minutes, "minuut", "minuten")
	case minutes > 0:
		return unit(minutes, "minuut", "minuten")
	default:
		return "minder dan 1 minuut"
	}
}

func pair(first string, n int64, one, many string) string {
	if n == 0 {
		return first
	}
	return first + " en " + unit(n, one, many)
}

func unit(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
