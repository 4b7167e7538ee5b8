package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// toAssessment brings a new case to step 3 through the desk.
func (e *env) toAssessment(id int64) {
	e.t.Helper()
	desk := e.actors["desk"]
	must(0, e.svc.Incidents.StartInventory(e.ctx, desk, id))
	inv := goodInventory()
	inv.PeriodFrom = ""
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, id, inv))
	must(0, e.svc.Incidents.SendToOfficer(e.ctx, desk, id))
}

// classList is the USB stick with the addresses of class 3b (seed 000).
func classList() incident.DecisionForm {
	return incident.DecisionForm{Incident: true, PersonalData: true, Confidentiality: true, Availability: "none",
		Excluded: "none", Subjects: "28", Data: []string{"basic", "contact"}, Children: true, DirectIdentifiable: true,
		Backup: true, Recipient: "unknown"}
}

func TestDecideFollowsTheAdviceOrSaysWhyNot(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("USB-stick 3b", e.a1))).ID
	e.toAssessment(id)

	advice := must(e.svc.Incidents.DecisionAdvice(e.ctx, officer, id, classList()))
	if !advice.Breach || !advice.NotifyAuthority || len(advice.Reasons) == 0 {
		t.Fatalf("advice on the class list = %+v", advice)
	}
	// Not following the advice on the AP, without a reason: refused.
	f := classList()
	f.Breach, f.NotifyAuthority, f.NotifySubjects, f.SubjectsChannel = "yes", "no", "yes", "individual"
	f.Effects, f.NoticePlan = "Adressen van kinderen kunnen misbruikt worden.", "Brief aan de ouders van 3b."
	err := e.svc.Incidents.Decide(e.ctx, officer, id, f)
	ae, ok := apperr.As(err)
	if !ok || !strings.Contains(ae.Fields["authority_reason"], "wijkt af") {
		t.Fatalf("deviation without reason: %v", err)
	}
	// Tampering with the advice is impossible: it is not a form field; the
	// decision is checked against the advice computed from the facts.
	f.AuthorityReason = "De stick is binnen een uur teruggevonden in de lerarenkamer."
	if err := e.svc.Incidents.Decide(e.ctx, e.actors["desk"], id, f); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("desk decides: %v, want Forbidden", err)
	}
	if err := e.svc.Incidents.Decide(e.ctx, officer, id, f); err != nil {
		t.Fatal(err)
	}
	v := must(e.svc.Incidents.Case(e.ctx, e.actors["board"], id))
	if v.Case.Status != incident.StatusInforming || v.Case.Outcome != incident.OutcomeBreach {
		t.Errorf("after deciding: status %s outcome %s, want informing and breach", v.Case.Status, v.Case.Outcome)
	}
	if v.Decision == nil || v.Decision.Decision.NotifyAuthority || !v.Decision.Advice.NotifyAuthority ||
		v.Decision.Reasons.Authority != f.AuthorityReason || len(incident.Deviations(v.Decision.Decision, v.Decision.Advice)) != 1 {
		t.Errorf("stored decision = %+v", v.Decision)
	}
	if n := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'assess' AND summary LIKE '%afwijkend van het advies%'`, id); n != 1 {
		t.Errorf("the timeline does not say the decision deviated (%d)", n)
	}
	if err := e.svc.Incidents.Decide(e.ctx, officer, id, f); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("deciding again outside step 3: %v, want Conflict", err)
	}
}

func TestDecideNoBreachNeedsAReasonAndGoesToTheDesk(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("e-mail naar verkeerd adres, kwam terug", e.a2))).ID
	e.toAssessment(id)
	f := classList()
	f.Excluded, f.Breach = "bounced", "no"
	advice := must(e.svc.Incidents.DecisionAdvice(e.ctx, officer, id, f))
	if advice.Breach {
		t.Fatalf("a bounced e-mail advised as a breach: %+v", advice.Reasons)
	}
	err := e.svc.Incidents.Decide(e.ctx, officer, id, f)
	if ae, ok := apperr.As(err); !ok || ae.Fields["breach_reason"] == "" {
		t.Fatalf("no breach without a reason: %v", err)
	}
	f.BreachReason = "De e-mail kwam niet aan: de verzender kreeg een foutmelding."
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, f))
	c := must(e.store.Case(e.sys, e.orgA, id))
	if c.Status != incident.StatusRecording || c.Outcome != incident.OutcomeNoBreach || c.OutcomeReason != f.BreachReason {
		t.Errorf("case = %s %s %q", c.Status, c.Outcome, c.OutcomeReason)
	}
	// Invalid facts are named per field.
	bad := classList()
	bad.Subjects, bad.Recipient = "heel veel", "buren"
	if _, err := e.svc.Incidents.DecisionAdvice(e.ctx, officer, id, bad); err == nil {
		t.Error("advice on a closed step or bad facts")
	}
}

func TestOnlyTheOfficerOfTheSchoolDecides(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("hack", e.a2))).ID
	e.toAssessment(id)
	e.user("officer_a1", e.orgA, access.Grant{Role: access.Officer, Schools: []int64{e.a1}})
	for name, want := range map[string]apperr.Kind{"desk": apperr.Forbidden, "board": apperr.Forbidden, "technician": apperr.NotFound,
		"staff": apperr.Forbidden, "desk_b": apperr.NotFound, "admin": apperr.NotFound, "officer_a1": apperr.NotFound} {
		if _, err := e.svc.Incidents.DecisionAdvice(e.ctx, e.actors[name], id, classList()); !apperr.Is(err, want) {
			t.Errorf("%s asks advice: %v, want kind %d", name, err, want)
		}
	}
}

func TestSetAwareAtMovesTheDeadline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clock.Set(time.Date(2026, 11, 23, 10, 0, 0, 0, amsterdam))
	officer := e.actors["officer"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("inlog gestolen", e.a1))).ID
	e.toAssessment(id)
	if due := must(e.svc.Incidents.DecisionPageFor(e.ctx, officer, id)).Due.At; !due.Equal(time.Date(2026, 11, 26, 10, 0, 0, 0, amsterdam)) {
		t.Fatalf("due = %v", due)
	}
	if err := e.svc.Incidents.SetAwareAt(e.ctx, officer, id, "2026-11-23T15:00", "kort"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("without a reason: %v", err)
	}
	if err := e.svc.Incidents.SetAwareAt(e.ctx, officer, id, "2026-11-24T15:00", "Pas na de logcontrole stond het vast."); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("in the future: %v", err)
	}
	if err := e.svc.Incidents.SetAwareAt(e.ctx, e.actors["desk"], id, "2026-11-23T09:30", "Pas na de logcontrole stond het vast."); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("desk sets awareness: %v", err)
	}
	must(0, e.svc.Incidents.SetAwareAt(e.ctx, officer, id, "2026-11-23T09:30", "De collega zag het al om half tien."))
	p := must(e.svc.Incidents.DecisionPageFor(e.ctx, officer, id))
	if !p.Due.At.Equal(time.Date(2026, 11, 26, 9, 30, 0, 0, amsterdam)) || p.View.Case.AwareReason == "" ||
		!p.View.Case.ReportedAt.Equal(time.Date(2026, 11, 23, 10, 0, 0, 0, amsterdam)) {
		t.Errorf("after setting: due %v, reason %q, reported %v", p.Due.At, p.View.Case.AwareReason, p.View.Case.ReportedAt)
	}
	if w := must(e.svc.Incidents.Worklist(e.ctx, officer)); len(w.Officer) != 1 || !w.Officer[0].Deadlines[0].At.Equal(p.Due.At) {
		t.Errorf("the dashboard does not follow the new moment: %+v", w.Officer)
	}
}

func TestNotInformingNeedsItsGround(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("versleutelde stick kwijt", e.a1))).ID
	e.toAssessment(id)
	f := classList()
	f.Unintelligible = true
	advice := must(e.svc.Incidents.DecisionAdvice(e.ctx, officer, id, f))
	f.Breach, f.NotifyAuthority, f.NotifySubjects = "yes", "no", "no"
	if advice.NotifyAuthority || advice.NotifySubjects {
		t.Fatalf("advice on an encrypted stick: %+v", advice.Reasons)
	}
	f.Effects = "Geen: de gegevens zijn onleesbaar."
	f.AuthorityReason, f.SubjectsReason = "Versleuteld met BitLocker, sleutel niet gelekt.", "Versleuteld met BitLocker, sleutel niet gelekt."
	err := e.svc.Incidents.Decide(e.ctx, officer, id, f)
	if ae, ok := apperr.As(err); !ok || ae.Fields["subjects_exception"] == "" {
		t.Fatalf("not informing without a ground: %v", err)
	}
	f.SubjectsException = "unintelligible"
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, f))
	v := must(e.svc.Incidents.Case(e.ctx, officer, id))
	if v.Decision == nil || v.Decision.Decision.SubjectsException != "unintelligible" || v.Case.Status != incident.StatusRecording {
		t.Errorf("stored: %+v, status %s", v.Decision, v.Case.Status)
	}
}

// A reopened case that was notified to the AP before does not return to
// step 5 (the first notification is recorded once); it goes on with a
// supplement under the same number.
func TestReassessingANotifiedCase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := e.caseIn(incident.StatusClosed) // notified, decided, closed
	must(0, e.svc.Incidents.Reopen(e.ctx, officer, id, "De versleuteling blijkt gekraakt."))
	f := classList()
	f.Breach, f.NotifyAuthority, f.NotifySubjects, f.SubjectsChannel = "yes", "yes", "no", ""
	f.Effects, f.NoticePlan = "Adressen op straat.", "Aanvulling op de melding."
	f.SubjectsReason, f.SubjectsException = "Alleen adressen, geen hoog risico meer na het terugvinden.", "no_high_risk"
	advice := must(e.svc.Incidents.DecisionAdvice(e.ctx, officer, id, f))
	if advice.NotifySubjects {
		f.SubjectsReason = "Wijkt af: de stick is ongeopend teruggevonden, geen hoog risico."
	}
	f.ChangeReason = "De versleuteling blijkt gekraakt: de adressen zijn toch leesbaar."
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, f))
	if st := e.status(id); st != incident.StatusRecording {
		t.Errorf("re-assessed notified case went to %s, want recording (supplement, not a second notification)", st)
	}
}

// Issue 10.1: the page proposes no answer (not the advice, not a previous
// version's), and a decision without an explicit choice is refused with a
// Dutch message beside each question that applies and was not answered.
func TestDecisionAsksForAnExplicitChoice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("USB-stick 3b", e.a1))).ID
	e.toAssessment(id)
	p := must(e.svc.Incidents.DecisionPageFor(e.ctx, officer, id))
	if !p.Advice.Breach || !p.Advice.NotifyAuthority {
		t.Fatalf("the page's advice = %+v", p.Advice)
	}
	if f := p.Form; f.Breach != "" || f.NotifyAuthority != "" || f.NotifySubjects != "" || f.SubjectsChannel != "" || f.SubjectsException != "" {
		t.Fatalf("answers preselected: breach %q AP %q subjects %q channel %q ground %q",
			f.Breach, f.NotifyAuthority, f.NotifySubjects, f.SubjectsChannel, f.SubjectsException)
	}
	f := classList()
	f.Effects, f.NoticePlan = "Adressen van kinderen kunnen misbruikt worden.", "Brief aan de ouders van 3b."
	ae, ok := apperr.As(e.svc.Incidents.Decide(e.ctx, officer, id, f))
	if !ok || !strings.Contains(ae.Fields["breach"], "Lekwacht kiest niet voor u") {
		t.Fatalf("no choice at all: %v", ae)
	}
	// Until "datalek" is chosen the other questions do not apply yet, and no
	// reason is asked for a question that has no answer.
	for _, field := range []string{"notify_authority", "notify_subjects", "breach_reason", "authority_reason", "subjects_reason"} {
		if msg := ae.Fields[field]; msg != "" {
			t.Errorf("message beside %s before the breach question is answered: %q", field, msg)
		}
	}
	f.Breach = "yes"
	ae, _ = apperr.As(e.svc.Incidents.Decide(e.ctx, officer, id, f))
	if ae == nil || ae.Fields["notify_authority"] == "" || ae.Fields["notify_subjects"] == "" || ae.Fields["breach"] != "" {
		t.Fatalf("breach chosen, AP and data subjects not: %v", ae)
	}
	if n := e.count(`SELECT count(*) FROM case_assessments WHERE case_id = $1`, id); n != 0 {
		t.Fatalf("a decision without choices was stored (%d)", n)
	}
	// What was typed survives as a draft, choice included.
	if p := must(e.svc.Incidents.DecisionPageFor(e.ctx, officer, id)); p.DraftSavedAt == nil || p.Form.Breach != "yes" || p.Form.Effects != f.Effects {
		t.Errorf("the refused decision's input is not kept as a draft: %+v", p.Form)
	}
	f.NotifyAuthority, f.NotifySubjects, f.SubjectsChannel = "yes", "yes", "individual"
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, f))
	if n := e.count(`SELECT count(*) FROM case_decision_drafts WHERE case_id = $1`, id); n != 0 {
		t.Errorf("the draft outlives the decision (%d)", n)
	}
}

// Issue 10.1: "Advies berekenen" and "Advies overnemen" keep the page as a
// draft with the case: a second visit shows the facts as typed and the
// advice on them; nothing is decided, the timeline does not change, and only
// the officer of the case in step 3 can save one.
func TestDecisionDraftSurvivesASecondVisit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("e-mail naar verkeerd adres", e.a1))).ID
	e.toAssessment(id)
	events := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1`, id)

	f := classList()
	f.Excluded, f.Subjects, f.BreachReason = "bounced", "3", "De e-mail kwam als onbestelbaar terug."
	saved, advice := must2(e.svc.Incidents.SaveDecisionDraft(e.ctx, officer, id, f, ""))
	if advice.Breach || saved.Breach != "" {
		t.Fatalf("advice on a bounced e-mail = %+v, breach answer %q", advice.Reasons, saved.Breach)
	}
	p := must(e.svc.Incidents.DecisionPageFor(e.ctx, officer, id))
	if p.DraftSavedAt == nil || p.Form.Excluded != "bounced" || p.Form.Subjects != "3" || p.Form.BreachReason != f.BreachReason || p.Advice.Breach {
		t.Fatalf("second visit: draft %v, excluded %q, subjects %q, advice breach %v", p.DraftSavedAt, p.Form.Excluded, p.Form.Subjects, p.Advice.Breach)
	}
	// Adopting the advice answers that one question, and only on request.
	saved, _ = must2(e.svc.Incidents.SaveDecisionDraft(e.ctx, officer, id, p.Form, incident.QuestionBreach))
	if saved.Breach != "no" || saved.NotifyAuthority != "" {
		t.Errorf("adopted breach %q, AP %q", saved.Breach, saved.NotifyAuthority)
	}
	if p := must(e.svc.Incidents.DecisionPageFor(e.ctx, officer, id)); p.Form.Breach != "no" {
		t.Errorf("the adopted answer is not kept: %q", p.Form.Breach)
	}
	// Facts that cannot be read are kept as typed, with a message; no advice
	// is adopted on them.
	bad := saved
	bad.Subjects = "heel veel"
	if _, _, err := e.svc.Incidents.SaveDecisionDraft(e.ctx, officer, id, bad, incident.QuestionAuthority); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("adopting on unreadable facts: %v", err)
	}
	if p := must(e.svc.Incidents.DecisionPageFor(e.ctx, officer, id)); p.Form.Subjects != "heel veel" || p.Form.NotifyAuthority != "" {
		t.Errorf("the draft with unreadable facts: subjects %q, AP %q", p.Form.Subjects, p.Form.NotifyAuthority)
	}
	if n := e.count(`SELECT count(*) FROM case_assessments WHERE case_id = $1`, id); n != 0 {
		t.Errorf("a draft recorded a decision (%d)", n)
	}
	if n := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1`, id); n != events {
		t.Errorf("a draft wrote to the timeline: %d events, want %d", n, events)
	}
	for name, want := range map[string]apperr.Kind{"desk": apperr.Forbidden, "board": apperr.Forbidden, "desk_b": apperr.NotFound} {
		if _, _, err := e.svc.Incidents.SaveDecisionDraft(e.ctx, e.actors[name], id, f, ""); !apperr.Is(err, want) {
			t.Errorf("%s saves a draft: %v, want kind %d", name, err, want)
		}
	}
	// The desk's view of the case shows no draft: it is the officer's.
	if p, err := e.svc.Incidents.DecisionPageFor(e.ctx, e.actors["desk"], id); err == nil && p.DraftSavedAt != nil {
		t.Error("the desk sees the officer's draft")
	}
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}
