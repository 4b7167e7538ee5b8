package service_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/mailpit"
	"github.com/lekwacht/lekwacht/internal/service"
)

// Issue 9.4: the FG and the board where the protocols put them.

// messagesOf lists the subjects of the in-app messages of one user.
func (e *env) messagesOf(name string) []string {
	e.t.Helper()
	rows, err := e.owner.Query(e.ctx, `SELECT subject FROM user_messages WHERE user_id = $1 ORDER BY id`, e.actors[name].UserID)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func hasSubject(list []string, part string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.Contains(s, part) })
}

// TestOfficerHearsOfAPersonalDataReportAtOnce: a report with personal data
// "ja" or "weet ik niet" reaches the officer of its school the moment it is
// reported, in the app and by mail (at a real SMTP server); one with "nee"
// does not, until the desk closes it, and then the officer is told. The
// officer can open the new case before the desk has inventoried it.
func TestOfficerHearsOfAPersonalDataReportAtOnce(t *testing.T) {
	t.Parallel()
	m := newMailEnv(t, mailpit.Options{})
	m.more(t)
	m.workers(t, m.svc, m.sender(), 0)
	staff, desk, officer := m.actors["staff"], m.actors["desk"], m.actors["officer"]

	ids := map[string]int64{}
	for _, pd := range []string{"yes", "unknown", "no"} {
		f := m.form("Map met cijferlijsten kwijt ("+pd+")", m.a2)
		f.PersonalData = pd
		ids[pd] = must(m.svc.Incidents.Report(m.ctx, staff, f)).ID
	}
	got := m.recipients(t)
	if want := []string{"officer", "officer", "officer_a2", "officer_a2"}; !slices.Equal(got["reported_to_officer"], want) {
		t.Fatalf("officers told of the reports: %v, want %v (not officer_a1, not officer_b, not for \"nee\")", got["reported_to_officer"], want)
	}
	if n := m.count(`SELECT count(*) FROM user_messages WHERE user_id = $1 AND case_id = $2`, officer.UserID, ids["no"]); n != 0 {
		t.Errorf("the officer got %d messages of the \"nee\" report, want none", n)
	}
	for _, pd := range []string{"yes", "unknown"} {
		if n := m.count(`SELECT count(*) FROM user_messages WHERE user_id = $1 AND case_id = $2`, officer.UserID, ids[pd]); n != 1 {
			t.Errorf("officer's messages in the app of the %q report: %d, want 1", pd, n)
		}
	}
	// The officer opens a new case, before the desk has touched it.
	v, err := m.svc.Incidents.Case(m.ctx, officer, ids["yes"])
	if err != nil || v.Case.Status != incident.StatusNew || !v.Full {
		t.Fatalf("officer opens a new case: %v %+v", err, v.Case.Status)
	}
	if _, err := m.svc.Incidents.Case(m.ctx, m.actors["officer_a1"], ids["yes"]); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("officer of another school opens it: %v, want NotFound", err)
	}

	// "nee": the desk closes alone; the officer is told.
	must(0, m.svc.Incidents.CloseNoBreach(m.ctx, desk, ids["no"], service.CloseForm{Outcome: "no_personal_data", Reason: "Alleen een lege map, geen gegevens."}))
	if st := m.status(ids["no"]); st != incident.StatusClosed {
		t.Errorf("\"nee\" closed by the desk: %s, want closed", st)
	}
	if got := m.recipients(t)["closed_by_desk"]; !slices.Equal(got, []string{"officer", "officer_a2"}) {
		t.Errorf("told of the desk's closing: %v", got)
	}

	// All of them arrive at the SMTP server.
	list := m.waitFinal(t, 30*time.Second)
	arrived := m.mp.WaitFor(t, len(list), 10*time.Second)
	subjects := map[string][]string{}
	for _, s := range arrived {
		subjects[s.To[0].Address] = append(subjects[s.To[0].Address], s.Subject)
	}
	if !hasSubject(subjects["officer_a2@example.nl"], "mogelijk persoonsgegevens") || !hasSubject(subjects["officer@example.nl"], "afgesloten door het meldpunt") {
		t.Errorf("officer mails at the server: %v / %v", subjects["officer_a2@example.nl"], subjects["officer@example.nl"])
	}
	if n := len(subjects["officer_a1@example.nl"]) + len(subjects["officer_b@example.nl"]); n != 0 {
		t.Errorf("officers of another school or organisation got %d mails", n)
	}
}

// TestDeskCloseOfAPossibleBreachWaitsForTheOfficer: only the officer decides
// that a report with personal data "ja" or "weet ik niet" is no breach. The
// desk's close lands in confirmation, on the officer's start page; the
// officer confirms (closed, with a timeline row) or takes it into step 3.
func TestDeskCloseOfAPossibleBreachWaitsForTheOfficer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk, officer := e.actors["desk"], e.actors["officer"]
	report := func(what string) int64 {
		f := e.form(what, e.a1)
		f.PersonalData = "yes"
		id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], f)).ID
		must(0, e.svc.Incidents.CloseNoBreach(e.ctx, desk, id, service.CloseForm{Outcome: "no_incident", Reason: "Alleen een dreiging, niets gebeurd."}))
		return id
	}
	a, b := report("Verdachte mail"), report("Verdachte mail met namen")
	for _, id := range []int64{a, b} {
		if st := e.status(id); st != incident.StatusConfirmation {
			t.Fatalf("desk closed a \"ja\" report: %s, want confirmation", st)
		}
	}
	if !hasSubject(e.messagesOf("officer"), "Bevestigen: melding") {
		t.Errorf("officer's messages: %v", e.messagesOf("officer"))
	}
	w := must(e.svc.Incidents.Worklist(e.ctx, officer))
	if !slices.ContainsFunc(w.Officer, func(it incident.WorkItem) bool { return it.ID == a && it.Status == incident.StatusConfirmation }) {
		t.Errorf("officer's start page lacks the case to confirm: %+v", w.Officer)
	}
	if err := e.svc.Incidents.ConfirmNoBreach(e.ctx, desk, a); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("desk confirms its own close: %v, want Forbidden", err)
	}
	must(0, e.svc.Incidents.ConfirmNoBreach(e.ctx, officer, a))
	c := must(e.store.Case(e.sys, e.orgA, a))
	if c.Status != incident.StatusClosed || c.Outcome != incident.OutcomeNoIncident || c.ClosedAt == nil {
		t.Errorf("confirmed: %+v", c)
	}
	if n := e.events(a, string(incident.ActConfirmNoBreach)); n != 1 {
		t.Errorf("timeline rows of the confirmation: %d", n)
	}

	if err := e.svc.Incidents.AssessAfterAll(e.ctx, officer, b, "kort"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("taking it into step 3 without a reason: %v, want Invalid", err)
	}
	must(0, e.svc.Incidents.AssessAfterAll(e.ctx, officer, b, "Er stonden wel leerlingnamen in de mail."))
	c = must(e.store.Case(e.sys, e.orgA, b))
	if c.Status != incident.StatusAssessment || c.Outcome != incident.OutcomeNone {
		t.Errorf("taken into step 3: %s %q", c.Status, c.Outcome)
	}
	if !hasSubject(e.messagesOf("board"), "de FG beoordeelt") {
		t.Errorf("board not told that step 3 began: %v", e.messagesOf("board"))
	}
	// The register filters on the new status.
	v := must(e.svc.Incidents.Register(e.ctx, desk, service.RegisterQuery{Status: string(incident.StatusConfirmation)}))
	if len(v.Errors) > 0 || len(v.Entries) != 0 {
		t.Errorf("register on confirmation after both were handled: %v %d", v.Errors, len(v.Entries))
	}
}

// TestBoardIsConsultedInStepThree: the board of the case's school hears that
// step 3 began, records its view then (and only then), the decision page
// shows it, and a decision not to notify the AP is reported to the board.
func TestBoardIsConsultedInStepThree(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	board, officer := e.actors["board"], e.actors["officer"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("USB-stick kwijt", e.a1))).ID
	e.toAssessment(id)
	if !hasSubject(e.messagesOf("board"), "de FG beoordeelt") {
		t.Fatalf("board's messages: %v", e.messagesOf("board"))
	}
	if err := e.svc.Incidents.RecordBoardView(e.ctx, board, id, ""); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("an empty view: %v, want Invalid", err)
	}
	if err := e.svc.Incidents.RecordBoardView(e.ctx, officer, id, "Melden."); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("the officer records the board's view: %v, want Forbidden", err)
	}
	must(0, e.svc.Incidents.RecordBoardView(e.ctx, board, id, "Wij willen dat de ouders een brief krijgen."))
	p := must(e.svc.Incidents.DecisionPageFor(e.ctx, officer, id))
	if len(p.BoardViews) != 1 || p.BoardViews[0].View != "Wij willen dat de ouders een brief krijgen." {
		t.Errorf("decision page's board views: %+v", p.BoardViews)
	}

	f := classList()
	f.Breach, f.NotifyAuthority, f.NotifySubjects, f.SubjectsChannel = "yes", "no", "yes", "individual"
	f.AuthorityReason = "Het risico voor de betrokkenen is klein: de stick is versleuteld teruggevonden."
	f.Effects, f.NoticePlan = "Adressen kunnen op straat liggen.", "Brief aan de ouders."
	if err := e.svc.Incidents.Decide(e.ctx, officer, id, f); err != nil {
		t.Fatal(err)
	}
	if !hasSubject(e.messagesOf("board"), "Besluit van de FG") {
		t.Errorf("board not told of the decision not to notify the AP: %v", e.messagesOf("board"))
	}
	if err := e.svc.Incidents.RecordBoardView(e.ctx, board, id, "Te laat."); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("a view after the decision: %v, want Conflict", err)
	}
}

// TestFourEyesOnTheNoticeToDataSubjects: the officer who drafted the notice
// approves it only with a reason (the board could not be reached in time),
// recorded and shown in the register; the board approves without one.
func TestFourEyesOnTheNoticeToDataSubjects(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer, board := e.actors["officer"], e.actors["board"]
	id := e.informing("Cijferlijst naar verkeerde ouder", "individual")
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, goodSubjectsForm()))
	err := e.svc.Incidents.ApproveSubjectsNotice(e.ctx, officer, id, "")
	if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.Invalid || ae.Fields["self_approval_reason"] == "" {
		t.Fatalf("the drafter approves without a reason: %v, want Invalid beside the field", err)
	}
	reason := "Bestuur onbereikbaar in de vakantie; de ouders moeten vandaag bericht krijgen."
	must(0, e.svc.Incidents.ApproveSubjectsNotice(e.ctx, officer, id, reason))
	n := must(e.svc.Incidents.SubjectsNotice(e.ctx, officer, id)).Notice
	if !n.Approved() || n.SelfApprovalReason != reason {
		t.Errorf("self-approval: %+v", n)
	}
	if k := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'approve_subjects' AND summary LIKE '%zonder het bestuur%'`, id); k != 1 {
		t.Errorf("timeline rows of the self-approval: %d", k)
	}
	must(0, e.svc.Incidents.RecordSubjectsSent(e.ctx, officer, id, e.clock.Now().In(amsterdam).Format(incident.DateTimeLayout)))
	v := must(e.svc.Incidents.Register(e.ctx, e.actors["desk"], service.RegisterQuery{}))
	found := false
	for _, en := range v.Entries {
		if en.ID == id {
			found = true
			if s := en.SubjectsText(amsterdam); !strings.Contains(s, reason) {
				t.Errorf("register's data subjects column: %q, want the reason", s)
			}
		}
	}
	if !found {
		t.Fatal("case not in the register")
	}

	// Another case: the board approves, no reason needed or kept.
	id2 := e.informing("Tweede brief", "individual")
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id2, goodSubjectsForm()))
	must(0, e.svc.Incidents.ApproveSubjectsNotice(e.ctx, board, id2, "wordt genegeerd"))
	if n := must(e.svc.Incidents.SubjectsNotice(e.ctx, officer, id2)).Notice; n.SelfApprovalReason != "" || n.ApprovedBy != "Gebruiker board" {
		t.Errorf("board's approval: %+v", n)
	}
}

// noPersonalData is f with the reporter's "nee" to personal data: only the
// desk hears of it (tests of the mail machinery count on that).
func noPersonalData(f incident.ReportForm) incident.ReportForm {
	f.PersonalData = "no"
	return f
}
