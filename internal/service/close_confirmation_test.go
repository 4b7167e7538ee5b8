package service_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

// readyToClose brings a case to step 6 with everything the register needs,
// notified to the AP when notified is set.
func (e *env) readyToClose(what string, notified bool) int64 {
	e.t.Helper()
	desk, tech := e.actors["desk"], e.actors["technician"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form(what, e.a1))).ID
	e.decided(id, true, "Namen van kinderen bij een onbekende", incident.StatusRecording)
	if notified {
		e.notified(id, "M-2026-0042", 20*time.Hour)
	}
	must(0, e.svc.Incidents.AssignTechnician(e.ctx, desk, id, strconv.FormatInt(tech.UserID, 10)))
	must(0, e.svc.Incidents.RecordRepair(e.ctx, tech, id, incident.RepairForm{Cause: "Verkeerd adres gekozen",
		OrganisationalIncidental: "Ontvanger gevraagd te verwijderen", OrganisationalStructural: "Automatisch aanvullen uit", Unintelligible: "no", Completed: true}))
	return id
}

// Issue 9.6: a case notified to the AP closes only with the AP's
// confirmation attached, or with the reason why there is none, which the
// register shows; a case not notified closes as before.
func TestClosingANotifiedCaseNeedsTheConfirmationOrAReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk := e.actors["desk"]

	id := e.readyToClose("Mail met cijfers naar verkeerde ouder", true)
	v := must(e.svc.Incidents.Case(e.ctx, desk, id))
	if !v.NeedsConfirmationReason || len(v.ClosingGaps) != 0 {
		t.Fatalf("case page: needs reason %v, gaps %q", v.NeedsConfirmationReason, v.ClosingGaps)
	}
	for _, reason := range []string{"", "   ", "kort"} {
		err := e.svc.Incidents.CloseWith(e.ctx, desk, id, service.CloseCaseForm{NoConfirmationReason: reason})
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.Invalid || !strings.Contains(ae.Fields["no_confirmation_reason"], "Bevestiging van de AP") {
			t.Fatalf("close with reason %q: %v", reason, err)
		}
	}
	if err := e.svc.Incidents.Close(e.ctx, desk, id); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("close without a form: %v", err)
	}
	if e.status(id) != incident.StatusRecording {
		t.Fatalf("refused close changed the status to %s", e.status(id))
	}
	const reason = "De AP stuurde geen ontvangstbevestiging; het meldingsnummer staat in het register."
	must(0, e.svc.Incidents.CloseWith(e.ctx, desk, id, service.CloseCaseForm{NoConfirmationReason: "  " + reason + " "}))
	if e.status(id) != incident.StatusClosed {
		t.Fatalf("status %s", e.status(id))
	}
	en := entryOf(t, must(e.svc.Incidents.Register(e.ctx, e.actors["officer"], service.RegisterQuery{})), id)
	if en.NoConfirmationReason != reason || !strings.Contains(en.AttachmentsText(), "Geen bevestiging van de AP bewaard: "+reason) {
		t.Errorf("register: reason %q, kept %q", en.NoConfirmationReason, en.AttachmentsText())
	}
	if n := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND summary LIKE '%zonder bevestiging van de AP%'`, id); n != 1 {
		t.Errorf("%d timeline rows with the reason, want 1", n)
	}

	// With the confirmation attached no reason is asked, and none is kept.
	id2 := e.readyToClose("Laptop gestolen", true)
	must(e.upload("officer", id2, incident.AttachAPConfirmation, "bevestiging.pdf", pdfFile()))
	if v := must(e.svc.Incidents.Case(e.ctx, desk, id2)); v.NeedsConfirmationReason {
		t.Error("confirmation attached, yet a reason is asked")
	}
	must(0, e.svc.Incidents.CloseWith(e.ctx, desk, id2, service.CloseCaseForm{NoConfirmationReason: "dit wordt niet bewaard"}))
	if en := entryOf(t, must(e.svc.Incidents.Register(e.ctx, e.actors["officer"], service.RegisterQuery{})), id2); en.NoConfirmationReason != "" {
		t.Errorf("reason kept although the confirmation is attached: %q", en.NoConfirmationReason)
	}

	// Not notified to the AP: closes as before.
	id3 := e.readyToClose("Toetsen in de bus", false)
	must(0, e.svc.Incidents.Close(e.ctx, desk, id3))
}
