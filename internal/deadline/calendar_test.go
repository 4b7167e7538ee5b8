package deadline

import (
	"testing"
	"time"

	"github.com/rickar/cal/v2/nl"
)

var amsterdam = mustLoad()

func mustLoad() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
}

// at parses "2006-01-02 15:04" as Amsterdam wall-clock time.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, amsterdam)
	if err != nil {
		t.Fatalf("bad test time %q: %v", s, err)
	}
	return v
}

// day parses "2006-01-02" as noon in Amsterdam.
func day(t *testing.T, s string) time.Time {
	t.Helper()
	return at(t, s+" 12:00")
}

// wall formats a time as Amsterdam wall clock with its zone abbreviation.
func wall(v time.Time) string {
	return v.In(amsterdam).Format("Mon 2006-01-02 15:04 MST")
}

func newCal(t *testing.T) *Calendar {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewLocation(t *testing.T) {
	c := newCal(t)
	if got := c.Location().String(); got != "Europe/Amsterdam" {
		t.Fatalf("Location() = %q", got)
	}
}

// TestLibraryHolidayList pins what rickar/cal's nl package provides, so an
// upgrade that changes it fails here instead of silently moving deadlines.
func TestLibraryHolidayList(t *testing.T) {
	want := []string{"Nieuwjaarsdag", "Goede Vrijdag", "Tweede Paasdag", "Koningsdag",
		"Bevrijdingsdag", "Hemelvaartsdag", "Tweede Pinksterdag", "Eerste Kerstdag", "Tweede Kerstdag"}
	if len(nl.Holidays) != len(want) {
		t.Fatalf("nl.Holidays has %d entries, want %d", len(nl.Holidays), len(want))
	}
	for i, h := range nl.Holidays {
		if h.Name != want[i] {
			t.Errorf("nl.Holidays[%d] = %q, want %q", i, h.Name, want[i])
		}
	}
}

func TestHolidays(t *testing.T) {
	c := newCal(t)
	tests := []struct {
		date    string
		name    string // "" = no counted holiday
		working bool
	}{
		// 2026 (Easter Sunday 5 April)
		{"2026-01-01", "Nieuwjaarsdag", false}, // Thursday
		{"2026-01-02", "", true},               // Friday
		{"2026-04-02", "", true},               // Thursday before Easter
		{"2026-04-03", "", true},               // Goede Vrijdag: a working day
		{"2026-04-04", "", false},              // Saturday
		{"2026-04-05", "Eerste Paasdag", false},
		{"2026-04-06", "Tweede Paasdag", false},
		{"2026-04-07", "", true},
		{"2026-04-27", "Koningsdag", false}, // Monday
		{"2026-04-28", "", true},
		{"2026-05-05", "", true}, // Bevrijdingsdag, not a lustrum year; Tuesday
		{"2026-05-14", "Hemelvaartsdag", false},
		{"2026-05-15", "", true}, // Friday after Ascension: not a holiday
		{"2026-05-24", "Eerste Pinksterdag", false},
		{"2026-05-25", "Tweede Pinksterdag", false},
		{"2026-12-24", "", true},
		{"2026-12-25", "Eerste Kerstdag", false}, // Friday
		{"2026-12-26", "Tweede Kerstdag", false}, // Saturday
		{"2026-12-28", "", true},                 // Monday: no substitute day
		{"2026-12-31", "", true},

		// 2027 (Easter Sunday 28 March)
		{"2027-01-01", "Nieuwjaarsdag", false}, // Friday
		{"2027-03-26", "", true},               // Goede Vrijdag: a working day
		{"2027-03-28", "Eerste Paasdag", false},
		{"2027-03-29", "Tweede Paasdag", false},
		{"2027-04-26", "", true},
		{"2027-04-27", "Koningsdag", false}, // Tuesday
		{"2027-05-05", "", true},            // Bevrijdingsdag 2027: Wednesday, working day
		{"2027-05-06", "Hemelvaartsdag", false},
		{"2027-05-16", "Eerste Pinksterdag", false},
		{"2027-05-17", "Tweede Pinksterdag", false},
		{"2027-12-24", "", true},
		{"2027-12-25", "Eerste Kerstdag", false}, // Saturday
		{"2027-12-26", "Tweede Kerstdag", false}, // Sunday
		{"2027-12-27", "", true},                 // Monday: no substitute day
		{"2028-01-01", "Nieuwjaarsdag", false},   // Saturday

		// Koningsdag moves to Saturday 26 April when the 27th is a Sunday.
		{"2025-04-26", "Koningsdag", false},
		{"2025-04-27", "", false}, // Sunday
		{"2031-04-26", "Koningsdag", false},
		{"2031-04-27", "", false},
		{"2031-04-28", "", true}, // Monday

		// Bevrijdingsdag counts in lustrum years only.
		{"2025-05-05", "Bevrijdingsdag", false}, // Monday, lustrum
		{"2030-05-05", "Bevrijdingsdag", false}, // Sunday, lustrum
		{"2030-05-06", "", true},                // Monday: no substitute day
		{"2027-05-05", "", true},
		{"2028-05-05", "", true}, // Friday

		// Ordinary days.
		{"2026-06-08", "", true},  // Monday
		{"2026-06-12", "", true},  // Friday
		{"2026-06-13", "", false}, // Saturday
		{"2026-06-14", "", false}, // Sunday
	}
	for _, tt := range tests {
		d := day(t, tt.date)
		name, ok := c.HolidayName(d)
		if name != tt.name || ok != (tt.name != "") {
			t.Errorf("HolidayName(%s) = %q, %v; want %q", tt.date, name, ok, tt.name)
		}
		if got := c.IsWorkingDay(d); got != tt.working {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.date, got, tt.working)
		}
	}
}

// The calendar day is the Amsterdam day, whatever location the argument has.
func TestWorkingDayUsesAmsterdamDay(t *testing.T) {
	c := newCal(t)
	tests := []struct {
		utc     string
		working bool
	}{
		{"2027-04-26T22:30:00Z", false}, // 00:30 CEST Tuesday 27 April, Koningsdag
		{"2027-04-27T21:59:00Z", false}, // 23:59 CEST Koningsdag
		{"2027-04-27T22:00:00Z", true},  // 00:00 CEST Wednesday 28 April
		{"2026-06-12T22:30:00Z", false}, // 00:30 CEST Saturday
		{"2026-01-01T23:30:00Z", true},  // 00:30 CET Friday 2 January
		{"2025-12-31T23:30:00Z", false}, // 00:30 CET Nieuwjaarsdag
	}
	for _, tt := range tests {
		v, err := time.Parse(time.RFC3339, tt.utc)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.IsWorkingDay(v); got != tt.working {
			t.Errorf("IsWorkingDay(%s = %s) = %v, want %v", tt.utc, wall(v), got, tt.working)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := newCal(t)
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-06-08 09:15", 0, "2026-06-08 09:15"},
		{"2026-06-13 09:15", 0, "2026-06-13 09:15"}, // n = 0: unchanged, even on Saturday
		{"2026-06-08 09:15", 1, "2026-06-09 09:15"},
		{"2026-06-12 17:00", 1, "2026-06-15 17:00"}, // Friday -> Monday
		{"2026-06-13 10:00", 1, "2026-06-15 10:00"}, // Saturday -> Monday
		{"2026-06-14 10:00", 2, "2026-06-16 10:00"}, // Sunday -> Tuesday
		{"2026-06-08 09:15", 5, "2026-06-15 09:15"},
		{"2026-06-08 09:15", 10, "2026-06-22 09:15"},
		{"2026-06-15 09:15", -1, "2026-06-12 09:15"}, // Monday -> Friday
		{"2026-06-13 10:00", -1, "2026-06-12 10:00"}, // Saturday -> Friday
		{"2026-04-28 08:00", -1, "2026-04-24 08:00"}, // over Koningsdag 2026 backwards
		{"2026-04-02 11:00", 2, "2026-04-07 11:00"},  // Goede Vrijdag counts, Tweede Paasdag not
		{"2027-03-26 11:00", 1, "2027-03-30 11:00"},  // over Easter and the March DST change
		{"2026-12-24 11:00", 3, "2026-12-30 11:00"},
		{"2026-12-31 11:00", 1, "2027-01-04 11:00"},
	}
	for _, tt := range tests {
		got := c.AddWorkingDays(at(t, tt.from), tt.n)
		want := at(t, tt.want)
		if !got.Equal(want) {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, wall(got), wall(want))
		}
		if got.Location() != c.Location() {
			t.Errorf("AddWorkingDays(%s, %d) location %s, want Amsterdam", tt.from, tt.n, got.Location())
		}
	}
}

func TestEndOfDay(t *testing.T) {
	c := newCal(t)
	got := c.EndOfDay(at(t, "2026-03-29 00:10")) // DST day: 23 hours long
	want := time.Date(2026, 3, 29, 23, 59, 59, 999999000, amsterdam)
	if !got.Equal(want) {
		t.Fatalf("EndOfDay = %s, want %s", got, want)
	}
	next := at(t, "2026-03-30 00:00")
	if next.Sub(got) != time.Microsecond {
		t.Fatalf("EndOfDay is %s before midnight, want 1µs", next.Sub(got))
	}
}
