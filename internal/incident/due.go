package incident

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lekwacht/lekwacht/internal/deadline"
)

// The deadlines of a case as users see them (issue 9.2): which run in the
// case's status, which one counts, in words a teacher reads, and who must
// act next. The case page, every start page, the register and its exports
// call CaseDeadlines with the same facts, so they show the same deadline.

// DueKind names a deadline.
type DueKind string

// Deadline kinds.
const (
	DueAuthority DueKind = "authority" // 72 hours to notify the AP (GDPR art. 33)
	DueFiling    DueKind = "filing"    // two working days after the decision (seed 000 step 5)
	DueSubjects  DueKind = "subjects"  // one week to inform the data subjects (seed 000)
	DueProcessor DueKind = "processor" // the processor's delivery time (its agreement)
)

// Clock is where the 72 hours start, and why. Start is cases.clock_start,
// the one definition of that moment (see Case.AwareAt); the other fields
// only explain it in words.
type Clock struct {
	Start      time.Time
	Discovered *time.Time // the reporter's "Wanneer ontdekte u het?"
	Reported   time.Time
	// Reason is the officer's reason when they set the moment of awareness
	// (aware_at and aware_reason are only ever set together).
	Reason string
}

// Note says, when the officer moved the start away from the discovery, that
// and why: "De FG zette het begin van de 72 uur later dan de ontdekking (vr
// 27 november 17:00): ma 30 november 12:00. Reden: …". Empty when the clock
// runs from the discovery or the report.
func (c Clock) Note(loc *time.Location) string {
	if c.Reason == "" {
		return ""
	}
	// What the reporter's moments alone would give, for the comparison in
	// words; the moment that counts is Start, read from the database.
	base, what := c.Reported, "de melding"
	if c.Discovered != nil && c.Discovered.Before(c.Reported) {
		base, what = *c.Discovered, "de ontdekking"
	}
	how := "op hetzelfde moment als"
	switch {
	case c.Start.After(base):
		how = "later dan"
	case c.Start.Before(base):
		how = "eerder dan"
	}
	return fmt.Sprintf("De FG zette het begin van de 72 uur %s %s (%s): %s. Reden: %s",
		how, what, DayTime(base, loc, c.Start), DayTime(c.Start, loc, base), c.Reason)
}

// DueFacts is what a case's deadlines count from.
type DueFacts struct {
	Status         Status
	Clock          Clock
	DecidedAt      *time.Time // the step-3 decision
	NotifiedAt     *time.Time // the initial AP notification
	SubjectsSentAt *time.Time // the notice to the data subjects
	// Imported cases are not judged: the sheet does not give the moments
	// the deadlines count from.
	Imported bool
}

// Deadline statuses in which the 72 hours run (while the AP is not notified).
var authorityStatuses = []Status{StatusNew, StatusInventory, StatusConfirmation, StatusAssessment, StatusNotification}

// CaseDeadlines returns the deadlines that run for a case at now, the one
// that falls first (the one that counts) first. The protocol's two working
// days after the decision are returned only when they fall before the legal
// 72 hours: an internal term may never look as if it gave more time than
// the law.
func CaseDeadlines(cal *deadline.Calendar, f DueFacts, now time.Time) []Due {
	if f.Imported {
		return nil
	}
	var out []Due
	if slices.Contains(authorityStatuses, f.Status) && f.NotifiedAt == nil {
		authority := AuthorityDue(cal, f.Clock, now)
		out = append(out, authority)
		if f.Status == StatusNotification && f.DecidedAt != nil {
			if filing := cal.Filing(*f.DecidedAt); filing.Before(authority.At) {
				out = append(out, NewDue(DueFiling, "de melding indienen (2 werkdagen na het besluit)", filing, now))
			}
		}
	}
	if f.Status == StatusInforming && f.SubjectsSentAt == nil {
		if d, ok := SubjectsDue(cal, f.NotifiedAt, f.DecidedAt, now); ok {
			out = append(out, d)
		}
	}
	SortDues(out)
	return out
}

// AuthorityDue is the 72 hours to notify the AP from the clock's start,
// with the note when the officer moved that start.
func AuthorityDue(cal *deadline.Calendar, c Clock, now time.Time) Due {
	d := NewDue(DueAuthority, "melden aan de AP (72 uur)", cal.Authority(c.Start), now)
	d.Note = c.Note(cal.Location())
	return d
}

// SubjectsDue is the one rule for informing data subjects (seed 000):
// within a week of the AP notification; without one (only the data
// subjects are informed), within a week of the decision.
func SubjectsDue(cal *deadline.Calendar, notifiedAt, decidedAt *time.Time, now time.Time) (Due, bool) {
	switch {
	case notifiedAt != nil:
		return NewDue(DueSubjects, "de betrokkenen informeren (1 week na de melding)", cal.Subjects(*notifiedAt), now), true
	case decidedAt != nil:
		return NewDue(DueSubjects, "de betrokkenen informeren (1 week na het besluit)", cal.Subjects(*decidedAt), now), true
	}
	return Due{}, false
}

// Clock is where the case's 72 hours start, and why.
func (c *Case) Clock() Clock {
	return Clock{Start: c.AwareAt, Discovered: c.Report.DiscoveredAt, Reported: c.ReportedAt, Reason: c.AwareReason}
}

// SortDues puts the deadline that falls first first.
func SortDues(list []Due) {
	slices.SortStableFunc(list, func(a, b Due) int { return a.At.Compare(b.At) })
}

// NewDue is a deadline as it stands at now.
func NewDue(kind DueKind, label string, at, now time.Time) Due {
	st := deadline.Check(at, now)
	return Due{Kind: kind, Label: label, At: at, Overdue: st.Overdue, Urgent: st.Urgent, Text: st.Text(), now: now}
}

// State is the state of an urgent or missed deadline in words, so that it
// is never told by colour alone: "Te laat", "Minder dan 24 uur"; empty while
// more than a day is left.
func (d Due) State() string {
	switch {
	case d.Overdue:
		return "Te laat"
	case d.Urgent:
		return "Minder dan 24 uur"
	}
	return ""
}

// When is the deadline's moment in words: "zo 6 december 08:15", with the
// year when it is not the year of the moment it was judged at.
func (d Due) When(loc *time.Location) string { return DayTime(d.At, loc, d.now) }

// Sentence is the deadline in the words every page and export uses:
// "Uiterlijk melden aan de AP (72 uur): zo 6 december 08:15 — nog 2 dagen
// en 16 uur".
func (d Due) Sentence(loc *time.Location) string {
	return "Uiterlijk " + d.Label + ": " + d.When(loc) + " — " + d.Text
}

var dayAbbrev = []string{"zo", "ma", "di", "wo", "do", "vr", "za"}

// DayTime writes a moment as "zo 6 december 08:15" in loc, with the year
// ("zo 6 december 2026 08:15") when it differs from ref's.
func DayTime(t time.Time, loc *time.Location, ref time.Time) string {
	t = t.In(loc)
	s := fmt.Sprintf("%s %d %s", dayAbbrev[t.Weekday()], t.Day(), dutchMonths[t.Month()-1])
	if ref.IsZero() || t.Year() != ref.In(loc).Year() {
		s += fmt.Sprintf(" %d", t.Year())
	}
	return s + t.Format(" 15:04")
}

// WaitingOn says who must act next on a case in status s, as "de FG", "het
// meldpunt", "het bestuur, dan de FG": the performers of the transitions
// that move the case on from s, in the transition table. boardInformed
// tells whether the board was informed before the AP notification (seed 000
// step 5): until then the board comes first. Empty for a closed case.
func WaitingOn(s Status, boardInformed bool) string {
	var who []string
	for _, t := range Workflow {
		if !slices.Contains(t.From, s) || len(t.To) == 0 || (len(t.To) == 1 && t.To[0] == s) || slices.Contains(Unprompted, t.Action) {
			continue
		}
		for _, p := range t.By {
			if n := p.Named(); n != "" && !slices.Contains(who, n) {
				who = append(who, n)
			}
		}
	}
	if s == StatusNotification && !boardInformed {
		who = append([]string{ByBoard.Named()}, slices.DeleteFunc(who, func(n string) bool { return n == ByBoard.Named() })...)
		return strings.Join(who, ", dan ")
	}
	return strings.Join(who, " of ")
}

// Named is the performer as a sentence names it: "de FG", "het meldpunt".
func (p Performer) Named() string {
	switch p {
	case ByDesk:
		return "het meldpunt"
	case ByOfficer:
		return "de FG"
	case ByBoard:
		return "het bestuur"
	case ByTechnician:
		return "de technicus"
	}
	return ""
}
