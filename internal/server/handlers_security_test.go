package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/service"
)

func checkSecurityHeaders(t *testing.T, what string, r *response, page bool) {
	t.Helper()
	h := r.Header
	csp := h.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") ||
		!strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy %q", what, csp)
	}
	if got := h.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("%s: X-Frame-Options %q, want DENY", what, got)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q, want nosniff", what, got)
	}
	if got := h.Get("Referrer-Policy"); got != "no-referrer" && got != "same-origin" && got != "strict-origin-when-cross-origin" {
		t.Errorf("%s: Referrer-Policy %q", what, got)
	}
	if page {
		if got := h.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", what, got)
		}
		if got := h.Get("Content-Type"); got != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", what, got)
		}
		if !strings.Contains(r.Body, `<html lang="nl">`) {
			t.Errorf("%s: not a Dutch HTML page", what)
		}
	}
}

func TestHandlersSecurityHeaders(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	anon := app.client()
	reporter := app.as(demoReporter)
	responses := []struct {
		what   string
		res    *response
		status int
	}{
		{"GET /inloggen", app.get(anon, "/inloggen"), http.StatusOK},
		{"POST /inloggen refused", app.post(anon, "/inloggen", url.Values{"email": {"x@y.nl"}, "password": {"z"}}), http.StatusUnauthorized},
		{"GET /wachtwoord/onbekend", app.get(anon, "/wachtwoord/onbekend"), http.StatusNotFound},
		{"GET /", app.get(reporter, "/"), http.StatusOK},
		{"GET /melden", app.get(reporter, "/melden"), http.StatusOK},
		{"POST /melden invalid", app.post(reporter, "/melden", url.Values{"what_happened": {""}}), http.StatusUnprocessableEntity},
		{"GET /mijn-meldingen", app.get(reporter, "/mijn-meldingen"), http.StatusOK},
		{"GET /meldingen/{id}", app.get(reporter, "/meldingen/"+itoa(app.demoCase(1))), http.StatusOK},
		{"GET /meldpunt as staff", app.get(reporter, "/meldpunt"), http.StatusForbidden},
		{"GET /meldingen/999999", app.get(reporter, "/meldingen/999999"), http.StatusNotFound},
	}
	for _, r := range responses {
		if r.res.StatusCode != r.status {
			t.Errorf("%s: status %d, want %d", r.what, r.res.StatusCode, r.status)
		}
		checkSecurityHeaders(t, r.what, r.res, true)
	}
	// Redirects carry the headers too.
	redirect := app.get(anon, "/meldpunt")
	expect(t, "anonymous GET /meldpunt", redirect, http.StatusSeeOther)
	checkSecurityHeaders(t, "redirect", redirect, false)
	if redirect.Header.Get("Cache-Control") != "no-store" {
		t.Error("redirect to sign-in: Cache-Control not no-store")
	}

	// The 404 for an unknown path is served outside the session group; it
	// holds no personal data, but must carry the security headers.
	unknown := app.get(reporter, "/bestaat/niet")
	expect(t, "unknown path", unknown, http.StatusNotFound)
	checkSecurityHeaders(t, "unknown path", unknown, false)
}

func TestHandlersUnknownPathIsDutch404(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	for _, c := range []*http.Client{app.client(), app.as(demoReporter)} {
		res := app.get(c, "/bestaat/niet?x=1")
		expect(t, "unknown path", res, http.StatusNotFound)
		if !res.has("error-page") || !res.contains("Niet gevonden") || res.text("error-message") != "Deze pagina bestaat niet." {
			t.Errorf("unknown path: not the Dutch 404 page\n%s", snippet(res.Body))
		}
		if !strings.Contains(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(res.Body, `lang="nl"`) {
			t.Error("unknown path: not an HTML page in Dutch")
		}
	}
}

func TestHandlersStaticFiles(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	res := app.get(app.client(), "/static/style.css")
	expect(t, "GET /static/style.css", res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("style.css Content-Type %q, want text/css", ct)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || len(res.Body) == 0 {
		t.Error("style.css: no nosniff, or empty")
	}
	svg := app.get(app.client(), "/static/favicon.svg")
	expect(t, "GET /static/favicon.svg", svg, http.StatusOK)
	if ct := svg.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") {
		t.Errorf("favicon Content-Type %q", ct)
	}
	expect(t, "missing static file", app.get(app.client(), "/static/bestaat-niet.css"), http.StatusNotFound)
	if h := app.get(app.client(), "/healthz"); h.StatusCode != http.StatusOK || h.Body != "ok\n" {
		t.Errorf("/healthz = %d %q", h.StatusCode, h.Body)
	}
}

func TestHandlersCrossSitePostsRefused(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	crossSite := map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
	sameSite := map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "https://sub." + strings.TrimPrefix(app.URL, "http://")}
	onlyOrigin := map[string]string{"Origin": "https://evil.example"} // browsers without Sec-Fetch-Site

	reporter := app.as(demoReporter)
	cases := app.count(`SELECT count(*) FROM cases`)
	for name, h := range map[string]map[string]string{"cross-site": crossSite, "same-site": sameSite, "origin only": onlyOrigin} {
		res := app.postWith(reporter, "/melden", reportForm(app, "5b0d4d6e-0000-4000-8000-0000000000c5"), h)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s POST /melden: %d, want 403", name, res.StatusCode)
		}
	}
	if n := app.count(`SELECT count(*) FROM cases`); n != cases {
		t.Fatalf("cross-site report stored: %d cases, want %d", n, cases)
	}

	// A cross-site sign-in (login CSRF) with the right password signs nobody in.
	victim := app.client()
	res := app.postWith(victim, "/inloggen", url.Values{"email": {demoDesk}, "password": {service.DemoPassword}}, crossSite)
	expect(t, "cross-site POST /inloggen", res, http.StatusForbidden)
	if res.Header.Get("Set-Cookie") != "" || app.cookie(victim) != "" {
		t.Error("cross-site sign-in set a session cookie")
	}
	expect(t, "after cross-site sign-in", app.get(victim, "/"), http.StatusSeeOther, "/inloggen?next=%2F")
	if n := app.count(`SELECT count(*) FROM sessions`); n != 1 { // the reporter's session only
		t.Errorf("%d sessions stored, want 1", n)
	}

	admin := app.as(demoAdmin)
	schools := app.count(`SELECT count(*) FROM schools`)
	expect(t, "cross-site POST /beheer/scholen", app.postWith(admin, "/beheer/scholen", url.Values{"name": {"Nepschool"}}, crossSite), http.StatusForbidden)
	expect(t, "cross-site POST /uitloggen", app.postWith(admin, "/uitloggen", nil, crossSite), http.StatusForbidden)
	if app.count(`SELECT count(*) FROM schools`) != schools {
		t.Error("cross-site school stored")
	}
	expect(t, "admin still signed in", app.get(admin, "/beheer/scholen"), http.StatusOK)

	// Same-origin posts and cross-site GETs still work.
	expect(t, "same-origin POST /melden", app.post(reporter, "/melden", reportForm(app, "5b0d4d6e-0000-4000-8000-0000000000c6")), http.StatusSeeOther)
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/melden", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	get, err := reporter.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	get.Body.Close()
	if get.StatusCode != http.StatusOK {
		t.Errorf("cross-site GET /melden (a link from elsewhere): %d, want 200", get.StatusCode)
	}
}

// breakCases renames the cases table, so that every query on it fails the
// way a broken database would; the returned function repairs it.
func breakCases(t *testing.T, app *testApp) func() {
	t.Helper()
	ctx := sysCtx
	if _, err := app.Owner.Exec(ctx, `ALTER TABLE cases RENAME TO cases_weg`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := app.Owner.Exec(ctx, `ALTER TABLE cases_weg RENAME TO cases`); err != nil {
			t.Fatal(err)
		}
	}
}

func TestHandlersInternalErrorsStayInternal(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	reporter := app.as(demoReporter)
	repair := breakCases(t, app)

	res := app.get(reporter, "/mijn-meldingen")
	expect(t, "GET /mijn-meldingen on a broken database", res, http.StatusInternalServerError)
	ref := res.text("error-ref")
	if !res.has("error-page") || ref == "" {
		t.Fatalf("no error page with a reference\n%s", snippet(res.Body))
	}
	for _, leak := range []string{"cases_weg", "relation", "SQLSTATE", "42P01", "does not exist", "ERROR", "pgx", "panic"} {
		if strings.Contains(res.Body, leak) {
			t.Errorf("error page shows internal text %q", leak)
		}
	}
	if !strings.Contains(app.Logs.String(), "ref="+ref) {
		t.Error("the reference shown is not in the log")
	}
	checkSecurityHeaders(t, "500 page", res, true)

	// A report sent while the database is broken comes back with everything
	// typed and a message; sent again after the repair it is stored once.
	key := "5b0d4d6e-0000-4000-8000-0000000000e1"
	form := reportForm(app, key)
	res = app.post(reporter, "/melden", form)
	expect(t, "POST /melden on a broken database", res, http.StatusServiceUnavailable)
	if !res.has("form-error") || !res.contains("referentie") {
		t.Errorf("no message with a reference\n%s", snippet(res.Body))
	}
	if got, _ := res.textarea("what_happened"); got != reportText {
		t.Errorf("what_happened lost: %q", got)
	}
	if got, _ := res.inputValue("submission_key"); got != key {
		t.Errorf("submission_key lost: %q", got)
	}
	if got := res.checkedValues("carriers"); len(got) != 2 {
		t.Errorf("carriers lost: %v", got)
	}
	for _, leak := range []string{"cases_weg", "relation", "SQLSTATE", "42P01", "does not exist"} {
		if strings.Contains(res.Body, leak) {
			t.Errorf("report form shows internal text %q", leak)
		}
	}

	repair()
	res = app.post(reporter, "/melden", form)
	expect(t, "POST /melden after the repair", res, http.StatusSeeOther)
	expect(t, "POST /melden again", app.post(reporter, "/melden", form), http.StatusSeeOther, res.Header.Get("Location"))
	if n := app.count(`SELECT count(*) FROM cases WHERE submission_key = $1`, key); n != 1 {
		t.Errorf("%d cases stored for the form, want 1", n)
	}
	assertLogsClean(t, app, reportText, reportPhone, reportNote, demoReporter)
}

func TestHandlersOversizedFormRefused(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.as(demoReporter)
	cases := app.count(`SELECT count(*) FROM cases`)
	res := app.post(c, "/melden", url.Values{"what_happened": {strings.Repeat("a", 2<<20)}})
	expect(t, "2 MiB report", res, http.StatusUnprocessableEntity)
	if !res.has("error-page") && !res.has("form-error") {
		t.Error("oversized form: no message")
	}
	if app.count(`SELECT count(*) FROM cases`) != cases {
		t.Error("oversized report stored")
	}
}
