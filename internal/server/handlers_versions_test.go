package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// Texts of the second decision on the journey's case.
const (
	vFirstReason = "Kinderen, niet versleuteld; ouders moeten alert zijn." // the journey's first decision
	vChange      = "De stick is ongeopend teruggevonden in de trein; de ouders hoeven niet meer gewaarschuwd."
	vSubjects    = "De stick is ongeopend teruggevonden: geen hoog risico meer."
	vBreach      = "Toch een datalek: de stick lag twee dagen onbeheerd in de trein."
)

// TestDecisionVersionsThroughHTTP: decide, reopen, decide differently.
// The second decision asks why it departs from the first (422 beside the
// field, everything typed kept), then is saved as version 2. Both versions,
// with who, when and why, are in the dossier page, the dossier PDF and the
// Excel timeline; the register shows the current decision and marks it
// changed, on its page and in the export.
func TestDecisionVersionsThroughHTTP(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	id := app.journeyCase() // decided once: breach, notify the AP and the parents; closed
	officer := app.as(demoOfficer)
	app.Clock.Add(24 * time.Hour)
	app.must(app.Svc.Incidents.Reopen(context.Background(), app.actor(demoOfficer), id, "De stick is teruggevonden bij gevonden voorwerpen."))
	path := "/meldingen/" + itoa(id) + "/besluit"

	page := app.get(officer, path)
	expect(t, "decision page", page, http.StatusOK)
	if !page.has("previous-decision") || !strings.Contains(page.text("previous-decision"), "versie 1") {
		t.Fatalf("the page does not say a decision exists: %q", page.text("previous-decision"))
	}
	if v, ok := page.inputValue("version"); !ok || v != "1" {
		t.Errorf("hidden version = %q %v, want 1", v, ok)
	}
	decide := url.Values{"step": {"decide"}, "version": {"1"}, "incident": {"1"}, "personal_data": {"1"}, "confidentiality": {"1"},
		"availability": {"none"}, "excluded": {"none"}, "subjects": {"28"}, "data": {"basic", "contact"}, "children": {"1"},
		"direct_identifiable": {"1"}, "recipient": {"unknown"}, "mitigated": {"1"},
		"breach": {"yes"}, "breach_reason": {vBreach}, "notify_authority": {"yes"}, "notify_subjects": {"no"}, "subjects_exception": {"mitigated"},
		"subjects_reason": {vSubjects}, "effects": {"Geen meer: de stick is niet geopend."}, "notice_plan": {"Aanvulling op de melding bij de AP."}}
	res := app.post(officer, path, decide)
	if res.StatusCode != http.StatusUnprocessableEntity || !res.has("error-change_reason") ||
		!strings.Contains(res.text("error-change_reason"), "afwijkt van het vorige (versie 1)") {
		t.Fatalf("second decision without why: %d, %q", res.StatusCode, res.text("error-change_reason"))
	}
	if v, _ := res.textarea("subjects_reason"); v != vSubjects {
		t.Errorf("typed reason lost: %q", v)
	}
	decide.Set("change_reason", vChange)
	expect(t, "decide again", app.post(officer, path, decide), http.StatusSeeOther, "/meldingen/"+itoa(id))

	// The dossier page lists both versions.
	dossier := app.get(officer, "/meldingen/"+itoa(id)+"/dossier")
	expect(t, "dossier", dossier, http.StatusOK)
	sec := sectionText(dossier, "dossier-assessment")
	for _, w := range []string{"Besluit versie 1, door", "Besluit versie 2, door", "(huidig besluit)", vFirstReason, vChange, vSubjects,
		"Waarom gewijzigd"} {
		if !strings.Contains(sec, w) {
			t.Errorf("dossier's assessment lacks %q:\n%s", w, snippet(sec))
		}
	}
	if strings.Index(sec, "Besluit versie 1") > strings.Index(sec, "Besluit versie 2") {
		t.Error("versions are not in order")
	}

	// The dossier PDF too.
	pdfRes := app.get(officer, "/meldingen/"+itoa(id)+"/dossier.pdf")
	expect(t, "dossier pdf", pdfRes, http.StatusOK)
	text := pdfText(t, []byte(pdfRes.Body))
	// The extractor drops the space where a line wraps: compare without spaces.
	squeezed := strings.ReplaceAll(text, " ", "")
	for _, w := range []string{"Besluit versie 1", "Besluit versie 2", vFirstReason, vChange} {
		if !strings.Contains(squeezed, strings.ReplaceAll(w, " ", "")) {
			t.Errorf("dossier PDF lacks %q", w)
		}
	}

	// The register shows the current decision, marked as changed.
	reg := app.get(officer, "/register")
	expect(t, "register", reg, http.StatusOK)
	if !strings.Contains(reg.text("decision-changed"), "versie 2") {
		t.Errorf("register row not marked: %q", reg.text("decision-changed"))
	}
	if !strings.Contains(reg.text("outcome-reason"), "Toch een datalek") || !reg.contains(vBreach) {
		t.Errorf("the register does not show the current decision's reason: %q", reg.text("outcome-reason"))
	}

	// The Excel export: the register says changed; the timeline lists both
	// versions with who, when and why.
	x := app.get(officer, "/register/export.xlsx")
	expect(t, "xlsx", x, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	number := app.scalar(`SELECT year || '-' || lpad(seq::text, 4, '0') FROM cases WHERE id = $1`, id)
	rows, err := f.GetRows("Register")
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "Besluit gewijzigd" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("no column Besluit gewijzigd in %q", rows[0])
	}
	for _, r := range rows[1:] {
		if r[0] == number && (len(r) <= col || !strings.HasPrefix(r[col], "Ja, nu versie 2") || !strings.Contains(r[col], vChange)) {
			t.Errorf("register sheet: Besluit gewijzigd = %q", r[col])
		}
	}
	tl, err := f.GetRows("Tijdlijn")
	if err != nil {
		t.Fatal(err)
	}
	var versions []string
	for _, r := range tl[1:] {
		if r[0] == number && len(r) > 3 && strings.Contains(r[3], "besluit versie") {
			if r[1] == "" || r[2] == "" {
				t.Errorf("timeline row without when or who: %q", r)
			}
			versions = append(versions, r[3])
		}
	}
	if len(versions) != 2 || !strings.HasSuffix(versions[0], "besluit versie 1") ||
		!strings.Contains(versions[1], "besluit versie 2; gewijzigd ten opzichte van versie 1 omdat: "+vChange) {
		t.Errorf("timeline versions = %q", versions)
	}
}
