package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// TestRecordVersionsInTheDossier: the desk changes the inventory, the
// technician the repair and the FG the notice to the data subjects; what
// each first recorded stays readable, with who and when, in the dossier page
// and in the dossier PDF (issue 9.3).
func TestRecordVersionsInTheDossier(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	ctx := sysCtx
	inc := app.Svc.Incidents
	reporter, desk, officer, tech := app.actor(demoReporter), app.actor(demoDesk), app.actor(demoOfficer), app.actor(demoTechnician)
	school := app.schoolID(app.demoOrgID(), "De Regenboog")
	r, err := inc.Report(ctx, reporter, incident.ReportForm{SubmissionKey: uuid.NewString(), WhatHappened: jWhat, School: itoa(school)})
	app.must(err)
	id := r.ID

	const (
		firstSummary = "Adreslijst van groep 7 op een USB-stick verloren"
		firstCause   = "Onbekend: de stick is nog niet terug."
		firstSubject = "Gegevens van groep 7 verloren"
	)
	inv := incident.InventoryForm{Summary: firstSummary, Nature: "lost_device", Sensitive: "no", BreachSuspected: "yes",
		SubjectGroups: "ouders van groep 7", SubjectCount: "28", DataTypes: []string{"contact"}, ChainShared: "no", CrossBorder: "no"}
	app.must(inc.StartInventory(ctx, desk, id))
	app.must(inc.RecordInventory(ctx, desk, id, inv))
	app.Clock.Add(time.Hour)
	inv.Summary, inv.SubjectCount = jInventory, "31"
	app.must(inc.RecordInventory(ctx, desk, id, inv))
	app.must(inc.AssignTechnician(ctx, desk, id, itoa(tech.UserID)))
	app.must(inc.RecordRepair(ctx, tech, id, incident.RepairForm{Cause: firstCause, Unintelligible: "unknown"}))
	app.Clock.Add(time.Hour)
	app.must(inc.RecordRepair(ctx, tech, id, incident.RepairForm{Cause: jCause, TechnicalIncidental: jMeasure, Unintelligible: "no", Completed: true}))
	app.must(inc.SendToOfficer(ctx, desk, id))
	app.must(inc.Decide(ctx, officer, id, incident.DecisionForm{Incident: true, PersonalData: true, Confidentiality: true,
		Availability: "none", Excluded: "none", Subjects: "31", Data: []string{"basic", "contact"}, Children: true,
		DirectIdentifiable: true, Recipient: "unknown",
		Breach: "yes", NotifyAuthority: "yes", NotifySubjects: "yes", SubjectsChannel: "individual",
		SubjectsReason: "Kinderen, niet versleuteld; ouders moeten alert zijn.", Effects: jEffects, NoticePlan: jPlan}))
	app.must(inc.InformBoard(ctx, app.actor(demoBoard), id, jBoardView))
	app.must(inc.RecordNotification(ctx, officer, id, incident.NotificationForm{SentAt: app.Clock.Now().In(amsterdam).Format(incident.DateTimeLayout),
		Number: jAPNumber}))
	notice := incident.SubjectsForm{Channel: "individual", Groups: []string{"parents_under_16"}, RecipientsCount: "31",
		Subject: firstSubject, Nature: "Een USB-stick met de adreslijst van groep 7 is verloren in de trein.",
		Consequences:  "Iemand kan uw adres en telefoonnummer gebruiken voor nepberichten.",
		MeasuresTaken: "USB-sticks zijn voortaan versleuteld.", MeasuresRecipient: "Wees alert op berichten die u niet verwacht.",
		OfficerContact: "De FG, fg@demo.lekwacht.nl", SchoolContact: "De Regenboog, 071 123 45 67", Signature: "De directie"}
	app.must(inc.DraftSubjectsNotice(ctx, officer, id, notice))
	app.Clock.Add(time.Hour)
	notice.Subject = jSubjectTitle
	app.must(inc.DraftSubjectsNotice(ctx, officer, id, notice))

	deskName := app.scalar(`SELECT name FROM users WHERE email = $1`, demoDesk)
	techName := app.scalar(`SELECT name FROM users WHERE email = $1`, demoTechnician)
	officerName := app.scalar(`SELECT name FROM users WHERE email = $1`, demoOfficer)
	want := map[string][]string{
		"dossier-inventory": {jInventory, "Eerdere versie 1 van 2, vastgelegd door " + deskName, firstSummary, "28"},
		"dossier-repair":    {jCause, "Eerdere versie 1 van 2, vastgelegd door " + techName, firstCause, "Afgerond Nee"},
		"dossier-subjects":  {jSubjectTitle, "Eerdere versie 1 van 2, vastgelegd door " + officerName, firstSubject},
	}
	page := app.get(app.as(demoBoard), "/meldingen/"+itoa(id)+"/dossier")
	expect(t, "dossier", page, http.StatusOK)
	for sec, words := range want {
		text := sectionText(page, sec)
		for _, w := range words {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", sec, w, snippet(text))
			}
		}
	}

	res := app.get(app.as(demoBoard), "/meldingen/"+itoa(id)+"/dossier.pdf")
	expect(t, "dossier pdf", res, http.StatusOK)
	squeezed := strings.ReplaceAll(pdfText(t, []byte(res.Body)), " ", "")
	for _, w := range []string{firstSummary, firstCause, firstSubject, "Eerdereversie1van2,vastgelegddoor" + strings.ReplaceAll(techName, " ", "")} {
		if !strings.Contains(squeezed, strings.ReplaceAll(w, " ", "")) {
			t.Errorf("dossier PDF lacks %q", w)
		}
	}
}
