package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Issue 9.6 through HTTP: the desk's close form of a case notified to the AP
// without the AP's confirmation asks why; closing without a reason comes
// back with the message beside the field and what was typed, and the reason
// given shows in the register.
func TestCloseFormAsksWhyTheAPConfirmationIsMissing(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	id := a.journeyCaseToClose()
	desk := a.as(demoDesk)
	path := "/meldingen/" + itoa(id)

	page := a.get(desk, path)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="confirmation-missing"`) || !strings.Contains(page.Body, `name="no_confirmation_reason"`) {
		t.Fatalf("case page for the desk (%d) does not ask why the confirmation is missing", page.StatusCode)
	}
	r := a.post(desk, path+"/afsluiten", url.Values{"no_confirmation_reason": {"geen"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Bevestiging van de AP") || !strings.Contains(r.Body, ">geen</textarea>") {
		t.Fatalf("close with too short a reason: %d, want 422 with the message and the text kept", r.StatusCode)
	}
	if got := a.scalar(`SELECT status FROM cases WHERE id = $1`, id); got != "recording" {
		t.Fatalf("status after a refused close: %s", got)
	}
	const reason = "De AP gaf alleen een meldingsnummer in het meldloket; er is geen bestand."
	if r := a.post(desk, path+"/afsluiten", url.Values{"no_confirmation_reason": {reason}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("close with a reason: %d", r.StatusCode)
	}
	reg := a.get(a.as(demoOfficer), "/register")
	if !strings.Contains(reg.Body, "Geen bevestiging van de AP bewaard: "+reason) {
		t.Error("the register does not show why the AP's confirmation is missing")
	}
}
