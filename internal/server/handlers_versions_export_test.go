package server_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// TestRegisterExportsMarkAChangedDecision: after a reopened case is decided
// again, the register's CSV and PDF exports (the Excel one is in
// TestDecisionVersionsThroughHTTP) show the current decision and mark that
// it changed, with the version and why; a case decided once says "Nee".
func TestRegisterExportsMarkAChangedDecision(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	ctx := sysCtx
	id := app.journeyCase()
	once := app.journeyCase()
	app.Clock.Add(24 * time.Hour)
	officer := app.actor(demoOfficer)
	app.must(app.Svc.Incidents.Reopen(ctx, officer, id, "De stick is teruggevonden bij gevonden voorwerpen."))
	app.must(app.Svc.Incidents.Decide(ctx, officer, id, incident.DecisionForm{Version: "1", ChangeReason: vChange,
		Incident: true, PersonalData: true, Confidentiality: true, Availability: "none", Excluded: "none", Subjects: "28",
		Data: []string{"basic", "contact"}, Children: true, DirectIdentifiable: true, Recipient: "unknown", Mitigated: true,
		Breach: "yes", BreachReason: vBreach, NotifyAuthority: "yes", NotifySubjects: "no", SubjectsException: "mitigated",
		SubjectsReason: vSubjects, Effects: "Geen meer: de stick is niet geopend.", NoticePlan: "Aanvulling op de melding bij de AP."}))
	number := func(id int64) string {
		return app.scalar(`SELECT year || '-' || lpad(seq::text, 4, '0') FROM cases WHERE id = $1`, id)
	}
	desk := app.as(demoDesk)

	res := app.get(desk, "/register/export.csv")
	expect(t, "csv", res, http.StatusOK)
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff")))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("csv: %v, %d rows", err, len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	changed, ok := col["Besluit gewijzigd"]
	if !ok {
		t.Fatalf("no column Besluit gewijzigd in %q", rows[0])
	}
	got := map[string][]string{}
	for _, r := range rows[1:] {
		got[r[0]] = r
	}
	if r := got[number(id)]; r == nil || !strings.HasPrefix(r[changed], "Ja, nu versie 2") || !strings.Contains(r[changed], vChange) ||
		!strings.Contains(r[col["Reden (geen) datalek"]], vBreach) {
		t.Errorf("csv row of the changed case = %q", r)
	}
	if r := got[number(once)]; r == nil || r[changed] != "Nee" {
		t.Errorf("csv row of the case decided once = %q", r)
	}

	res = app.get(desk, "/register/export.pdf")
	expect(t, "pdf", res, http.StatusOK)
	squeezed := strings.ReplaceAll(pdfText(t, []byte(res.Body)), " ", "")
	for _, w := range []string{"Besluit gewijzigd", "Ja, nu versie 2", vChange} {
		if !strings.Contains(squeezed, strings.ReplaceAll(w, " ", "")) {
			t.Errorf("register PDF lacks %q", w)
		}
	}
}
