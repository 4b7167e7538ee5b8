package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/service"
)

// One person, several organisations (issue 11.3), through HTTP.

const (
	bothPerson   = "fg.beide@ander.nl"
	bothPassword = "een wachtwoord voor twee besturen"
)

// addPersonOfBoth makes bothPerson: at home in the other organisation with
// every role, and added by the demo administrator (through the page, as an
// administrator does) with every role in the demo organisation. It returns
// the memberships: other organisation, demo organisation.
func addPersonOfBoth(app *testApp) (inOther, inDemo int64) {
	app.t.Helper()
	return addPersonOfBothWith(app, bothPassword)
}

// addPersonOfBothWith is addPersonOfBoth with the person's password.
func addPersonOfBothWith(app *testApp, password string) (inOther, inDemo int64) {
	app.t.Helper()
	all := []access.Grant{{Role: access.Desk}, {Role: access.Officer}, {Role: access.Technician}, {Role: access.Board}, {Role: access.Admin}}
	inOther = app.addUser(app.orgID(otherOrg), bothPerson, "Fleur Beide", password, all...)
	form := url.Values{"email": {bothPerson}, "name": {"Fleur Beide (FG)"}}
	for _, g := range all {
		form.Set("role_"+string(g.Role), "all")
	}
	res := app.post(app.as(demoAdmin), "/beheer/gebruikers/nieuw", form)
	expect(app.t, "add the person to the demo organisation", res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	inDemo = mustID(app.t, loc[strings.LastIndex(loc, "/")+1:])
	return inOther, inDemo
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, r := range s {
		if r < '0' || r > '9' {
			t.Fatalf("not an id: %q", s)
		}
		n = n*10 + int64(r-'0')
	}
	return n
}

// TestHandlersOnePersonTwoOrganisations: the person signs in once, lands on
// "Al mijn organisaties", sees which organisation they work in, switches,
// and opens a case of the other board from the list, which switches too.
func TestHandlersOnePersonTwoOrganisations(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	inOther, inDemo := addPersonOfBoth(app)
	demoCase := itoa(app.demoCase(1))

	c := app.client()
	res := app.post(c, "/inloggen", url.Values{"email": {bothPerson}, "password": {bothPassword}})
	expect(t, "sign in", res, http.StatusSeeOther, "/inloggen/tweestaps-instellen")
	app.secondStep(c, bothPerson, res)

	// FG of two boards: the start page is "Al mijn organisaties", in the menu.
	home := app.get(c, "/")
	expect(t, "home", home, http.StatusOK)
	if got := home.text("org-name"); got != otherOrg {
		t.Errorf("after the first sign-in the person works in %q, want their home organisation %q", got, otherOrg)
	}
	if !home.has("org-switch") || !home.contains(`value="`+itoa(inDemo)+`"`) || !home.contains(`value="`+itoa(inOther)+`"`) {
		t.Error("the menu offers no switch between the two organisations")
	}
	if !home.contains(`href="/organisaties"`) {
		t.Error("the menu has no \"Al mijn organisaties\"")
	}
	all := app.get(c, "/organisaties")
	expect(t, "all organisations", all, http.StatusOK)
	if !all.has("org-case") || !strings.Contains(all.Body, service.DemoOrganisation) {
		t.Fatalf("\"Al mijn organisaties\" lists no case of the demo board:\n%s", snippet(all.Body))
	}
	if n := strings.Count(all.Body, `data-testid="org-count"`); n != 2 {
		t.Errorf("%d boards counted, want 2", n)
	}

	// Working in the other organisation, a demo case is not there; since the
	// person may open it in the demo organisation (a link from its mail), the
	// page says where it is and offers to switch, and shows nothing of it.
	elsewhere := app.get(c, "/meldingen/"+demoCase)
	expect(t, "demo case from the other organisation", elsewhere, http.StatusNotFound)
	if !elsewhere.has("case-elsewhere") || !elsewhere.contains(`name="lid" value="`+itoa(inDemo)+`"`) ||
		!strings.Contains(elsewhere.Body, service.DemoOrganisation) || elsewhere.has("case-report") {
		t.Errorf("a case of the person's other organisation: no offer to switch there, or the case shown\n%s", snippet(elsewhere.Body))
	}
	// A case that does not exist, or that the person could not open there
	// either, is the plain "not found".
	if res := app.get(c, "/meldingen/999999"); res.StatusCode != http.StatusNotFound || res.has("case-elsewhere") {
		t.Errorf("a missing case: %d, offer to switch %t", res.StatusCode, res.has("case-elsewhere"))
	}

	// Opening it from the list switches to its organisation.
	open := app.post(c, "/organisatie", url.Values{"lid": {itoa(inDemo)}, "naar": {"/meldingen/" + demoCase}})
	expect(t, "open from the list", open, http.StatusSeeOther, "/meldingen/"+demoCase)
	page := app.get(c, "/meldingen/"+demoCase)
	expect(t, "demo case after switching", page, http.StatusOK)
	if page.text("org-name") != service.DemoOrganisation || !page.has("case-report") {
		t.Errorf("after switching: organisation %q, case shown %t", page.text("org-name"), page.has("case-report"))
	}
	if !strings.Contains(page.text("flash"), "U werkt nu in "+service.DemoOrganisation) {
		t.Errorf("no word that the organisation changed: flash %q", page.text("flash"))
	}
	if n := app.count(`SELECT count(*) FROM audit_log WHERE action = 'organisation_switched' AND subject_id = $1`, inDemo); n != 1 {
		t.Errorf("%d security-log rows of the switch, want 1", n)
	}

	// Someone else's membership, or garbage: refused, the session unchanged.
	for _, lid := range []string{itoa(app.userID(demoAdmin)), itoa(app.userID(otherDesk)), "0", "abc", ""} {
		res := app.post(c, "/organisatie", url.Values{"lid": {lid}, "naar": {"/"}})
		if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("switch to %q: %d, want 404 or 422", lid, res.StatusCode)
		}
	}
	if got := app.get(c, "/").text("org-name"); got != service.DemoOrganisation {
		t.Errorf("a refused switch moved the session to %q", got)
	}
	// An off-site "naar" goes to the start page.
	res = app.post(c, "/organisatie", url.Values{"lid": {itoa(inOther)}, "naar": {"//evil.example/"}})
	expect(t, "switch with an off-site next", res, http.StatusSeeOther, "/")

	// The next sign-in lands where the person worked last.
	app.post(c, "/uitloggen", nil)
	app.post(c, "/organisatie", url.Values{"lid": {itoa(inDemo)}})
	c2 := app.client()
	app.signIn(c2, bothPerson, bothPassword)
	if got := app.get(c2, "/").text("org-name"); got != otherOrg {
		t.Errorf("the next sign-in works in %q, want %q (where the person switched to last)", got, otherOrg)
	}

	// A role change in one organisation takes effect at the next request:
	// the demo administrator switches the membership off while the person
	// works there; their next request goes on in the other organisation,
	// saying so, and they can no longer switch to the demo organisation.
	expect(t, "switch to the demo organisation", app.post(c2, "/organisatie", url.Values{"lid": {itoa(inDemo)}, "naar": {"/register"}}), http.StatusSeeOther, "/register")
	app.post(app.as(demoAdmin), "/beheer/gebruikers/"+itoa(inDemo), url.Values{"name": {"Fleur Beide (FG)"}})
	expect(t, "the next request after being switched off", app.get(c2, "/register"), http.StatusSeeOther, "/")
	after := app.get(c2, "/")
	expect(t, "start page after the fall-back", after, http.StatusOK)
	if after.text("org-name") != otherOrg || !strings.Contains(after.text("flash"), "uitgeschakeld") {
		t.Errorf("after being switched off in the demo organisation: working in %q, flash %q", after.text("org-name"), after.text("flash"))
	}
	if after.has("org-switch") {
		t.Error("after being switched off in the demo organisation the menu still offers it")
	}
	res = app.post(c2, "/organisatie", url.Values{"lid": {itoa(inDemo)}, "naar": {"/"}})
	expect(t, "switch to a membership switched off", res, http.StatusNotFound)
}

// TestHandlersMemberOfTwoOrganisationsEveryRoute (issue 11.3): a member of
// two organisations, switched to one of them, acting on the other's data
// through every route of the router (taken from the router itself, so new
// routes are covered as they are added) is refused, and nothing changes.
// Switched to the other organisation, the same person may.
func TestHandlersMemberOfTwoOrganisationsEveryRoute(t *testing.T) {
	t.Parallel()
	// With a key for the client secrets, so that the SSO settings get as far
	// as looking the provider up.
	app := newTestAppWith(t, func(d *service.Deps) { d.SecretKey = []byte(strings.Repeat("k", 32)) })
	_, inDemo := addPersonOfBoth(app)
	caseID := itoa(app.demoCase(1))
	userID := itoa(app.userID(demoReporter))
	schoolID := itoa(app.schoolID(app.demoOrgID(), "De Regenboog"))
	c := app.client()
	app.signIn(c, bothPerson, bothPassword)
	if got := app.get(c, "/").text("org-name"); got != otherOrg {
		t.Fatalf("the person works in %q, want %q", got, otherOrg)
	}
	demoText := app.scalar(`SELECT what_happened FROM cases WHERE id = $1`, caseID)
	before := dbDigest(app)
	n := 0
	for _, rt := range routes(t) {
		method, pattern := rt[0], rt[1]
		if (method != http.MethodGet && method != http.MethodPost) || !strings.Contains(pattern, "{") ||
			strings.Contains(pattern, "{slug}") || strings.Contains(pattern, "{token}") ||
			strings.HasPrefix(pattern, "/inloggen/") || strings.HasPrefix(pattern, "/static/") || strings.HasPrefix(pattern, "/account/") ||
			pattern == "/analyse/grafiek/{name:[a-z]+}.svg" {
			continue // public pages, the person's own account, a chart of their own organisation by name
		}
		path, ok := routePath(pattern, caseID, userID, schoolID)
		if !ok {
			t.Errorf("route %s: unknown parameter; extend routePath", pattern)
			continue
		}
		n++
		var res *response
		if method == http.MethodGet {
			res = app.get(c, path)
		} else {
			res = app.post(c, path, url.Values{"name": {"Poging"}, "what_happened": {"Poging"}, "summary": {"Poging uit een ander bestuur"}})
		}
		switch res.StatusCode {
		case http.StatusNotFound, http.StatusForbidden, http.StatusUnprocessableEntity:
		default:
			t.Errorf("%s %s while working in %s: %d, want it refused", method, path, otherOrg, res.StatusCode)
		}
		if strings.Contains(res.Body, demoText) {
			t.Errorf("%s %s while working in %s shows the demo case's text", method, path, otherOrg)
		}
	}
	t.Logf("%d routes with another organisation's ids checked", n)
	if n < 40 {
		t.Fatalf("only %d routes checked; is the walk broken?", n)
	}
	if after := dbDigest(app); after != before {
		t.Errorf("requests on another organisation's data changed the database:\n%s\n%s", before, after)
	}
	// The same person, switched to the demo organisation, may.
	expect(t, "switch", app.post(c, "/organisatie", url.Values{"lid": {itoa(inDemo)}, "naar": {"/meldingen/" + caseID}}), http.StatusSeeOther)
	if res := app.get(c, "/meldingen/"+caseID); res.StatusCode != http.StatusOK || !res.has("case-report") {
		t.Errorf("switched to the demo organisation, its case: %d", res.StatusCode)
	}
}

// Issue 11.3: "Al mijn organisaties" lists only boards where the person is
// FG; a member of two organisations who is FG of one has no such page in the
// menu and lands on the ordinary start page.
func TestHandlersAllOrganisationsOnlyWhereFG(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	// Desk in the other organisation, FG in the demo organisation.
	app.addUser(app.orgID(otherOrg), bothPerson, "Fleur Beide", bothPassword, access.Grant{Role: access.Desk})
	res := app.post(app.as(demoAdmin), "/beheer/gebruikers/nieuw", url.Values{"email": {bothPerson}, "name": {"Fleur"}, "role_officer": {"all"}})
	expect(t, "add", res, http.StatusSeeOther)
	c := app.client()
	res = app.post(c, "/inloggen", url.Values{"email": {bothPerson}, "password": {bothPassword}})
	expect(t, "sign in", res, http.StatusSeeOther)
	app.secondStep(c, bothPerson, res)
	home := app.get(c, "/")
	if !home.has("org-switch") || home.contains(`href="/organisaties"`) {
		t.Errorf("FG of one board: switch shown %t, \"Al mijn organisaties\" in the menu %t", home.has("org-switch"), home.contains(`href="/organisaties"`))
	}
	all := app.get(c, "/organisaties")
	expect(t, "all organisations", all, http.StatusOK)
	if strings.Contains(all.Body, otherOrg+"</strong>") || strings.Count(all.Body, `data-testid="org-count"`) != 1 {
		t.Errorf("\"Al mijn organisaties\" lists a board where the person is not FG:\n%s", snippet(all.Body))
	}
}

// A link to a case of the person's other organisation where they may not
// open it (a member without a role there, not its reporter) is the plain
// "not found": the offer to switch never tells that a case exists.
func TestHandlersCaseElsewhereOnlyWhereItMayBeOpened(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.addUser(app.orgID(otherOrg), bothPerson, "Fleur Beide", bothPassword)
	res := app.post(app.as(demoAdmin), "/beheer/gebruikers/nieuw", url.Values{"email": {bothPerson}, "name": {"Fleur"}})
	expect(t, "add", res, http.StatusSeeOther)
	c := app.client()
	app.signIn(c, bothPerson, bothPassword)
	if got := app.get(c, "/").text("org-name"); got != otherOrg {
		t.Fatalf("works in %q, want %q", got, otherOrg)
	}
	missing := app.get(c, "/meldingen/999999")
	page := app.get(c, "/meldingen/"+itoa(app.demoCase(1)))
	expect(t, "a demo case the person may not open", page, http.StatusNotFound)
	if page.has("case-elsewhere") || page.text("error-message") != missing.text("error-message") {
		t.Errorf("a case the person may not open in their other organisation is told apart from a missing one:\n%s", snippet(page.Body))
	}
}

// A session that was ended ("Mijn sessies", a new password) does not go on
// in another board when its membership is switched off: it is signed out.
func TestHandlersFallBackOnlyForASessionStillOn(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	_, inDemo := addPersonOfBoth(app)
	c1, c2 := app.client(), app.client()
	app.signIn(c1, bothPerson, bothPassword)
	app.signIn(c2, bothPerson, bothPassword)
	expect(t, "switch", app.post(c1, "/organisatie", url.Values{"lid": {itoa(inDemo)}, "naar": {"/"}}), http.StatusSeeOther, "/")
	expect(t, "end the other sessions", app.post(c2, "/account/sessies/andere-beeindigen", nil), http.StatusSeeOther)
	app.post(app.as(demoAdmin), "/beheer/gebruikers/"+itoa(inDemo), url.Values{"name": {"Fleur Beide (FG)"}})
	expect(t, "an ended session after its membership was switched off", app.get(c1, "/register"), http.StatusSeeOther, "/inloggen?next=%2Fregister")
	// The session that is on still works, in its own board.
	if got := app.get(c2, "/").text("org-name"); got != otherOrg {
		t.Errorf("the session still on works in %q, want %q", got, otherOrg)
	}
}
