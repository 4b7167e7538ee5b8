package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/service"
)

var sessionEndRe = regexp.MustCompile(`action="/account/sessies/([0-9a-f]{32})/beeindigen"`)

// getAs is get with a User-Agent, as a browser sends it.
func (a *testApp) signInWithAgent(email, agent string) *http.Client {
	a.t.Helper()
	c := a.client()
	c.Transport = agentTransport(agent)
	a.signIn(c, email, service.DemoPassword)
	return c
}

type agentTransport string

func (t agentTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", string(t))
	return http.DefaultTransport.RoundTrip(r)
}

// Issue 11, "Mijn sessies": the user sees where and when they are signed in
// (browser and system, the network, never the full address), ends one, or
// all others; an ended session is signed out at its next request.
func TestHandlersMySessions(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	laptop := app.signInWithAgent(demoTechnician, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:135.0) Gecko/20100101 Firefox/135.0")
	phone := app.signInWithAgent(demoTechnician, "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36")
	tablet := app.signInWithAgent(demoTechnician, "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/604.1")
	page := app.get(laptop, "/account/sessies")
	expect(t, "Mijn sessies", page, http.StatusOK)
	if n := strings.Count(page.Body, `data-testid="session-row"`); n != 3 {
		t.Fatalf("%d sessions listed, want 3\n%s", n, snippet(page.Body))
	}
	for _, want := range []string{"Firefox op Windows", "Chrome op Android", "Safari op iPad", "127.0.0.0/24", "(deze sessie)"} {
		if !page.contains(want) {
			t.Errorf("sessions page lacks %q", want)
		}
	}
	if strings.Contains(page.Body, "127.0.0.1") {
		t.Error("the full address is shown")
	}
	// End the tablet's session from the phone (the phone's list names it).
	var tabletID string
	for _, row := range strings.Split(app.get(phone, "/account/sessies").Body, `data-testid="session-row"`)[1:] {
		if strings.Contains(row, "iPad") {
			tabletID = sessionEndRe.FindStringSubmatch(row)[1]
		}
	}
	expect(t, "end the tablet's session", app.post(phone, "/account/sessies/"+tabletID+"/beeindigen", nil), http.StatusSeeOther, "/account/sessies")
	expect(t, "the tablet after", app.get(tablet, "/"), http.StatusSeeOther, "/inloggen?next=%2F")
	expect(t, "the laptop still on", app.get(laptop, "/"), http.StatusOK)
	// Someone else cannot end them.
	other := app.as(demoReporter)
	var laptopID string
	for _, m := range sessionEndRe.FindAllStringSubmatch(app.get(phone, "/account/sessies").Body, -1) {
		laptopID = m[1] // any session of the technician
	}
	expect(t, "another user ends it", app.post(other, "/account/sessies/"+laptopID+"/beeindigen", nil), http.StatusNotFound)
	// All others, from the laptop: the phone is out, the laptop stays.
	res := app.post(laptop, "/account/sessies/andere-beeindigen", nil)
	expect(t, "end all others", res, http.StatusSeeOther, "/account/sessies")
	expect(t, "the phone after", app.get(phone, "/"), http.StatusSeeOther, "/inloggen?next=%2F")
	after := app.get(laptop, "/account/sessies")
	if n := strings.Count(after.Body, `data-testid="session-row"`); n != 1 || !after.has("session-current") {
		t.Errorf("after ending the others: %d sessions listed", n)
	}
	// Signing out ends the row too.
	expect(t, "sign out", app.post(laptop, "/uitloggen", nil), http.StatusSeeOther, "/inloggen")
	if n := app.count(`SELECT count(*) FROM user_sessions WHERE person_id = (SELECT person_id FROM users WHERE id = $1) AND ended_at IS NULL`, app.userID(demoTechnician)); n != 0 {
		t.Errorf("%d sessions of the technician still on after signing out everywhere", n)
	}
}

// An administrator ends every session of a member of their organisation
// (audited); another organisation's administrator cannot.
func TestHandlersAdminEndsSessions(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	victim := app.as(demoReporter)
	admin := app.as(demoAdmin)
	id := itoa(app.userID(demoReporter))
	expect(t, "desk", app.post(app.as(demoDesk), "/beheer/gebruikers/"+id+"/sessies-beeindigen", nil), http.StatusForbidden)
	expect(t, "other organisation's desk", app.post(app.as(otherDesk), "/beheer/gebruikers/"+id+"/sessies-beeindigen", nil), http.StatusForbidden)
	expect(t, "still on", app.get(victim, "/"), http.StatusOK)
	expect(t, "admin ends", app.post(admin, "/beheer/gebruikers/"+id+"/sessies-beeindigen", nil), http.StatusSeeOther, "/beheer/gebruikers/"+id)
	expect(t, "signed out", app.get(victim, "/"), http.StatusSeeOther, "/inloggen?next=%2F")
	if n := app.count(`SELECT count(*) FROM audit_log WHERE action = 'sessions_ended' AND subject_id = $1`, app.userID(demoReporter)); n != 1 {
		t.Errorf("%d audit rows", n)
	}
}

// Issue 11: the password policy's reason is shown beside the field.
func TestHandlersPasswordPolicy(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	link, err := app.Svc.Accounts.NewPasswordLinkForTest(t.Context(), app.userID(demoReporter))
	if err != nil {
		t.Fatal(err)
	}
	path := link[strings.Index(link, "/wachtwoord/"):]
	c := app.client()
	for _, tt := range []struct{ pw, want string }{
		{"Wachtwoord2026!", "veelgebruikte wachtwoorden"},
		{"qwertyuiop12345", "veelgebruikte wachtwoorden"},
		{"ontdekker@demo.lekwacht.nl", "e-mailadres"},
		{"kort", "minstens 12 tekens"},
	} {
		res := app.post(c, path, url.Values{"password": {tt.pw}, "repeat": {tt.pw}})
		expect(t, "password "+tt.pw, res, http.StatusUnprocessableEntity)
		if !strings.Contains(between(res.Body, `id="password-error"`, `</p>`), tt.want) {
			t.Errorf("password %q: no %q beside the field\n%s", tt.pw, tt.want, snippet(res.Body))
		}
	}
	expect(t, "a good password", app.post(c, path, url.Values{"password": {"paard batterij nietje"}, "repeat": {"paard batterij nietje"}}), http.StatusSeeOther, "/")
}
