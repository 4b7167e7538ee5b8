package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/service"
)

// A report posted after the session ran out (here: its row is gone, as
// when it expired) is not lost: after signing in, the form comes back as typed, and
// sending it creates exactly one case.
func TestHandlersReportSurvivesAnExpiredSession(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.client()
	app.signIn(c, "ontdekker@demo.lekwacht.nl", service.DemoPassword)
	form := app.get(c, "/melden")
	key := between(form.Body, `name="submission_key" value="`, `"`)
	if key == "" {
		t.Fatal("no submission key")
	}
	if _, err := app.Owner.Exec(t.Context(), `DELETE FROM sessions`); err != nil {
		t.Fatal(err)
	}
	cases := app.count(`SELECT count(*) FROM cases`)
	typed := url.Values{"submission_key": {key}, "what_happened": {"Laptop met toetsresultaten gestolen uit de auto"},
		"carriers": {"laptop"}, "personal_data": {"yes"}, "contact_phone": {"06-87654321"}}
	res := app.post(c, "/melden", typed)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/inloggen?next=%2Fmelden" {
		t.Fatalf("expired POST: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := app.count(`SELECT count(*) FROM cases`); n != cases {
		t.Fatal("a report was stored without a session")
	}
	signin := app.get(c, "/inloggen?next=%2Fmelden")
	if !strings.Contains(signin.Body, "wat u typte is bewaard") {
		t.Error("the sign-in page does not say the report was kept")
	}
	res = app.post(c, "/inloggen", url.Values{"email": {"ontdekker@demo.lekwacht.nl"}, "password": {service.DemoPassword}, "next": {"/melden"}})
	if res.Header.Get("Location") != "/melden" {
		t.Fatalf("after sign-in: %q, want /melden", res.Header.Get("Location"))
	}
	back := app.get(c, "/melden")
	for _, want := range []string{"Laptop met toetsresultaten gestolen uit de auto", `value="06-87654321"`, `value="` + key + `"`} {
		if !strings.Contains(back.Body, want) {
			t.Errorf("restored form lacks %q", want)
		}
	}
	if !strings.Contains(between(back.Body, `value="laptop"`, `>`), "checked") {
		t.Error("the ticked carrier was not restored")
	}
	// Send it: one case. Send it again: still one.
	typed.Set("submission_key", key)
	for range 2 {
		if res := app.post(c, "/melden", typed); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("send restored report: %d", res.StatusCode)
		}
	}
	if n := app.count(`SELECT count(*) FROM cases`); n != cases+1 {
		t.Errorf("%d new cases, want 1", n-cases)
	}
	// The restored form is shown once only.
	if again := app.get(c, "/melden"); strings.Contains(again.Body, "Laptop met toetsresultaten") {
		t.Error("the kept report keeps coming back")
	}
}

func TestHandlersUnknownRoutesAndStatic(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.client()
	app.signIn(c, "ontdekker@demo.lekwacht.nl", service.DemoPassword)
	res := app.get(c, "/bestaat-niet")
	if res.StatusCode != http.StatusNotFound || res.Header.Get("Cache-Control") != "no-store" || !res.has("user-name") {
		t.Errorf("404 page: %d, cache %q, menu shown %v", res.StatusCode, res.Header.Get("Cache-Control"), res.has("user-name"))
	}
	for _, path := range []string{"/static/", "/static/nope.css"} {
		if res := app.get(c, path); res.StatusCode != http.StatusNotFound || strings.Contains(res.Body, `href="style.css"`) || !res.has("error-page") {
			t.Errorf("%s: %d, want the Dutch 404 page and no listing", path, res.StatusCode)
		}
	}
	req, _ := http.NewRequest(http.MethodDelete, app.URL+"/melden", nil)
	r, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	del := readResponse(t, r)
	if del.StatusCode != http.StatusMethodNotAllowed || !del.has("error-page") {
		t.Errorf("DELETE /melden: %d", del.StatusCode)
	}
	// One-time tokens never reach the log.
	app.get(app.client(), "/wachtwoord/geheim-token-123")
	if strings.Contains(app.Logs.String(), "geheim-token-123") {
		t.Error("a password token was logged")
	}
}
