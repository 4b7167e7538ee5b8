package incident

import (
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
)

// TestAnalysisPolicyTable: role × report status × same/other organisation ×
// school scope. The desk and officer make and edit drafts within their
// schools; the board reads shared reports; nobody else, and never another
// organisation.
func TestAnalysisPolicyTable(t *testing.T) {
	const s1, s2 = int64(11), int64(12)
	actors := map[string]*access.Actor{
		"staff":               actor(1, 1),
		"desk":                actor(2, 1, access.Grant{Role: access.Desk}),
		"desk s1":             actor(3, 1, access.Grant{Role: access.Desk, Schools: []int64{s1}}),
		"officer":             actor(4, 1, access.Grant{Role: access.Officer}),
		"technician":          actor(5, 1, access.Grant{Role: access.Technician}),
		"board":               actor(6, 1, access.Grant{Role: access.Board}),
		"board s1":            actor(7, 1, access.Grant{Role: access.Board, Schools: []int64{s1}}),
		"admin":               actor(8, 1, access.Grant{Role: access.Admin}),
		"desk other org":      actor(9, 2, access.Grant{Role: access.Desk}),
		"board other org":     actor(10, 2, access.Grant{Role: access.Board}),
		"officer s1+board":    actor(11, 1, access.Grant{Role: access.Officer, Schools: []int64{s1}}, access.Grant{Role: access.Board}),
		"desk s1, s2":         actor(12, 1, access.Grant{Role: access.Desk, Schools: []int64{s1, s2}}),
		"board s2 officer s1": actor(13, 1, access.Grant{Role: access.Board, Schools: []int64{s2}}, access.Grant{Role: access.Officer, Schools: []int64{s1}}),
	}
	all, only1 := access.Scope{All: true}, access.Scope{Schools: []int64{s1}}
	report := func(st AnalysisStatus, sc access.Scope) *AnalysisReport {
		return &AnalysisReport{OrganisationID: 1, Status: st, Scope: sc}
	}
	reports := map[string]*AnalysisReport{
		"draft all": report(AnalysisDraft, all), "shared all": report(AnalysisShared, all),
		"draft s1": report(AnalysisDraft, only1), "shared s1": report(AnalysisShared, only1),
	}
	type want struct{ analyse, readAny, read, edit bool }
	tests := []struct {
		actor, report string
		want          want
	}{
		{"staff", "shared all", want{}},
		{"technician", "shared all", want{}},
		{"admin", "shared all", want{}},
		{"desk", "draft all", want{true, true, true, true}},
		{"desk", "shared all", want{true, true, true, false}},
		{"desk", "draft s1", want{true, true, true, true}},
		{"officer", "draft all", want{true, true, true, true}},
		{"officer", "shared s1", want{true, true, true, false}},
		{"desk s1", "draft all", want{true, true, false, false}},
		{"desk s1", "shared all", want{true, true, false, false}},
		{"desk s1", "draft s1", want{true, true, true, true}},
		{"desk s1", "shared s1", want{true, true, true, false}},
		{"desk s1, s2", "draft s1", want{true, true, true, true}},
		{"board", "draft all", want{false, true, false, false}},
		{"board", "draft s1", want{false, true, false, false}},
		{"board", "shared all", want{false, true, true, false}},
		{"board", "shared s1", want{false, true, true, false}},
		{"board s1", "shared all", want{false, true, false, false}},
		{"board s1", "shared s1", want{false, true, true, false}},
		{"officer s1+board", "shared all", want{true, true, true, false}},
		{"officer s1+board", "draft all", want{true, true, false, false}},
		{"board s2 officer s1", "draft s1", want{true, true, true, true}},
		{"board s2 officer s1", "shared all", want{true, true, false, false}},
		{"desk other org", "draft all", want{true, true, false, false}},
		{"desk other org", "shared all", want{true, true, false, false}},
		{"board other org", "shared all", want{false, true, false, false}},
		{"board other org", "shared s1", want{false, true, false, false}},
	}
	for _, tt := range tests {
		a, r := actors[tt.actor], reports[tt.report]
		got := want{CanAnalyse(a), CanReadAnalyses(a), CanReadAnalysis(a, r), CanEditAnalysis(a, r)}
		if got != tt.want {
			t.Errorf("%s on %s: (analyse, pages, read, edit) = %v, want %v", tt.actor, tt.report, got, tt.want)
		}
	}
	if CanAnalyse(nil) || CanReadAnalyses(nil) || CanReadAnalysis(nil, reports["shared all"]) || CanEditAnalysis(actors["desk"], nil) {
		t.Error("nil actor or report allowed")
	}
}

func TestHalfYears(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	tests := []struct {
		at   time.Time
		want HalfYear
	}{
		{time.Date(2026, 6, 30, 23, 59, 0, 0, loc), HalfYear{2026, 1}},
		// 1 July 00:30 in Amsterdam is still 30 June in UTC.
		{time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC), HalfYear{2026, 2}},
		{time.Date(2026, 12, 31, 23, 30, 0, 0, loc), HalfYear{2026, 2}},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, loc), HalfYear{2026, 1}},
	}
	for _, tt := range tests {
		if got := HalfYearOf(tt.at, loc); got != tt.want {
			t.Errorf("HalfYearOf(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
	h := HalfYear{2026, 1}
	if p := h.Previous(); p != (HalfYear{2025, 2}) || p.Previous() != h.Previous().Previous() || p.Previous() != (HalfYear{2025, 1}) {
		t.Errorf("previous of %v = %v", h, p)
	}
	if got := h.End(loc); !got.Equal(time.Date(2026, 7, 1, 0, 0, 0, 0, loc)) {
		t.Errorf("end = %v", got)
	}
	for in, ok := range map[string]bool{"2026-1": true, "2026-2": true, "2026-3": false, "26-1": false, "x": false, "": false} {
		if _, got := ParseHalfYear(in); got != ok {
			t.Errorf("ParseHalfYear(%q) ok = %v", in, got)
		}
	}
	if NormaliseCause("  Laptop   niet versleuteld. ") != NormaliseCause("laptop niet versleuteld") {
		t.Error("causes differing in case, spaces and final full stop are not one cause")
	}
	if Share(1, 3) != 33 || Share(2, 3) != 67 || Share(1, 0) != 0 {
		t.Errorf("shares %d %d %d", Share(1, 3), Share(2, 3), Share(1, 0))
	}
	if FormatMinutes(2760, true) != "1 d 22 u 0 min" || FormatMinutes(0, false) != "—" {
		t.Errorf("format %q", FormatMinutes(2760, true))
	}
}

// TestAnalysisImportedCases: a case imported from an Excel register counts
// as notified to the AP and, as its sheet said, to the data subjects, but
// stays out of the time to the AP: its sheet gives dates, not the moments of
// discovery and awareness, so 0 minutes would be a guess.
func TestAnalysisImportedCases(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, loc)
	sent := at.Add(50 * time.Hour)
	sheetDate := time.Date(2026, 3, 9, 0, 0, 0, 0, loc)
	cases := []AnalysisCase{
		{ID: 1, ReportedAt: at, AwareAt: at, Outcome: OutcomeBreach, APNotifiedAt: &sent, SubjectsSentAt: &sent},
		{ID: 2, ReportedAt: sheetDate, AwareAt: sheetDate, Outcome: OutcomeBreach, APNotifiedAt: &sheetDate, Imported: true, SubjectsInformed: true},
		{ID: 3, ReportedAt: sheetDate, AwareAt: sheetDate, Outcome: OutcomeBreach, Imported: true},
	}
	p := Analyse(cases, HalfYear{2026, 1}, loc, "alle scholen").Current
	if p.Breaches != 3 || p.APNotified != 2 || p.SubjectsNotified != 2 {
		t.Errorf("breaches %d, AP notified %d, subjects %d; want 3, 2, 2", p.Breaches, p.APNotified, p.SubjectsNotified)
	}
	if p.NotifyCount != 1 || p.NotifyMedianMinutes != 50*60 || p.NotifyLate != 0 {
		t.Errorf("time to the AP over %d cases, median %d min, %d late; want 1 case, 3000 min, 0 late",
			p.NotifyCount, p.NotifyMedianMinutes, p.NotifyLate)
	}
}

// Issue 12: the analysis counts the reports from outside ("melding van buiten").
func TestAnalysisCountsReportsFromOutside(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, loc)
	before := time.Date(2025, 9, 2, 9, 0, 0, 0, loc)
	cases := []AnalysisCase{
		{ID: 1, ReportedAt: at, AwareAt: at, Outside: true},
		{ID: 2, ReportedAt: at, AwareAt: at},
		{ID: 3, ReportedAt: at, AwareAt: at, Outside: true, Outcome: OutcomeNoIncident},
		{ID: 4, ReportedAt: before, AwareAt: before, Outside: true},
	}
	f := Analyse(cases, HalfYear{2026, 1}, loc, "alle scholen")
	if f.Current.Outside != 2 || f.Previous.Outside != 1 {
		t.Errorf("outside: %d now, %d before; want 2 and 1", f.Current.Outside, f.Previous.Outside)
	}
	rows := AnalysisTotals(f)
	if rows[1].Label != "Waarvan melding van buiten" || rows[1].Current != 2 || rows[1].Previous != 1 {
		t.Errorf("totals row %+v", rows[1])
	}
}
