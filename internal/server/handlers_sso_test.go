package server_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/service"
)

// The single sign-on tests run a real OpenID provider on a loopback port
// (oauth2-proxy/mockoidc: discovery, keys, authorisation code with PKCE,
// signed ID tokens). tamper, when set, rewrites the ID token the provider's
// token endpoint answers with, to play a provider that lies.

const ssoDomain = "regenboog-sso.nl"

type testOP struct {
	*mockoidc.MockOIDC
	tamper func(m *mockoidc.MockOIDC, idToken string) string
}

func startOP(t *testing.T) *testOP {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	op := &testOP{MockOIDC: m}
	if err := m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if op.tamper == nil || r.URL.Path != mockoidc.TokenEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			rec := &recorder{header: http.Header{}}
			next.ServeHTTP(rec, r)
			var body map[string]any
			if json.Unmarshal(rec.body.Bytes(), &body) == nil {
				if raw, ok := body["id_token"].(string); ok {
					body["id_token"] = op.tamper(m, raw)
				}
			}
			b, _ := json.Marshal(body)
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.status)
			_, _ = w.Write(b)
		})
	}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return op
}

type recorder struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(s int)           { r.status = s }

// resign changes claims of an ID token and signs it again with key (the
// provider's own, or another).
func resign(t *testing.T, raw string, kp *mockoidc.Keypair, change func(jwt.MapClaims)) string {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(raw, claims); err != nil {
		t.Errorf("parse id token: %v", err)
		return raw
	}
	change(claims)
	s, err := kp.SignJWT(claims)
	if err != nil {
		t.Errorf("sign: %v", err)
	}
	return s
}

// newSSOApp is a test app with a secret key, whose demo organisation has the
// provider op configured (by its administrator, through the page) for ssoDomain.
func newSSOApp(t *testing.T, op *testOP) (*testApp, *http.Client) {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	app := newTestAppWith(t, func(d *service.Deps) { d.SecretKey = key })
	admin := app.as(demoAdmin)
	cfg := op.Config()
	res := app.post(admin, "/beheer/sso", url.Values{"name": {"Demo-inlogdienst"}, "issuer": {cfg.Issuer},
		"client_id": {cfg.ClientID}, "client_secret": {cfg.ClientSecret}, "domains": {"@" + strings.ToUpper(ssoDomain) + ", regenboog-sso.nl"}})
	expect(t, "add the provider", res, http.StatusSeeOther, "/beheer/sso")
	return app, admin
}

// ssoSignIn goes from the e-mail step to the provider and back, as a
// browser does, and returns the answer to the way back (and its URL).
func (a *testApp) ssoSignIn(c *http.Client, email string) (*response, string) {
	a.t.Helper()
	res := a.post(c, "/inloggen", url.Values{"email": {email}})
	res = a.get(c, ssoNext(a.t, res))
	authURL := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(authURL, "code_challenge=") || !strings.Contains(authURL, "nonce=") ||
		!strings.Contains(authURL, "code_challenge_method=S256") || !strings.Contains(authURL, "login_hint=") {
		a.t.Fatalf("to the provider: %d %q (want PKCE S256, nonce, state, login_hint)\n%s", res.StatusCode, authURL, snippet(res.Body))
	}
	at, err := c.Get(authURL)
	if err != nil {
		a.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, at.Body)
	at.Body.Close()
	back, err := url.Parse(at.Header.Get("Location"))
	if err != nil || back.Path != service.SSOCallbackPath {
		a.t.Fatalf("provider answered %d %q", at.StatusCode, at.Header.Get("Location"))
	}
	// The registered redirect URL is the base URL's; the test server runs elsewhere.
	callback := back.Path + "?" + back.RawQuery
	return a.get(c, callback), callback
}

// ssoNext is where the answer to the e-mail step sends the browser on to
// the provider: a page with a meta refresh and a link to the same path (a
// redirect of the form would break the CSP's form-action in a browser).
func ssoNext(t *testing.T, res *response) string {
	t.Helper()
	next := between(res.Body, `<meta http-equiv="refresh" content="0;url=`, `"`)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(next, "/inloggen/sso/") || !res.contains(`href="`+next+`"`) ||
		!res.has("sso-continue") {
		t.Fatalf("e-mail step: %d, refresh to %q, want a page that sends the browser to the provider", res.StatusCode, next)
	}
	return next
}

// Issue 11: the e-mail step sends an address of a configured domain to its
// provider; the first sign-in of an unknown address creates an account
// without roles; later sign-ins find it; nothing secret in the logs.
func TestHandlersSSOSignIn(t *testing.T) {
	t.Parallel()
	op := startOP(t)
	app, admin := newSSOApp(t, op)
	page := app.get(admin, "/beheer/sso")
	cfg := op.Config()
	if !page.has("sso-provider") || !page.contains("http://lekwacht.test/inloggen/sso/terug") || strings.Contains(page.Body, cfg.ClientSecret) {
		t.Fatalf("provider list: missing, no redirect URL, or the secret shown\n%s", snippet(page.Body))
	}
	if n := app.count(`SELECT count(*) FROM sso_providers WHERE position($1::bytea in client_secret) > 0`, []byte(cfg.ClientSecret)); n != 0 {
		t.Fatal("the client secret is stored readable")
	}
	if n := app.count(`SELECT count(*) FROM sso_domains WHERE domain = $1`, ssoDomain); n != 1 {
		t.Fatalf("%d rows for the domain (typed twice, in capitals and with @)", n)
	}
	// An address without single sign-on gets the password field.
	pw := app.post(app.client(), "/inloggen", url.Values{"email": {demoReporter}})
	expect(t, "e-mail step without sso", pw, http.StatusOK)
	if !strings.Contains(pw.Body, `name="password"`) {
		t.Fatal("no password field after the e-mail step")
	}

	email := "nieuwe.juf@" + ssoDomain
	op.QueueUser(&mockoidc.MockUser{Subject: "juf-1", Email: email, EmailVerified: true})
	c := app.client()
	res, callback := app.ssoSignIn(c, " Nieuwe.Juf@"+ssoDomain)
	expect(t, "back from the provider", res, http.StatusSeeOther, "/")
	home := app.get(c, "/")
	expect(t, "signed in", home, http.StatusOK)
	id := app.userID(email)
	if a := app.actor(email); a.OrganisationID != app.demoOrgID() || len(a.Grants) != 0 {
		t.Errorf("new account: organisation %d, roles %v; want the demo organisation and no roles", a.OrganisationID, a.Grants)
	}
	if n := app.count(`SELECT count(*) FROM audit_log WHERE action = 'user_created' AND subject_id = $1 AND details->>'via' = 'sso'`, id); n != 1 {
		t.Errorf("%d audit rows for the new account", n)
	}
	if n := app.count(`SELECT count(*) FROM user_sessions WHERE person_id = (SELECT person_id FROM users WHERE id = $1) AND method = 'sso'`, id); n != 1 {
		t.Errorf("%d sso sessions", n)
	}
	// The same answer again (a replayed state and code) is refused.
	replay := app.get(c, callback)
	expect(t, "replayed answer", replay, http.StatusBadRequest)
	if !replay.contains("verlopen of al gebruikt") || !replay.has("sso-error") {
		t.Errorf("replay: no Dutch page\n%s", snippet(replay.Body))
	}
	// A second sign-in finds the account.
	op.QueueUser(&mockoidc.MockUser{Subject: "juf-1", Email: email, EmailVerified: true})
	res, _ = app.ssoSignIn(app.client(), email)
	expect(t, "second sign-in", res, http.StatusSeeOther, "/")
	if n := app.count(`SELECT count(*) FROM users WHERE email = $1`, email); n != 1 {
		t.Errorf("%d accounts for one address", n)
	}
	assertLogsClean(t, app, cfg.ClientSecret, email, strings.Split(callback, "code=")[1])
}

// A provider that lies is refused: a token for another audience, a broken
// signature, a token signed by another key, a wrong nonce; also a state
// that does not match, an answer after ten minutes, an address outside the
// domains, an unverified address, a provider that is down.
func TestHandlersSSORefusals(t *testing.T) {
	t.Parallel()
	op := startOP(t)
	app, _ := newSSOApp(t, op)
	other, err := mockoidc.RandomKeypair(2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		tamper func(m *mockoidc.MockOIDC, raw string) string
	}{
		{"wrong audience", func(m *mockoidc.MockOIDC, raw string) string {
			return resign(t, raw, m.Keypair, func(c jwt.MapClaims) { c["aud"] = "een-andere-app" })
		}},
		{"bad signature", func(_ *mockoidc.MockOIDC, raw string) string {
			i := strings.LastIndex(raw, ".")
			sig := []byte(raw[i+1:])
			sig[10] ^= 0x01
			if sig[10] == '.' || sig[10] == '=' {
				sig[10] = 'A'
			}
			return raw[:i+1] + string(sig)
		}},
		{"another key", func(_ *mockoidc.MockOIDC, raw string) string {
			return resign(t, raw, other, func(jwt.MapClaims) {})
		}},
		{"wrong nonce", func(m *mockoidc.MockOIDC, raw string) string {
			return resign(t, raw, m.Keypair, func(c jwt.MapClaims) { c["nonce"] = "verzonnen" })
		}},
		{"wrong issuer", func(m *mockoidc.MockOIDC, raw string) string {
			return resign(t, raw, m.Keypair, func(c jwt.MapClaims) { c["iss"] = "https://nep.example" })
		}},
		{"expired", func(m *mockoidc.MockOIDC, raw string) string {
			return resign(t, raw, m.Keypair, func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Hour).Unix() })
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			app := app.in(t)
			op.tamper = tt.tamper
			email := "leraar." + strings.ReplaceAll(tt.name, " ", "") + "@" + ssoDomain
			op.QueueUser(&mockoidc.MockUser{Subject: tt.name, Email: email, EmailVerified: true})
			c := app.client()
			res, _ := app.ssoSignIn(c, email)
			expect(t, tt.name, res, http.StatusUnauthorized)
			if !res.contains("Inloggen via Demo-inlogdienst is niet gelukt") {
				t.Errorf("%s: no Dutch page\n%s", tt.name, snippet(res.Body))
			}
			expect(t, tt.name+": not signed in", app.get(c, "/"), http.StatusSeeOther, "/inloggen?next=%2F")
			if n := app.count(`SELECT count(*) FROM users WHERE email = $1`, email); n != 0 {
				t.Errorf("%s: an account was created", tt.name)
			}
		})
	}
	op.tamper = nil

	t.Run("state tampered", func(t *testing.T) {
		app := app.in(t)
		c := app.client()
		op.QueueUser(&mockoidc.MockUser{Subject: "s", Email: "staat@" + ssoDomain, EmailVerified: true})
		res := app.post(c, "/inloggen", url.Values{"email": {"staat@" + ssoDomain}})
		res = app.get(c, ssoNext(t, res))
		at, err := c.Get(res.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		at.Body.Close()
		back, _ := url.Parse(at.Header.Get("Location"))
		q := back.Query()
		q.Set("state", "een-andere-staat")
		expect(t, "tampered state", app.get(c, back.Path+"?"+q.Encode()), http.StatusBadRequest)
	})
	t.Run("after ten minutes", func(t *testing.T) {
		app := app.in(t)
		c := app.client()
		op.QueueUser(&mockoidc.MockUser{Subject: "l", Email: "laat@" + ssoDomain, EmailVerified: true})
		res := app.post(c, "/inloggen", url.Values{"email": {"laat@" + ssoDomain}})
		res = app.get(c, ssoNext(t, res))
		at, err := c.Get(res.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		at.Body.Close()
		back, _ := url.Parse(at.Header.Get("Location"))
		app.Clock.Add(11 * time.Minute)
		defer app.Clock.Add(-11 * time.Minute)
		expect(t, "late answer", app.get(c, back.Path+"?"+back.RawQuery), http.StatusBadRequest)
	})
	t.Run("address outside the domains", func(t *testing.T) {
		app := app.in(t)
		op.QueueUser(&mockoidc.MockUser{Subject: "o", Email: "iemand@elders.nl", EmailVerified: true})
		res, _ := app.ssoSignIn(app.client(), "iemand@"+ssoDomain)
		expect(t, "other domain", res, http.StatusForbidden)
		if !res.contains("hoort niet bij een domein") {
			t.Errorf("no Dutch reason\n%s", snippet(res.Body))
		}
	})
	t.Run("unverified address", func(t *testing.T) {
		app := app.in(t)
		op.QueueUser(&mockoidc.MockUser{Subject: "u", Email: "onbevestigd@" + ssoDomain, EmailVerified: true})
		op.tamper = func(m *mockoidc.MockOIDC, raw string) string {
			return resign(t, raw, m.Keypair, func(c jwt.MapClaims) { c["email_verified"] = false })
		}
		defer func() { op.tamper = nil }()
		res, _ := app.ssoSignIn(app.client(), "onbevestigd@"+ssoDomain)
		expect(t, "unverified", res, http.StatusForbidden)
	})
	t.Run("an address of another organisation", func(t *testing.T) {
		app := app.in(t)
		app.addUser(app.orgID(otherOrg), "collega@"+ssoDomain, "Collega", otherPassword)
		// The e-mail step leaves it to its password...
		res := app.post(app.client(), "/inloggen", url.Values{"email": {"collega@" + ssoDomain}})
		expect(t, "e-mail step", res, http.StatusOK)
		// ...and a provider that names it does not sign it in.
		op.QueueUser(&mockoidc.MockUser{Subject: "a", Email: "collega@" + ssoDomain, EmailVerified: true})
		c := app.client()
		res = app.get(c, "/inloggen/sso/"+itoa(app.providerID()))
		at, err := c.Get(res.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		at.Body.Close()
		back, _ := url.Parse(at.Header.Get("Location"))
		expect(t, "other organisation's account", app.get(c, back.Path+"?"+back.RawQuery), http.StatusForbidden)
	})
	t.Run("provider down", func(t *testing.T) {
		app := app.in(t)
		down := startOP(t)
		cfg := down.Config()
		app.exec(`UPDATE sso_providers SET issuer = $1`, cfg.Issuer)
		defer app.exec(`UPDATE sso_providers SET issuer = $1`, op.Config().Issuer)
		_ = down.Shutdown()
		res := app.post(app.client(), "/inloggen", url.Values{"email": {"wie@" + ssoDomain}})
		res = app.get(app.client(), ssoNext(t, res))
		expect(t, "provider down", res, http.StatusServiceUnavailable)
		if !res.contains("niet bereikbaar") {
			t.Errorf("no Dutch page\n%s", snippet(res.Body))
		}
	})
	assertLogsClean(t, app, op.Config().ClientSecret)
}

func (a *testApp) providerID() int64 {
	a.t.Helper()
	return int64(a.count(`SELECT max(id) FROM sso_providers`))
}

// An administrator requires single sign-on: passwords are refused for the
// organisation's users, except the one break-glass administrator.
func TestHandlersSSORequired(t *testing.T) {
	t.Parallel()
	op := startOP(t)
	app, admin := newSSOApp(t, op)
	bad := app.post(admin, "/beheer/sso/beleid", url.Values{"required": {"1"}})
	expect(t, "required without break-glass", bad, http.StatusUnprocessableEntity)
	if !strings.Contains(between(bad.Body, `id="break_glass-error"`, `</p>`), "Kies de beheerder") {
		t.Errorf("no message beside the field\n%s", snippet(bad.Body))
	}
	expect(t, "desk sets the policy", app.post(app.as(demoDesk), "/beheer/sso/beleid", url.Values{"required": {"1"}, "break_glass": {itoa(app.userID(demoAdmin))}}), http.StatusForbidden)
	expect(t, "a reporter as break-glass", app.post(admin, "/beheer/sso/beleid", url.Values{"required": {"1"}, "break_glass": {itoa(app.userID(demoReporter))}}), http.StatusUnprocessableEntity)
	expect(t, "require", app.post(admin, "/beheer/sso/beleid", url.Values{"required": {"1"}, "break_glass": {itoa(app.userID(demoAdmin))}}), http.StatusSeeOther, "/beheer/sso")
	refused := app.post(app.client(), "/inloggen", url.Values{"email": {demoReporter}, "password": {service.DemoPassword}})
	expect(t, "password of the reporter", refused, http.StatusUnauthorized)
	if !refused.contains("inlogdienst van uw school") {
		t.Errorf("no Dutch reason\n%s", snippet(refused.Body))
	}
	// The break-glass administrator still gets in (with the second factor).
	app.as(demoAdmin)
	// Another organisation is not affected.
	app.as(otherStaff)
	// The last provider cannot go while single sign-on is required.
	expect(t, "delete the last provider", app.post(admin, "/beheer/sso/"+itoa(app.providerID())+"/verwijderen", nil), http.StatusConflict)
	// Another organisation's administrator cannot see or change it.
	app.addUser(app.orgID(otherOrg), "beheer@ander.nl", "Beheer Ander", otherPassword, access.Grant{Role: access.Admin})
	oa := app.as("beheer@ander.nl")
	expect(t, "other admin reads", app.get(oa, "/beheer/sso/"+itoa(app.providerID())), http.StatusNotFound)
	expect(t, "other admin deletes", app.post(oa, "/beheer/sso/"+itoa(app.providerID())+"/verwijderen", nil), http.StatusNotFound)
	// Nor claim the same domain.
	cfg := op.Config()
	res := app.post(oa, "/beheer/sso", url.Values{"name": {"Kaper"}, "issuer": {cfg.Issuer}, "client_id": {cfg.ClientID},
		"client_secret": {"x"}, "domains": {ssoDomain}})
	expect(t, "the same domain elsewhere", res, http.StatusUnprocessableEntity)
	if v, _ := res.inputValue("name"); v != "Kaper" || strings.Contains(res.Body, `value="x"`) {
		t.Errorf("typed form not kept, or the secret echoed")
	}
}

// The provider form: every field's reason in Dutch; an issuer that does not
// answer discovery is refused; without LEKWACHT_SECRET_KEY nothing is saved.
func TestHandlersSSOProviderForm(t *testing.T) {
	t.Parallel()
	op := startOP(t)
	app, admin := newSSOApp(t, op)
	res := app.post(admin, "/beheer/sso", url.Values{"name": {""}, "issuer": {"ftp://x"}, "client_id": {""}, "client_secret": {""}, "domains": {"geen domein!"}})
	expect(t, "empty form", res, http.StatusUnprocessableEntity)
	for _, f := range []string{"name", "issuer", "client_id", "client_secret", "domains"} {
		if !strings.Contains(res.Body, `id="`+f+`-error"`) {
			t.Errorf("no message beside %s", f)
		}
	}
	res = app.post(admin, "/beheer/sso", url.Values{"name": {"Typfout"}, "issuer": {op.Config().Issuer + "/verkeerd"}, "client_id": {"x"}, "client_secret": {"y"}, "domains": {"typfout.nl"}})
	expect(t, "issuer without discovery", res, http.StatusUnprocessableEntity)
	if !strings.Contains(between(res.Body, `id="issuer-error"`, `</p>`), "geen OpenID Connect-gegevens") {
		t.Errorf("no discovery message\n%s", snippet(res.Body))
	}
	// Editing keeps the stored secret when the field is left empty, and never shows it.
	id := itoa(app.providerID())
	edit := app.get(admin, "/beheer/sso/"+id)
	if strings.Contains(edit.Body, op.Config().ClientSecret) {
		t.Fatal("the edit page shows the secret")
	}
	before := app.scalar(`SELECT encode(client_secret, 'hex') FROM sso_providers WHERE id = $1`, app.providerID())
	expect(t, "rename", app.post(admin, "/beheer/sso/"+id, url.Values{"name": {"Nieuwe naam"}, "issuer": {op.Config().Issuer},
		"client_id": {op.Config().ClientID}, "client_secret": {""}, "domains": {ssoDomain}}), http.StatusSeeOther, "/beheer/sso")
	if after := app.scalar(`SELECT encode(client_secret, 'hex') FROM sso_providers WHERE id = $1`, app.providerID()); after != before {
		t.Error("an empty secret field changed the stored secret")
	}
	op.QueueUser(&mockoidc.MockUser{Subject: "n", Email: "na@" + ssoDomain, EmailVerified: true})
	if res, _ := app.ssoSignIn(app.client(), "na@"+ssoDomain); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in after the edit: %d", res.StatusCode)
	}

	plain := newTestApp(t)
	pa := plain.as(demoAdmin)
	if page := plain.get(pa, "/beheer/sso"); !page.has("sso-no-key") {
		t.Error("no warning without LEKWACHT_SECRET_KEY")
	}
	expect(t, "save without a key", plain.post(pa, "/beheer/sso", url.Values{"name": {"X"}, "issuer": {op.Config().Issuer},
		"client_id": {"x"}, "client_secret": {"y"}, "domains": {"x.nl"}}), http.StatusConflict)
}

// Native fuzz test of the way back from a provider (outside input: any
// query string). Without a sign-in begun in this browser it is refused with
// the Dutch page (or the input cleaning's), never a 500, and signs nobody in.
func FuzzSSOCallback(f *testing.F) {
	for _, s := range []string{"", "state=x&code=y", "error=access_denied&error_description=%3Cscript%3E", "state=&code=",
		"code=" + strings.Repeat("a", 5000), "state=%00&code=%ff", "state=a&state=b&code=c", "error=" + strings.Repeat("x", 100)} {
		f.Add(s)
	}
	base := newTestAppWith(f, nil)
	f.Fuzz(func(t *testing.T, query string) {
		app := base.in(t)
		c := app.client()
		req, err := http.NewRequest(http.MethodGet, app.URL+service.SSOCallbackPath, nil)
		if err != nil {
			t.Skip()
		}
		// A space or control character cannot stand in a request line (net/http
		// itself answers 400 before any handler): encode it as a browser does.
		var raw strings.Builder
		for i := 0; i < len(query); i++ {
			if b := query[i]; b <= ' ' || b == 0x7f {
				fmt.Fprintf(&raw, "%%%02X", b)
			} else {
				raw.WriteByte(b)
			}
		}
		req.URL.RawQuery = raw.String()
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r := readResponse(t, res)
		// 400 with the page of single sign-on, or 422 when the input
		// cleaning refused a character first; never a 5xx, never signed in.
		if !(r.StatusCode == http.StatusBadRequest && r.has("sso-error")) && r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("query %q: %d\n%s", query, r.StatusCode, snippet(r.Body))
		}
		if home := app.get(c, "/"); home.StatusCode != http.StatusSeeOther {
			t.Fatalf("query %q signed someone in", query)
		}
	})
}
