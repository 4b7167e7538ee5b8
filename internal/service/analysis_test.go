package service_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// anaCase is one case of the analysis fixture, reported at a given moment.
type anaCase struct {
	at      time.Time
	school  int64 // 0: none
	outcome string
	nature  string // "" without an inventory
	kinds   []string
	cause   string // "" without a repair
	measure string // technical, structural
	orgMeas string // organisational, incidental
	// AP notification sent this long after the report; 0: none.
	apAfter time.Duration
	// discovered this long before the report; 0: not typed.
	discovered time.Duration
	subjects   bool
}

func (e *env) analysisCase(c anaCase) int64 {
	e.t.Helper()
	e.clock.Set(c.at)
	reporter := e.actors["staff"]
	if c.school == e.b1 {
		reporter = e.actors["desk_b"]
	}
	id := must(e.svc.Incidents.Report(e.ctx, reporter, e.form("Melding voor de analyse", c.school))).ID
	officer := e.actors["officer"].UserID
	if c.school == e.b1 {
		officer = e.actors["desk_b"].UserID
	}
	if c.outcome != "" {
		e.exec(`UPDATE cases SET outcome = $2 WHERE id = $1`, id, c.outcome)
	}
	if c.discovered > 0 {
		e.exec(`UPDATE cases SET discovered_at = reported_at - $2::interval WHERE id = $1`, id, c.discovered.String())
	}
	if c.nature != "" || len(c.kinds) > 0 {
		if c.kinds == nil {
			c.kinds = []string{}
		}
		e.exec(`INSERT INTO case_inventories (organisation_id, case_id, nature, data_types, updated_at, updated_by)
			SELECT organisation_id, id, $2, $3, reported_at, $4 FROM cases WHERE id = $1`, id, c.nature, c.kinds, officer)
	}
	if c.cause != "" {
		e.exec(`INSERT INTO case_repairs (organisation_id, case_id, cause, technical_structural, organisational_incidental, updated_at, updated_by)
			SELECT organisation_id, id, $2, $3, $4, reported_at, $5 FROM cases WHERE id = $1`, id, c.cause, c.measure, c.orgMeas, officer)
	}
	if c.apAfter > 0 {
		e.exec(`INSERT INTO case_notifications (organisation_id, case_id, kind, number, sent_at, recorded_at, recorded_by)
			SELECT organisation_id, id, 'initial', 'M-1', reported_at + $2::interval, now(), $3 FROM cases WHERE id = $1`,
			id, c.apAfter.String(), officer)
	}
	if c.subjects {
		e.exec(`INSERT INTO case_subject_notices (organisation_id, case_id, channel, recipient_groups, subject, body, nature,
				measures_taken, measures_recipient, officer_contact, school_contact, drafted_at, drafted_by, approved_at, approved_by, sent_at, sent_by)
			SELECT organisation_id, id, 'individual', '{parents}', 'Onderwerp', 'Brief', 'Aard', 'Maatregelen', 'Wat u kunt doen',
				'fg@example.nl', 'school@example.nl', now(), $2, now(), $2, now(), $2 FROM cases WHERE id = $1`, id, officer)
	}
	return id
}

// analysisFixture is a small hand-counted data set around the first half
// of 2026 (and the second half of 2025 before it); the expected figures
// are in TestAnalysisFigures.
func (e *env) analysisFixture() {
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, amsterdam) }
	// The period, 1 January–30 June 2026.
	e.analysisCase(anaCase{at: at(2026, 1, 10, 10, 0), school: e.a1, outcome: "breach", nature: "lost_device",
		kinds: []string{"contact", "care"}, cause: "Laptop niet versleuteld.", measure: "BitLocker op alle laptops",
		apAfter: 10 * time.Hour, discovered: 2 * time.Hour, subjects: true})
	e.analysisCase(anaCase{at: at(2026, 3, 5, 9, 0), school: e.a2, outcome: "breach", nature: "misdirected",
		kinds: []string{"contact"}, cause: "  laptop  niet versleuteld", apAfter: 80 * time.Hour})
	e.analysisCase(anaCase{at: at(2026, 3, 20, 14, 0), school: e.a1, outcome: "no_breach", nature: "phishing",
		cause: "Phishingmail", orgMeas: "Wachtwoord gereset"})
	e.analysisCase(anaCase{at: at(2026, 5, 15, 12, 0)}) // no school, open
	e.analysisCase(anaCase{at: at(2026, 6, 30, 23, 30), school: e.a2, outcome: "no_incident"})
	// Just after the period (Amsterdam time; still 30 June in UTC).
	e.analysisCase(anaCase{at: at(2026, 7, 1, 0, 30), school: e.a1, outcome: "breach", nature: "paper", cause: "Phishingmail"})
	// The previous period, 1 July–31 December 2025.
	e.analysisCase(anaCase{at: at(2025, 9, 10, 8, 0), school: e.a1, outcome: "breach", nature: "misdirected",
		cause: "phishingmail", apAfter: 30 * time.Hour})
	e.analysisCase(anaCase{at: at(2025, 12, 31, 23, 30), school: e.a1, outcome: "no_breach", nature: "lost_device", cause: "Kast niet op slot"})
	// Before both periods.
	e.analysisCase(anaCase{at: at(2025, 6, 30, 12, 0), school: e.a1, outcome: "breach", cause: "Phishingmail"})
	// Another organisation, in the period: never counted.
	e.analysisCase(anaCase{at: at(2026, 2, 2, 9, 0), school: e.b1, outcome: "breach", nature: "paper",
		cause: "Phishingmail", apAfter: time.Hour})
	e.clock.Set(time.Date(2026, 11, 23, 10, 0, 0, 0, amsterdam))
}

func TestAnalysisFigures(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.analysisFixture()

	f, h, err := e.svc.Analyses.Figures(e.ctx, e.actors["desk"], "2026-1")
	if err != nil {
		t.Fatal(err)
	}
	if h != (incident.HalfYear{Year: 2026, Half: 1}) || f.Previous.Period != (incident.HalfYear{Year: 2025, Half: 2}) || f.Scope != "alle scholen" {
		t.Fatalf("period %v, previous %v, scope %q", h, f.Previous.Period, f.Scope)
	}
	c := f.Current
	type totals struct{ reports, incidents, breaches, open, ap, subjects, apShare, subjShare, median, slowest, late, n int }
	got := totals{c.Reports, c.Incidents, c.Breaches, c.Open, c.APNotified, c.SubjectsNotified, c.APShare(), c.SubjectsShare(),
		c.NotifyMedianMinutes, c.NotifySlowestMinutes, c.NotifyLate, c.NotifyCount}
	// 5 reports, one no incident; 2 breaches, both notified to the AP
	// (100%), one to the data subjects (50%); notified after 12 h (10 h
	// after a report 2 h after discovery) and 80 h (late): median 46 h.
	if want := (totals{5, 4, 2, 1, 2, 1, 100, 50, 2760, 4800, 1, 2}); got != want {
		t.Errorf("current totals = %+v\nwant %+v", got, want)
	}
	p := f.Previous
	gotP := totals{p.Reports, p.Incidents, p.Breaches, p.Open, p.APNotified, p.SubjectsNotified, p.APShare(), p.SubjectsShare(),
		p.NotifyMedianMinutes, p.NotifySlowestMinutes, p.NotifyLate, p.NotifyCount}
	if want := (totals{2, 2, 1, 0, 1, 0, 100, 0, 1800, 1800, 0, 1}); gotP != want {
		t.Errorf("previous totals = %+v\nwant %+v", gotP, want)
	}

	checkCounts := func(name string, got []incident.Count, want []incident.Count) {
		t.Helper()
		var g []incident.Count
		for _, x := range got {
			g = append(g, incident.Count{Label: x.Label, N: x.N})
		}
		if !reflect.DeepEqual(g, want) {
			t.Errorf("%s =\n %v\nwant\n %v", name, g, want)
		}
	}
	checkCounts("by nature", c.ByNature, []incident.Count{
		{Label: incident.LabelOf(incident.Natures, "misdirected"), N: 1},
		{Label: incident.LabelOf(incident.Natures, "phishing"), N: 1},
		{Label: incident.LabelOf(incident.Natures, "lost_device"), N: 1},
		{Label: "Aard niet vastgelegd", N: 2}})
	checkCounts("by cause", c.ByCause, []incident.Count{
		{Label: "Laptop niet versleuteld.", N: 2}, {Label: "Phishingmail", N: 1}, {Label: "Oorzaak (nog) niet vastgelegd", N: 2}})
	checkCounts("by data kind", c.ByDataKind, []incident.Count{
		{Label: incident.LabelOf(incident.DataKinds, "contact"), N: 2},
		{Label: incident.LabelOf(incident.DataKinds, "care"), N: 1},
		{Label: "Geen soort gegevens vastgelegd", N: 3}})
	checkCounts("by school", c.BySchool, []incident.Count{
		{Label: "School A1", N: 2}, {Label: "School A2", N: 2}, {Label: "Geen school (bestuursbureau of onbekend)", N: 1}})
	checkCounts("by month", c.ByMonth, []incident.Count{{Label: "januari", N: 1}, {Label: "februari", N: 0}, {Label: "maart", N: 2},
		{Label: "april", N: 0}, {Label: "mei", N: 1}, {Label: "juni", N: 1}})
	checkCounts("previous by month", p.ByMonth, []incident.Count{{Label: "juli", N: 0}, {Label: "augustus", N: 0}, {Label: "september", N: 1},
		{Label: "oktober", N: 0}, {Label: "november", N: 0}, {Label: "december", N: 1}})
	checkCounts("previous by cause", p.ByCause, []incident.Count{{Label: "Kast niet op slot", N: 1}, {Label: "phishingmail", N: 1}})

	// Laptop twice in the period; phishing once in each period; the lock
	// only before: not a repeat.
	wantRepeat := []incident.RepeatCause{{Label: "Laptop niet versleuteld.", Current: 2}, {Label: "Phishingmail", Current: 1, Previous: 1}}
	if !reflect.DeepEqual(f.RepeatCauses, wantRepeat) {
		t.Errorf("repeat causes = %+v, want %+v", f.RepeatCauses, wantRepeat)
	}
	if len(f.Measures) != 2 || f.Measures[0].Cause != "Laptop niet versleuteld." ||
		!reflect.DeepEqual(f.Measures[0].Measures, []incident.Measure{{Kind: "Technisch, structureel", Text: "BitLocker op alle laptops"}}) ||
		!reflect.DeepEqual(f.Measures[1].Measures, []incident.Measure{{Kind: "Organisatorisch, direct", Text: "Wachtwoord gereset"}}) {
		t.Errorf("measures = %+v", f.Measures)
	}

	// A desk limited to school A1 counts only A1's cases.
	f1, _, err := e.svc.Analyses.Figures(e.ctx, e.actors["desk_a1"], "2026-1")
	if err != nil {
		t.Fatal(err)
	}
	if f1.Current.Reports != 2 || f1.Current.Breaches != 1 || f1.Previous.Reports != 2 || f1.Scope != "School A1" ||
		len(f1.Current.BySchool) != 1 || f1.Current.BySchool[0].Label != "School A1" {
		t.Errorf("desk A1: %d reports, %d breaches, previous %d, scope %q, schools %v",
			f1.Current.Reports, f1.Current.Breaches, f1.Previous.Reports, f1.Scope, f1.Current.BySchool)
	}
	// The other organisation sees only its own case.
	fb, _, err := e.svc.Analyses.Figures(e.ctx, e.actors["desk_b"], "2026-1")
	if err != nil {
		t.Fatal(err)
	}
	if fb.Current.Reports != 1 || fb.Previous.Reports != 0 || len(fb.RepeatCauses) != 0 {
		t.Errorf("org B: %d reports, previous %d, repeats %v", fb.Current.Reports, fb.Previous.Reports, fb.RepeatCauses)
	}
	// The half year after: the case of 1 July 00:30 belongs there.
	f2, _, err := e.svc.Analyses.Figures(e.ctx, e.actors["desk"], "2026-2")
	if err != nil {
		t.Fatal(err)
	}
	if f2.Current.Reports != 1 || f2.Previous.Reports != 5 || len(f2.RepeatCauses) != 1 || f2.RepeatCauses[0].Label != "Phishingmail" {
		t.Errorf("2026-2: %d reports, previous %d, repeats %+v", f2.Current.Reports, f2.Previous.Reports, f2.RepeatCauses)
	}

	for name, who := range map[string]string{"board": "board", "technician": "technician", "staff": "staff", "admin": "admin"} {
		if _, _, err := e.svc.Analyses.Figures(e.ctx, e.actors[who], "2026-1"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("%s computes the analysis: %v", name, err)
		}
	}
	for _, bad := range []string{"2026-3", "2027-1", "morgen"} {
		if _, _, err := e.svc.Analyses.Figures(e.ctx, e.actors["desk"], bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("period %q: %v, want Invalid", bad, err)
		}
	}
}

func TestAnalysisReportLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.analysisFixture()
	desk, officer, board := e.actors["desk"], e.actors["officer"], e.actors["board"]

	if _, err := e.svc.Analyses.Create(e.ctx, desk, incident.AnalysisTexts{Period: "2026-9", Conclusions: "x"}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("create with a bad period: %v", err)
	}
	if _, err := e.svc.Analyses.Create(e.ctx, board, incident.AnalysisTexts{Period: "2026-1"}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("board creates: %v", err)
	}
	id, err := e.svc.Analyses.Create(e.ctx, desk, incident.AnalysisTexts{Period: "2026-1", Conclusions: "Eerste gedachten"})
	if err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'analysis_create' AND subject_id = $1 AND actor_id = $2`, id, desk.UserID); n != 1 {
		t.Errorf("%d audit rows for the create", n)
	}
	// The board does not see a draft; other roles and organisations never.
	if _, err := e.svc.Analyses.Report(e.ctx, board, id); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("board reads a draft: %v", err)
	}
	if _, err := e.svc.Analyses.Report(e.ctx, e.actors["technician"], id); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("technician reads: %v", err)
	}
	if _, err := e.svc.Analyses.Report(e.ctx, e.actors["desk_b"], id); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("other organisation reads: %v", err)
	}
	if _, err := e.svc.Analyses.Report(e.ctx, e.actors["desk_a1"], id); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("desk of one school reads a report of all schools: %v", err)
	}
	ov, err := e.svc.Analyses.Overview(e.ctx, board, "")
	if err != nil || ov.CanAnalyse || len(ov.Reports) != 0 {
		t.Errorf("board overview before sharing: %v, %+v", err, ov.Reports)
	}

	// The snapshot does not move when cases are added later.
	e.analysisCase(anaCase{at: time.Date(2026, 2, 1, 9, 0, 0, 0, amsterdam), school: e.a1, outcome: "breach"})
	e.clock.Set(time.Date(2026, 11, 24, 9, 0, 0, 0, amsterdam))
	r := must(e.svc.Analyses.Report(e.ctx, officer, id))
	if r.Figures.Current.Reports != 5 || r.Figures.Current.NotifyMedianMinutes != 2760 || len(r.Figures.RepeatCauses) != 2 ||
		r.Status != incident.AnalysisDraft || r.AuthorName != "Gebruiker desk" || r.Conclusions != "Eerste gedachten" {
		t.Errorf("saved report: %+v", r)
	}

	// The officer edits; the figures stay unless counted again on request.
	if err := e.svc.Analyses.Update(e.ctx, officer, id, incident.AnalysisTexts{Conclusions: "Twee keer een onversleutelde laptop."}); err != nil {
		t.Fatal(err)
	}
	if r := must(e.svc.Analyses.Report(e.ctx, desk, id)); r.Figures.Current.Reports != 5 || r.Conclusions != "Twee keer een onversleutelde laptop." {
		t.Errorf("after an edit: %d reports, conclusions %q", r.Figures.Current.Reports, r.Conclusions)
	}
	if err := e.svc.Analyses.Update(e.ctx, officer, id, incident.AnalysisTexts{Conclusions: "Twee keer een onversleutelde laptop.", Refresh: true}); err != nil {
		t.Fatal(err)
	}
	if r := must(e.svc.Analyses.Report(e.ctx, desk, id)); r.Figures.Current.Reports != 6 || r.Figures.Current.Breaches != 3 || r.Figures.Previous.Reports != 2 {
		t.Errorf("counted again: %d reports, %d breaches, previous %d; want 6, 3, 2",
			r.Figures.Current.Reports, r.Figures.Current.Breaches, r.Figures.Previous.Reports)
	}
	// Sharing needs both texts.
	err = e.svc.Analyses.Share(e.ctx, officer, id, incident.AnalysisTexts{Conclusions: "Twee keer een onversleutelde laptop."})
	if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.Invalid || ae.Fields["proposals"] == "" || ae.Fields["conclusions"] != "" {
		t.Fatalf("share without proposals: %v", err)
	}
	if err := e.svc.Analyses.Update(e.ctx, board, id, incident.AnalysisTexts{Conclusions: "x"}); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("board edits: %v", err)
	}
	texts := incident.AnalysisTexts{Conclusions: "Twee keer een onversleutelde laptop.", Proposals: "Alle laptops versleutelen vóór 1 maart."}
	boardA1 := e.user("board_a1", e.orgA, access.Grant{Role: access.Board, Schools: []int64{e.a1}})
	if err := e.svc.Analyses.Share(e.ctx, officer, id, texts); err != nil {
		t.Fatal(err)
	}
	// The board is told; a board member of one school cannot read a report
	// of all schools, and is not told.
	var msgs []incident.Message
	for _, m := range must(e.svc.Incidents.Messages(e.ctx, board)) {
		if strings.HasPrefix(m.Subject, "Halfjaaranalyse") {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "Halfjaaranalyse 1e hj 2026") || !strings.Contains(msgs[0].Body, "/analyse/") {
		t.Errorf("board messages = %+v", msgs)
	}
	if n := e.count(`SELECT count(*) FROM user_messages WHERE subject LIKE 'Halfjaaranalyse%' AND user_id = ANY($1)`,
		[]int64{boardA1.UserID, desk.UserID, officer.UserID, e.actors["desk_b"].UserID}); n != 0 {
		t.Errorf("%d messages to others than the board of all schools", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action IN ('analysis_update', 'analysis_share') AND subject_id = $1`, id); n != 3 {
		t.Errorf("%d audit rows for two updates and the share, want 3", n)
	}
	r = must(e.svc.Analyses.Report(e.ctx, board, id))
	if r.Status != incident.AnalysisShared || r.Proposals != texts.Proposals || r.SharedByName != "Gebruiker officer" || r.SharedAt == nil ||
		r.Period != (incident.HalfYear{Year: 2026, Half: 1}) || !r.Scope.All {
		t.Errorf("shared report: %+v", r)
	}
	if err := e.svc.Analyses.Update(e.ctx, desk, id, texts); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("edit after sharing: %v, want Conflict", err)
	}
	if err := e.svc.Analyses.Share(e.ctx, desk, id, texts); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("share twice: %v, want Conflict", err)
	}
	ov, err = e.svc.Analyses.Overview(e.ctx, board, "")
	if err != nil || len(ov.Reports) != 1 || ov.Reports[0].ID != id {
		t.Errorf("board overview after sharing: %v, %+v", err, ov.Reports)
	}
	if _, err := e.svc.Analyses.Overview(e.ctx, e.actors["technician"], ""); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("technician overview: %v", err)
	}
	// A report of school A1 only, by the desk of A1: the board of A1 reads
	// it and is told, as is the board of all schools.
	id1 := must(e.svc.Analyses.Create(e.ctx, e.actors["desk_a1"], incident.AnalysisTexts{Period: "2026-1"}))
	if err := e.svc.Analyses.Share(e.ctx, e.actors["desk_a1"], id1, texts); err != nil {
		t.Fatal(err)
	}
	if r := must(e.svc.Analyses.Report(e.ctx, boardA1, id1)); r.Figures.Current.Reports != 3 || r.Figures.Scope != "School A1" || r.Scope.All {
		t.Errorf("report of A1: %d reports (want the 3 of A1 in the period), scope %q", r.Figures.Current.Reports, r.Figures.Scope)
	}
	if _, err := e.svc.Analyses.Report(e.ctx, boardA1, id); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("board of A1 reads the report of all schools: %v", err)
	}
	if n := e.count(`SELECT count(*) FROM user_messages WHERE subject LIKE 'Halfjaaranalyse%' AND user_id = $1`, boardA1.UserID); n != 1 {
		t.Errorf("board of A1 got %d messages, want 1", n)
	}
	if n := e.count(`SELECT count(*) FROM user_messages WHERE subject LIKE 'Halfjaaranalyse%' AND user_id = $1`, board.UserID); n != 2 {
		t.Errorf("board got %d messages, want 2", n)
	}
	if n := e.count(`SELECT count(*) FROM mail_messages WHERE kind = 'analysis_shared' AND user_id = $1`, board.UserID); n != 2 {
		t.Errorf("board got %d mails of a shared analysis, want 2", n)
	}
	ovb, err := e.svc.Analyses.Overview(e.ctx, e.actors["desk_b"], "")
	if err != nil || len(ovb.Reports) != 0 {
		t.Errorf("other organisation's overview lists %d reports (%v)", len(ovb.Reports), err)
	}
}
