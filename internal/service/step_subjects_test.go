package service_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// informing brings a case at school A1 to step 7 with the officer's decision
// to inform the data subjects, taken now on the test clock.
func (e *env) informing(what, channel string) int64 {
	e.t.Helper()
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form(what, e.a1))).ID
	e.decided(id, true, "Adressen van kinderen kunnen worden misbruikt voor phishing.", incident.StatusInforming)
	if _, err := e.owner.Exec(e.ctx, `UPDATE case_assessments SET notify_subjects = true, subjects_channel = $2,
		subjects_reason = 'Kinderen, niet versleuteld', decided_at = $3 WHERE case_id = $1`, id, channel, e.clock.Now()); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func goodSubjectsForm() incident.SubjectsForm {
	return incident.SubjectsForm{
		Channel: "individual", Groups: []string{"parents_under_16"}, RecipientsCount: "28",
		Subject:           "Belangrijk: datalek bij School A1",
		Nature:            "Op 22 november is een USB-stick met de adreslijst van groep 7 verloren in de trein.",
		Consequences:      "Iemand kan uw adres en telefoonnummer gebruiken voor nepberichten.",
		MeasuresTaken:     "Wij hebben de NS gevraagd naar de stick te zoeken. USB-sticks zijn voortaan versleuteld.",
		MeasuresRecipient: "Wees alert op berichten die u niet verwacht.",
		OfficerContact:    "Femke de Functionaris, fg@example.nl",
		SchoolContact:     "School A1, telefoon 071 123 45 67",
		Signature:         "De directie van School A1",
	}
}

func TestSubjectsNoticeDraftApproveSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clock.Set(time.Date(2026, 11, 23, 10, 0, 0, 0, amsterdam))
	id := e.informing("USB-stick met adressen van groep 7 verloren", "individual")
	officer, board, desk := e.actors["officer"], e.actors["board"], e.actors["desk"]

	// The first draft is built from what is known.
	d := must(e.svc.Incidents.SubjectsDraft(e.ctx, officer, id))
	if d.Notice != nil || d.Form.Channel != "individual" || d.Form.RecipientsCount != "28" {
		t.Errorf("first draft: notice %v, form %+v", d.Notice, d.Form)
	}
	for field, want := range map[string]string{
		"nature":             "Op 22 november 2026 is er een apparaat", // the inventory's nature and period
		"officer_contact":    "officer@example.nl",
		"measures_recipient": "phishing",                 // the inventory lists contact details
		"consequences":       "misbruiken voor phishing", // from the kinds of data, in plain words
		"subject":            "School A1",
	} {
		got := map[string]string{"nature": d.Form.Nature, "officer_contact": d.Form.OfficerContact,
			"measures_recipient": d.Form.MeasuresRecipient, "consequences": d.Form.Consequences, "subject": d.Form.Subject}[field]
		if !strings.Contains(got, want) {
			t.Errorf("first draft %s = %q, want it to contain %q", field, got, want)
		}
	}
	// The desk's summary and the officer's own words are internal: not in a
	// letter (issue 10.4).
	if strings.Contains(d.Form.Nature, "USB-stick met adreslijst klas 3b verloren") {
		t.Errorf("the desk's summary is pasted into the letter: %q", d.Form.Nature)
	}
	if strings.Contains(d.Form.MeasuresRecipient, "Verander uw wachtwoord") {
		t.Errorf("password advice without leaked credentials: %q", d.Form.MeasuresRecipient)
	}

	// Draft, then sending is refused until approved.
	if err := e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, goodSubjectsForm()); err != nil {
		t.Fatal(err)
	}
	step := must(e.svc.Incidents.SubjectsNotice(e.ctx, officer, id))
	n := step.Notice
	if n == nil || n.Approved() || n.DraftedBy != "Gebruiker officer" || !step.CanApprove || step.CanRecord {
		t.Fatalf("after drafting: %+v", step)
	}
	for _, want := range []string{"Beste ouder of verzorger,", "om gegevens van uw kind.", "USB-stick met de adreslijst van groep 7",
		"Wat kan dit voor u betekenen?\nIemand kan uw adres", "Wat hebben wij gedaan?", "Wat kunt u zelf doen?\nWees alert",
		"071 123 45 67", "fg@example.nl", "Met vriendelijke groet,\n\nDe directie van School A1"} {
		if !strings.Contains(n.Body, want) {
			t.Errorf("letter lacks %q:\n%s", want, n.Body)
		}
	}
	if strings.Contains(n.Body, "Autoriteit Persoonsgegevens") {
		t.Error("the letter says the AP was notified, but it was not")
	}
	if step.Due == nil || !step.Due.At.Equal(time.Date(2026, 11, 30, 10, 0, 0, 0, amsterdam)) {
		t.Errorf("due = %+v, want a week after the decision", step.Due)
	}
	if err := e.svc.Incidents.RecordSubjectsSent(e.ctx, officer, id, "2026-11-23T10:00"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("sent before approval: %v, want Conflict", err)
	}

	e.clock.Add(time.Hour)
	if err := e.svc.Incidents.ApproveSubjectsNotice(e.ctx, board, id, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Incidents.ApproveSubjectsNotice(e.ctx, officer, id, ""); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("approving twice: %v, want Conflict", err)
	}
	step = must(e.svc.Incidents.SubjectsNotice(e.ctx, desk, id))
	if n := step.Notice; !n.Approved() || n.ApprovedBy != "Gebruiker board" || !n.ApprovedAt.Equal(e.clock.Now()) || step.CanApprove {
		t.Errorf("after approval: %+v", step)
	}

	// The moment it was sent: not in the future, not before the draft.
	e.clock.Add(time.Hour) // 12:00
	for _, bad := range []string{"", "gisteren", "2026-11-23T12:30", "2026-11-23T09:59"} {
		err := e.svc.Incidents.RecordSubjectsSent(e.ctx, officer, id, bad)
		if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.Invalid || ae.Fields["subjects_sent_at"] == "" {
			t.Errorf("sent at %q: %v, want a message for subjects_sent_at", bad, err)
		}
	}
	if err := e.svc.Incidents.RecordSubjectsSent(e.ctx, board, id, "2026-11-23T11:30"); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("board records sending: %v, want Forbidden", err)
	}
	if err := e.svc.Incidents.RecordSubjectsSent(e.ctx, officer, id, "2026-11-23T11:30"); err != nil {
		t.Fatal(err)
	}
	if s := e.status(id); s != incident.StatusRecording {
		t.Errorf("status %s, want recording", s)
	}
	step = must(e.svc.Incidents.SubjectsNotice(e.ctx, officer, id))
	if n := step.Notice; !n.Sent() || !n.SentAt.Equal(time.Date(2026, 11, 23, 11, 30, 0, 0, amsterdam)) || n.SentBy != "Gebruiker officer" ||
		len(step.ToDo()) != 0 || step.Due != nil || step.CanDraft || step.CanRecord {
		t.Errorf("after sending: %+v", step)
	}
	for _, kind := range []string{"draft_subjects", "approve_subjects", "record_subjects"} {
		if n := e.events(id, kind); n != 1 {
			t.Errorf("%d timeline rows of %s, want 1", n, kind)
		}
	}
	if n := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'record_subjects'
		AND summary LIKE 'Bericht aan betrokkenen verzonden op 23-11-2026 11:30%' AND details->>'to' = 'recording'`, id); n != 1 {
		t.Error("the timeline row of sending does not say when, or not that the case moved on")
	}
	// Sent is final.
	if err := e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, goodSubjectsForm()); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("drafting after sending: %v, want Conflict", err)
	}
}

func TestSubjectsNoticeEditingAfterApprovalClearsIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.informing("lijst met zorgleerlingen gemaild aan een ouder", "individual")
	officer := e.actors["officer"]
	f := goodSubjectsForm()
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, f))
	must(0, e.svc.Incidents.ApproveSubjectsNotice(e.ctx, e.actors["board"], id, ""))

	// Saving the same text again keeps the approval.
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, f))
	if n := must(e.svc.Incidents.SubjectsNotice(e.ctx, officer, id)).Notice; !n.Approved() {
		t.Error("saving an unchanged draft withdrew its approval")
	}

	f.MeasuresRecipient = "Verander uw wachtwoord."
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, f))
	step := must(e.svc.Incidents.SubjectsNotice(e.ctx, officer, id))
	if n := step.Notice; n.Approved() || n.ApprovedBy != "" || !strings.Contains(n.Body, "Verander uw wachtwoord.") || !step.CanApprove {
		t.Errorf("after editing an approved draft: %+v", step)
	}
	if n := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'draft_subjects' AND summary LIKE '%goedkeuring is vervallen%'`, id); n != 1 {
		t.Error("the timeline does not say that the approval lapsed")
	}
	if err := e.svc.Incidents.RecordSubjectsSent(e.ctx, officer, id, e.clock.Now().In(amsterdam).Format(incident.DateTimeLayout)); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("sending the changed draft: %v, want Conflict", err)
	}
	// The officer who drafted it may approve too, with the reason (four eyes, issue 9.4).
	must(0, e.svc.Incidents.ApproveSubjectsNotice(e.ctx, officer, id, "Bestuur onbereikbaar, ouders moeten vandaag bericht krijgen."))
	if n := must(e.svc.Incidents.SubjectsNotice(e.ctx, officer, id)).Notice; n.ApprovedBy != "Gebruiker officer" {
		t.Errorf("approved by %q", n.ApprovedBy)
	}
}

func TestSubjectsNoticeValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.informing("wachtwoorden van medewerkers gelekt", "individual")
	officer := e.actors["officer"]

	cases := []struct {
		name  string
		edit  func(f *incident.SubjectsForm)
		field string
	}{
		{"no measures for the recipient", func(f *incident.SubjectsForm) { f.MeasuresRecipient = "  " }, "measures_recipient"},
		{"no group", func(f *incident.SubjectsForm) { f.Groups = nil }, "groups"},
		{"unknown group", func(f *incident.SubjectsForm) { f.Groups = []string{"pers"} }, "groups"},
		{"public without a reason", func(f *incident.SubjectsForm) { f.Channel = "public" }, "public_reason"},
		{"no channel", func(f *incident.SubjectsForm) { f.Channel = "" }, "channel"},
		{"no nature", func(f *incident.SubjectsForm) { f.Nature = "" }, "nature"},
		{"no measures taken", func(f *incident.SubjectsForm) { f.MeasuresTaken = "" }, "measures_taken"},
		{"officer without email or phone", func(f *incident.SubjectsForm) { f.OfficerContact = "Femke de Functionaris" }, "officer_contact"},
		{"school without phone or email", func(f *incident.SubjectsForm) { f.SchoolContact = "School A1" }, "school_contact"},
		{"count not a number", func(f *incident.SubjectsForm) { f.RecipientsCount = "veel" }, "recipients_count"},
	}
	for _, c := range cases {
		f := goodSubjectsForm()
		c.edit(&f)
		err := e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, f)
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.Invalid || ae.Fields[c.field] == "" {
			t.Errorf("%s: %v, want a message for %s", c.name, err, c.field)
			continue
		}
		if len(ae.Fields) != 1 {
			t.Errorf("%s: messages for %v, want only %s", c.name, ae.Fields, c.field)
		}
	}
	if n := e.count(`SELECT count(*) FROM case_subject_notices WHERE case_id = $1`, id) + e.events(id, "draft_subjects"); n != 0 {
		t.Fatalf("refused drafts stored %d rows", n)
	}

	// A public communication with the officer's reason is accepted.
	f := goodSubjectsForm()
	f.Channel, f.PublicReason = "public", "Van deze oud-leerlingen uit 1998 hebben wij geen adressen meer."
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, f))
	n := must(e.svc.Incidents.SubjectsNotice(e.ctx, officer, id)).Notice
	if n.Channel != "public" || n.PublicReason == "" || !strings.Contains(n.Body, "gegevens van leerlingen van de school") {
		t.Errorf("public notice: %+v", n)
	}

	// When the decision already chose a public communication, its reason suffices.
	id2 := e.informing("oud archief op straat", "public")
	f.PublicReason = ""
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id2, f))
}

func TestSubjectsNoticeAuthorisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.informing("e-mail met cijferlijst naar verkeerde ouders", "individual")
	e.user("officer_a2", e.orgA, access.Grant{Role: access.Officer, Schools: []int64{e.a2}})
	must(0, e.svc.Incidents.AssignTechnician(e.ctx, e.actors["desk"], id, strconv.FormatInt(e.actors["technician"].UserID, 10)))

	kind := func(err error) string {
		switch {
		case err == nil:
			return "ok"
		case apperr.Is(err, apperr.NotFound):
			return "notfound"
		case apperr.Is(err, apperr.Forbidden):
			return "forbidden"
		}
		return err.Error()
	}
	draft := func(name string) error {
		return e.svc.Incidents.DraftSubjectsNotice(e.ctx, e.actors[name], id, goodSubjectsForm())
	}
	approve := func(name string) error { return e.svc.Incidents.ApproveSubjectsNotice(e.ctx, e.actors[name], id, "") }
	sent := func(name string) error {
		return e.svc.Incidents.RecordSubjectsSent(e.ctx, e.actors[name], id, e.clock.Now().In(amsterdam).Format(incident.DateTimeLayout))
	}
	read := func(name string) error {
		_, err := e.svc.Incidents.SubjectsNotice(e.ctx, e.actors[name], id)
		return err
	}
	page := func(name string) error {
		_, err := e.svc.Incidents.SubjectsDraft(e.ctx, e.actors[name], id)
		return err
	}
	refused := map[string]string{"board": "forbidden", "desk": "forbidden", "technician": "forbidden", "staff": "forbidden",
		"desk_b": "notfound", "officer_a2": "notfound"}

	// In order, so that the allowed actor leaves the state the next step needs.
	steps := []struct {
		name string
		do   func(string) error
		want map[string]string // actors not listed are refused as in refused
		last string            // the allowed actor, run last
	}{
		{"open the drafting page", page, map[string]string{}, "officer"},
		{"draft", draft, map[string]string{}, "officer"},
		{"approve", approve, map[string]string{"board": ""}, "board"},
		{"read", read, map[string]string{"board": "", "desk": "ok", "technician": "notfound", "staff": "notfound"}, "officer"},
		{"record sent", sent, map[string]string{}, "officer"},
	}
	for _, st := range steps {
		for name, want := range refused {
			if w, ok := st.want[name]; ok {
				if w == "" {
					continue
				}
				want = w
			}
			if got := kind(st.do(name)); got != want {
				t.Errorf("%s as %s: %s, want %s", st.name, name, got, want)
			}
		}
		if err := st.do(st.last); err != nil {
			t.Fatalf("%s as %s: %v", st.name, st.last, err)
		}
	}
	if e.status(id) != incident.StatusRecording {
		t.Errorf("status %s", e.status(id))
	}
	for _, kind := range []string{"draft_subjects", "approve_subjects", "record_subjects"} {
		if n := e.events(id, kind); n != 1 {
			t.Errorf("%d %s rows after refusals, want 1", n, kind)
		}
	}
}

func TestSubjectsNoticeWrongStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer, board := e.actors["officer"], e.actors["board"]
	fresh := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("net gemeld", e.a1))).ID
	notifying := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("moet nog naar de AP", e.a1))).ID
	e.decided(notifying, true, "Misbruik mogelijk", incident.StatusNotification)
	for name, id := range map[string]int64{"new": fresh, "notification": notifying} {
		if err := e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, goodSubjectsForm()); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("draft in %s: %v, want Conflict", name, err)
		}
		if _, err := e.svc.Incidents.SubjectsDraft(e.ctx, officer, id); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("drafting page in %s: %v, want Conflict", name, err)
		}
		if err := e.svc.Incidents.ApproveSubjectsNotice(e.ctx, board, id, ""); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("approve in %s: %v, want Conflict", name, err)
		}
		if err := e.svc.Incidents.RecordSubjectsSent(e.ctx, officer, id, "2026-11-23T09:00"); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("record in %s: %v, want Conflict", name, err)
		}
	}
	// Approving while nothing was drafted yet.
	id := e.informing("nog geen bericht", "individual")
	if err := e.svc.Incidents.ApproveSubjectsNotice(e.ctx, board, id, ""); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("approve without a draft: %v, want Conflict", err)
	}
	step := must(e.svc.Incidents.SubjectsNotice(e.ctx, officer, id))
	if step.Notice != nil || !step.CanDraft || step.CanApprove || len(step.ToDo()) != 1 {
		t.Errorf("before drafting: %+v", step)
	}

	// Decided not to inform: step 7 shows the reason and nothing to do.
	no := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("versleutelde laptop gestolen", e.a1))).ID
	e.decided(no, true, "Geen, de schijf was versleuteld", incident.StatusRecording)
	if _, err := e.owner.Exec(e.ctx, `UPDATE case_assessments SET subjects_reason = 'Uitzondering i: BitLocker, sleutel niet gelekt' WHERE case_id = $1`, no); err != nil {
		t.Fatal(err)
	}
	step = must(e.svc.Incidents.SubjectsNotice(e.ctx, e.actors["desk"], no))
	if !step.Relevant() || step.Informing() || step.Decision.SubjectsReason == "" || len(step.ToDo()) != 0 || step.CanDraft {
		t.Errorf("not informing: %+v", step)
	}
}
