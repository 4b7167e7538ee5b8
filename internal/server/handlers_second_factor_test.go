package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/service"
)

// Issue 11: the FG's first sign-in sets up the app (QR code and the secret
// as text, no JavaScript), shows ten recovery codes once, and later
// sign-ins ask for the code; a wrong code comes back with a Dutch message
// beside the field; a recovery code works once.
func TestHandlersSecondFactorJourney(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.client()
	res := app.post(c, "/inloggen", url.Values{"email": {demoOfficer}, "password": {service.DemoPassword}, "next": {"/register"}})
	expect(t, "password of the FG", res, http.StatusSeeOther, "/inloggen/tweestaps-instellen")
	// Halfway, nobody is signed in.
	expect(t, "start page halfway", app.get(c, "/"), http.StatusSeeOther, "/inloggen?next=%2F")
	page := app.get(c, "/inloggen/tweestaps-instellen")
	expect(t, "set-up page", page, http.StatusOK)
	if !page.has("totp-qr") || !strings.Contains(page.Body, `src="data:image/png;base64,`) || strings.Contains(strings.ReplaceAll(page.Body, `<script src="/static/lekwacht.js" defer></script>`, ""), "<script") {
		t.Errorf("set-up page: no inline QR code, or a script\n%s", snippet(page.Body))
	}
	secret := strings.ReplaceAll(between(page.Body, `data-testid="totp-secret">`, `<`), " ", "")
	if len(secret) < 16 {
		t.Fatalf("secret %q", secret)
	}
	app.secrets.Store(demoOfficer, secret)
	wrong := app.post(c, "/inloggen/tweestaps-instellen", url.Values{"code": {"000000"}})
	expect(t, "wrong first code", wrong, http.StatusUnprocessableEntity)
	if !wrong.contains("Deze code klopt niet") || !strings.Contains(wrong.Body, `aria-invalid="true"`) {
		t.Errorf("wrong first code: no message beside the field\n%s", snippet(wrong.Body))
	}
	if again := strings.ReplaceAll(between(wrong.Body, `data-testid="totp-secret">`, `<`), " ", ""); again != secret {
		t.Error("the secret changed after a wrong code")
	}
	done := app.post(c, "/inloggen/tweestaps-instellen", url.Values{"code": {app.totpCode(demoOfficer)}})
	expect(t, "right first code", done, http.StatusOK)
	codes := regexp.MustCompile(`data-testid="recovery-code">([a-z2-7]{5}-[a-z2-7]{5})<`).FindAllStringSubmatch(done.Body, -1)
	if len(codes) != 10 || !strings.Contains(done.Body, `href="/register"`) {
		t.Fatalf("%d recovery codes, continue to /register: %v", len(codes), strings.Contains(done.Body, `href="/register"`))
	}
	expect(t, "signed in after setting up", app.get(c, "/register"), http.StatusOK)
	// Shown once: the account page does not show them again.
	if acc := app.get(c, "/account"); !acc.has("two-step-on") || strings.Contains(acc.Body, codes[0][1]) || !acc.contains("Nog 10 herstelcodes") {
		t.Errorf("account page after setting up\n%s", snippet(acc.Body))
	}

	// The next sign-in asks for the code.
	c2 := app.client()
	res = app.post(c2, "/inloggen", url.Values{"email": {demoOfficer}, "password": {service.DemoPassword}})
	expect(t, "password again", res, http.StatusSeeOther, "/inloggen/code")
	bad := app.post(c2, "/inloggen/code", url.Values{"code": {"12345"}})
	expect(t, "not a code", bad, http.StatusUnprocessableEntity)
	if !bad.contains("Vul de zes cijfers uit uw app in") {
		t.Errorf("not a code: message\n%s", snippet(bad.Body))
	}
	expect(t, "wrong code", app.post(c2, "/inloggen/code", url.Values{"code": {"000000"}}), http.StatusUnauthorized)
	expect(t, "recovery code", app.post(c2, "/inloggen/code", url.Values{"code": {codes[3][1]}}), http.StatusSeeOther, "/")
	expect(t, "signed in with a recovery code", app.get(c2, "/"), http.StatusOK)
	c3 := app.client()
	app.post(c3, "/inloggen", url.Values{"email": {demoOfficer}, "password": {service.DemoPassword}})
	expect(t, "recovery code again", app.post(c3, "/inloggen/code", url.Values{"code": {codes[3][1]}}), http.StatusUnauthorized)

	// A pending sign-in lapses after ten minutes.
	app.Clock.Add(11 * time.Minute)
	expect(t, "code after 11 minutes", app.post(c3, "/inloggen/code", url.Values{"code": {app.totpCode(demoOfficer)}}), http.StatusSeeOther, "/inloggen")

	// A reporter has no second step.
	r := app.post(app.client(), "/inloggen", url.Values{"email": {demoReporter}, "password": {service.DemoPassword}})
	expect(t, "reporter", r, http.StatusSeeOther, "/")
	assertLogsClean(t, app, secret, codes[0][1], codes[3][1], demoOfficer)
}

// Without a pending sign-in the second step's pages send to the start.
func TestHandlersSecondStepNeedsAPassword(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	anon := app.client()
	for _, path := range []string{"/inloggen/code", "/inloggen/tweestaps-instellen"} {
		expect(t, "GET "+path, app.get(anon, path), http.StatusSeeOther, "/inloggen")
		expect(t, "POST "+path, app.post(anon, path, url.Values{"code": {"123456"}}), http.StatusSeeOther, "/inloggen")
	}
	if n := app.count(`SELECT count(*) FROM user_totp`); n != 0 {
		t.Errorf("%d authenticators created by anonymous visits", n)
	}
}

// The administrator resets a user's second factor (audited); the user then
// sets it up again at the next sign-in. Another organisation's
// administrator cannot.
func TestHandlersAdminResetsSecondFactor(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.as(demoDesk)
	admin := app.as(demoAdmin)
	id := itoa(app.userID(demoDesk))
	page := app.get(admin, "/beheer/gebruikers/"+id)
	if !page.has("reset-two-step") {
		t.Fatalf("user page without the reset\n%s", snippet(page.Body))
	}
	app.addUser(app.orgID(otherOrg), "beheer@ander.nl", "Beheer Ander", otherPassword, access.Grant{Role: access.Admin})
	otherAdmin := app.as("beheer@ander.nl")
	expect(t, "other organisation's admin", app.post(otherAdmin, "/beheer/gebruikers/"+id+"/tweestaps-resetten", nil), http.StatusNotFound)
	expect(t, "desk", app.post(app.as(demoDesk), "/beheer/gebruikers/"+id+"/tweestaps-resetten", nil), http.StatusForbidden)
	expect(t, "reset", app.post(admin, "/beheer/gebruikers/"+id+"/tweestaps-resetten", nil), http.StatusSeeOther, "/beheer/gebruikers/"+id)
	if n := app.count(`SELECT count(*) FROM audit_log WHERE action = 'second_factor_reset' AND subject_id = $1`, app.userID(demoDesk)); n != 1 {
		t.Errorf("%d audit rows", n)
	}
	res := app.post(app.client(), "/inloggen", url.Values{"email": {demoDesk}, "password": {service.DemoPassword}})
	expect(t, "desk after the reset", res, http.StatusSeeOther, "/inloggen/tweestaps-instellen")
}
