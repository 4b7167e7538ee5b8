package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/web"
)

// Step 7, Informeren betrokkenen, through HTTP.

// subjectsActor loads a demo user as the services see them.
func (a *testApp) subjectsActor(email string) *access.Actor {
	a.t.Helper()
	act, _, err := a.Store.Actor(sysCtx, a.userID(email))
	if err != nil {
		a.t.Fatal(err)
	}
	return act
}

// subjectsToInforming brings demo case 1 (USB-stick, De Regenboog) to step 7 the
// short way: the desk's inventory, then the officer's decision to inform the
// data subjects individually.
func (a *testApp) subjectsToInforming() int64 {
	a.t.Helper()
	ctx := sysCtx
	id := a.demoCase(1)
	desk := a.subjectsActor(demoDesk)
	inc := a.Svc.Incidents
	for _, err := range []error{
		inc.StartInventory(ctx, desk, id),
		inc.RecordInventory(ctx, desk, id, incident.InventoryForm{Summary: "USB-stick met adreslijst van klas 3b verloren in de trein",
			Nature: "lost_device", Sensitive: "no", BreachSuspected: "yes", SubjectCount: "28", DataTypes: []string{"contact"}, ChainShared: "no"}),
		inc.SendToOfficer(ctx, desk, id),
	} {
		if err != nil {
			a.t.Fatal(err)
		}
	}
	if _, err := a.Owner.Exec(ctx, `
		INSERT INTO case_assessments (organisation_id, case_id, facts, advice, consequences, breach, notify_authority,
			notify_subjects, subjects_channel, decided_at, decided_by)
		VALUES ($1, $2, '{}', '{}', 'Adressen van kinderen kunnen worden misbruikt.', true, false, true, 'individual', $3, $4)`,
		a.demoOrgID(), id, a.Clock.Now(), a.userID(demoOfficer)); err != nil {
		a.t.Fatal(err)
	}
	if err := a.Store.MoveCase(ctx, a.demoOrgID(), id, incident.StatusAssessment, incident.StatusInforming, a.Clock.Now()); err != nil {
		a.t.Fatal(err)
	}
	return id
}

func subjectsFormValues() url.Values {
	return url.Values{
		"channel": {"individual"}, "groups": {"parents_under_16", "parents"}, "recipients_count": {"28"},
		"subject":            {"Belangrijk: datalek bij De Regenboog"},
		"nature":             {"Op 22 november is een USB-stick met de adreslijst van klas 3b verloren. Zoë's juf <meldde> het meteen."},
		"consequences":       {"Iemand kan uw adres gebruiken voor nepberichten."},
		"measures_taken":     {"Wij hebben de NS gevraagd te zoeken. Sticks zijn voortaan versleuteld."},
		"measures_recipient": {"Wees alert op berichten die u niet verwacht."},
		"officer_contact":    {"Femke de Functionaris, fg@demo.lekwacht.nl"},
		"school_contact":     {"De Regenboog, 071 123 45 67"},
		"signature":          {"De directie van De Regenboog"},
	}
}

func TestHandlersSubjectsDraftRoundTrip(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	id := app.subjectsToInforming()
	path := "/meldingen/" + itoa(id) + "/betrokkenen"
	officer := app.as(demoOfficer)

	// The first draft, built from what is known.
	res := app.get(officer, path)
	expect(t, "GET "+path, res, http.StatusOK)
	if !res.has("subjects-form") || !res.has("letter-preview") || res.has("form-error") {
		t.Fatalf("drafting page incomplete\n%s", snippet(res.Body))
	}
	if got, _ := res.textarea("officer_contact"); !strings.Contains(got, "Femke de Functionaris") || !strings.Contains(got, demoOfficer) {
		t.Errorf("officer_contact prefilled as %q", got)
	}
	// Written for the reader: the nature in general terms, not the desk's
	// summary (issue 10.4).
	if got, _ := res.textarea("nature"); !strings.Contains(got, "is er een apparaat of gegevensdrager") || strings.Contains(got, "USB-stick met adreslijst van klas 3b") {
		t.Errorf("nature prefilled as %q", got)
	}
	if got, _ := res.textarea("measures_recipient"); !strings.Contains(got, "phishing") {
		t.Errorf("measures_recipient prefilled as %q", got)
	}
	if !res.checked("groups", "parents_under_16") || !res.checked("groups", "parents") || !res.checked("channel", "individual") {
		t.Errorf("groups %v, channel %v", res.checkedValues("groups"), res.checkedValues("channel"))
	}
	if !res.contains("Beste ouder of verzorger,") || !res.contains("gegevens van u of uw kind") || !res.contains(demoOfficer) {
		t.Errorf("the preview is not the letter\n%s", snippet(res.Body[strings.Index(res.Body, `data-testid="letter-preview"`):]))
	}

	// Only the officer drafts; another organisation does not see the case.
	expect(t, "GET as the desk", app.get(app.as(demoDesk), path), http.StatusForbidden)
	expect(t, "GET as the board", app.get(app.as(demoBoard), path), http.StatusForbidden)
	expect(t, "GET as another organisation", app.get(app.as(otherDesk), path), http.StatusNotFound)

	// The preview button shows the letter as typed and stores nothing.
	form := subjectsFormValues()
	form.Set("preview", "1")
	res = app.post(officer, path, form)
	expect(t, "POST preview", res, http.StatusOK)
	if !res.contains("Zoë's juf <meldde> het meteen.") || res.has("form-error") {
		t.Error("the preview does not show the typed text")
	}
	if n := app.count(`SELECT count(*) FROM case_subject_notices WHERE case_id = $1`, id); n != 0 {
		t.Fatalf("a preview stored %d rows", n)
	}

	// Refused: 422, every message beside its field, everything typed kept.
	form = subjectsFormValues()
	form.Set("measures_recipient", " ")
	form.Del("groups")
	res = app.post(officer, path, form)
	expect(t, "POST without measures for the recipient and groups", res, http.StatusUnprocessableEntity)
	if !res.has("form-error") || !res.has("error-measures_recipient") || !res.has("error-groups") || res.has("error-nature") {
		t.Fatalf("messages not beside the fields\n%s", snippet(res.Body))
	}
	for _, f := range []string{"nature", "consequences", "measures_taken", "officer_contact", "school_contact", "signature"} {
		if got, _ := res.textarea(f); got != form.Get(f) {
			t.Errorf("%s came back as %q, want %q", f, got, form.Get(f))
		}
	}
	if got, _ := res.inputValue("subject"); got != form.Get("subject") {
		t.Errorf("subject came back as %q", got)
	}
	if got, _ := res.inputValue("recipients_count"); got != "28" {
		t.Errorf("recipients_count came back as %q", got)
	}
	if n := app.count(`SELECT count(*) FROM case_subject_notices WHERE case_id = $1`, id); n != 0 {
		t.Fatalf("a refused draft stored %d rows", n)
	}

	// Accepted: 303 to the case with a flash.
	res = app.post(officer, path, subjectsFormValues())
	expect(t, "POST a good draft", res, http.StatusSeeOther, "/meldingen/"+itoa(id))
	if n := app.count(`SELECT count(*) FROM case_subject_notices WHERE case_id = $1 AND approved_at IS NULL AND body LIKE '%Zoë''s juf%'`, id); n != 1 {
		t.Fatal("the draft was not stored with its letter")
	}
	if !app.get(officer, "/meldingen/"+itoa(id)).contains("Het bericht aan de betrokkenen is opgeslagen") {
		t.Error("no flash on the case page")
	}
	// Editing starts from the stored draft.
	res = app.get(officer, path)
	if got, _ := res.textarea("nature"); got != subjectsFormValues().Get("nature") {
		t.Errorf("stored nature came back as %q", got)
	}
	assertLogsClean(t, app, "Zoë", "071 123 45 67")
}

func TestHandlersSubjectsApproveAndSent(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	id := app.subjectsToInforming()
	base := "/meldingen/" + itoa(id) + "/betrokkenen"
	officer, board := app.as(demoOfficer), app.as(demoBoard)

	expect(t, "approve before a draft", app.post(board, base+"/goedkeuren", nil), http.StatusConflict)
	expect(t, "draft", app.post(officer, base, subjectsFormValues()), http.StatusSeeOther)
	now := app.Clock.Now().In(amsterdam)
	sent := url.Values{"subjects_sent_at": {now.Format(incident.DateTimeLayout)}}
	expect(t, "sent before approval", app.post(officer, base+"/verzonden", sent), http.StatusConflict)

	expect(t, "approve as the desk", app.post(app.as(demoDesk), base+"/goedkeuren", nil), http.StatusForbidden)
	expect(t, "approve as another organisation", app.post(app.as(otherDesk), base+"/goedkeuren", nil), http.StatusNotFound)
	expect(t, "approve as the board", app.post(board, base+"/goedkeuren", nil), http.StatusSeeOther, "/meldingen/"+itoa(id))
	if got := app.scalar(`SELECT approved_by::text FROM case_subject_notices WHERE case_id = $1`, id); got != itoa(app.userID(demoBoard)) {
		t.Errorf("approved_by = %s", got)
	}

	future := url.Values{"subjects_sent_at": {now.Add(2 * time.Hour).Format(incident.DateTimeLayout)}}
	res := app.post(officer, base+"/verzonden", future)
	expect(t, "sent in the future", res, http.StatusUnprocessableEntity)
	if !res.has("form-error") || !res.has("case-number") {
		t.Error("a refused date does not bring back the case page with a message")
	}
	expect(t, "sent as the board", app.post(board, base+"/verzonden", sent), http.StatusForbidden)
	expect(t, "sent", app.post(officer, base+"/verzonden", sent), http.StatusSeeOther, "/meldingen/"+itoa(id))
	if s := app.scalar(`SELECT status FROM cases WHERE id = $1`, id); s != string(incident.StatusRecording) {
		t.Errorf("status %s, want recording", s)
	}
	if n := app.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind IN ('draft_subjects', 'approve_subjects', 'record_subjects')`, id); n != 3 {
		t.Errorf("%d timeline rows, want 3", n)
	}
	expect(t, "sent twice", app.post(officer, base+"/verzonden", sent), http.StatusConflict)
	expect(t, "draft after sending", app.post(officer, base, subjectsFormValues()), http.StatusConflict)
}

// The case page section, rendered on its own (the case page includes it).
func TestHandlersSubjectsSection(t *testing.T) {
	t.Parallel()
	loc := amsterdam
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, loc)
	p := web.Page{Loc: loc, Now: now}
	c := incident.Case{ID: 7, Status: incident.StatusInforming}
	dec := &incident.Decision{Breach: true, NotifySubjects: true, SubjectsChannel: "individual"}
	drafted, approved := now.Add(-2*time.Hour), now.Add(-time.Hour)
	notice := &incident.SubjectsNotice{Channel: "individual", Groups: []string{"parents_under_16"}, Subject: "Datalek bij De Regenboog",
		Body: "Beste ouder of verzorger,\n\nWat is er gebeurd?", DraftedAt: drafted, DraftedBy: "Femke de Functionaris"}
	render := func(s incident.SubjectsStep, errs web.Errors, typed map[string]string) *response {
		t.Helper()
		var b bytes.Buffer
		if err := web.SubjectsNoticeSection(p, c, s, errs, typed).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		return &response{Body: b.String()}
	}

	// A draft waiting for approval, seen by the board.
	r := render(incident.SubjectsStep{Decision: dec, Notice: notice, CanApprove: true}, nil, nil)
	if !r.has("subjects-letter") || !r.contains("Beste ouder of verzorger,") || r.text("subjects-approved") != "Nog niet" ||
		!r.has("subjects-approve") || r.has("subjects-record-sent") || !r.has("subjects-todo") {
		t.Errorf("draft section:\n%s", r.Body)
	}
	if got := r.text("subjects-channel"); got != incident.LabelOf(incident.NoticeChannels, "individual") {
		t.Errorf("channel shown as %q", got)
	}

	// Approved, seen by the officer after a refused date: the message and the typed value.
	n2 := *notice
	n2.ApprovedAt, n2.ApprovedBy = &approved, "Bram Bestuurder"
	r = render(incident.SubjectsStep{Decision: dec, Notice: &n2, CanRecord: true},
		web.Errors{"subjects_sent_at": "Deze datum ligt in de toekomst."}, map[string]string{"subjects_sent_at": "2026-11-25T09:00"})
	if !strings.Contains(r.text("subjects-approved"), "Bram Bestuurder") || r.has("subjects-approve") || !r.has("subjects-record-sent") ||
		!r.has("error-subjects_sent_at") {
		t.Errorf("approved section:\n%s", r.Body)
	}
	// Step 7 mails from Lekwacht (issue 14.7): the page no longer says it does not.
	if r.contains("nog niet zelf") || !r.contains("per e-mail vanuit Lekwacht") {
		t.Errorf("the section should say that Lekwacht can send the notice by e-mail:\n%s", r.Body)
	}
	if got, _ := r.inputValue("subjects_sent_at"); got != "2026-11-25T09:00" {
		t.Errorf("typed date came back as %q", got)
	}
	// Without a typed value the date field proposes now.
	r = render(incident.SubjectsStep{Decision: dec, Notice: &n2, CanRecord: true}, nil, nil)
	if got, _ := r.inputValue("subjects_sent_at"); got != "2026-11-24T12:00" {
		t.Errorf("date field proposes %q", got)
	}

	// Sent: done, no forms.
	sentAt := now
	n3 := n2
	n3.SentAt, n3.SentBy = &sentAt, "Femke de Functionaris"
	r = render(incident.SubjectsStep{Decision: dec, Notice: &n3}, nil, nil)
	if !r.has("subjects-done") || r.has("subjects-todo") || r.has("subjects-record-sent") || !strings.Contains(r.text("subjects-sent"), "24 november 2026") {
		t.Errorf("sent section:\n%s", r.Body)
	}

	// Decided not to inform: the exception and why.
	r = render(incident.SubjectsStep{Decision: &incident.Decision{Breach: true, SubjectsReason: "Uitzondering i: versleuteld met BitLocker"}}, nil, nil)
	if !r.has("subjects-not-informed") || r.text("subjects-exception") != "Uitzondering i: versleuteld met BitLocker" || r.has("subjects-letter") {
		t.Errorf("not-informed section:\n%s", r.Body)
	}
	// No decision about a breach: nothing at all.
	if r := render(incident.SubjectsStep{Decision: &incident.Decision{}}, nil, nil); strings.TrimSpace(r.Body) != "" {
		t.Errorf("section without a breach: %q", r.Body)
	}
}
