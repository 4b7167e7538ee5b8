package deadline

import (
	"testing"
	"time"
)

func TestAuthority(t *testing.T) {
	c := newCal(t)
	tests := []struct {
		name      string
		aware     time.Time
		want      string // Amsterdam wall clock of the deadline
		wallHours int    // hours the wall clock moves
	}{
		{"weekday", at(t, "2026-06-09 14:30"), "Fri 2026-06-12 14:30 CEST", 72},
		{"across a weekend", at(t, "2026-06-12 16:45"), "Mon 2026-06-15 16:45 CEST", 72},
		{"winter weekend", at(t, "2026-01-09 08:05"), "Mon 2026-01-12 08:05 CET", 72},
		{"spring DST change (29 March 2026)", at(t, "2026-03-27 10:00"), "Mon 2026-03-30 11:00 CEST", 73},
		{"autumn DST change (25 October 2026)", at(t, "2026-10-23 10:00"), "Mon 2026-10-26 09:00 CET", 71},
		{"spring DST change (28 March 2027, Easter)", at(t, "2027-03-26 23:30"), "Tue 2027-03-30 00:30 CEST", 73},
		{"autumn DST change (31 October 2027)", at(t, "2027-10-29 12:00"), "Mon 2027-11-01 11:00 CET", 71},
		// 02:30 CEST on 25 October 2026, the first of the two 02:30s (00:30 UTC).
		{"aware in the repeated hour", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "Wed 2026-10-28 01:30 CET", 71},
		// 03:30 CEST on 29 March 2026, just after the skipped hour.
		{"aware just after the skipped hour", at(t, "2026-03-29 03:30"), "Wed 2026-04-01 03:30 CEST", 72},
		// 01:30 CET on 29 March 2026, just before the skipped hour.
		{"aware just before the skipped hour", at(t, "2026-03-29 01:30"), "Wed 2026-04-01 02:30 CEST", 73},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Authority(tt.aware)
			if d := got.Sub(tt.aware); d != 72*time.Hour {
				t.Errorf("elapsed %s, want 72h", d)
			}
			if w := wall(got); w != tt.want {
				t.Errorf("Authority(%s) = %s, want %s", wall(tt.aware), w, tt.want)
			}
			if m := c.Authority(tt.aware); !m.Equal(got) || m.Location() != c.Location() {
				t.Errorf("Calendar.Authority = %s (%s), want %s in Amsterdam", m, m.Location(), got)
			}
			// The wall clock difference, computed by reading both wall clocks as UTC.
			a := tt.aware.In(amsterdam)
			naive := func(v time.Time) time.Time {
				return time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), 0, 0, time.UTC)
			}
			if h := naive(got.In(amsterdam)).Sub(naive(a)); h != time.Duration(tt.wallHours)*time.Hour {
				t.Errorf("wall clock moved %s, want %dh", h, tt.wallHours)
			}
		})
	}
}

// end is the expected filing deadline: the last microsecond of the day.
func end(t *testing.T, date string) time.Time {
	t.Helper()
	d := day(t, date)
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 999999000, amsterdam)
}

func TestFiling(t *testing.T) {
	c := newCal(t)
	tests := []struct {
		name      string
		concluded time.Time
		due       string // date; the deadline is the end of that day
	}{
		{"Monday morning", at(t, "2026-06-08 10:00"), "2026-06-10"},
		{"Monday just before midnight", at(t, "2026-06-08 23:59"), "2026-06-10"},
		{"Tuesday 00:30 given in UTC", time.Date(2026, 6, 8, 22, 30, 0, 0, time.UTC), "2026-06-11"},
		{"Thursday: across a weekend", at(t, "2026-06-11 16:00"), "2026-06-15"},
		{"Friday", at(t, "2026-06-12 09:00"), "2026-06-16"},
		{"Saturday counts from Monday", at(t, "2026-06-13 11:00"), "2026-06-16"},
		{"Sunday counts from Monday", at(t, "2026-06-14 22:00"), "2026-06-16"},

		// Koningsdag 2027: Tuesday 27 April.
		{"Friday before Koningsdag 2027", at(t, "2027-04-23 15:00"), "2027-04-28"},
		{"Monday before Koningsdag 2027", at(t, "2027-04-26 09:00"), "2027-04-29"},
		{"on Koningsdag 2027", at(t, "2027-04-27 13:00"), "2027-04-29"},
		// Koningsdag 2026: Monday 27 April.
		{"Friday before Koningsdag 2026", at(t, "2026-04-24 15:00"), "2026-04-29"},

		// Easter 2027: Goede Vrijdag 26 March works, 28/29 March not; DST on 28 March.
		{"Wednesday before Easter 2027", at(t, "2027-03-24 10:00"), "2027-03-26"},
		{"Thursday before Easter 2027", at(t, "2027-03-25 10:00"), "2027-03-30"},
		{"on Goede Vrijdag 2027", at(t, "2027-03-26 10:00"), "2027-03-31"},
		{"on Tweede Paasdag 2027", at(t, "2027-03-29 10:00"), "2027-03-31"},
		// Easter 2026: Goede Vrijdag 3 April works, 5/6 April not.
		{"Thursday before Easter 2026", at(t, "2026-04-02 10:00"), "2026-04-07"},
		{"on Goede Vrijdag 2026", at(t, "2026-04-03 10:00"), "2026-04-08"},
		{"Easter Saturday 2026", at(t, "2026-04-04 10:00"), "2026-04-08"},

		// Hemelvaart: Thursday 14 May 2026, Thursday 6 May 2027.
		{"Tuesday before Hemelvaart 2026", at(t, "2026-05-12 10:00"), "2026-05-15"},
		{"Wednesday before Hemelvaart 2026", at(t, "2026-05-13 10:00"), "2026-05-18"},
		{"Wednesday before Hemelvaart 2027 (5 May, no lustrum)", at(t, "2027-05-05 10:00"), "2027-05-10"},
		{"Tuesday 4 May 2027: Bevrijdingsdag counts as working day", at(t, "2027-05-04 10:00"), "2027-05-07"},

		// Pinksteren: Tweede Pinksterdag Monday 25 May 2026, 17 May 2027.
		{"Friday before Pinksteren 2026", at(t, "2026-05-22 10:00"), "2026-05-27"},
		{"Friday before Pinksteren 2027", at(t, "2027-05-14 10:00"), "2027-05-19"},

		// Bevrijdingsdag 2025 (Monday 5 May, lustrum) is a day off.
		{"Friday before Bevrijdingsdag 2025", at(t, "2025-05-02 10:00"), "2025-05-07"},
		// Same weekday pattern in 2031 (not lustrum): Friday 2 May, Monday 5 May works.
		{"Friday before 5 May 2031", at(t, "2031-05-02 10:00"), "2031-05-06"},

		// Christmas and New Year.
		{"Wednesday 23 December 2026", at(t, "2026-12-23 10:00"), "2026-12-28"},
		{"Christmas Eve 2026", at(t, "2026-12-24 10:00"), "2026-12-29"},
		{"Wednesday 30 December 2026", at(t, "2026-12-30 10:00"), "2027-01-04"},
		{"New Year's Eve 2026", at(t, "2026-12-31 10:00"), "2027-01-05"},
		{"Christmas Eve 2027 (Christmas on a weekend)", at(t, "2027-12-24 10:00"), "2027-12-28"},
		{"Thursday 30 December 2027 (New Year on Saturday)", at(t, "2027-12-30 10:00"), "2028-01-03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Filing(tt.concluded)
			want := end(t, tt.due)
			if !got.Equal(want) {
				t.Errorf("Filing(%s) = %s, want end of %s", wall(tt.concluded), got.In(amsterdam).Format(time.RFC3339Nano), tt.due)
			}
			if got.Location() != c.Location() {
				t.Errorf("location %s, want Amsterdam", got.Location())
			}
			// Filed at 23:59 on the last day is in time, at 00:00 the next day late.
			lastMinute := at(t, tt.due+" 23:59")
			if Late(got, lastMinute) {
				t.Errorf("filing at %s counted late", wall(lastMinute))
			}
			nextDay := time.Date(lastMinute.Year(), lastMinute.Month(), lastMinute.Day()+1, 0, 0, 0, 0, amsterdam)
			if !Late(got, nextDay) {
				t.Errorf("filing at %s counted in time", wall(nextDay))
			}
		})
	}
}

func TestSubjects(t *testing.T) {
	c := newCal(t)
	tests := []struct {
		name     string
		notified time.Time
		want     string
		elapsed  time.Duration
	}{
		{"ordinary week", at(t, "2026-06-09 14:30"), "Tue 2026-06-16 14:30 CEST", 168 * time.Hour},
		{"across the spring DST change", at(t, "2026-03-25 15:00"), "Wed 2026-04-01 15:00 CEST", 167 * time.Hour},
		{"across the autumn DST change", at(t, "2026-10-21 09:00"), "Wed 2026-10-28 09:00 CET", 169 * time.Hour},
		{"given in UTC", time.Date(2026, 10, 21, 7, 0, 0, 0, time.UTC), "Wed 2026-10-28 09:00 CET", 169 * time.Hour},
		{"across New Year", at(t, "2026-12-28 11:11"), "Mon 2027-01-04 11:11 CET", 168 * time.Hour},
		// 02:30 does not exist on 29 March 2026: normalised to 03:30 CEST.
		{"into the skipped hour", at(t, "2026-03-22 02:30"), "Sun 2026-03-29 03:30 CEST", 168 * time.Hour},
		// 02:30 occurs twice on 25 October 2026; Go (1.26) picks the second, CET.
		// Not guaranteed by time.Date's documentation: this pins it.
		{"into the repeated hour", at(t, "2026-10-18 02:30"), "Sun 2026-10-25 02:30 CET", 169 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Subjects(tt.notified)
			if w := wall(got); w != tt.want {
				t.Errorf("Subjects(%s) = %s, want %s", wall(tt.notified), w, tt.want)
			}
			if d := got.Sub(tt.notified); d != tt.elapsed {
				t.Errorf("elapsed %s, want %s", d, tt.elapsed)
			}
		})
	}
}

func TestLate(t *testing.T) {
	due := at(t, "2026-06-12 14:30")
	tests := []struct {
		done time.Time
		late bool
	}{
		{due.Add(-time.Hour), false},
		{due, false},
		{due.Add(time.Nanosecond), true},
		{due.Add(time.Minute), true},
		{due.Add(72 * time.Hour), true},
	}
	for _, tt := range tests {
		if got := Late(due, tt.done); got != tt.late {
			t.Errorf("Late(due, due%+v) = %v, want %v", tt.done.Sub(due), got, tt.late)
		}
	}
}

func TestCheck(t *testing.T) {
	due := at(t, "2026-06-12 14:30")
	d, h, m := 24*time.Hour, time.Hour, time.Minute
	tests := []struct {
		left    time.Duration // due - now
		overdue bool
		urgent  bool
		text    string
	}{
		{2*d + 5*h + 30*m, false, false, "nog 2 dagen en 5 uur"},
		{2*d + 5*h + 59*m + 59*time.Second, false, false, "nog 2 dagen en 5 uur"}, // rounded down
		{3 * d, false, false, "nog 3 dagen"},
		{d + 1*h, false, false, "nog 1 dag en 1 uur"},
		{d + 2*h, false, false, "nog 1 dag en 2 uur"},
		{d, false, false, "nog 1 dag"},
		{d - time.Nanosecond, false, true, "nog 23 uur en 59 minuten"},
		{5*h + 12*m, false, true, "nog 5 uur en 12 minuten"},
		{1*h + 1*m, false, true, "nog 1 uur en 1 minuut"},
		{1 * h, false, true, "nog 1 uur"},
		{40 * m, false, true, "nog 40 minuten"},
		{1 * m, false, true, "nog 1 minuut"},
		{30 * time.Second, false, true, "nog minder dan 1 minuut"},
		{0, false, true, "nog minder dan 1 minuut"},
		{-time.Nanosecond, true, false, "minder dan 1 minuut te laat"},
		{-1 * m, true, false, "1 minuut te laat"},
		{-25 * m, true, false, "25 minuten te laat"},
		{-3 * h, true, false, "3 uur te laat"},
		{-(3*h + 12*m), true, false, "3 uur en 12 minuten te laat"},
		{-1 * h, true, false, "1 uur te laat"},
		{-d, true, false, "1 dag te laat"},
		{-(d + 2*h), true, false, "1 dag en 2 uur te laat"},
		{-2 * d, true, false, "2 dagen te laat"},
		{-(10*d + 1*h), true, false, "10 dagen en 1 uur te laat"},
	}
	for _, tt := range tests {
		now := due.Add(-tt.left)
		s := Check(due, now)
		if !s.Due.Equal(due) || s.Left != tt.left || s.Overdue != tt.overdue || s.Urgent != tt.urgent {
			t.Errorf("Check(left %s) = %+v, want Left %s Overdue %v Urgent %v", tt.left, s, tt.left, tt.overdue, tt.urgent)
		}
		if got := s.Text(); got != tt.text {
			t.Errorf("Check(left %s).Text() = %q, want %q", tt.left, got, tt.text)
		}
	}
}

// Time left is absolute: across the spring DST change a deadline 73 wall-clock
// hours away is 72 real hours away.
func TestCheckAcrossDST(t *testing.T) {
	aware := at(t, "2026-03-28 12:00") // Saturday, CET
	due := Authority(aware)            // Tuesday 31 March 13:00 CEST
	tests := []struct {
		now  time.Time
		text string
	}{
		{aware, "nog 3 dagen"},
		{at(t, "2026-03-30 12:00"), "nog 1 dag en 1 uur"},
		{at(t, "2026-03-31 12:50"), "nog 10 minuten"},
		{at(t, "2026-03-31 13:00"), "nog minder dan 1 minuut"},
		{at(t, "2026-03-31 16:00"), "3 uur te laat"},
		{at(t, "2026-04-02 13:00"), "2 dagen te laat"},
	}
	for _, tt := range tests {
		if got := Check(due, tt.now).Text(); got != tt.text {
			t.Errorf("at %s: %q, want %q", wall(tt.now), got, tt.text)
		}
	}
}

// The Filing deadline seen through Check: urgent on the last day.
func TestCheckFiling(t *testing.T) {
	c := newCal(t)
	due := c.Filing(at(t, "2027-04-26 09:00")) // Monday before Koningsdag -> Thursday 29 April
	tests := []struct {
		now     time.Time
		text    string
		urgent  bool
		overdue bool
	}{
		{at(t, "2027-04-26 09:00"), "nog 3 dagen en 14 uur", false, false},
		{at(t, "2027-04-29 08:00"), "nog 15 uur en 59 minuten", true, false},
		{at(t, "2027-04-29 23:59"), "nog minder dan 1 minuut", true, false},
		{at(t, "2027-04-30 00:00"), "minder dan 1 minuut te laat", false, true},
		{at(t, "2027-04-30 03:00"), "3 uur te laat", false, true},
	}
	for _, tt := range tests {
		s := Check(due, tt.now)
		if s.Text() != tt.text || s.Urgent != tt.urgent || s.Overdue != tt.overdue {
			t.Errorf("at %s: %q urgent %v overdue %v; want %q %v %v",
				wall(tt.now), s.Text(), s.Urgent, s.Overdue, tt.text, tt.urgent, tt.overdue)
		}
	}
}
