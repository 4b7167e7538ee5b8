package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Issue 15.3: a NUL byte, invalid UTF-8, or a line break in a one-line
// field gives 422 with a Dutch page naming the field, at every input point
// that used to answer 500 (or break off an export half-way).
func TestHandlersRefuseBadCharactersAtEveryInputPoint(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin, desk := app.as(demoAdmin), app.as(demoDesk)
	caseID := itoa(app.demoCase(1))
	for _, bad := range []struct{ what, value string }{{"NUL", "a\x00b"}, {"invalid UTF-8", "a\xffb"}} {
		for _, tc := range []struct {
			name   string
			c      *http.Client
			method string
			path   string
			field  string
		}{
			{"school name", admin, "POST", "/beheer/scholen", "name"},
			{"user name", admin, "POST", "/beheer/gebruikers/nieuw", "name"},
			{"processor", app.as(demoOfficer), "POST", "/verwerkers/nieuw", "name"},
			{"analysis", desk, "POST", "/analyse", "conclusions"},
			{"question", desk, "POST", "/meldingen/" + caseID + "/vragen", "question"},
			{"inventory", desk, "POST", "/meldingen/" + caseID + "/inventarisatie", "summary"},
			{"sign-in e-mail", app.client(), "POST", "/inloggen", "email"},
			{"register search", desk, "GET", "/register", "q"},
			{"export csv", desk, "GET", "/register/export.csv", "q"},
			{"export xlsx", desk, "GET", "/register/export.xlsx", "q"},
		} {
			v := url.Values{tc.field: {bad.value}}
			if tc.method == "GET" {
				// A search or an export: refused, naming the field.
				res := app.get(tc.c, tc.path+"?"+v.Encode())
				if res.StatusCode != http.StatusUnprocessableEntity || !res.contains("‘"+tc.field+"’") || !res.contains(`<html lang="nl">`) {
					t.Errorf("%s with %s: %d, want 422 naming the field", tc.name, bad.what, res.StatusCode)
				}
				continue
			}
			// A form comes back as typed, less the character, with the
			// message beside the field, and nothing stored.
			before := app.count(`SELECT (SELECT count(*) FROM schools) + (SELECT count(*) FROM users) + (SELECT count(*) FROM processors)
				+ (SELECT count(*) FROM analysis_reports) + (SELECT count(*) FROM case_questions) + (SELECT count(*) FROM case_events)`)
			res := app.post(tc.c, tc.path, v)
			if res.StatusCode != http.StatusUnprocessableEntity || !res.contains(`<html lang="nl">`) {
				t.Errorf("%s with %s: %d, want 422", tc.name, bad.what, res.StatusCode)
				continue
			}
			if !res.has("error-"+tc.field) || !strings.Contains(res.text("error-"+tc.field), "teken dat Lekwacht niet kan opslaan") {
				t.Errorf("%s with %s: no message beside the field", tc.name, bad.what)
			}
			got, ok := res.textarea(tc.field)
			if !ok && res.contains(`name="`+tc.field+`"`) && res.contains(`value="ab"`) {
				got, ok = "ab", true
			}
			if !ok || got != "ab" {
				t.Errorf("%s with %s: the form shows %q (%v), want the typed text less the character", tc.name, bad.what, got, ok)
			}
			after := app.count(`SELECT (SELECT count(*) FROM schools) + (SELECT count(*) FROM users) + (SELECT count(*) FROM processors)
				+ (SELECT count(*) FROM analysis_reports) + (SELECT count(*) FROM case_questions) + (SELECT count(*) FROM case_events)`)
			if after != before {
				t.Errorf("%s with %s: something was stored", tc.name, bad.what)
			}
		}
	}
	// A line break in a one-line field is refused, shown with spaces for it;
	// in a text area it is text.
	res := app.post(admin, "/beheer/scholen", url.Values{"name": {"School\r\nX-Kop: y"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !res.contains(`value="School X-Kop: y"`) || !strings.Contains(res.text("error-name"), "één regel") {
		t.Errorf("CR/LF in a school name: %d, message %q", res.StatusCode, res.text("error-name"))
	}
	if res := app.post(desk, "/meldingen/"+caseID+"/vragen", url.Values{"question": {"Regel een\r\nRegel twee"}}); res.StatusCode == http.StatusUnprocessableEntity && res.contains("‘question’") {
		t.Error("a line break in a text area was refused")
	}
}
