package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Issue 9.4 through HTTP: the desk's close of a report with personal data
// "ja" waits for the FG, shows on the FG's start page, and the FG confirms
// it from the case page.
func TestHandlersDeskCloseWaitsForTheOfficer(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	desk, officer := app.as("meldpunt@demo.lekwacht.nl"), app.as("fg@demo.lekwacht.nl")
	id := itoa(app.demoCase(1))
	if _, err := app.Owner.Exec(context.Background(), `UPDATE cases SET personal_data = 'yes' WHERE id = $1`, app.demoCase(1)); err != nil {
		t.Fatal(err)
	}
	// The FG opens the new case before the desk has touched it.
	expect(t, "officer opens the new case", app.get(officer, "/meldingen/"+id), http.StatusOK)
	expect(t, "desk closes", app.post(desk, "/meldingen/"+id+"/afsluiten-geen-datalek", url.Values{"outcome": {"no_incident"},
		"reason": {"Alleen een verdachte mail, niemand heeft geklikt."}}), http.StatusSeeOther, "/meldingen/"+id)
	casePage := app.get(officer, "/meldingen/"+id)
	if casePage.text("status") != "Wacht op bevestiging van de FG" || !casePage.has("action-confirm_no_breach") || !casePage.has("action-assess_after_all") {
		t.Fatalf("officer's case page: status %q, confirm %v", casePage.text("status"), casePage.has("action-confirm_no_breach"))
	}
	if app.get(desk, "/meldingen/"+id).has("action-confirm_no_breach") {
		t.Error("the desk is offered the confirmation")
	}
	home := app.get(officer, "/")
	if !home.has("officer-list") || !strings.Contains(home.Body, "Wacht op bevestiging van de FG") {
		t.Errorf("the officer's start page does not show the case to confirm:\n%s", home.Body)
	}
	expect(t, "desk confirms", app.post(desk, "/meldingen/"+id+"/bevestigen", nil), http.StatusForbidden)
	expect(t, "assess after all without a reason", app.post(officer, "/meldingen/"+id+"/toch-beoordelen", url.Values{"assess_reason": {"kort"}}),
		http.StatusUnprocessableEntity)
	expect(t, "officer confirms", app.post(officer, "/meldingen/"+id+"/bevestigen", nil), http.StatusSeeOther, "/meldingen/"+id)
	if st := app.get(officer, "/meldingen/"+id).text("status"); st != "Afgesloten" {
		t.Errorf("after confirming: %q", st)
	}
}

// The board records its view during step 3, and the FG's decision page
// shows it; before that, the page says the board gave none.
func TestHandlersBoardViewOnTheDecisionPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	desk, officer, board := app.as("meldpunt@demo.lekwacht.nl"), app.as("fg@demo.lekwacht.nl"), app.as("bestuur@demo.lekwacht.nl")
	id := itoa(app.demoCase(1))
	app.post(desk, "/meldingen/"+id+"/oppakken", nil)
	app.post(desk, "/meldingen/"+id+"/inventarisatie", url.Values{"summary": {"USB-stick met adreslijst 3b verloren"},
		"nature": {"lost_device"}, "breach_suspected": {"yes"}, "sensitive": {"no"}, "chain_shared": {"no"},
		"subject_count": {"28"}, "data_types": {"contact"}, "subject_groups": {"leerlingen en ouders"}})
	expect(t, "send to officer", app.post(desk, "/meldingen/"+id+"/naar-fg", nil), http.StatusSeeOther, "/meldingen/"+id)
	if page := app.get(officer, "/meldingen/"+id+"/besluit"); !page.has("decision-board-none") {
		t.Error("decision page does not say the board gave no view")
	}
	if !app.get(board, "/meldingen/"+id).has("action-record_board_view") {
		t.Fatal("the board is not offered to record its view in step 3")
	}
	res := app.post(board, "/meldingen/"+id+"/zienswijze-bestuur", url.Values{"board_view": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !res.has("error-board_view") {
		t.Fatalf("empty view: %d", res.StatusCode)
	}
	expect(t, "officer records the board's view", app.post(officer, "/meldingen/"+id+"/zienswijze-bestuur",
		url.Values{"board_view": {"Melden."}}), http.StatusForbidden)
	expect(t, "board records its view", app.post(board, "/meldingen/"+id+"/zienswijze-bestuur",
		url.Values{"board_view": {"Wij willen dat de ouders een brief krijgen."}}), http.StatusSeeOther, "/meldingen/"+id)
	page := app.get(officer, "/meldingen/"+id+"/besluit")
	if !page.has("decision-board-view") || !strings.Contains(page.Body, "Wij willen dat de ouders een brief krijgen.") || page.has("decision-board-none") {
		t.Errorf("decision page lacks the board's view")
	}
}

// Four eyes through HTTP: the FG who drafted the notice is asked for the
// reason beside the field (422, the form kept), approves with it, and the
// case page and the register show it.
func TestHandlersOwnDraftApprovalNeedsAReason(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	id := app.subjectsToInforming()
	base := "/meldingen/" + itoa(id) + "/betrokkenen"
	officer := app.as(demoOfficer)
	expect(t, "draft", app.post(officer, base, subjectsFormValues()), http.StatusSeeOther)
	if page := app.get(officer, "/meldingen/"+itoa(id)); !page.has("subjects-own-draft") {
		t.Error("the drafter is not told that someone else approves")
	}
	res := app.post(officer, base+"/goedkeuren", url.Values{"self_approval_reason": {"kort"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !res.has("error-self_approval_reason") {
		t.Fatalf("own approval without a reason: %d", res.StatusCode)
	}
	if v, _ := res.textarea("self_approval_reason"); v != "kort" {
		t.Errorf("typed reason lost: %q", v)
	}
	reason := "Bestuur in de vakantie onbereikbaar; de ouders moeten vandaag bericht krijgen."
	expect(t, "own approval with a reason", app.post(officer, base+"/goedkeuren", url.Values{"self_approval_reason": {reason}}),
		http.StatusSeeOther, "/meldingen/"+itoa(id))
	if page := app.get(officer, "/meldingen/"+itoa(id)); page.text("subjects-self-approval") != reason {
		t.Errorf("case page's self-approval: %q", page.text("subjects-self-approval"))
	}
}
