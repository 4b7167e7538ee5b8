package server_test

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/lekwacht/lekwacht/internal/service"
)

// TestE2ESingleSignOn (issue 11.1) walks the whole redirect flow in
// Chromium against a real OpenID provider on a loopback port
// (oauth2-proxy/mockoidc): the e-mail step sends an address of the
// configured domain to the provider, which signs it in and sends the
// browser back with a code; Lekwacht checks state, nonce, PKCE, signature
// and audience and signs in an account without roles. axe-core and the
// width checks run on the pages at 1280 and 390 px.
func TestE2ESingleSignOn(t *testing.T) {
	t.Parallel()
	path := chromiumPath(t)
	op := startOP(t)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	app := newTestAppWith(t, func(d *service.Deps) { d.SecretKey = key; d.BaseURL = selfBaseURL })
	cfg := op.Config()
	res := app.post(app.as(demoAdmin), "/beheer/sso", url.Values{"name": {"Demo-inlogdienst"}, "issuer": {cfg.Issuer},
		"client_id": {cfg.ClientID}, "client_secret": {cfg.ClientSecret}, "domains": {ssoDomain}})
	expect(t, "add the provider", res, http.StatusSeeOther, "/beheer/sso")

	email := "juf.e2e@" + ssoDomain
	op.QueueUser(&mockoidc.MockUser{Subject: "juf-e2e", Email: email, EmailVerified: true})
	b := newBrowser(t, app, path)
	if status := b.navigate("/"); status != 200 {
		t.Fatalf("open /: status %d", status)
	}
	b.checkPage("inloggen, e-mailstap")
	b.do("fill in the e-mail address", chromedp.SendKeys(chromedp.ID("email"), email))
	if status := b.follow("e-mail step", chromedp.Click(testID("signin-next"))); status != 200 {
		t.Fatalf("the e-mail step ended with status %d at %s", status, b.location())
	}
	// The page sends the browser on to the provider by itself, which sends
	// it back signed in.
	b.do("to the provider and back", chromedp.WaitVisible(testID("user-name")))
	if loc := b.location(); loc != "/" {
		t.Fatalf("after single sign-on the browser is at %s, want /", loc)
	}
	if got := b.text(testID("user-name")); got != "juf.e2e" {
		t.Errorf("signed in through the provider, the header shows %q, want the name from the address", got)
	}
	b.checkPage("start na single sign-on")
	if n := app.count(`SELECT count(*) FROM user_sessions s JOIN users u ON u.person_id = s.person_id
		WHERE u.email = $1 AND s.method = 'sso' AND s.ended_at IS NULL`, email); n != 1 {
		t.Errorf("%d single sign-on sessions of %s, want 1", n, email)
	}
	if a := app.actor(email); a.OrganisationID != app.demoOrgID() || len(a.Grants) != 0 {
		t.Errorf("the new account: organisation %d, roles %v; want the demo organisation, no roles", a.OrganisationID, a.Grants)
	}
	// Nothing of the exchange in the log.
	for _, secret := range []string{cfg.ClientSecret, "code=", "id_token"} {
		if strings.Contains(app.Logs.String(), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
	b.assertNoProblems("single sign-on")
}
