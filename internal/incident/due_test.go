package incident

import (
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/deadline"
)

func TestCaseDeadlinesToTheMinute(t *testing.T) {
	cal, err := deadline.New()
	if err != nil {
		t.Fatal(err)
	}
	loc := cal.Location()
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	ptr := func(t time.Time) *time.Time { return &t }
	fri17, mon09 := at(2026, 11, 27, 17, 0), at(2026, 11, 30, 9, 0)
	tests := []struct {
		name     string
		f        DueFacts
		now      time.Time
		want     []string // Sentence of each deadline, the one that counts first
		wantNote string
	}{
		{name: "discovery Friday 17:00, report Monday 09:00: the 72 hours end Monday 17:00",
			f:    DueFacts{Status: StatusNew, Clock: Clock{Start: fri17, Discovered: ptr(fri17), Reported: mon09}},
			now:  mon09,
			want: []string{"Uiterlijk melden aan de AP (72 uur): ma 30 november 17:00 — nog 8 uur"}},
		{name: "the FG moved the awareness later, with a reason",
			f: DueFacts{Status: StatusAssessment, Clock: Clock{Start: at(2026, 11, 30, 12, 0), Discovered: ptr(fri17), Reported: mon09,
				Reason: "Pas na de logcontrole stond vast dat er was ingelogd."}},
			now:      mon09,
			want:     []string{"Uiterlijk melden aan de AP (72 uur): do 3 december 12:00 — nog 3 dagen en 3 uur"},
			wantNote: "De FG zette het begin van de 72 uur later dan de ontdekking (vr 27 november 17:00): ma 30 november 12:00. Reden: Pas na de logcontrole stond vast dat er was ingelogd."},
		{name: "across the end of DST (last Sunday of October): 71 hours on the wall clock",
			f:   DueFacts{Status: StatusNew, Clock: Clock{Start: at(2026, 10, 23, 10, 0), Reported: at(2026, 10, 23, 10, 0)}},
			now: at(2026, 10, 25, 10, 0), want: []string{"Uiterlijk melden aan de AP (72 uur): ma 26 oktober 09:00 — nog 23 uur"}},
		{name: "across the start of DST (last Sunday of March): 73 hours on the wall clock",
			f:   DueFacts{Status: StatusNew, Clock: Clock{Start: at(2026, 3, 27, 10, 0), Reported: at(2026, 3, 27, 10, 0)}},
			now: at(2026, 3, 30, 10, 30), want: []string{"Uiterlijk melden aan de AP (72 uur): ma 30 maart 11:00 — nog 30 minuten"}},
		{name: "the two working days fall after the 72 hours: not shown",
			f:   DueFacts{Status: StatusNotification, Clock: Clock{Start: mon09, Reported: mon09}, DecidedAt: ptr(at(2026, 12, 2, 8, 0))},
			now: at(2026, 12, 2, 9, 0), want: []string{"Uiterlijk melden aan de AP (72 uur): do 3 december 09:00 — nog 1 dag"}},
		{name: "the two working days fall before the 72 hours: shown first",
			f:   DueFacts{Status: StatusNotification, Clock: Clock{Start: at(2026, 12, 3, 9, 0), Reported: at(2026, 12, 3, 9, 0)}, DecidedAt: ptr(at(2026, 11, 30, 12, 0))},
			now: at(2026, 12, 2, 12, 0), want: []string{"Uiterlijk de melding indienen (2 werkdagen na het besluit): wo 2 december 23:59 — nog 11 uur en 59 minuten",
				"Uiterlijk melden aan de AP (72 uur): zo 6 december 09:00 — nog 3 dagen en 21 uur"}},
		{name: "passed: too late, with the year when it is not this year",
			f:   DueFacts{Status: StatusAssessment, Clock: Clock{Start: at(2025, 12, 27, 8, 0), Reported: at(2025, 12, 27, 8, 0)}},
			now: at(2026, 1, 2, 11, 0), want: []string{"Uiterlijk melden aan de AP (72 uur): di 30 december 2025 08:00 — 3 dagen en 3 uur te laat"}},
		{name: "notified: the week for the data subjects",
			f:   DueFacts{Status: StatusInforming, Clock: Clock{Start: mon09, Reported: mon09}, NotifiedAt: ptr(at(2026, 12, 1, 14, 30))},
			now: at(2026, 12, 1, 15, 0), want: []string{"Uiterlijk de betrokkenen informeren (1 week na de melding): di 8 december 14:30 — nog 6 dagen en 23 uur"}},
		{name: "imported: not judged", f: DueFacts{Status: StatusNew, Imported: true, Clock: Clock{Start: mon09}}, now: mon09},
		{name: "closed: nothing runs", f: DueFacts{Status: StatusClosed, Clock: Clock{Start: mon09}}, now: mon09},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CaseDeadlines(cal, tt.f, tt.now)
			var sentences []string
			for _, d := range got {
				sentences = append(sentences, d.Sentence(loc))
			}
			if strings.Join(sentences, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("deadlines\n%s\nwant\n%s", strings.Join(sentences, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(got) > 0 && got[0].Note != tt.wantNote {
				t.Errorf("note %q, want %q", got[0].Note, tt.wantNote)
			}
		})
	}
}

func TestDueStateInWords(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		at   time.Duration
		want string
	}{{48 * time.Hour, ""}, {23 * time.Hour, "Minder dan 24 uur"}, {-time.Minute, "Te laat"}} {
		if got := NewDue(DueAuthority, "x", now.Add(tt.at), now).State(); got != tt.want {
			t.Errorf("%s left: state %q, want %q", tt.at, got, tt.want)
		}
	}
}

func TestWaitingOn(t *testing.T) {
	for _, tt := range []struct {
		s     Status
		board bool
		want  string
	}{
		{StatusNew, false, "het meldpunt"}, {StatusInventory, false, "het meldpunt"}, {StatusAssessment, false, "de FG"},
		{StatusNotification, false, "het bestuur, dan de FG"}, {StatusNotification, true, "de FG"},
		{StatusInforming, true, "de FG"}, {StatusRecording, true, "het meldpunt"}, {StatusClosed, true, ""},
	} {
		if got := WaitingOn(tt.s, tt.board); got != tt.want {
			t.Errorf("%s (board informed %v): %q, want %q", tt.s, tt.board, got, tt.want)
		}
	}
}
