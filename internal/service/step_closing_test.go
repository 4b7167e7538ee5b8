package service_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// decided brings a case through steps 2 and 3 the short way for tests of
// later steps: the inventory by the desk, then the officer's decision row as
// step 3 writes it, and the status the decision leads to.
func (e *env) decided(id int64, breach bool, consequences string, to incident.Status) {
	e.t.Helper()
	desk := e.actors["desk"]
	must(0, e.svc.Incidents.StartInventory(e.ctx, desk, id))
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, id, goodInventory()))
	must(0, e.svc.Incidents.SendToOfficer(e.ctx, desk, id))
	_, err := e.owner.Exec(e.ctx, `
		INSERT INTO case_assessments (organisation_id, case_id, facts, advice, consequences, breach, notify_authority,
			notify_subjects, decided_at, decided_by)
		VALUES ($1, $2, '{}', '{}', $3, $4, false, false, now(), $5)`, e.orgA, id, consequences, breach, e.actors["officer"].UserID)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.MoveCase(e.sys, e.orgA, id, incident.StatusAssessment, to, e.clock.Now()); err != nil {
		e.t.Fatal(err)
	}
}

func TestCloseNeedsACompleteRegisterEntryAndTellsTheReporter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff, desk, tech := e.actors["staff"], e.actors["desk"], e.actors["technician"]
	id := must(e.svc.Incidents.Report(e.ctx, staff, e.form("A4 met e-mailadressen op straat", e.a1))).ID
	e.decided(id, true, "", incident.StatusRecording)

	gaps := must(e.svc.Incidents.ClosingGaps(e.ctx, desk, id))
	if len(gaps) != 2 || !strings.Contains(gaps[0], "gevolgen") || !strings.Contains(gaps[1], "oorzaak") {
		t.Fatalf("gaps = %q, want consequences and repair", gaps)
	}
	if err := e.svc.Incidents.Close(e.ctx, desk, id); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "Nog nodig") {
		t.Fatalf("close while incomplete: %v", err)
	}
	if _, err := e.owner.Exec(e.ctx, `UPDATE case_assessments SET consequences = 'Spam en mogelijk stigmatisering' WHERE case_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	must(0, e.svc.Incidents.AssignTechnician(e.ctx, desk, id, strconv.FormatInt(tech.UserID, 10)))
	must(0, e.svc.Incidents.RecordRepair(e.ctx, tech, id, incident.RepairForm{Cause: "Lijst geprint en meegenomen",
		OrganisationalIncidental: "Ouders van de klas ingelicht", OrganisationalStructural: "Geen lijsten meer printen", Unintelligible: "no"}))
	if gaps := must(e.svc.Incidents.ClosingGaps(e.ctx, desk, id)); len(gaps) != 1 || !strings.Contains(gaps[0], "niet afgerond") {
		t.Fatalf("gaps = %q, want only 'repair not completed'", gaps)
	}
	must(0, e.svc.Incidents.RecordRepair(e.ctx, tech, id, incident.RepairForm{Cause: "Lijst geprint en meegenomen",
		OrganisationalIncidental: "Ouders van de klas ingelicht", OrganisationalStructural: "Geen lijsten meer printen",
		Unintelligible: "no", Completed: true}))
	if err := e.svc.Incidents.Close(e.ctx, e.actors["officer"], id); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("officer closes: %v, want Forbidden (the desk archives)", err)
	}
	if err := e.svc.Incidents.Close(e.ctx, desk, id); err != nil {
		t.Fatal(err)
	}
	if e.status(id) != incident.StatusClosed {
		t.Fatalf("status %s", e.status(id))
	}
	msgs := must(e.svc.Incidents.Messages(e.ctx, staff))
	if len(msgs) != 1 || msgs[0].CaseID == nil || *msgs[0].CaseID != id ||
		!strings.Contains(msgs[0].Body, "Geen lijsten meer printen") || !strings.Contains(msgs[0].Body, "Ouders van de klas ingelicht") {
		t.Fatalf("reporter's messages = %+v", msgs)
	}
	if strings.Contains(msgs[0].Body, "Lijst geprint") {
		t.Error("the summary of measures shows the technician's cause, not only measures")
	}
	if n := len(must(e.svc.Incidents.Messages(e.ctx, e.actors["staff2"]))); n != 0 {
		t.Errorf("another user got %d messages", n)
	}
	if c := must(e.store.Case(e.sys, e.orgA, id)); c.ClosedAt == nil {
		t.Error("closed_at not set")
	}

	// Reopen: only the officer, with a reason; the case returns to assessment.
	if err := e.svc.Incidents.Reopen(e.ctx, desk, id, "Nieuwe feiten bekend geworden"); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("desk reopens: %v", err)
	}
	if err := e.svc.Incidents.Reopen(e.ctx, e.actors["officer"], id, "kort"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("reopen without a real reason: %v", err)
	}
	if err := e.svc.Incidents.Reopen(e.ctx, e.actors["officer"], id, "De versleuteling blijkt toch gekraakt."); err != nil {
		t.Fatal(err)
	}
	if c := must(e.store.Case(e.sys, e.orgA, id)); c.Status != incident.StatusAssessment || c.ClosedAt != nil {
		t.Errorf("after reopening: status %s closed_at %v", c.Status, c.ClosedAt)
	}
}

func TestBoardIsInformedBeforeNotification(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("hack van de leerlingadministratie", e.a1))).ID
	board := e.actors["board"]
	if err := e.svc.Incidents.InformBoard(e.ctx, board, id, "Akkoord"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("board note on a new case: %v, want Conflict (not in this step)", err)
	}
	e.decided(id, true, "Identiteitsfraude mogelijk", incident.StatusNotification)
	if err := e.svc.Incidents.InformBoard(e.ctx, board, id, " "); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("empty view: %v", err)
	}
	if err := e.svc.Incidents.InformBoard(e.ctx, e.actors["desk"], id, "Akkoord"); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("desk as board: %v", err)
	}
	if w := must(e.svc.Incidents.Worklist(e.ctx, board)); len(w.Board) != 1 || w.Board[0].ID != id {
		t.Fatalf("board list = %+v, want the case to be informed about", w.Board)
	}
	if err := e.svc.Incidents.InformBoard(e.ctx, board, id, "Akkoord met melden; persbericht voorbereiden."); err != nil {
		t.Fatal(err)
	}
	if w := must(e.svc.Incidents.Worklist(e.ctx, board)); len(w.Board) != 0 {
		t.Errorf("board list after informing = %+v", w.Board)
	}
	v := must(e.svc.Incidents.Case(e.ctx, e.actors["officer"], id))
	if len(v.BoardNotes) != 1 || v.BoardNotes[0].View != "Akkoord met melden; persbericht voorbereiden." {
		t.Errorf("board notes = %+v", v.BoardNotes)
	}
	if v.Case.Status != incident.StatusNotification {
		t.Errorf("informing the board moved the case to %s", v.Case.Status)
	}
}
