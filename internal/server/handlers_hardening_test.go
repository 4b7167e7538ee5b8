package server_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lekwacht/lekwacht/internal/server"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Issue 15.1: anonymous posts to /melden, up to 1 MiB each, no longer grow
// the sessions table: without the signed marker of an earlier sign-in
// nothing is kept.
func TestHandlersAnonymousReportsDoNotFillTheSessionsTable(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	rows := app.count(`SELECT count(*) FROM sessions`)
	big := strings.Repeat("x", 900<<10)
	for range 20 {
		res := app.post(app.client(), "/melden", url.Values{"what_happened": {big}})
		expect(t, "anonymous POST /melden", res, http.StatusSeeOther, "/inloggen?next=%2Fmelden")
	}
	if n := app.count(`SELECT count(*) FROM sessions`); n != rows {
		t.Errorf("sessions grew from %d to %d rows after 20 anonymous posts", rows, n)
	}
	var size int64
	if err := app.Owner.QueryRow(t.Context(), `SELECT coalesce(sum(octet_length(data)), 0) FROM sessions`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	if size > 64<<10 {
		t.Errorf("sessions hold %d bytes after anonymous posts", size)
	}
}

// Issue 15.1: even with a valid marker, a kept report is at most 64 KiB and
// an address keeps at most 10 in half an hour.
func TestHandlersStashIsCappedAndLimitedPerAddress(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.client()
	app.signIn(c, demoReporter, service.DemoPassword)
	expire := func() {
		if _, err := app.Owner.Exec(t.Context(), `DELETE FROM sessions`); err != nil {
			t.Fatal(err)
		}
	}
	expire()
	expect(t, "too large", app.post(c, "/melden", url.Values{"what_happened": {strings.Repeat("x", 70<<10)}}), http.StatusSeeOther, "/inloggen?next=%2Fmelden")
	if n := app.count(`SELECT count(*) FROM sessions`); n != 0 {
		t.Errorf("a report over 64 KiB was kept (%d sessions)", n)
	}
	kept := 0
	for range 14 {
		expire()
		app.post(c, "/melden", url.Values{"what_happened": {"Laptop kwijt"}})
		kept += app.count(`SELECT count(*) FROM sessions`)
	}
	if kept != 10 {
		t.Errorf("%d of 14 reports kept from one address, want 10", kept)
	}
}

// Issue 15.2: a report kept after a session ran out is shown only to the
// user who typed it, never to the next person signing in on that computer.
func TestHandlersStashNotShownToAnotherUser(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.client()
	app.signIn(c, demoReporter, service.DemoPassword)
	if _, err := app.Owner.Exec(t.Context(), `DELETE FROM sessions`); err != nil {
		t.Fatal(err)
	}
	app.post(c, "/melden", url.Values{"what_happened": {"Geheime tekst van de ontdekker"}})
	app.post(c, "/inloggen", url.Values{"email": {demoDesk}, "password": {service.DemoPassword}, "next": {"/melden"}})
	if res := app.get(c, "/melden"); res.contains("Geheime tekst van de ontdekker") {
		t.Error("another user sees the kept report")
	}
}

// Issue 15.2: a refused cross-origin post gets a Dutch page.
func TestHandlersCrossOriginRefusalIsDutch(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/inloggen", strings.NewReader("email=a%40b.nl"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := app.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r := readResponse(t, res)
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, `<html lang="nl">`) || !strings.Contains(r.Body, "niet van Lekwacht zelf") {
		t.Errorf("cross-origin refusal: %d\n%s", r.StatusCode, snippet(r.Body))
	}
}

// Issue 15.2: with the database down, pages are the Dutch "storing" page
// and a report being sent comes back with what was typed.
func TestHandlersDatabaseDownGivesTheDutchStoringPage(t *testing.T) {
	t.Parallel()
	ctx := sysCtx
	pool, err := pgxpool.New(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	svc := service.New(service.Deps{Store: store.New(pool), Location: amsterdam, BaseURL: "http://lekwacht.test"})
	srv := server.New(server.Deps{Services: svc, DB: pool, Logger: slog.New(slog.DiscardHandler), Location: amsterdam,
		Sessions: server.NewSessions(store.NewSessionStore(pool, 30*time.Minute), 30*time.Minute, 12*time.Hour, false)})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	app := &testApp{t: t, URL: ts.URL}
	c := app.client()
	c.Jar.SetCookies(mustURL(t, ts.URL), []*http.Cookie{{Name: "lekwacht_session", Value: "some-token", Path: "/"}})
	page := app.get(c, "/")
	if page.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page.Body, "storing") || strings.Contains(page.Body, "Internal Server Error") {
		t.Errorf("GET / with the database down: %d\n%s", page.StatusCode, snippet(page.Body))
	}
	res := app.post(c, "/melden", url.Values{"what_happened": {"Tas met toetsen in de trein laten liggen"}})
	if res.StatusCode != http.StatusServiceUnavailable || !res.contains("Tas met toetsen in de trein laten liggen") || !res.contains("storing") {
		t.Errorf("POST /melden with the database down: %d\n%s", res.StatusCode, snippet(res.Body))
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Issue 15.1: the owner, from a new address, gets in while an attacker's
// failures from another address keep that address throttled.
func TestHandlersLockoutIsPerAddress(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.as(demoOfficer)
	attacker, owner := app.client(), app.client()
	wrong := url.Values{"email": {demoOfficer}, "password": {"geraden-wachtwoord"}}
	for range 6 {
		app.postFrom(attacker, "/inloggen", wrong, "198.51.100.7")
	}
	right := url.Values{"email": {demoOfficer}, "password": {service.DemoPassword}}
	expect(t, "attacker's address", app.postFrom(attacker, "/inloggen", right, "198.51.100.7"), http.StatusTooManyRequests)
	res := app.postFrom(owner, "/inloggen", right, "203.0.113.9")
	expect(t, "owner from a new address", res, http.StatusSeeOther, "/inloggen/code")
	expect(t, "owner's code", app.secondStep(owner, demoOfficer, res), http.StatusSeeOther, "/")
}

// postFrom is post from a given client address (the proxy header the test
// server trusts).
func (a *testApp) postFrom(c *http.Client, path string, form url.Values, addr string) *response {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodPost, a.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", a.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", addr)
	res, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	return readResponse(a.t, res)
}

// Issue 15.2: a password set through a one-time link ends every other
// session of the user; the session that set it stays signed in.
func TestHandlersResetLinkEndsOtherSessions(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	other := app.as(demoTechnician)
	expect(t, "other session before", app.get(other, "/"), http.StatusOK)
	var id int64
	if err := app.Owner.QueryRow(t.Context(), `SELECT id FROM users WHERE email = $1`, demoTechnician).Scan(&id); err != nil {
		t.Fatal(err)
	}
	link, err := app.Svc.Accounts.NewPasswordLinkForTest(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	path := link[strings.Index(link, "/wachtwoord/"):]
	fresh := app.client()
	pw := "een heel nieuw lang wachtwoord"
	expect(t, "set password", app.post(fresh, path, url.Values{"password": {pw}, "repeat": {pw}}), http.StatusSeeOther, "/")
	expect(t, "the session that set it", app.get(fresh, "/"), http.StatusOK)
	expect(t, "the other session after", app.get(other, "/"), http.StatusSeeOther, "/inloggen?next=%2F")
}
