package server_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/service"
)

func TestHandlersSignInForm(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.client()
	res := app.get(c, "/inloggen?next=%2Fmeldpunt")
	expect(t, "GET /inloggen", res, http.StatusOK)
	if !res.has("signin") || !res.has("signin-next") || strings.Contains(res.Body, `name="password"`) {
		t.Fatal("sign-in page without its form, or asking for the password before the e-mail address")
	}
	if next, _ := res.inputValue("next"); next != "/meldpunt" {
		t.Fatalf("hidden next = %q, want /meldpunt", next)
	}
	if res.has("form-error") {
		t.Fatal("fresh sign-in page shows an error")
	}

	// Signed in, the sign-in page sends the user on (to a safe next only).
	app.signIn(c, demoReporter, service.DemoPassword)
	expect(t, "signed-in GET /inloggen", app.get(c, "/inloggen?next=%2Fmijn-meldingen"), http.StatusSeeOther, "/mijn-meldingen")
	expect(t, "signed-in GET /inloggen with foreign next", app.get(c, "/inloggen?next=https%3A%2F%2Fevil.example%2F"), http.StatusSeeOther, "/")
}

func TestHandlersSignInRefusalDoesNotRevealAccounts(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.client()

	wrong := app.post(c, "/inloggen", url.Values{"email": {demoReporter}, "password": {"niet-het-wachtwoord"}})
	expect(t, "wrong password", wrong, http.StatusUnauthorized)
	unknown := app.post(c, "/inloggen", url.Values{"email": {"niemand.bekend@voorbeeld.nl"}, "password": {"niet-het-wachtwoord"}})
	expect(t, "unknown email", unknown, http.StatusUnauthorized)
	// An account without a password yet (link not used) is refused alike.
	if _, err := app.Store.CreateUser(sysCtx, app.demoOrgID(), "wacht.nog@demo.lekwacht.nl", "Wacht Nog"); err != nil {
		t.Fatal(err)
	}
	noPassword := app.post(c, "/inloggen", url.Values{"email": {"wacht.nog@demo.lekwacht.nl"}, "password": {""}})
	expect(t, "account without password", noPassword, http.StatusUnauthorized)

	// The message sits in a <p> inside the summary.
	msg := between(wrong.Body, `data-testid="form-error"><p class="utrecht-paragraph">`, `</p>`)
	if msg == "" {
		t.Fatalf("wrong password: no message shown\n%s", snippet(wrong.Body))
	}
	for name, r := range map[string]*response{"unknown email": unknown, "no password": noPassword} {
		if got := between(r.Body, `data-testid="form-error"><p class="utrecht-paragraph">`, `</p>`); got != msg {
			t.Errorf("%s: message %q, want the same as for a wrong password: %q", name, got, msg)
		}
	}
	for email, r := range map[string]*response{demoReporter: wrong, "niemand.bekend@voorbeeld.nl": unknown} {
		if v, _ := r.inputValue("email"); v != email {
			t.Errorf("typed email not kept: input value %q, want %q", v, email)
		}
		if v, _ := r.inputValue("password"); v != "" {
			t.Errorf("password echoed back into the form: %q", v)
		}
	}
	expect(t, "GET / after refusals", app.get(c, "/"), http.StatusSeeOther, "/inloggen?next=%2F")
	assertLogsClean(t, app, demoReporter, "niemand.bekend@voorbeeld.nl", "wacht.nog@demo.lekwacht.nl", "niet-het-wachtwoord")
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	j := strings.Index(s, end)
	if j < 0 {
		return ""
	}
	return s[:j]
}

func TestHandlersSignInRedirect(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	tests := []struct {
		next, want string
	}{
		{"", "/"},
		{"/meldpunt", "/meldpunt"},
		{"/meldingen/1?tab=tijdlijn", "/meldingen/1?tab=tijdlijn"},
		{"//evil.example/pad", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"http:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"meldpunt", "/"},
		{"/\t/evil.example", "/"},
	}
	app.as(demoDesk) // sets up the second factor; the next is kept through the code step
	for _, tt := range tests {
		t.Run(tt.next, func(t *testing.T) {
			app := app.in(t)
			c := app.client()
			res := app.post(c, "/inloggen", url.Values{"email": {demoDesk}, "password": {service.DemoPassword}, "next": {tt.next}})
			expect(t, "password with next="+tt.next, res, http.StatusSeeOther, "/inloggen/code")
			expect(t, "sign in with next="+tt.next, app.secondStep(c, demoDesk, res), http.StatusSeeOther, tt.want)
		})
	}
}

func TestHandlersSignInRenewsSessionToken(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	victim := app.client()
	// Signing out anonymously writes a session (with a flash): a token
	// exists before sign-in, as one an attacker could plant.
	expect(t, "anonymous sign-out", app.post(victim, "/uitloggen", nil), http.StatusSeeOther, "/inloggen")
	before := app.cookie(victim)
	if before == "" {
		t.Fatal("no session cookie before sign-in")
	}
	res := app.get(victim, "/inloggen")
	if !res.has("flash") {
		t.Error("sign-out flash not shown on the sign-in page")
	}

	// The attacker holds the same token.
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(app.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: before, Path: "/"}})
	attacker := app.client()
	attacker.Jar = jar

	app.signIn(victim, demoOfficer, service.DemoPassword)
	after := app.cookie(victim)
	if after == "" || after == before {
		t.Fatalf("session token not renewed at sign-in: before %q, after %q", before, after)
	}
	expect(t, "victim GET /", app.get(victim, "/"), http.StatusOK)
	expect(t, "attacker with the planted token GET /", app.get(attacker, "/"), http.StatusSeeOther, "/inloggen?next=%2F")
}

func TestHandlersSignInThrottle(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.as(demoBoard) // the second factor set up before the failures begin
	c := app.client()
	wrong := url.Values{"email": {demoBoard}, "password": {"fout-wachtwoord"}}
	for i := 1; i <= 5; i++ {
		expect(t, "failed attempt", app.post(c, "/inloggen", wrong), http.StatusUnauthorized)
	}
	// The 6th attempt is refused without looking at the password, also
	// when the email is typed differently.
	sixth := app.post(c, "/inloggen", url.Values{"email": {" Bestuur@Demo.Lekwacht.nl "}, "password": {"fout-wachtwoord"}})
	expect(t, "6th failed attempt", sixth, http.StatusTooManyRequests)
	if !sixth.contains("Wacht 15 seconden") {
		t.Fatalf("6th attempt: no Dutch message to wait\n%s", snippet(sixth.Body))
	}
	if v, _ := sixth.inputValue("email"); v != " Bestuur@Demo.Lekwacht.nl " {
		t.Errorf("typed email not kept on 429: %q", v)
	}
	right := url.Values{"email": {demoBoard}, "password": {service.DemoPassword}}
	expect(t, "right password while throttled", app.post(c, "/inloggen", right), http.StatusTooManyRequests)
	// Another account is not affected.
	app.signIn(app.client(), demoDesk, service.DemoPassword)

	app.Clock.Add(10 * time.Second)
	res := app.post(c, "/inloggen", right)
	expect(t, "right password after 10 s", res, http.StatusTooManyRequests)
	if !res.contains("Wacht 5 seconden") {
		t.Errorf("after 10 s: want the remaining 5 seconds\n%s", snippet(res.Body))
	}
	app.Clock.Add(6 * time.Second)
	res = app.post(c, "/inloggen", right)
	expect(t, "right password after the wait", res, http.StatusSeeOther, "/inloggen/code")
	expect(t, "code after the wait", app.secondStep(c, demoBoard, res), http.StatusSeeOther, "/")
	expect(t, "signed in after the wait", app.get(c, "/"), http.StatusOK)
	assertLogsClean(t, app, demoBoard, "bestuur@demo.lekwacht.nl", "fout-wachtwoord")
}

func TestHandlersSignInThrottleForgetsOldFailures(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.client()
	wrong := url.Values{"email": {demoTechnician}, "password": {"fout-wachtwoord"}}
	for i := 1; i <= 5; i++ {
		expect(t, "failed attempt", app.post(c, "/inloggen", wrong), http.StatusUnauthorized)
	}
	app.Clock.Add(15*time.Minute + time.Second)
	// The five failures are now older than 15 minutes: a wrong password is
	// an ordinary refusal again, not a wait.
	expect(t, "failed attempt after 15 minutes", app.post(c, "/inloggen", wrong), http.StatusUnauthorized)
	app.signIn(c, demoTechnician, service.DemoPassword)
}

func TestHandlersSignOut(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.as(demoDesk)
	expect(t, "signed in GET /meldpunt", app.get(c, "/meldpunt"), http.StatusOK)
	token := app.cookie(c)

	expect(t, "POST /uitloggen", app.post(c, "/uitloggen", nil), http.StatusSeeOther, "/inloggen")
	if app.cookie(c) == token {
		t.Error("session token unchanged by sign-out")
	}
	res := app.get(c, "/inloggen")
	expect(t, "sign-in page after sign-out", res, http.StatusOK)
	if res.text("flash") != "U bent uitgelogd." {
		t.Errorf("flash = %q, want the sign-out message", res.text("flash"))
	}
	expect(t, "GET / after sign-out", app.get(c, "/"), http.StatusSeeOther, "/inloggen?next=%2F")
	expect(t, "GET /meldpunt after sign-out", app.get(c, "/meldpunt"), http.StatusSeeOther, "/inloggen?next=%2Fmeldpunt")

	// The old token is dead on the server too, not only forgotten by the browser.
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(app.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: token, Path: "/"}})
	stolen := app.client()
	stolen.Jar = jar
	expect(t, "old token after sign-out", app.get(stolen, "/meldpunt"), http.StatusSeeOther, "/inloggen?next=%2Fmeldpunt")
}

func TestHandlersDeactivatedAccountIsSignedOut(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	victim := app.as(demoReporter)
	expect(t, "before", app.get(victim, "/mijn-meldingen"), http.StatusOK)

	admin := app.as(demoAdmin)
	id := app.userID(demoReporter)
	// No "active" field: the checkbox is unticked.
	res := app.post(admin, "/beheer/gebruikers/"+itoa(id), url.Values{"name": {"Olga Ontdekker"}})
	expect(t, "deactivate", res, http.StatusSeeOther, "/beheer/gebruikers")
	if app.count(`SELECT count(*) FROM users WHERE id = $1 AND NOT active`, id) != 1 {
		t.Fatal("account still active")
	}

	expect(t, "deactivated GET /mijn-meldingen", app.get(victim, "/mijn-meldingen"), http.StatusSeeOther, "/inloggen?next=%2Fmijn-meldingen")
	cases := app.count(`SELECT count(*) FROM cases`)
	expect(t, "deactivated POST /melden", app.post(victim, "/melden", url.Values{"what_happened": {"Nog een melding"}}), http.StatusSeeOther, "/inloggen?next=%2Fmelden")
	if n := app.count(`SELECT count(*) FROM cases`); n != cases {
		t.Errorf("a deactivated account stored a report: %d cases, want %d", n, cases)
	}
	expect(t, "deactivated account signs in", app.post(app.client(), "/inloggen",
		url.Values{"email": {demoReporter}, "password": {service.DemoPassword}}), http.StatusUnauthorized)
}

func TestHandlersPasswordLink(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)
	res := app.post(admin, "/beheer/gebruikers/nieuw", url.Values{
		"email": {"Nina.Nieuw@demo.lekwacht.nl"}, "name": {"Nina Nieuw"}, "role_desk": {""},
	})
	id := app.userID("nina.nieuw@demo.lekwacht.nl")
	expect(t, "create user", res, http.StatusSeeOther, "/beheer/gebruikers/"+itoa(id))

	page := app.get(admin, "/beheer/gebruikers/"+itoa(id))
	expect(t, "user page", page, http.StatusOK)
	link := page.text("password-link-url")
	if !page.has("password-link") || !strings.HasPrefix(link, "http://lekwacht.test/wachtwoord/") {
		t.Fatalf("user page shows no one-time link (got %q)\n%s", link, snippet(page.Body))
	}
	if !page.has("flash") {
		t.Error("no flash after creating the account")
	}
	if again := app.get(admin, "/beheer/gebruikers/"+itoa(id)); again.has("password-link-url") {
		t.Error("the one-time link is shown a second time")
	}
	path := strings.TrimPrefix(link, "http://lekwacht.test")

	user := app.client()
	form := app.get(user, path)
	expect(t, "GET link", form, http.StatusOK)
	if !form.has("set-password") || !form.contains("nina.nieuw@demo.lekwacht.nl") {
		t.Fatalf("password page does not say whose account it is\n%s", snippet(form.Body))
	}

	short := app.post(user, path, url.Values{"password": {"kort"}, "repeat": {"kort"}})
	expect(t, "short password", short, http.StatusUnprocessableEntity)
	if !short.has("error-password") || !short.has("form-error") {
		t.Fatalf("short password: no message beside the field\n%s", snippet(short.Body))
	}
	mismatch := app.post(user, path, url.Values{"password": {"een lange zin als wachtwoord"}, "repeat": {"een andere zin"}})
	expect(t, "passwords differ", mismatch, http.StatusUnprocessableEntity)
	if !mismatch.has("error-repeat") {
		t.Error("differing passwords: no message beside the repeat field")
	}
	if app.count(`SELECT count(*) FROM users u JOIN people p ON p.id = u.person_id WHERE u.id = $1 AND p.password_hash IS NULL`, id) != 1 {
		t.Fatal("a refused password was stored")
	}

	before := app.cookie(user)
	good := app.post(user, path, url.Values{"password": {"een lange zin als wachtwoord"}, "repeat": {"een lange zin als wachtwoord"}})
	expect(t, "good password", good, http.StatusSeeOther, "/")
	if after := app.cookie(user); after == "" || after == before {
		t.Errorf("no fresh session token after setting the password (before %q, after %q)", before, after)
	}
	home := app.get(user, "/")
	expect(t, "home after setting the password", home, http.StatusOK)
	if home.text("user-name") != "Nina Nieuw" || !home.has("flash") {
		t.Errorf("not signed in as the new user: user-name %q", home.text("user-name"))
	}

	// The link works once.
	used := app.get(app.client(), path)
	expect(t, "GET used link", used, http.StatusNotFound)
	if !used.has("error-page") {
		t.Error("used link: not the error page")
	}
	expect(t, "POST used link", app.post(app.client(), path,
		url.Values{"password": {"nog een andere lange zin"}, "repeat": {"nog een andere lange zin"}}), http.StatusNotFound)
	// The password chosen works; the one tried on the used link does not.
	app.signIn(app.client(), "nina.nieuw@demo.lekwacht.nl", "een lange zin als wachtwoord")
	expect(t, "sign in with the refused password", app.post(app.client(), "/inloggen",
		url.Values{"email": {"nina.nieuw@demo.lekwacht.nl"}, "password": {"nog een andere lange zin"}}), http.StatusUnauthorized)
	assertLogsClean(t, app, "nina.nieuw@demo.lekwacht.nl", "een lange zin als wachtwoord")
}

func TestHandlersPasswordLinkInvalidToken(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.client()
	for _, path := range []string{"/wachtwoord/ongeldig", "/wachtwoord/" + strings.Repeat("A", 43)} {
		res := app.get(c, path)
		expect(t, "GET "+path, res, http.StatusNotFound)
		if !res.has("error-page") {
			t.Errorf("GET %s: not the error page", path)
		}
		expect(t, "POST "+path, app.post(c, path, url.Values{"password": {"een lange zin als wachtwoord"},
			"repeat": {"een lange zin als wachtwoord"}}), http.StatusNotFound)
	}
}
