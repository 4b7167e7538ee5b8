package web

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"

	"github.com/lekwacht/lekwacht/internal/assessment"
	"github.com/lekwacht/lekwacht/internal/incident"
)

func testPage(t *testing.T) Page {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return Page{Loc: loc, Now: time.Date(2026, 11, 30, 9, 0, 0, 0, loc)}
}

func sectionOf(t *testing.T, d Dossier, id string) DossierSection {
	t.Helper()
	for _, s := range d.Sections {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no section %s", id)
	return DossierSection{}
}

func fieldOf(s DossierSection, label string) (DossierField, bool) {
	for _, f := range s.Fields {
		if f.Label == label {
			return f, true
		}
	}
	return DossierField{}, false
}

func TestBuildDossierMarksDeviationsAndLateness(t *testing.T) {
	p := testPage(t)
	reported := time.Date(2026, 11, 23, 10, 0, 0, 0, p.Loc)
	v := DossierProps{
		Case:         incident.Case{Number: incident.Number{Year: 2026, Seq: 7}, SchoolName: "De Regenboog", ReportedAt: reported, AwareAt: reported, Status: incident.StatusRecording},
		Organisation: "Stichting Test", PrintedAt: p.Now, AuthorityDue: reported.Add(72 * time.Hour),
		Decision: &DecisionView{DecidedBy: "FG",
			Decision: incident.Decision{Breach: true, NotifyAuthority: false, NotifySubjects: false, SubjectsException: "unintelligible", DecidedAt: reported},
			Reasons:  incident.DecisionReasons{Authority: "De stick was versleuteld met BitLocker.", Subjects: "Versleuteld."},
			Advice:   assessment.Advice{Breach: true, NotifyAuthority: true, NotifySubjects: false}},
		Notifications: []incident.Notification{{Kind: incident.NoticeInitial, Number: "M-1", SentAt: reported.Add(73 * time.Hour)}},
	}
	d := BuildDossier(p, v)
	if d.Number != "2026-0007" || d.School != "De Regenboog" || d.Organisation != "Stichting Test" {
		t.Errorf("header %+v", d)
	}
	as := sectionOf(t, d, "assessment")
	if f, _ := fieldOf(as, "Melden aan de AP?"); !f.Deviates || !strings.Contains(f.Value, "BitLocker") || !strings.Contains(f.Value, "Wijkt af") {
		t.Errorf("AP decision against the advice: %+v", f)
	}
	if f, _ := fieldOf(as, "Datalek?"); f.Deviates {
		t.Errorf("breach as advised marked as deviation: %+v", f)
	}
	if f, _ := fieldOf(as, "Betrokkenen informeren?"); !strings.Contains(f.Value, "onleesbaar") {
		t.Errorf("ground for not informing missing: %+v", f)
	}
	if f, _ := fieldOf(as, "Moment van kennisname"); !strings.Contains(f.Value, "het moment van de melding") {
		t.Errorf("awareness without reason: %+v", f)
	}
	ap := sectionOf(t, d, "notifications")
	if f, ok := fieldOf(ap, "Niet gemeld, want"); !ok || !strings.Contains(f.Value, "BitLocker") {
		t.Errorf("reason for not notifying missing: %+v", ap.Fields)
	}
	if late := ap.Items[0].Fields[3]; late.Label != "Binnen 72 uur" || !late.Late {
		t.Errorf("notification after 73 hours not late: %+v", late)
	}
	// Without a repair, board notes or attachments, those sections say so.
	for _, id := range []string{"repair", "board", "attachments"} {
		if s := sectionOf(t, d, id); len(s.Fields)+len(s.Items) != 0 || s.Empty == "" {
			t.Errorf("empty section %s: %+v", id, s)
		}
	}
}

func TestDossierPDFKeepsDutchAccents(t *testing.T) {
	p := testPage(t)
	d := Dossier{Title: "Dossier melding 2026-0001", Number: "2026-0001", Organisation: "Stichting Één", School: "Basisschool 't Geïnformeerde",
		PrintedAt: p.DateTime(p.Now), Sections: []DossierSection{{ID: "x", Title: "Beoordeling", Fields: []DossierField{
			{Label: "Zorg", Value: "gevoelige gegevens (4) −1 omdat … ≥ 3"}}}}}
	var b bytes.Buffer
	if err := WriteDossierPDF(&b, d, p.Now); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-1.")) || !bytes.Contains(b.Bytes(), []byte("%%EOF")) {
		t.Fatalf("not a PDF")
	}
	r, err := pdf.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := r.GetPlainText()
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if _, err := text.ReadFrom(plain); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Stichting Één", "Geïnformeerde", "(4) -1 omdat … >= 3", "Pagina 1 van 1"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text.String())
		}
	}
}
