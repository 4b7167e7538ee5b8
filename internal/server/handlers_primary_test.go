package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// Issue 14.2: one primary button per screen. On every case of the demo (in
// every step the demo has) the desk, the FG and the board each see at most
// one primary action on the case page, and a new case asks the desk first to
// pick it up ("Oppakken"), with recording the facts secondary beside it.
func TestCasePageHasOnePrimaryButton(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	var ids []int64
	rows, err := app.Owner.Query(t.Context(), `SELECT id FROM cases WHERE organisation_id = $1 ORDER BY id`, app.demoOrgID())
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) < 2 {
		t.Fatalf("the demo has %d cases", len(ids))
	}
	// And a case in step 7 whose notice waits for the board's approval, one
	// approved and waiting to be sent, and one ready to close (step 6).
	waiting := app.subjectsToInforming()
	f := incident.SubjectsForm{Channel: "individual", Groups: []string{"parents_under_16"}, RecipientsCount: "28",
		Subject: "Belangrijk: datalek", Nature: "Een USB-stick met de adreslijst van groep 7 is verloren in de trein.",
		Consequences:  "Iemand kan uw adres en telefoonnummer gebruiken voor nepberichten.",
		MeasuresTaken: "USB-sticks zijn voortaan versleuteld.", MeasuresRecipient: "Wees alert op berichten die u niet verwacht.",
		OfficerContact: "De FG, fg@demo.lekwacht.nl", SchoolContact: "De Regenboog, 071 123 45 67", Signature: "De directie"}
	app.must(app.Svc.Incidents.DraftSubjectsNotice(sysCtx, app.actor(demoOfficer), waiting, f))
	ids = append(ids, waiting, app.journeyCaseToClose())
	if res := app.get(app.as(demoBoard), "/meldingen/"+itoa(waiting)); !res.has("subjects-approve") {
		t.Fatal("the board is not asked to approve the notice")
	}
	const primary = "utrecht-button--primary-action"
	for _, who := range []string{demoDesk, demoOfficer, demoBoard} {
		c := app.as(who)
		for _, id := range ids {
			res := app.get(c, "/meldingen/"+itoa(id))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("case %d as %s: %d", id, who, res.StatusCode)
			}
			if n := strings.Count(res.Body, primary); n > 1 {
				t.Errorf("case %d as %s: %d primary buttons, want at most one", id, who, n)
			}
		}
	}
	// Approved: the FG's next action is sending it by e-mail from Lekwacht;
	// recording a sending by post and editing the draft are secondary.
	app.must(app.Svc.Incidents.ApproveSubjectsNotice(sysCtx, app.actor(demoBoard), waiting, ""))
	res := app.get(app.as(demoOfficer), "/meldingen/"+itoa(waiting))
	if n := strings.Count(res.Body, primary); n != 1 || !res.has("subjects-mail-link") || !res.has("subjects-record-sent") {
		t.Errorf("approved notice as the FG: %d primary buttons, want one (the mail link)", n)
	} else if i := strings.Index(res.Body, `data-testid="subjects-mail-link"`); !strings.Contains(res.Body[strings.LastIndex(res.Body[:i], "<"):i], primary) {
		t.Error("approved notice: the primary button is not sending it by e-mail")
	}
	// A new case: "Oppakken" is the primary action, "Feiten vastleggen" not.
	c := app.as(demoReporter)
	key, _ := app.get(c, "/melden").inputValue("submission_key")
	sent := app.post(c, "/melden", reportForm(app, key))
	m := doneRe.FindStringSubmatch(sent.Header.Get("Location"))
	if sent.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("report: %d %q", sent.StatusCode, sent.Header.Get("Location"))
	}
	id := m[1]
	res = app.get(app.as(demoDesk), "/meldingen/"+id)
	start := strings.Index(res.Body, `data-testid="action-start_inventory"`)
	record := strings.Index(res.Body, `data-testid="action-record_inventory"`)
	if start < 0 || record < 0 {
		t.Fatalf("a new case offers the desk neither pick-up nor facts (%d, %d)", start, record)
	}
	tagOf := func(i int) string { return res.Body[strings.LastIndex(res.Body[:i], "<"):i] }
	if !strings.Contains(tagOf(start), primary) || strings.Contains(tagOf(record), primary) {
		t.Errorf("new case: pick-up %q, facts %q; want pick-up primary and facts secondary", tagOf(start), tagOf(record))
	}
}

// TestCasePageFoldsTheDoneSteps: a step that is done folds into one line
// that opens without JavaScript (a details element), so the case page
// starts with what is to be done now (issue 14.2): a new case shows the
// report open; a case ready to close (step 6) folds the report, the
// inventory, the decision and the AP notification.
func TestCasePageFoldsTheDoneSteps(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	folds := func(body string) map[string]bool {
		open := map[string]bool{}
		for _, m := range regexp.MustCompile(`<details class="fold"( open)? data-testid="([a-z-]+)-fold"`).FindAllStringSubmatch(body, -1) {
			open[m[2]] = m[1] != ""
		}
		return open
	}
	desk := app.as(demoDesk)
	res := app.get(desk, "/meldingen/"+itoa(app.demoCase(1)))
	if got := folds(res.Body); !got["case-report"] {
		t.Errorf("a new case: folds %v, want the report open", got)
	}
	closing := app.journeyCaseToClose()
	res = app.get(desk, "/meldingen/"+itoa(closing))
	got := folds(res.Body)
	for _, part := range []string{"case-report", "inventory", "decision-summary", "case-notifications"} {
		if open, ok := got[part]; !ok || open {
			t.Errorf("a case ready to close: %s is %v in folds %v, want it folded", part, map[bool]string{true: "open", false: "missing"}[ok && open], got)
		}
	}
	if !res.has("case-actions") || strings.Index(res.Body, `data-testid="case-actions"`) > strings.Index(res.Body, `data-testid="case-report-fold"`) {
		t.Error("a case ready to close: 'Wat u nu kunt doen' should come before the folded steps")
	}
}
