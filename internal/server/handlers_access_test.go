package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/server"
	"github.com/lekwacht/lekwacht/internal/service"
)

// Authorisation through HTTP: who may open which page. The services decide;
// these tests check that every route asks them and maps the answer to the
// right status.

const (
	staffExtra      = "collega@demo.lekwacht.nl"     // a second demo staff member, no roles
	deskOtherSchool = "balie.baken@demo.lekwacht.nl" // desk limited to Het Baken
	deskSameSchool  = "balie.regenboog@demo.lekwacht.nl"
	otherAdmin      = "beheer@ander.nl"
	extraPassword   = "een extra lang wachtwoord"
)

// addAccessUsers adds the accounts the matrix needs beyond the harness.
func addAccessUsers(app *testApp) {
	demo := app.demoOrgID()
	app.addUser(demo, staffExtra, "Chris Collega", extraPassword)
	app.addUser(demo, deskOtherSchool, "Balie Baken", extraPassword,
		access.Grant{Role: access.Desk, Schools: []int64{app.schoolID(demo, "Het Baken")}})
	app.addUser(demo, deskSameSchool, "Balie Regenboog", extraPassword,
		access.Grant{Role: access.Desk, Schools: []int64{app.schoolID(demo, "De Regenboog")}})
	app.addUser(app.orgID(otherOrg), otherAdmin, "Beheerder Ander", extraPassword, access.Grant{Role: access.Admin})
}

// signedIn returns a client signed in as email, with the right password.
func signedIn(app *testApp, email string) *http.Client {
	switch email {
	case staffExtra, deskOtherSchool, deskSameSchool, otherAdmin:
		c := app.client()
		app.signIn(c, email, extraPassword)
		return c
	}
	return app.as(email)
}

func TestHandlersAccessMatrix(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	addAccessUsers(app)
	// Case 1 of the demo: reported by the demo reporter, school De Regenboog.
	caseID := itoa(app.demoCase(1))
	casePath, donePath := "/meldingen/"+caseID, "/meldingen/"+caseID+"/ontvangen"
	userPath := "/beheer/gebruikers/" + itoa(app.userID(demoReporter))

	const ok, forbidden, notFound = http.StatusOK, http.StatusForbidden, http.StatusNotFound
	tests := []struct {
		who                      string
		meldpunt, kase, users    int
		melden, mine, home       int
		userNew, userEdit, schls int
	}{
		{demoReporter, forbidden, ok, forbidden, ok, ok, ok, forbidden, forbidden, forbidden},
		{staffExtra, forbidden, notFound, forbidden, ok, ok, ok, forbidden, forbidden, forbidden},
		{demoDesk, ok, ok, forbidden, ok, ok, ok, forbidden, forbidden, forbidden},
		{deskSameSchool, ok, ok, forbidden, ok, ok, ok, forbidden, forbidden, forbidden},
		{deskOtherSchool, ok, notFound, forbidden, ok, ok, ok, forbidden, forbidden, forbidden},
		{demoOfficer, forbidden, ok, forbidden, ok, ok, ok, forbidden, forbidden, forbidden},
		{demoTechnician, forbidden, notFound, forbidden, ok, ok, ok, forbidden, forbidden, forbidden},
		{demoBoard, forbidden, ok, forbidden, ok, ok, ok, forbidden, forbidden, forbidden},
		{demoAdmin, forbidden, notFound, ok, ok, ok, ok, ok, ok, ok},
		{otherDesk, ok, notFound, forbidden, ok, ok, ok, forbidden, forbidden, forbidden},
		{otherStaff, forbidden, notFound, forbidden, ok, ok, ok, forbidden, forbidden, forbidden},
		// An administrator of the other organisation: a demo user does not exist for them.
		{otherAdmin, forbidden, notFound, ok, ok, ok, ok, ok, notFound, ok},
	}
	// The 404 for a case one may not see is the 404 for a case that does not exist.
	nobody := app.get(app.as(demoReporter), "/meldingen/999999")
	expect(t, "missing case", nobody, notFound)
	missingMsg := nobody.text("error-message")

	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			app := app.in(t)
			c := signedIn(app, tt.who)
			for _, r := range []struct {
				path string
				want int
			}{
				{"/meldpunt", tt.meldpunt},
				{casePath, tt.kase},
				{donePath, tt.kase},
				{"/beheer/gebruikers", tt.users},
				{"/beheer/gebruikers/nieuw", tt.userNew},
				{userPath, tt.userEdit},
				{"/beheer/scholen", tt.schls},
				{"/melden", tt.melden},
				{"/mijn-meldingen", tt.mine},
				{"/", tt.home},
			} {
				res := app.get(c, r.path)
				if res.StatusCode != r.want {
					t.Errorf("GET %s as %s: %d, want %d", r.path, tt.who, res.StatusCode, r.want)
					continue
				}
				if r.want != ok && !res.has("error-page") {
					t.Errorf("GET %s as %s: %d without the error page", r.path, tt.who, r.want)
				}
				if r.path == casePath && r.want == notFound && res.text("error-message") != missingMsg {
					t.Errorf("GET %s as %s: message %q differs from a missing case's %q: existence revealed",
						r.path, tt.who, res.text("error-message"), missingMsg)
				}
				if r.want == ok && r.path == casePath && !res.has("case-report") {
					t.Errorf("GET %s as %s: 200 without the report", r.path, tt.who)
				}
			}
		})
	}
}

// The navigation offers only what the user may open (hidden with the same
// predicates the services use).
func TestHandlersNavigationFollowsRoles(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	tests := []struct {
		who          string
		inbox, admin bool
	}{
		{demoReporter, false, false},
		{demoDesk, true, false},
		{demoOfficer, false, false},
		{demoAdmin, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			app := app.in(t)
			home := app.get(app.as(tt.who), "/")
			expect(t, "home", home, http.StatusOK)
			if got := home.contains(`href="/meldpunt"`); got != tt.inbox {
				t.Errorf("link to /meldpunt shown: %v, want %v", got, tt.inbox)
			}
			if got := home.contains(`href="/beheer/gebruikers"`); got != tt.admin {
				t.Errorf("link to /beheer/gebruikers shown: %v, want %v", got, tt.admin)
			}
		})
	}
}

func TestHandlersAdminPostsRefusedForOthers(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	addAccessUsers(app)
	demo := app.demoOrgID()
	reporterID := itoa(app.userID(demoReporter))
	school := itoa(app.schoolID(demo, "De Regenboog"))

	snapshot := func(app *testApp) [6]string {
		return [6]string{
			itoa(int64(app.count(`SELECT count(*) FROM users`))),
			itoa(int64(app.count(`SELECT count(*) FROM schools`))),
			itoa(int64(app.count(`SELECT count(*) FROM password_tokens`))),
			app.scalar(`SELECT name || active::text || auth_version::text FROM users WHERE id = $1`, reporterID),
			app.scalar(`SELECT string_agg(name, ',' ORDER BY id) FROM schools`),
			app.scalar(`SELECT (SELECT string_agg(kvk || street || fg_name, ',' ORDER BY id) FROM organisations) ||
				(SELECT string_agg(brin || street, ',' ORDER BY id) FROM schools)`),
		}
	}
	posts := []struct {
		path string
		form url.Values
	}{
		{"/beheer/gebruikers/nieuw", url.Values{"email": {"indringer@demo.lekwacht.nl"}, "name": {"Indringer"}, "role_admin": {"all"}}},
		{"/beheer/gebruikers/" + reporterID, url.Values{"name": {"Gekaapt"}, "role_admin": {"all"}}},
		{"/beheer/gebruikers/" + reporterID + "/link", nil},
		{"/beheer/scholen", url.Values{"name": {"Nepschool"}}},
		{"/beheer/scholen/" + school, url.Values{"name": {"Gekaapte school"}}},
		{"/beheer/scholen/" + school + "/contactgegevens", url.Values{"brin": {"66XX"}, "street": {"Gekaapt 1"}}},
		{"/beheer/contactgegevens", url.Values{"kvk": {"66666666"}, "fg_name": {"Indringer"}}},
	}
	tests := []struct {
		who  string
		want int
	}{
		{demoReporter, http.StatusForbidden},
		{demoDesk, http.StatusForbidden},
		{demoOfficer, http.StatusForbidden},
		{demoTechnician, http.StatusForbidden},
		{demoBoard, http.StatusForbidden},
		{otherDesk, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			app := app.in(t)
			c := signedIn(app, tt.who)
			for _, p := range posts {
				before := snapshot(app)
				res := app.post(c, p.path, p.form)
				if res.StatusCode != tt.want {
					t.Errorf("POST %s as %s: %d, want %d", p.path, tt.who, res.StatusCode, tt.want)
				}
				if after := snapshot(app); after != before {
					t.Errorf("POST %s as %s changed something: %v → %v", p.path, tt.who, before, after)
				}
			}
		})
	}

	// The other organisation's administrator: demo users and schools do not
	// exist for them (404), and nothing changes.
	t.Run(otherAdmin, func(t *testing.T) {
		app := app.in(t)
		c := signedIn(app, otherAdmin)
		for _, p := range posts[1:] {
			if p.path == "/beheer/scholen" || p.path == "/beheer/contactgegevens" {
				continue // adds a school to, or sets the details of, their own organisation
			}
			before := snapshot(app)
			res := app.post(c, p.path, p.form)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s as %s: %d, want 404", p.path, otherAdmin, res.StatusCode)
			}
			if after := snapshot(app); after != before {
				t.Errorf("POST %s as %s changed something: %v → %v", p.path, otherAdmin, before, after)
			}
		}
		// Limiting a role to a demo school is refused, and nothing is stored.
		before := snapshot(app)
		res := app.post(c, "/beheer/gebruikers/nieuw", url.Values{"email": {"nieuw@ander.nl"}, "name": {"Nieuw"},
			"role_desk": {"schools"}, "schools_desk": {school}})
		if res.StatusCode != http.StatusUnprocessableEntity || !res.has("error-role_desk") {
			t.Errorf("role limited to another organisation's school: %d, want 422 beside role_desk", res.StatusCode)
		}
		if after := snapshot(app); after != before {
			t.Errorf("changed something: %v → %v", before, after)
		}
		// Their own schools list does not show the demo schools.
		if s := app.get(c, "/beheer/scholen"); s.contains("De Regenboog") || !s.contains("De Andere School") {
			t.Error("other organisation's schools page shows the demo schools")
		}
		if s := app.get(c, "/beheer/gebruikers"); s.contains(demoReporter) || !s.contains(otherDesk) {
			t.Error("other organisation's users page shows demo users")
		}
	})
}

func TestHandlersAnonymousVisitors(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	id := itoa(app.demoCase(1))
	reporterID := itoa(app.userID(demoReporter))
	school := itoa(app.schoolID(app.demoOrgID(), "De Regenboog"))
	c := app.client()
	for _, path := range []string{"/", "/melden", "/mijn-meldingen", "/meldpunt", "/meldingen/" + id,
		"/meldingen/" + id + "/ontvangen", "/beheer/gebruikers", "/beheer/gebruikers/nieuw",
		"/beheer/gebruikers/" + reporterID, "/beheer/scholen", "/meldpunt?sort=oud&pagina=2"} {
		res := app.get(c, path)
		expect(t, "anonymous GET "+path, res, http.StatusSeeOther, "/inloggen?next="+url.QueryEscape(path))
	}

	// After signing in the visitor lands where they wanted to go.
	form := app.get(c, "/inloggen?next="+url.QueryEscape("/meldpunt?sort=oud"))
	next, _ := form.inputValue("next")
	app.as(demoDesk)
	res := app.post(c, "/inloggen", url.Values{"email": {demoDesk}, "password": {service.DemoPassword}, "next": {next}})
	expect(t, "sign in with next", app.secondStep(c, demoDesk, res), http.StatusSeeOther, "/meldpunt?sort=oud")

	anon := app.client()
	snapshot := func() [5]string {
		return [5]string{
			itoa(int64(app.count(`SELECT count(*) FROM cases`))),
			itoa(int64(app.count(`SELECT count(*) FROM users`))),
			itoa(int64(app.count(`SELECT count(*) FROM password_tokens`))),
			app.scalar(`SELECT string_agg(name, ',' ORDER BY id) FROM schools`),
			app.scalar(`SELECT name || active::text FROM users WHERE id = $1`, reporterID),
		}
	}
	before := snapshot()
	for _, p := range []struct {
		path string
		form url.Values
	}{
		{"/melden", url.Values{"what_happened": {"Anoniem gemeld"}}},
		{"/beheer/gebruikers/nieuw", url.Values{"email": {"anoniem@demo.lekwacht.nl"}, "name": {"Anoniem"}, "role_admin": {"all"}}},
		{"/beheer/gebruikers/" + reporterID, url.Values{"name": {"Anoniem"}}},
		{"/beheer/gebruikers/" + reporterID + "/link", nil},
		{"/beheer/scholen", url.Values{"name": {"Anonieme school"}}},
		{"/beheer/scholen/" + school, url.Values{"name": {"Anoniem hernoemd"}}},
	} {
		res := app.post(anon, p.path, p.form)
		expect(t, "anonymous POST "+p.path, res, http.StatusSeeOther, anonymousPostTarget(p.path))
	}
	if after := snapshot(); after != before {
		t.Errorf("anonymous POSTs changed something: %v → %v", before, after)
	}
}

// A desk role limited to a school sees only that school's new cases; a case
// without a school (board office, unknown) only an organisation-wide desk.
func TestHandlersInboxScopedToSchools(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	addAccessUsers(app)
	year := itoa(int64(app.Clock.Now().In(amsterdam).Year()))
	// Case 3: no school.
	res := app.post(app.as(demoReporter), "/melden", url.Values{"what_happened": {"Iets op het bestuursbureau"}, "school": {""}})
	expect(t, "report without school", res, http.StatusSeeOther)
	noSchool := strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/meldingen/"), "/ontvangen")

	tests := []struct {
		who          string
		see, notSee  []string
		noSchoolCase int
	}{
		{demoDesk, []string{year + "-0001", year + "-0002", year + "-0003"}, nil, http.StatusOK},
		{deskSameSchool, []string{year + "-0001"}, []string{year + "-0002", year + "-0003"}, http.StatusNotFound},
		{deskOtherSchool, []string{year + "-0002"}, []string{year + "-0001", year + "-0003"}, http.StatusNotFound},
		{otherDesk, nil, []string{year + "-0001", year + "-0002", year + "-0003"}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			app := app.in(t)
			c := signedIn(app, tt.who)
			inbox := app.get(c, "/meldpunt")
			expect(t, "GET /meldpunt", inbox, http.StatusOK)
			for _, n := range tt.see {
				if !inbox.contains(n) {
					t.Errorf("inbox of %s does not list %s", tt.who, n)
				}
			}
			for _, n := range tt.notSee {
				if inbox.contains(n) {
					t.Errorf("inbox of %s lists %s", tt.who, n)
				}
			}
			if got := app.get(c, "/meldingen/"+noSchool).StatusCode; got != tt.noSchoolCase {
				t.Errorf("case without school for %s: %d, want %d", tt.who, got, tt.noSchoolCase)
			}
		})
	}
}

// routes lists every route of the site map as method and pattern.
func routes(t *testing.T) [][2]string {
	t.Helper()
	h := server.New(server.Deps{Sessions: scs.New()}).Handler()
	rs, ok := h.(chi.Routes)
	if !ok {
		t.Fatalf("handler %T is not a chi router", h)
	}
	var out [][2]string
	err := chi.Walk(rs, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		out = append(out, [2]string{method, route})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// dbDigest is a digest of every table but sessions and sign-in failures:
// equal digests mean nothing was stored or changed.
func dbDigest(app *testApp) string {
	app.t.Helper()
	ctx := sysCtx
	rows, err := app.Owner.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'
		AND tablename NOT IN ('sessions', 'signin_failures', 'goose_db_version') ORDER BY tablename`)
	if err != nil {
		app.t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		app.t.Fatal(err)
	}
	var b strings.Builder
	for _, tbl := range tables {
		var d string
		q := `SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM ` + pgx.Identifier{tbl}.Sanitize() + ` t`
		if err := app.Owner.QueryRow(ctx, q).Scan(&d); err != nil {
			app.t.Fatal(err)
		}
		b.WriteString(tbl + "=" + d + " ")
	}
	return b.String()
}

// Every route but the sign-in pages, the password links and the public
// files needs a signed-in user: taken from the router itself, so that new
// routes are covered as they are added.
func TestHandlersAnonymousEveryRoute(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	caseID := itoa(app.demoCase(1))
	userID := itoa(app.userID(demoReporter))
	schoolID := itoa(app.schoolID(app.demoOrgID(), "De Regenboog"))
	public := map[string]bool{"/inloggen": true, "/uitloggen": true, "/wachtwoord/{token}": true, "/inloggen/code": true, "/inloggen/tweestaps-instellen": true, "/inloggen/sso/{id:[0-9]+}": true, "/inloggen/sso/terug": true, "/healthz": true, "/static/*": true}
	anon := app.client()
	before := dbDigest(app)
	n := 0
	for _, rt := range routes(t) {
		method, pattern := rt[0], rt[1]
		if public[pattern] || (method != http.MethodGet && method != http.MethodPost) {
			continue
		}
		// The public report pages (issue 12) need no account; a slug or
		// token nobody set up answers 404 and changes nothing.
		if strings.Contains(pattern, "{slug}") || strings.Contains(pattern, "{token}") {
			path := strings.NewReplacer("{slug}", "niet-ingesteld", "{qid}", "1", "{token}", strings.Repeat("A", 43)).Replace(pattern)
			n++
			if method == http.MethodGet {
				expect(t, "anonymous GET "+path, app.get(anon, path), http.StatusNotFound)
			} else {
				expect(t, "anonymous POST "+path, app.post(anon, path, url.Values{"what_happened": {"Anoniem"}}), http.StatusNotFound)
			}
			continue
		}
		path, ok := routePath(pattern, caseID, userID, schoolID)
		if !ok {
			t.Errorf("route %s: unknown parameter; extend routePath", pattern)
			continue
		}
		n++
		if method == http.MethodGet {
			expect(t, "anonymous GET "+path, app.get(anon, path), http.StatusSeeOther, "/inloggen?next="+url.QueryEscape(path))
		} else {
			expect(t, "anonymous POST "+path, app.post(anon, path, url.Values{"name": {"Anoniem"}, "what_happened": {"Anoniem"}}),
				http.StatusSeeOther, anonymousPostTarget(path))
		}
	}
	t.Logf("%d routes checked anonymously", n)
	if n < 15 {
		t.Fatalf("only %d routes checked; is the walk broken?", n)
	}
	if after := dbDigest(app); after != before {
		t.Errorf("anonymous requests changed the database:\n%s\n%s", before, after)
	}
}

// routePath fills a route pattern of the router with ids: the case's, the
// user's under /beheer/gebruikers/, the school's under /beheer/scholen/, and
// fixed values for the rest. ok is false for a parameter it does not know.
func routePath(pattern, caseID, userID, schoolID string) (path string, ok bool) {
	id := caseID
	switch {
	case strings.HasPrefix(pattern, "/beheer/gebruikers/"):
		id = userID
	case strings.HasPrefix(pattern, "/beheer/scholen/"):
		id = schoolID
	}
	path = strings.NewReplacer("{id}", id, "{qid}", "1", "{aid}", "1", "{iid}", "1", "{sid}", strings.Repeat("0", 32), "{soort}", "ouders",
		"{id:[0-9]+}", "1", "{name:[a-z]+}", "totalen").Replace(pattern)
	return path, !strings.Contains(path, "{")
}

// anonymousPostTarget is where a POST without a session is sent: a report is
// kept and the reporter comes back to the form after signing in.
func anonymousPostTarget(path string) string {
	if path == "/melden" {
		return "/inloggen?next=%2Fmelden"
	}
	return "/inloggen"
}
