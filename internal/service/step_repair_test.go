package service_test

import (
	"strconv"
	"testing"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

func TestRepairByTheAssignedTechnician(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("laptop gestolen", e.a1))).ID
	tech, desk := e.actors["technician"], e.actors["desk"]
	f := incident.RepairForm{Cause: "Laptop lag onbeheerd in de auto", TechnicalIncidental: "Laptop op afstand gewist",
		Unintelligible: "yes", UnintelligibleHow: "BitLocker, sleutel niet gelekt"}

	if err := e.svc.Incidents.RecordRepair(e.ctx, tech, id, f); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unassigned technician: %v, want NotFound", err)
	}
	must(0, e.svc.Incidents.AssignTechnician(e.ctx, desk, id, strconv.FormatInt(tech.UserID, 10)))
	if err := e.svc.Incidents.RecordRepair(e.ctx, desk, id, f); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("desk records repair: %v, want Forbidden", err)
	}
	// Repair runs alongside the other steps: here while the officer assesses.
	must(0, e.svc.Incidents.StartInventory(e.ctx, desk, id))
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, id, goodInventory()))
	must(0, e.svc.Incidents.SendToOfficer(e.ctx, desk, id))

	bad := f
	bad.Unintelligible, bad.UnintelligibleHow, bad.Completed, bad.Cause, bad.TechnicalIncidental = "yes", "", true, "", ""
	err := e.svc.Incidents.RecordRepair(e.ctx, tech, id, bad)
	if ae, ok := apperr.As(err); !ok || ae.Fields["unintelligible_how"] == "" || ae.Fields["cause"] == "" || ae.Fields["technical_incidental"] == "" {
		t.Errorf("incomplete repair marked completed: %v", err)
	}
	if err := e.svc.Incidents.RecordRepair(e.ctx, tech, id, f); err != nil {
		t.Fatal(err)
	}
	f.Completed, f.OrganisationalStructural = true, "Afspraak: laptops nooit in de auto laten liggen"
	if err := e.svc.Incidents.RecordRepair(e.ctx, tech, id, f); err != nil {
		t.Fatal(err)
	}
	v := must(e.svc.Incidents.Case(e.ctx, tech, id))
	if v.Repair == nil || !v.Repair.Completed || v.Repair.Unintelligible != incident.Yes || v.Repair.OrganisationalStructural == "" {
		t.Errorf("repair = %+v", v.Repair)
	}
	if v.Case.Status != incident.StatusAssessment {
		t.Errorf("repair moved the case to %s", v.Case.Status)
	}
	if n := e.events(id, "record_repair"); n != 2 {
		t.Errorf("%d repair timeline rows, want 2", n)
	}
	// The officer sees the repair too; the reporter does not.
	if ov := must(e.svc.Incidents.Case(e.ctx, e.actors["officer"], id)); ov.Repair == nil {
		t.Error("officer does not see the repair")
	}
	if rv := must(e.svc.Incidents.Case(e.ctx, e.actors["staff"], id)); rv.Repair != nil {
		t.Error("reporter sees the technician's findings")
	}
}

func TestNoRepairOnAClosedCase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("niets aan de hand", e.a1))).ID
	tech := e.actors["technician"]
	must(0, e.svc.Incidents.AssignTechnician(e.ctx, e.actors["desk"], id, strconv.FormatInt(tech.UserID, 10)))
	must(0, e.svc.Incidents.CloseNoBreach(e.ctx, e.actors["desk"], id, service.CloseForm{Outcome: "no_incident", Reason: "Alleen een dreiging, niets gebeurd."}))
	must(0, e.svc.Incidents.ConfirmNoBreach(e.ctx, e.actors["officer"], id))
	if err := e.svc.Incidents.RecordRepair(e.ctx, tech, id, incident.RepairForm{Cause: "x"}); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("repair on a closed case: %v, want Conflict", err)
	}
}

// The pages of a step are refused in the service to whoever may not act.
func TestStepPageIsRefusedByTheService(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("router gehackt", e.a1))).ID
	if _, err := e.svc.Incidents.StepPage(e.ctx, e.actors["officer"], id, incident.ActRecordInventory, "x"); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("officer opens the inventory page: %v", err)
	}
	if _, err := e.svc.Incidents.StepPage(e.ctx, e.actors["desk"], id, incident.ActRecordInventory, "x"); err != nil {
		t.Errorf("desk opens the inventory page: %v", err)
	}
	if _, err := e.svc.Incidents.StepPage(e.ctx, e.actors["desk"], id, incident.ActSendToOfficer, "x"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("a step the case is not in: %v, want Conflict", err)
	}
	if _, err := e.svc.Incidents.StepPage(e.ctx, e.actors["desk_b"], id, incident.ActRecordInventory, "x"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another organisation: %v", err)
	}
}
