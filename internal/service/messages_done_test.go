package service_test

import (
	"strconv"
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// openSubjects lists the subjects on a user's start page (the open messages).
func (e *env) openSubjects(a *access.Actor) []string {
	e.t.Helper()
	var out []string
	for _, m := range must(e.svc.Incidents.Messages(e.ctx, a)) {
		out = append(out, m.Subject)
	}
	return out
}

// Issue 12.4: a question that was answered, a case that moved on or was
// closed, a repair that was completed: their messages leave the start page,
// and stay on "Berichten", marked done. A message that only informs goes
// once read.
func TestMessagesGoAwayWhenTheWorkIsDone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff, desk, tech := e.actors["staff"], e.actors["desk"], e.actors["technician"]
	id := must(e.svc.Incidents.Report(e.ctx, staff, e.form("USB-stick kwijt", e.a1))).ID
	if got := e.openSubjects(desk); len(got) != 1 {
		t.Fatalf("desk after the report: %q, want the new report", got)
	}
	must(0, e.svc.Incidents.StartInventory(e.ctx, desk, id))
	if got := e.openSubjects(desk); len(got) != 0 {
		t.Fatalf("desk after picking it up: %q, want nothing (the report no longer asks for anything)", got)
	}

	// A question: open for the reporter until answered; the answer informs the desk until read.
	must(0, e.svc.Incidents.AskQuestion(e.ctx, desk, id, serviceQuestion("reporter", "Was de stick versleuteld?")))
	if got := e.openSubjects(staff); len(got) != 1 {
		t.Fatalf("reporter with a question: %q", got)
	}
	qs := must(e.svc.Incidents.OpenQuestions(e.ctx, staff))
	must(0, e.svc.Incidents.AnswerQuestion(e.ctx, staff, id, qs[0].ID, "Nee"))
	if got := e.openSubjects(staff); len(got) != 0 {
		t.Fatalf("reporter after answering: %q, want nothing", got)
	}
	answer := e.openSubjects(desk)
	if len(answer) != 1 {
		t.Fatalf("desk after the answer: %q, want the answer", answer)
	}
	all := must(e.svc.Incidents.AllMessages(e.ctx, desk))
	must(0, e.svc.Incidents.MarkMessagesRead(e.ctx, desk, all[0].ID))
	if got := e.openSubjects(desk); len(got) != 0 {
		t.Fatalf("desk after reading the answer: %q, want nothing", got)
	}

	// The technician's message stays until the repair is completed.
	must(0, e.svc.Incidents.AssignTechnician(e.ctx, desk, id, strconv.FormatInt(tech.UserID, 10)))
	all = must(e.svc.Incidents.AllMessages(e.ctx, tech))
	must(0, e.svc.Incidents.MarkMessagesRead(e.ctx, tech, all[0].ID))
	if got := e.openSubjects(tech); len(got) != 1 {
		t.Fatalf("technician, assignment read but repair not done: %q", got)
	}
	must(0, e.svc.Incidents.RecordRepair(e.ctx, tech, id, incident.RepairForm{Cause: "Stick verloren in de trein",
		OrganisationalIncidental: "Stick geblokkeerd", OrganisationalStructural: "Alleen versleutelde sticks", Unintelligible: "no", Completed: true}))
	if got := e.openSubjects(tech); len(got) != 0 {
		t.Fatalf("technician after the repair: %q, want nothing", got)
	}

	// To the officer: open while in assessment, done once decided.
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, id, goodInventory()))
	must(0, e.svc.Incidents.SendToOfficer(e.ctx, desk, id))
	officer := e.actors["officer"]
	if got := e.openSubjects(officer); len(got) != 1 {
		t.Fatalf("officer with a case to assess: %q", got)
	}
	f := classList()
	f.Breach, f.NotifyAuthority, f.NotifySubjects, f.SubjectsChannel = "yes", "yes", "yes", "individual"
	f.Effects, f.NoticePlan = "Namen van kinderen kunnen rondgaan.", "Brief aan de ouders."
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, f))
	if got := e.openSubjects(officer); len(got) != 0 {
		t.Fatalf("officer after the decision: %q, want nothing", got)
	}
	// Everything stays on "Berichten", marked done.
	// The board's message (the FG notifies the AP) asks until the board has recorded its view.
	board := e.actors["board"]
	if got := e.openSubjects(board); len(got) != 1 {
		t.Fatalf("board before the AP notification: %q", got)
	}
	must(0, e.svc.Incidents.InformBoard(e.ctx, board, id, "Akkoord met melden."))
	if got := e.openSubjects(board); len(got) != 0 {
		t.Fatalf("board after recording its view: %q, want nothing", got)
	}
	for _, who := range []*access.Actor{desk, staff, tech, officer, board} {
		for _, m := range must(e.svc.Incidents.AllMessages(e.ctx, who)) {
			if !m.Done {
				t.Errorf("user %d: %q is not done", who.UserID, m.Subject)
			}
		}
	}
	if n := e.count(`SELECT count(*) FROM user_messages WHERE case_id = $1`, id); n < 5 {
		t.Errorf("%d messages in all, want them kept", n)
	}
}

// Closing a case makes every message about it that asks for something
// done; the reporter's summary stays until read.
func TestClosingMakesEveryMessageDone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk, tech := e.actors["desk"], e.actors["technician"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Lijst met namen op straat", e.a1))).ID
	must(0, e.svc.Incidents.AskQuestion(e.ctx, desk, id, serviceQuestion("reporter", "Welke lijst?")))
	e.decided(id, true, "Spam", incident.StatusRecording)
	must(0, e.svc.Incidents.AssignTechnician(e.ctx, desk, id, strconv.FormatInt(tech.UserID, 10)))
	must(0, e.svc.Incidents.RecordRepair(e.ctx, tech, id, incident.RepairForm{Cause: "Lijst geprint",
		OrganisationalIncidental: "Lijst opgehaald", OrganisationalStructural: "Geen lijsten meer printen", Unintelligible: "no", Completed: true}))
	if n := e.count(`SELECT count(*) FROM user_messages WHERE case_id = $1 AND done_at IS NULL`, id); n == 0 {
		t.Fatal("before closing, the open question should still ask for something")
	}
	must(0, e.svc.Incidents.Close(e.ctx, desk, id))
	if n := e.count(`SELECT count(*) FROM user_messages WHERE case_id = $1 AND done_at IS NULL AND kind <> 'closed_summary'`, id); n != 0 {
		t.Errorf("%d messages of a closed case still ask for something", n)
	}
	if got := e.openSubjects(e.actors["staff"]); len(got) != 1 || got[0] != "Uw melding 2026-0001 is afgehandeld" {
		t.Errorf("reporter after closing: %q, want only the summary", got)
	}
}
