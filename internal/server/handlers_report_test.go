package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// Distinctive report texts: the log checks look for them.
const (
	reportText  = "Verloren laptop met leerlingdossiers van groep acht in de trein naar Utrecht"
	reportPhone = "06-98765432"
	reportNote  = "Bereikbaar na kwart over drie"
)

// reportForm is a filled-in report: every kind of field has a value.
func reportForm(app *testApp, key string) url.Values {
	now := app.Clock.Now().In(amsterdam)
	return url.Values{
		"submission_key":    {key},
		"what_happened":     {reportText},
		"occurred_from":     {now.Add(-50 * time.Hour).Format(incident.DateTimeLayout)},
		"occurred_until":    {now.Add(-49 * time.Hour).Format(incident.DateTimeLayout)},
		"discovered_at":     {now.Add(-2 * time.Hour).Format(incident.DateTimeLayout)},
		"school":            {itoa(app.schoolID(app.demoOrgID(), "De Regenboog"))},
		"carriers":          {"laptop", "student_admin"},
		"systems":           {"ParnasSys en de gedeelde map"},
		"personal_data":     {"yes"},
		"data_kinds":        {"contact", "care"},
		"subjects_estimate": {"31"},
		"subject_groups":    {"students", "parents"},
		"ongoing":           {"no"},
		"actions_taken":     {"Wachtwoord gewijzigd en de NS gebeld"},
		"contact_phone":     {reportPhone},
		"contact_note":      {reportNote},
	}
}

var doneRe = regexp.MustCompile(`^/meldingen/([0-9]+)/ontvangen$`)

func TestHandlersReportForm(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.as(demoReporter)
	res := app.get(c, "/melden")
	expect(t, "GET /melden", res, http.StatusOK)
	if !res.has("report-form") || !res.has("report-submit") {
		t.Fatal("report page without its form")
	}
	key, ok := res.inputValue("submission_key")
	if !ok || len(key) != 36 {
		t.Fatalf("hidden submission_key = %q, want a UUID", key)
	}
	if res.has("form-error") {
		t.Error("fresh form shows an error")
	}
	if other := app.get(c, "/melden"); func() string { k, _ := other.inputValue("submission_key"); return k }() == key {
		t.Error("two forms got the same submission key")
	}
	// Both demo schools are offered, none of the other organisation.
	if !res.contains("De Regenboog") || !res.contains("Het Baken") || res.contains("De Andere School") {
		t.Error("school list is not the organisation's")
	}
}

func TestHandlersReportValidationKeepsEverything(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.as(demoReporter)
	cases := app.count(`SELECT count(*) FROM cases`)

	form := reportForm(app, "5b0d4d6e-0000-4000-8000-000000000001")
	form.Set("what_happened", "   ")
	res := app.post(c, "/melden", form)
	expect(t, "POST /melden without what_happened", res, http.StatusUnprocessableEntity)
	if !res.has("form-error") {
		t.Error("no error summary")
	}
	if !res.has("error-what_happened") {
		t.Fatalf("no message beside what_happened\n%s", snippet(res.Body))
	}
	for _, f := range []string{"occurred_from", "occurred_until", "discovered_at", "school", "carriers", "systems",
		"personal_data", "data_kinds", "subjects_estimate", "subject_groups", "ongoing", "actions_taken", "contact_phone", "contact_note"} {
		if res.has("error-" + f) {
			t.Errorf("unexpected message beside %s", f)
		}
	}
	if n := app.count(`SELECT count(*) FROM cases`); n != cases {
		t.Fatalf("an invalid report was stored: %d cases, want %d", n, cases)
	}

	for _, f := range []string{"submission_key", "occurred_from", "occurred_until", "discovered_at", "systems", "subjects_estimate", "contact_phone", "contact_note"} {
		if got, ok := res.inputValue(f); !ok || got != form.Get(f) {
			t.Errorf("%s came back as %q, want %q", f, got, form.Get(f))
		}
	}
	if got, _ := res.textarea("actions_taken"); got != form.Get("actions_taken") {
		t.Errorf("actions_taken came back as %q", got)
	}
	if got, _ := res.selected(); got != form.Get("school") {
		t.Errorf("selected school %q, want %q", got, form.Get("school"))
	}
	for _, f := range []string{"carriers", "data_kinds", "subject_groups", "personal_data", "ongoing"} {
		got, want := res.checkedValues(f), form[f]
		slices.Sort(got)
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			t.Errorf("%s: checked %v, want %v", f, got, want)
		}
	}

	// Typed text that fails validation comes back as typed, too.
	form.Set("what_happened", reportText)
	form.Set("subjects_estimate", "ongeveer dertig")
	res = app.post(c, "/melden", form)
	expect(t, "POST /melden with a bad number", res, http.StatusUnprocessableEntity)
	if !res.has("error-subjects_estimate") || res.has("error-what_happened") {
		t.Error("message not beside subjects_estimate only")
	}
	if got, _ := res.textarea("what_happened"); got != reportText {
		t.Errorf("what_happened came back as %q", got)
	}
	if got, _ := res.inputValue("subjects_estimate"); got != "ongeveer dertig" {
		t.Errorf("subjects_estimate came back as %q", got)
	}

	// A school of another organisation is not a choice.
	form.Set("subjects_estimate", "31")
	form.Set("school", itoa(app.schoolID(app.orgID(otherOrg), "De Andere School")))
	res = app.post(c, "/melden", form)
	expect(t, "POST /melden with another organisation's school", res, http.StatusUnprocessableEntity)
	if !res.has("error-school") {
		t.Error("no message beside school")
	}
	if n := app.count(`SELECT count(*) FROM cases`); n != cases {
		t.Fatalf("an invalid report was stored: %d cases, want %d", n, cases)
	}
	assertLogsClean(t, app, reportText, reportPhone, reportNote, demoReporter, "ongeveer dertig")
}

func TestHandlersReportJourney(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	reporter := app.as(demoReporter)
	key := "5b0d4d6e-0000-4000-8000-000000000002"
	form := reportForm(app, key)

	res := app.post(reporter, "/melden", form)
	expect(t, "POST /melden", res, http.StatusSeeOther)
	m := doneRe.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("redirect to %q, want /meldingen/{id}/ontvangen", res.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	number := fmt.Sprintf("%d-0003", app.Clock.Now().In(amsterdam).Year())

	done := app.get(reporter, res.Header.Get("Location"))
	expect(t, "GET ontvangen", done, http.StatusOK)
	if !done.has("report-done") || done.text("case-number") != number {
		t.Fatalf("case-number %q, want %q", done.text("case-number"), number)
	}

	// The same form again (double click, back button): same case, no second one.
	again := app.post(reporter, "/melden", form)
	expect(t, "POST /melden again", again, http.StatusSeeOther, res.Header.Get("Location"))
	if n := app.count(`SELECT count(*) FROM cases WHERE submission_key = $1`, key); n != 1 {
		t.Fatalf("%d cases with the submission key, want 1", n)
	}
	if n := app.count(`SELECT count(*) FROM cases WHERE organisation_id = $1`, app.demoOrgID()); n != 3 {
		t.Fatalf("%d demo cases, want 3", n)
	}
	if n := app.count(`SELECT count(*) FROM case_events WHERE case_id = $1`, id); n != 1 {
		t.Errorf("%d timeline events for the case, want 1", n)
	}
	if d := app.get(reporter, again.Header.Get("Location")); !d.has("flash") || d.text("case-number") != number {
		t.Error("second submission: no flash saying it was already sent")
	}

	mine := app.get(reporter, "/mijn-meldingen")
	expect(t, "GET /mijn-meldingen", mine, http.StatusOK)
	if !mine.has("mine-list") || !mine.contains(number) {
		t.Errorf("/mijn-meldingen does not list %s", number)
	}

	desk := app.as(demoDesk)
	inbox := app.get(desk, "/meldpunt")
	expect(t, "GET /meldpunt", inbox, http.StatusOK)
	if !inbox.has("inbox-list") || !inbox.contains(number) {
		t.Errorf("/meldpunt does not list %s", number)
	}
	// The other organisation's desk does not see it.
	if o := app.get(app.as(otherDesk), "/meldpunt"); o.StatusCode != http.StatusOK || o.contains(number) || o.contains(reportText[:40]) {
		t.Errorf("other organisation's inbox: status %d, lists the demo case: %v", o.StatusCode, o.contains(number))
	}

	for who, c := range map[string]*http.Client{"reporter": reporter, "desk": desk} {
		page := app.get(c, "/meldingen/"+itoa(id))
		expect(t, who+" GET /meldingen/{id}", page, http.StatusOK)
		if page.text("case-number") != number || page.text("what-happened") != reportText || page.text("school") != "De Regenboog" {
			t.Errorf("%s: case page shows number %q, what %q, school %q", who, page.text("case-number"), page.text("what-happened"), page.text("school"))
		}
		if !page.has("timeline") || !page.has("event") || !page.contains("Melding gedaan") {
			t.Errorf("%s: case page without its timeline event", who)
		}
		if !page.contains(reportPhone) || !page.contains(reportNote) {
			t.Errorf("%s: contact details missing", who)
		}
	}
	assertLogsClean(t, app, reportText, reportPhone, reportNote, demoReporter, demoDesk, "ParnasSys en de gedeelde map",
		"Wachtwoord gewijzigd en de NS gebeld")
}

func TestHandlersReportWithoutSubmissionKey(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.as(demoReporter)
	form := url.Values{"what_happened": {"Alleen de verplichte vraag"}}
	before := app.count(`SELECT count(*) FROM cases`)
	expect(t, "minimal report", app.post(c, "/melden", form), http.StatusSeeOther)
	if n := app.count(`SELECT count(*) FROM cases`); n != before+1 {
		t.Fatalf("%d cases, want %d", n, before+1)
	}
}

func TestHandlersReportDoneAndCaseBadIDs(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.as(demoReporter)
	for _, path := range []string{"/meldingen/abc", "/meldingen/0", "/meldingen/-1", "/meldingen/999999",
		"/meldingen/abc/ontvangen", "/meldingen/999999/ontvangen", "/meldingen/99999999999999999999"} {
		res := app.get(c, path)
		expect(t, "GET "+path, res, http.StatusNotFound)
		if !res.has("error-page") {
			t.Errorf("GET %s: not the error page", path)
		}
	}
}
