package server_test

import (
	"net/http"
	"net/url"
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
			{"processor", desk, "POST", "/verwerkers/nieuw", "name"},
			{"analysis", desk, "POST", "/analyse", "title"},
			{"question", desk, "POST", "/meldingen/" + caseID + "/vragen", "question"},
			{"inventory", desk, "POST", "/meldingen/" + caseID + "/inventarisatie", "summary"},
			{"sign-in e-mail", app.client(), "POST", "/inloggen", "email"},
			{"register search", desk, "GET", "/register", "q"},
			{"export csv", desk, "GET", "/register/export.csv", "q"},
			{"export xlsx", desk, "GET", "/register/export.xlsx", "q"},
		} {
			var res *response
			v := url.Values{tc.field: {bad.value}}
			if tc.method == "GET" {
				res = app.get(tc.c, tc.path+"?"+v.Encode())
			} else {
				res = app.post(tc.c, tc.path, v)
			}
			if res.StatusCode != http.StatusUnprocessableEntity || !res.contains("‘"+tc.field+"’") || !res.contains(`<html lang="nl">`) {
				t.Errorf("%s with %s: %d, want 422 naming the field", tc.name, bad.what, res.StatusCode)
			}
		}
	}
	// A line break in a one-line field is refused; in a text area it is text.
	if res := app.post(admin, "/beheer/scholen", url.Values{"name": {"School\r\nX-Kop: y"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("CR/LF in a school name: %d, want 422", res.StatusCode)
	}
	if res := app.post(desk, "/meldingen/"+caseID+"/vragen", url.Values{"question": {"Regel een\r\nRegel twee"}}); res.StatusCode == http.StatusUnprocessableEntity && res.contains("‘question’") {
		t.Error("a line break in a text area was refused")
	}
}
