package server_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/incident"
)

func (a *testApp) uploadRecipients(c *http.Client, caseID int64, csv string) *response {
	a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, err := mw.CreateFormFile("recipients", "ontvangers.csv")
	if err != nil {
		a.t.Fatal(err)
	}
	_, _ = w.Write([]byte(csv))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, a.URL+"/meldingen/"+itoa(caseID)+"/betrokkenen/ontvangers", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	return readResponse(a.t, res)
}

// TestSubjectsMailingThroughHTTP: the officer uploads the recipients (a bad
// list comes back with the bad line named, 422), sends the approved notice,
// and follows the delivery per recipient; no address is ever shown; the
// board sees the page without the forms; another organisation gets 404.
func TestSubjectsMailingThroughHTTP(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	ctx := sysCtx
	id := app.subjectsToInforming()
	officer := app.subjectsActor(demoOfficer)
	form := incident.SubjectsForm{Channel: "individual", Groups: []string{"parents_under_16"}, RecipientsCount: "2",
		Subject: "Belangrijk: datalek bij De Regenboog", Nature: "Een USB-stick met de adreslijst van klas 3b is verloren.",
		Consequences: "Iemand kan uw adres misbruiken.", Signature: "De directie",
		MeasuresTaken: "USB-sticks zijn voortaan versleuteld.", MeasuresRecipient: "Wees alert op vreemde berichten.",
		OfficerContact: "De FG, fg@demo.lekwacht.nl", SchoolContact: "De Regenboog, 071 123 45 67"}
	if err := app.Svc.Incidents.DraftSubjectsNotice(ctx, officer, id, form); err != nil {
		t.Fatal(err)
	}
	if err := app.Svc.Incidents.ApproveSubjectsNotice(ctx, app.subjectsActor("bestuur@demo.lekwacht.nl"), id, ""); err != nil {
		t.Fatal(err)
	}
	path := "/meldingen/" + itoa(id) + "/betrokkenen/ontvangers"
	c := app.as(demoOfficer)
	if r := app.get(c, "/meldingen/"+itoa(id)); !r.has("subjects-mail-link") {
		t.Error("the case page has no link to send the notice by mail")
	}
	r := app.get(c, path)
	expect(t, "mailing page", r, http.StatusOK)
	if !r.has("recipients-form") || r.has("mailing-form") {
		t.Errorf("before a list: want the upload form only\n%s", snippet(r.Body))
	}
	bad := app.uploadRecipients(c, id, "naam;e-mail\nJan;jan@\n")
	expect(t, "bad list", bad, http.StatusUnprocessableEntity)
	if !bad.has("error-recipients") || !bad.contains("Regel 2 (Jan)") {
		t.Errorf("bad list: the bad line is not named\n%s", snippet(bad.Body))
	}
	good := app.uploadRecipients(c, id, "naam;e-mail;e-mail ouder\nJan;jan@example.nl;\nFatima;;ouder.fatima@example.nl\n")
	expect(t, "good list", good, http.StatusSeeOther, path)
	r = app.get(c, path)
	if !r.has("mailing-form") || r.text("count-pending") != "2" || !r.contains("Fatima") || r.contains("@example.nl") {
		t.Errorf("after upload: want the send form, 2 pending, names and no addresses\n%s", snippet(r.Body))
	}
	boardView := app.get(app.as("bestuur@demo.lekwacht.nl"), path)
	expect(t, "board", boardView, http.StatusOK)
	if boardView.has("recipients-form") || boardView.has("mailing-form") {
		t.Error("the board gets the officer's forms")
	}
	expect(t, "other organisation", app.get(app.as("desk@ander.nl"), path), http.StatusNotFound)

	sent := app.post(c, "/meldingen/"+itoa(id)+"/betrokkenen/mailen", nil)
	expect(t, "send", sent, http.StatusSeeOther, path)
	r = app.get(c, path)
	if !r.has("mailing-sent") || r.text("count-queued") != "2" || !r.contains("USB-sticks zijn voortaan versleuteld") || r.has("mailing-form") {
		t.Errorf("after sending: want the archived text and 2 queued\n%s", snippet(r.Body))
	}
	if got := app.scalar(`SELECT status FROM cases WHERE id = $1`, id); got != string(incident.StatusRecording) {
		t.Errorf("case status %s, want recording", got)
	}
	if strings.Contains(app.Logs.String(), "@example.nl") {
		t.Error("an address was logged")
	}
}
