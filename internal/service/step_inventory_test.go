package service_test

import (
	"strconv"
	"sync"
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

func (e *env) status(id int64) incident.Status {
	e.t.Helper()
	c, err := e.store.Case(e.sys, e.orgA, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c.Status
}

func (e *env) events(id int64, kind string) int {
	return e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = $2`, id, kind)
}

func goodInventory() incident.InventoryForm {
	return incident.InventoryForm{Summary: "USB-stick met adreslijst klas 3b verloren", Nature: "lost_device",
		Sensitive: "no", BreachSuspected: "yes", SubjectGroups: "leerlingen en ouders van 3b", SubjectCount: "28",
		DataTypes: []string{"contact"}, ChainShared: "no", PeriodFrom: "2026-11-22T08:00"}
}

func TestInventoryThenSendToOfficer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("USB-stick kwijt", e.a1))).ID
	desk := e.actors["desk"]

	if err := e.svc.Incidents.SendToOfficer(e.ctx, desk, id); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("send to officer from new: %v, want Conflict (not in this step)", err)
	}
	if err := e.svc.Incidents.StartInventory(e.ctx, desk, id); err != nil {
		t.Fatal(err)
	}
	if e.status(id) != incident.StatusInventory || e.events(id, "start_inventory") != 1 {
		t.Fatalf("after start: %s, %d events", e.status(id), e.events(id, "start_inventory"))
	}
	if err := e.svc.Incidents.StartInventory(e.ctx, desk, id); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("second start: %v, want Conflict", err)
	}
	if err := e.svc.Incidents.SendToOfficer(e.ctx, desk, id); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("send without inventory: %v, want Invalid", err)
	}
	bad := goodInventory()
	bad.Summary, bad.SubjectCount, bad.Nature = "", "veel", "brand"
	err := e.svc.Incidents.RecordInventory(e.ctx, desk, id, bad)
	if ae, ok := apperr.As(err); !ok || ae.Fields["summary"] == "" || ae.Fields["subject_count"] == "" || ae.Fields["nature"] == "" {
		t.Errorf("bad inventory: %v", err)
	}
	if err := e.svc.Incidents.RecordInventory(e.ctx, desk, id, goodInventory()); err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.Incidents.Case(e.ctx, desk, id)
	if err != nil || v.Inventory == nil || v.Inventory.Summary != "USB-stick met adreslijst klas 3b verloren" ||
		*v.Inventory.SubjectCount != 28 || v.Inventory.BreachSuspected != incident.Yes {
		t.Fatalf("inventory = %+v, %v", v.Inventory, err)
	}
	if err := e.svc.Incidents.SendToOfficer(e.ctx, e.actors["officer"], id); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("officer sends: %v, want Forbidden", err)
	}
	if err := e.svc.Incidents.SendToOfficer(e.ctx, desk, id); err != nil {
		t.Fatal(err)
	}
	if e.status(id) != incident.StatusAssessment {
		t.Errorf("status %s, want assessment", e.status(id))
	}
	// The reporter sees the status, not the desk's inventory.
	rv, err := e.svc.Incidents.Case(e.ctx, e.actors["staff"], id)
	if err != nil || rv.Inventory != nil || rv.Full || rv.Case.Status != incident.StatusAssessment {
		t.Errorf("reporter view: full=%v inventory=%v err=%v", rv.Full, rv.Inventory != nil, err)
	}
}

func TestQuestionsToReporterAndTechnician(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("phishing", e.a1))).ID
	desk, staff, tech := e.actors["desk"], e.actors["staff"], e.actors["technician"]

	if err := e.svc.Incidents.AskQuestion(e.ctx, desk, id, service.QuestionForm{Addressee: "reporter", Question: " "}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("empty question: %v", err)
	}
	if err := e.svc.Incidents.AskQuestion(e.ctx, staff, id, service.QuestionForm{Addressee: "reporter", Question: "?"}); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("reporter asks: %v, want Forbidden", err)
	}
	if err := e.svc.Incidents.AskQuestion(e.ctx, desk, id, service.QuestionForm{Addressee: "reporter", Question: "Welke link was het?"}); err != nil {
		t.Fatal(err)
	}
	notTech := strconv.FormatInt(e.actors["board"].UserID, 10)
	if err := e.svc.Incidents.AskQuestion(e.ctx, desk, id, service.QuestionForm{Addressee: notTech, Question: "?"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("question to a non-technician: %v, want Invalid", err)
	}
	techID := strconv.FormatInt(tech.UserID, 10)
	if err := e.svc.Incidents.AskQuestion(e.ctx, desk, id, service.QuestionForm{Addressee: techID, Question: "Zie je logins?"}); err != nil {
		t.Fatal(err)
	}
	// The technician, not assigned, may now see the case because of the question.
	if _, err := e.svc.Incidents.Case(e.ctx, tech, id); err != nil {
		t.Fatalf("technician with a question cannot open the case: %v", err)
	}
	open := must(e.svc.Incidents.OpenQuestions(e.ctx, staff))
	if len(open) != 1 || open[0].CaseID != id || open[0].Question.Question != "Welke link was het?" {
		t.Fatalf("reporter's open questions = %+v", open)
	}
	if err := e.svc.Incidents.AnswerQuestion(e.ctx, e.actors["staff2"], id, open[0].ID, "ik weet het"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("a colleague answers: %v, want NotFound", err)
	}
	if err := e.svc.Incidents.AnswerQuestion(e.ctx, staff, id, open[0].ID, "  "); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("empty answer: %v", err)
	}
	if err := e.svc.Incidents.AnswerQuestion(e.ctx, staff, id, open[0].ID, "Een link naar office365-login.xyz"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Incidents.AnswerQuestion(e.ctx, staff, id, open[0].ID, "nogmaals"); err == nil {
		t.Error("answered twice")
	}
	if n := len(must(e.svc.Incidents.OpenQuestions(e.ctx, staff))); n != 0 {
		t.Errorf("%d open questions left for the reporter", n)
	}
	v := must(e.svc.Incidents.Case(e.ctx, desk, id))
	if len(v.Questions) != 2 || v.Questions[0].Answer != "Een link naar office365-login.xyz" || !v.Questions[1].Open() {
		t.Errorf("questions = %+v", v.Questions)
	}
	tv := must(e.svc.Incidents.Case(e.ctx, tech, id))
	if len(tv.Questions) != 1 || tv.Questions[0].AddresseeID != tech.UserID {
		t.Errorf("technician sees questions %+v, want only their own", tv.Questions)
	}
	if e.events(id, "ask_question") != 2 || e.events(id, "answer_question") != 1 {
		t.Error("questions and answers are not on the timeline")
	}
}

func TestAssignTechnicianAndCloseNoBreach(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// The reporter said no personal data: the desk closes alone (issue 9.4).
	rf := e.form("verdachte mail, niet geklikt", e.a1)
	rf.PersonalData = "no"
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], rf)).ID
	desk := e.actors["desk"]
	if err := e.svc.Incidents.AssignTechnician(e.ctx, desk, id, strconv.FormatInt(e.actors["board"].UserID, 10)); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("assigning a non-technician: %v", err)
	}
	if err := e.svc.Incidents.AssignTechnician(e.ctx, desk, id, strconv.FormatInt(e.actors["technician"].UserID, 10)); err != nil {
		t.Fatal(err)
	}
	if v := must(e.svc.Incidents.Case(e.ctx, e.actors["technician"], id)); v.Case.TechnicianName != "Gebruiker technician" {
		t.Errorf("technician = %q", v.Case.TechnicianName)
	}
	err := e.svc.Incidents.CloseNoBreach(e.ctx, desk, id, service.CloseForm{Outcome: "breach", Reason: "kort"})
	if ae, ok := apperr.As(err); !ok || ae.Fields["outcome"] == "" || ae.Fields["reason"] == "" {
		t.Errorf("bad close: %v", err)
	}
	if err := e.svc.Incidents.CloseNoBreach(e.ctx, desk, id, service.CloseForm{Outcome: "no_incident",
		Reason: "Alleen een verdachte mail ontvangen; niemand heeft geklikt of gegevens ingevuld."}); err != nil {
		t.Fatal(err)
	}
	c := must(e.store.Case(e.sys, e.orgA, id))
	if c.Status != incident.StatusClosed || c.Outcome != incident.OutcomeNoIncident || c.ClosedAt == nil || c.OutcomeReason == "" {
		t.Errorf("closed case = %+v", c)
	}
	if err := e.svc.Incidents.StartInventory(e.ctx, desk, id); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("acting on a closed case: %v", err)
	}
}

func TestSchoolLimitedDeskAndOtherOrganisationCannotAct(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	atA2 := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("bij A2", e.a2))).ID
	if err := e.svc.Incidents.StartInventory(e.ctx, e.actors["desk_a1"], atA2); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("desk of A1 on a case of A2: %v, want NotFound", err)
	}
	if err := e.svc.Incidents.StartInventory(e.ctx, e.actors["desk_b"], atA2); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("desk of B: %v, want NotFound", err)
	}
	if err := e.svc.Incidents.StartInventory(e.ctx, e.actors["officer"], atA2); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("officer starts the inventory: %v, want Forbidden", err)
	}
	if e.status(atA2) != incident.StatusNew {
		t.Errorf("status changed to %s", e.status(atA2))
	}
}

// TestTwoPeopleAtOnce: two desk members act on the same case at the same
// moment; one wins, the other gets a clear conflict, nothing is half-written.
func TestTwoPeopleAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	second := e.user("desk2", e.orgA, access.Grant{Role: access.Desk})
	for round := range 5 {
		id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("tegelijk "+strconv.Itoa(round), e.a1))).ID
		must(0, e.svc.Incidents.StartInventory(e.ctx, e.actors["desk"], id))
		must(0, e.svc.Incidents.RecordInventory(e.ctx, e.actors["desk"], id, goodInventory()))
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Add(2)
		go func() {
			defer wg.Done()
			errs[0] = e.svc.Incidents.SendToOfficer(e.ctx, e.actors["desk"], id)
		}()
		go func() {
			defer wg.Done()
			errs[1] = e.svc.Incidents.CloseNoBreach(e.ctx, second, id, service.CloseForm{Outcome: "no_personal_data", Reason: "Geen persoonsgegevens op de stick."})
		}()
		wg.Wait()
		ok, conflict := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case apperr.Is(err, apperr.Conflict):
				conflict++
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
		if ok != 1 || conflict != 1 {
			t.Fatalf("round %d: %d succeeded, %d conflicts; want 1 and 1", round, ok, conflict)
		}
		c := must(e.store.Case(e.sys, e.orgA, id))
		moved := e.events(id, "send_to_officer") + e.events(id, "close_no_breach")
		if moved != 1 || (c.Status == incident.StatusAssessment) == (c.Outcome == incident.OutcomeNoPersonalData) {
			t.Fatalf("round %d: status %s outcome %q, %d timeline rows: half-written", round, c.Status, c.Outcome, moved)
		}
	}
}

// The reporter sees where their case stands and their own entries, not the
// desk's questions to others or technicians' names.
func TestReporterSeesMilestonesOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff, desk, tech := e.actors["staff"], e.actors["desk"], e.actors["technician"]
	id := must(e.svc.Incidents.Report(e.ctx, staff, e.form("tas met dossiers gestolen", e.a1))).ID
	must(0, e.svc.Incidents.StartInventory(e.ctx, desk, id))
	must(0, e.svc.Incidents.AssignTechnician(e.ctx, desk, id, strconv.FormatInt(tech.UserID, 10)))
	must(0, e.svc.Incidents.AskQuestion(e.ctx, desk, id, service.QuestionForm{Addressee: strconv.FormatInt(tech.UserID, 10), Question: "Was de laptop versleuteld?"}))
	must(0, e.svc.Incidents.AskQuestion(e.ctx, desk, id, service.QuestionForm{Addressee: "reporter", Question: "Welke dossiers?"}))
	kinds := func(v service.CaseView) []string {
		var out []string
		for _, ev := range v.Events {
			out = append(out, ev.Kind)
		}
		return out
	}
	if got := kinds(must(e.svc.Incidents.Case(e.ctx, desk, id))); len(got) != 5 {
		t.Errorf("desk timeline = %v, want all 5 entries", got)
	}
	got := kinds(must(e.svc.Incidents.Case(e.ctx, staff, id)))
	if len(got) != 2 || got[0] != incident.EventReported || got[1] != string(incident.ActStartInventory) {
		t.Errorf("reporter timeline = %v, want only the report and its pick-up", got)
	}
}
