// Package deadline holds the pure deadline arithmetic of lekwacht: the Dutch
// working-day calendar, the deadlines of the breach procedure (GDPR art. 33,
// seed 000 step 5, seed 000 "Communicatie") and their status texts in Dutch.
//
// The package does no I/O and reads no clock: every function takes the times
// it needs, so callers inject "now". All wall-clock reasoning (which calendar
// day an instant falls on, the end of a day, "the same time a week later") is
// done in Europe/Amsterdam, whatever location the arguments carry. See
// docs/deadlines.md for the rules and worked examples.
package deadline

import (
	"fmt"
	"time"

	// Embed the time zone database so Europe/Amsterdam loads in a scratch
	// container without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/nl"
)

// Zone is the time zone all wall-clock reasoning is done in.
const Zone = "Europe/Amsterdam"

// holiday is one day off: a holiday definition from rickar/cal and the years
// in which it counts as a day off.
type holiday struct {
	def *cal.Holiday
	// counts reports whether the holiday is a day off in the given year;
	// nil means every year.
	counts func(year int) bool
}

// Calendar knows the Dutch working days (Monday to Friday minus the public
// holidays that are days off at schools) and computes the deadlines that
// depend on them. A Calendar is immutable and safe for concurrent use.
type Calendar struct {
	loc      *time.Location
	holidays []holiday
}

// New loads Europe/Amsterdam and builds the holiday list from rickar/cal's
// nl package:
//
//   - counted every year: Nieuwjaarsdag, Eerste and Tweede Paasdag, Koningsdag
//     (27 April, or Saturday 26 April when the 27th is a Sunday, as the
//     library computes it; from 2014, the first Koningsdag), Hemelvaartsdag,
//     Eerste and Tweede Pinksterdag, Eerste and Tweede Kerstdag;
//   - Bevrijdingsdag (5 May) only in lustrum years (year divisible by 5:
//     2025, 2030, ...), as in the Dutch education CAOs;
//   - Goede Vrijdag never: it is a working day at schools.
//
// nl has no Eerste Paasdag and Eerste Pinksterdag (always Sundays); they come
// from the library's aa package so that HolidayName can name them.
func New() (*Calendar, error) {
	loc, err := time.LoadLocation(Zone)
	if err != nil {
		return nil, fmt.Errorf("deadline: load time zone %s: %w", Zone, err)
	}
	c := &Calendar{loc: loc}
	for _, h := range nl.Holidays {
		switch h {
		case nl.GoedeVrijdag:
			// Not a day off for schools (nor in the education CAOs).
			continue
		case nl.BevrijdingsDag:
			c.holidays = append(c.holidays, holiday{def: h, counts: lustrum})
		case nl.Koningsdag:
			// Koninginnedag (30 April) before 2014 is out of scope.
			c.holidays = append(c.holidays, holiday{def: h.Clone(&cal.Holiday{StartYear: 2014})})
		default:
			c.holidays = append(c.holidays, holiday{def: h})
		}
	}
	c.holidays = append(c.holidays,
		holiday{def: aa.Easter.Clone(&cal.Holiday{Name: "Eerste Paasdag", Type: cal.ObservancePublic})},
		holiday{def: aa.Pentecost.Clone(&cal.Holiday{Name: "Eerste Pinksterdag", Type: cal.ObservancePublic})},
	)
	return c, nil
}

// lustrum reports whether year is a lustrum year of the liberation (1945):
// 2025, 2030, ... In those years the education CAOs give 5 May off.
func lustrum(year int) bool { return year%5 == 0 }

// Location returns Europe/Amsterdam, the location the Calendar reasons in.
func (c *Calendar) Location() *time.Location { return c.loc }

// HolidayName returns the Dutch name of the holiday on the Amsterdam calendar
// day of t, if that day is a holiday that counts as a day off (see New).
// Goede Vrijdag, and Bevrijdingsdag outside lustrum years, report false.
func (c *Calendar) HolidayName(t time.Time) (string, bool) {
	y, m, d := t.In(c.loc).Date()
	for _, h := range c.holidays {
		if h.counts != nil && !h.counts(y) {
			continue
		}
		// Calc returns midnight in cal.DefaultLoc; only its date is used.
		_, observed := h.def.Calc(y)
		if observed.IsZero() {
			continue
		}
		oy, om, od := observed.Date()
		if oy == y && om == m && od == d {
			return h.def.Name, true
		}
	}
	return "", false
}

// IsWorkingDay reports whether the Amsterdam calendar day of t is a working
// day: Monday to Friday and not a holiday that counts (see New).
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	switch t.In(c.loc).Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	_, hol := c.HolidayName(t)
	return !hol
}

// AddWorkingDays moves n working days from the Amsterdam calendar day of t and
// keeps the Amsterdam wall-clock time of t. The day of t itself is never
// counted, working day or not: from a Friday or a Saturday, n = 1 gives the
// next Monday (when that is a working day). n = 0 returns t unchanged
// (in Amsterdam); a negative n moves backwards.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	t = t.In(c.loc)
	if n == 0 {
		return t
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	y, m, d := t.Date()
	day := d
	for n > 0 {
		day += step
		// Noon is never in a DST gap; time.Date normalises the day overflow.
		if c.IsWorkingDay(time.Date(y, m, day, 12, 0, 0, 0, c.loc)) {
			n--
		}
	}
	return time.Date(y, m, day, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), c.loc)
}

// EndOfDay returns the last moment of the Amsterdam calendar day of t:
// 23:59:59.999999, the last microsecond, so that the value survives a round
// trip through PostgreSQL's timestamptz (microsecond precision) unchanged.
// Anything from 00:00 the next day on is after it.
func (c *Calendar) EndOfDay(t time.Time) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, c.loc).Add(-time.Microsecond)
}
