package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/assessment"
)

// Issue 10.1 through HTTP: the decision page preselects no answer and shows
// the advice beside each question; deciding without choosing is a 422 with a
// message beside each unanswered question; "Advies berekenen" keeps the facts
// as a draft that a new visit shows; "Advies overnemen" answers one question;
// and the advice on the page is what `lekwacht assess` gives on the same
// facts.
func TestHandlersDecisionAsksForAChoiceAndKeepsADraft(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	desk, officer := app.as("meldpunt@demo.lekwacht.nl"), app.as("fg@demo.lekwacht.nl")
	id := itoa(app.demoCase(1))
	app.post(desk, "/meldingen/"+id+"/oppakken", nil)
	app.post(desk, "/meldingen/"+id+"/inventarisatie", url.Values{"summary": {"Cijferlijst naar verkeerde ouder gemaild"},
		"nature": {"misdirected"}, "breach_suspected": {"yes"}, "sensitive": {"no"}, "chain_shared": {"no"},
		"subject_count": {"28"}, "data_types": {"contact"}, "subject_groups": {"leerlingen en ouders"}})
	expect(t, "send to officer", app.post(desk, "/meldingen/"+id+"/naar-fg", nil), http.StatusSeeOther, "/meldingen/"+id)

	page := app.get(officer, "/meldingen/"+id+"/besluit")
	for _, q := range []string{"breach", "notify_authority", "notify_subjects", "subjects_channel", "subjects_exception"} {
		if got := page.checkedValues(q); len(got) != 0 {
			t.Errorf("%s preselected: %v", q, got)
		}
	}
	for _, q := range []string{"breach", "notify_authority", "notify_subjects"} {
		if !page.has("advice-for-"+q) || !page.has("adopt-"+q) {
			t.Errorf("no advice with ‘Advies overnemen’ beside %s", q)
		}
	}
	if page.has("draft-saved") {
		t.Error("a draft before anything was saved")
	}

	// Deciding without a choice: 422, a message beside each unanswered question.
	base := url.Values{"incident": {"1"}, "personal_data": {"1"}, "confidentiality": {"1"}, "availability": {"none"},
		"excluded": {"none"}, "subjects": {"2"}, "data": {"contact", "performance"}, "children": {"1"},
		"direct_identifiable": {"1"}, "recipient": {"trusted"}, "version": {"0"}}
	decide := clone(base)
	decide.Set("step", "decide")
	res := app.post(officer, "/meldingen/"+id+"/besluit", decide)
	if res.StatusCode != http.StatusUnprocessableEntity || !res.has("error-breach") || !res.contains("Lekwacht kiest niet voor u") {
		t.Fatalf("deciding without a choice: %d", res.StatusCode)
	}
	decide.Set("breach", "yes")
	decide.Set("effects", "De cijfers van twee leerlingen zijn gezien door een andere ouder.")
	res = app.post(officer, "/meldingen/"+id+"/besluit", decide)
	if res.StatusCode != http.StatusUnprocessableEntity || !res.has("error-notify_authority") || !res.has("error-notify_subjects") || res.has("error-breach") {
		t.Fatalf("breach chosen, the rest not: %d", res.StatusCode)
	}
	if !res.checked("breach", "yes") || !res.checked("data", "performance") {
		t.Error("the choice and facts typed are not kept")
	}

	// "Advies berekenen" on other facts: 200, saved as a draft, shown again
	// on a new visit with the advice on those facts.
	calc := clone(base)
	calc.Set("step", "advice")
	calc.Set("subjects", "3")
	calc.Set("breach_reason", "Concept: nog navragen bij de ouder.")
	res = app.post(officer, "/meldingen/"+id+"/besluit", calc)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("advice round trip: %d", res.StatusCode)
	}
	if n := app.count(`SELECT count(*) FROM case_assessments`); n != 0 {
		t.Fatal("asking advice recorded a decision")
	}
	again := app.get(officer, "/meldingen/"+id+"/besluit")
	if v, _ := again.inputValue("subjects"); v != "3" || !again.has("draft-saved") || !again.checked("recipient", "trusted") {
		t.Errorf("the draft is lost on a new visit: subjects %q, draft shown %v", v, again.has("draft-saved"))
	}
	if v, _ := again.textarea("breach_reason"); v != "Concept: nog navragen bij de ouder." {
		t.Errorf("typed reason lost: %q", v)
	}

	// The advice on the page equals `lekwacht assess` on the same facts.
	facts, err := assessment.DecodeFacts(strings.NewReader(`{"incident": true, "personal_data": true, "confidentiality": true,
		"integrity": false, "availability": "none", "excluded": "none", "subjects": 3, "data": ["contact", "performance"],
		"children": true, "direct_identifiable": true, "recipient": "trusted"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := assessment.Assess(facts)
	yes := map[bool]string{true: "Ja", false: "Nee"}
	if again.text("advice-breach") != yes[want.Breach] || again.text("advice-authority") != yes[want.NotifyAuthority] ||
		!strings.HasPrefix(again.text("advice-subjects"), yes[want.NotifySubjects]) ||
		again.text("severity-score") != assessment.LevelName(want.Severity.Level)+" ("+assessment.Number(want.Severity.Score)+")" {
		t.Errorf("page advice %q/%q/%q/%q, lekwacht assess %v/%v/%v/%s %v", again.text("advice-breach"), again.text("advice-authority"),
			again.text("advice-subjects"), again.text("severity-score"), want.Breach, want.NotifyAuthority, want.NotifySubjects,
			want.Severity.Level, want.Severity.Score)
	}
	for _, r := range want.Reasons {
		if !again.contains(r) {
			t.Errorf("reason of lekwacht assess missing on the page: %q", r)
		}
	}

	// "Advies overnemen" on one question answers that question only.
	adopt := clone(calc)
	adopt.Set("step", "adopt_breach")
	res = app.post(officer, "/meldingen/"+id+"/besluit", adopt)
	if res.StatusCode != http.StatusOK || !res.checked("breach", map[bool]string{true: "yes", false: "no"}[want.Breach]) ||
		len(res.checkedValues("notify_authority")) != 0 {
		t.Errorf("adopting the breach advice: %d, breach %v, AP %v", res.StatusCode, res.checkedValues("breach"), res.checkedValues("notify_authority"))
	}
	if again := app.get(officer, "/meldingen/"+id+"/besluit"); len(again.checkedValues("breach")) != 1 {
		t.Error("the adopted answer is not in the draft")
	}
	// No English, no "+0" rows and one word per level on the page.
	for _, bad := range []string{"better safe", "Better safe", "+0 ", "+0)", "+0;", "+0.", "middel)", "ernst middel"} {
		if again.contains(bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
}

func clone(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
