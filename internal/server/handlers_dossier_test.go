package server_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/pdftext"
	"github.com/lekwacht/lekwacht/internal/service"
)

// actor loads a demo account as the service sees it.
func (a *testApp) actor(email string) *access.Actor {
	a.t.Helper()
	ac, _, err := a.Store.Actor(sysCtx, a.userID(email))
	if err != nil {
		a.t.Fatal(err)
	}
	return ac
}

// must fails the test on an error.
func (a *testApp) must(err error) {
	a.t.Helper()
	if err != nil {
		a.t.Fatal(err)
	}
}

// Texts the journey types, each in exactly one step, so the dossier test can
// tell that every section shows its own step.
const (
	jWhat         = "USB-stick met de adreslijst van groep 7 verloren in de trein"
	jInventory    = "Adreslijst groep 7 op een onversleutelde USB-stick, zoek in de trein"
	jQuestion     = "Stond er ook een telefoonlijst op de stick?"
	jAnswer       = "Ja, ook de telefoonnummers van de ouders."
	jAwareReason  = "Pas na het gesprek met de leerkracht stond vast wat er op de stick stond."
	jEffects      = "Ouders kunnen nepberichten krijgen met de naam van hun kind erin."
	jPlan         = "Melding bij de AP via het formulier; brief aan alle ouders van groep 7."
	jCause        = "De stick was niet versleuteld; de lijst was gekopieerd voor een schoolreis."
	jMeasure      = "Alle USB-sticks vervangen door versleutelde exemplaren."
	jBoardView    = "Het bestuur steunt melden bij de AP en een brief aan de ouders."
	jAPNumber     = "M-2026-777001"
	jLateReason   = "De directeur was op schoolreis en pas na drie dagen bereikbaar."
	jSupplement   = "Aanvulling: de stick is niet teruggevonden bij gevonden voorwerpen."
	jSubjectTitle = "Belangrijk: gegevens van groep 7 verloren"
	jAttachment   = "bevestiging-ap.pdf"
)

// journeyCase takes a case at De Regenboog through every step, through the
// service layer, as the people of the demo organisation, and closes it.
func (a *testApp) journeyCase() int64 {
	a.t.Helper()
	id := a.journeyCaseToClose()
	a.must(a.Svc.Incidents.CloseWith(context.Background(), a.actor(demoDesk), id,
		service.CloseCaseForm{NoConfirmationReason: "De AP bevestigde de melding alleen in het meldloket; geen bestand."}))
	return id
}

// journeyCaseToClose is journeyCase up to step 6: notified to the AP (without
// its confirmation attached), the data subjects informed, not yet closed.
func (a *testApp) journeyCaseToClose() int64 {
	a.t.Helper()
	ctx := sysCtx
	inc := a.Svc.Incidents
	reporter, desk, officer, tech, board := a.actor(demoReporter), a.actor(demoDesk), a.actor(demoOfficer), a.actor(demoTechnician), a.actor(demoBoard)
	school := a.schoolID(a.demoOrgID(), "De Regenboog")
	r, err := inc.Report(ctx, reporter, incident.ReportForm{SubmissionKey: uuid.NewString(), WhatHappened: jWhat, School: itoa(school)})
	a.must(err)
	id := r.ID
	reportedAt := a.Clock.Now()
	a.Clock.Add(10 * time.Minute)

	a.must(inc.StartInventory(ctx, desk, id))
	a.must(inc.RecordInventory(ctx, desk, id, incident.InventoryForm{Summary: jInventory, Nature: "lost_device",
		Sensitive: "no", BreachSuspected: "yes", SubjectGroups: "ouders van groep 7", SubjectCount: "28",
		DataTypes: []string{"contact"}, ChainShared: "no", CrossBorder: "no"}))
	a.must(inc.AskQuestion(ctx, desk, id, service.QuestionForm{Addressee: "reporter", Question: jQuestion}))
	qs, err := a.Svc.Incidents.OpenQuestions(ctx, reporter)
	a.must(err)
	a.must(inc.AnswerQuestion(ctx, reporter, id, qs[0].ID, jAnswer))
	a.must(inc.AssignTechnician(ctx, desk, id, itoa(tech.UserID)))
	_, err = inc.AddAttachment(ctx, desk, id, service.AttachmentUpload{Kind: string(incident.AttachEvidence), Filename: jAttachment,
		Data: []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")})
	a.must(err)
	a.must(inc.SendToOfficer(ctx, desk, id))

	a.Clock.Add(time.Hour)
	a.must(inc.SetAwareAt(ctx, officer, id, reportedAt.In(amsterdam).Add(-time.Hour).Format(incident.DateTimeLayout), jAwareReason))
	a.must(inc.Decide(ctx, officer, id, incident.DecisionForm{Incident: true, PersonalData: true, Confidentiality: true,
		Availability: "none", Excluded: "none", Subjects: "28", Data: []string{"basic", "contact"}, Children: true,
		DirectIdentifiable: true, Recipient: "unknown",
		Breach: "yes", NotifyAuthority: "yes", NotifySubjects: "yes", SubjectsChannel: "individual",
		SubjectsReason: "Kinderen, niet versleuteld; ouders moeten alert zijn.", Effects: jEffects, NoticePlan: jPlan}))
	a.must(inc.RecordRepair(ctx, tech, id, incident.RepairForm{Cause: jCause, TechnicalIncidental: jMeasure,
		Unintelligible: "no", Completed: true}))
	a.must(inc.InformBoard(ctx, board, id, jBoardView))

	a.Clock.Add(80 * time.Hour) // past the 72 hours
	a.must(inc.RecordNotification(ctx, officer, id, incident.NotificationForm{SentAt: a.Clock.Now().In(amsterdam).Format(incident.DateTimeLayout),
		Number: jAPNumber, LateReason: jLateReason}))
	a.Clock.Add(time.Hour)
	a.must(inc.AmendNotification(ctx, officer, id, incident.AmendForm{Kind: incident.NoticeSupplement,
		SentAt: a.Clock.Now().In(amsterdam).Format(incident.DateTimeLayout), Content: jSupplement}))

	f := incident.SubjectsForm{Channel: "individual", Groups: []string{"parents_under_16"}, RecipientsCount: "28",
		Subject: jSubjectTitle, Nature: "Een USB-stick met de adreslijst van groep 7 is verloren in de trein.",
		Consequences:  "Iemand kan uw adres en telefoonnummer gebruiken voor nepberichten.",
		MeasuresTaken: "USB-sticks zijn voortaan versleuteld.", MeasuresRecipient: "Wees alert op berichten die u niet verwacht.",
		OfficerContact: "De FG, fg@demo.lekwacht.nl", SchoolContact: "De Regenboog, 071 123 45 67", Signature: "De directie"}
	a.must(inc.DraftSubjectsNotice(ctx, officer, id, f))
	a.must(inc.ApproveSubjectsNotice(ctx, board, id, ""))
	a.Clock.Add(time.Hour)
	a.must(inc.RecordSubjectsSent(ctx, officer, id, a.Clock.Now().In(amsterdam).Format(incident.DateTimeLayout)))
	return id
}

func TestDossierShowsEverySectionFromItsStep(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	id := app.journeyCase()
	number := app.scalar(`SELECT year || '-' || lpad(seq::text, 4, '0') FROM cases WHERE id = $1`, id)

	res := app.get(app.as(demoOfficer), "/meldingen/"+itoa(id)+"/dossier")
	expect(t, "dossier page", res, http.StatusOK)
	if !strings.Contains(res.text("case-number"), number) || !strings.Contains(res.text("dossier-header"), service.DemoOrganisation) ||
		!strings.Contains(res.text("dossier-header"), "De Regenboog") {
		t.Errorf("header: %q %q", res.text("case-number"), res.text("dossier-header"))
	}
	// Each section holds what its own step recorded, and not another's.
	want := map[string][]string{
		"dossier-report":        {jWhat},
		"dossier-inventory":     {jInventory, jQuestion, jAnswer, "ouders van groep 7"},
		"dossier-assessment":    {jAwareReason, jEffects, jPlan, "Datalek?", "Ernst (SE) = context van de gegevens (DPC)", "Advies van Lekwacht"},
		"dossier-repair":        {jCause, jMeasure, "Afgerond"},
		"dossier-board":         {jBoardView},
		"dossier-notifications": {jAPNumber, jLateReason, jSupplement, "Nee, te laat", "Aanvulling"},
		"dossier-subjects":      {jSubjectTitle, "Verzonden", "Goedgekeurd door", "Beste ouder of verzorger"},
		"dossier-attachments":   {jAttachment, "PDF", "Meldpunt"},
		"dossier-closing":       {"Datalek"},
		"dossier-timeline":      {"Melding gedaan (stap 1, Ontdekken)", "Moment van kennisname gezet"},
		"dossier-chains":        {"Tijdlijn van de organisatie", "Beveiligingslog van de organisatie", "regels; laatste ketenhash", "lekwacht audit verify"},
	}
	for section, texts := range want {
		got := sectionText(res, section)
		if got == "" {
			t.Errorf("section %s missing", section)
			continue
		}
		for _, w := range texts {
			if !strings.Contains(got, w) {
				t.Errorf("section %s does not show %q:\n%s", section, w, snippet(got))
			}
		}
	}
	for section, foreign := range map[string]string{"dossier-report": jInventory, "dossier-inventory": jEffects,
		"dossier-repair": jBoardView, "dossier-board": jAPNumber, "dossier-subjects": jLateReason} {
		if strings.Contains(sectionText(res, section), foreign) {
			t.Errorf("section %s shows %q, which belongs to another step", section, foreign)
		}
	}
	if n := strings.Count(sectionText(res, "dossier-timeline"), "(door "); n < 15 {
		t.Errorf("timeline has %d entries, want the full timeline", n)
	}
	// The case page links to it, for those who may read it.
	casePage := app.get(app.as(demoBoard), "/meldingen/"+itoa(id))
	if !strings.Contains(casePage.Body, `href="/meldingen/`+itoa(id)+`/dossier"`) {
		t.Error("case page has no link to the dossier")
	}
	if page := app.get(app.as(demoReporter), "/meldingen/"+itoa(id)); strings.Contains(page.Body, `data-testid="dossier-link"`) {
		t.Error("the reporter's case page links to the dossier")
	}

	// The PDF: a valid PDF, downloaded, with the case number and the key texts.
	pdfRes := app.get(app.as(demoDesk), "/meldingen/"+itoa(id)+"/dossier.pdf")
	expect(t, "dossier pdf", pdfRes, http.StatusOK)
	if ct := pdfRes.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := pdfRes.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="dossier-`+number+`.pdf"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	text := pdfText(t, []byte(pdfRes.Body))
	for _, w := range []string{number, service.DemoOrganisation, "De Regenboog", "Pagina 1 van", jAPNumber, jLateReason,
		jCause, jBoardView, jSubjectTitle, jAttachment, "geïnformeerd", "Audittrail"} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
	// The head of the security log as the PDF was made: this download is its last row.
	head := app.scalar(`SELECT seq || ' regels; laatste ketenhash ' || substr(encode(hash, 'hex'), 1, 8) FROM audit_chain_heads
		WHERE organisation_id = $1 AND chain = 'security'`, app.demoOrgID())
	if !strings.Contains(strings.Join(strings.Fields(text), " "), head) {
		t.Errorf("PDF does not show the security log's head %q", head)
	}
}

// sectionText is the text of the <section> with data-testid=id, tags
// removed and spaces normalised.
func sectionText(r *response, id string) string {
	i := strings.Index(r.Body, `data-testid="`+id+`"`)
	if i < 0 {
		return ""
	}
	rest := r.Body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		rest = rest[:j]
	}
	rest = rest[strings.Index(rest, ">")+1:]
	rest = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(rest, " ")
	return strings.Join(strings.Fields(html.UnescapeString(rest)), " ")
}

// pdfText extracts the plain text of a PDF, failing the test when it is no
// valid PDF. Spaces are normalised: the extractor breaks lines anywhere.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	s, _, err := pdftext.Read(data)
	if err != nil {
		t.Fatalf("%v: %q", err, snippet(string(data)))
	}
	return s
}

func TestDossierAuthorisationThroughHTTP(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	id := app.demoCase(1) // reported by the demo reporter
	ctx := sysCtx
	// The technician is assigned, so they see the case page, not the dossier.
	app.must(app.Svc.Incidents.AssignTechnician(ctx, app.actor(demoDesk), id, itoa(app.userID(demoTechnician))))
	app.addUser(app.demoOrgID(), "fg-baken@demo.lekwacht.nl", "FG Het Baken", service.DemoPassword,
		access.Grant{Role: access.Officer, Schools: []int64{app.schoolID(app.demoOrgID(), "Het Baken")}})
	caseSchool := app.scalar(`SELECT coalesce(s.name, '') FROM cases c LEFT JOIN schools s ON s.id = c.school_id WHERE c.id = $1`, id)
	for _, tc := range []struct {
		who    string
		status int
	}{
		{demoDesk, http.StatusOK}, {demoOfficer, http.StatusOK}, {demoBoard, http.StatusOK},
		{demoReporter, http.StatusForbidden}, {demoTechnician, http.StatusForbidden},
		{demoAdmin, http.StatusNotFound}, {otherDesk, http.StatusNotFound}, {otherStaff, http.StatusNotFound},
	} {
		c := app.as(tc.who)
		for _, path := range []string{"/dossier", "/dossier.pdf"} {
			res := app.get(c, "/meldingen/"+itoa(id)+path)
			if res.StatusCode != tc.status {
				t.Errorf("%s GET %s: %d, want %d", tc.who, path, res.StatusCode, tc.status)
			}
			if tc.status != http.StatusOK && strings.Contains(res.Body, "%PDF") {
				t.Errorf("%s got a PDF on refusal", tc.who)
			}
		}
	}
	// An officer limited to the other school does not see a case of De Regenboog at all.
	if caseSchool == "De Regenboog" {
		res := app.get(app.as("fg-baken@demo.lekwacht.nl"), "/meldingen/"+itoa(id)+"/dossier.pdf")
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("officer of Het Baken: %d, want 404", res.StatusCode)
		}
	} else {
		t.Fatalf("demo case 1 is at %q; the test expects De Regenboog", caseSchool)
	}
	// Signed out: to the sign-in page.
	if res := app.get(app.client(), "/meldingen/"+itoa(id)+"/dossier"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous: %d, want 303 to sign in", res.StatusCode)
	}
}
