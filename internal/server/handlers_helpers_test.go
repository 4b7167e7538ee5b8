package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/service"
)

// Helpers shared by the handler tests (handlers_*_test.go).

const (
	demoReporter   = "ontdekker@demo.lekwacht.nl"
	demoDesk       = "meldpunt@demo.lekwacht.nl"
	demoOfficer    = "fg@demo.lekwacht.nl"
	demoTechnician = "technicus@demo.lekwacht.nl"
	demoBoard      = "bestuur@demo.lekwacht.nl"
	demoAdmin      = "beheer@demo.lekwacht.nl"
	otherOrg       = "Ander Bestuur"
	otherDesk      = "desk@ander.nl"
	otherStaff     = "medewerker@ander.nl"
	otherPassword  = "ander-wachtwoord"
	sessionCookie  = "lekwacht_session"
)

// in returns the app bound to a subtest, so that its helpers fail that test.
func (a *testApp) in(t *testing.T) *testApp {
	c := *a
	c.t = t
	return &c
}

// as returns a fresh client signed in as email (password chosen by domain).
func (a *testApp) as(email string) *http.Client {
	a.t.Helper()
	c := a.client()
	pw := service.DemoPassword
	if strings.HasSuffix(email, "@ander.nl") {
		pw = otherPassword
	}
	a.signIn(c, email, pw)
	return c
}

// postWith submits a form with extra request headers (for cross-site tests).
func (a *testApp) postWith(c *http.Client, path string, form url.Values, headers map[string]string) *response {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodPost, a.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	return readResponse(a.t, res)
}

// count runs a SELECT count(*)… on the test's database.
func (a *testApp) count(query string, args ...any) int {
	a.t.Helper()
	var n int
	if err := a.Owner.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		a.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// scalar runs a query returning one text value.
func (a *testApp) scalar(query string, args ...any) string {
	a.t.Helper()
	var s string
	if err := a.Owner.QueryRow(context.Background(), query, args...).Scan(&s); err != nil {
		a.t.Fatalf("%s: %v", query, err)
	}
	return s
}

func (a *testApp) orgID(name string) int64 {
	a.t.Helper()
	o, err := a.Store.OrganisationByName(sysCtx, name)
	if err != nil {
		a.t.Fatal(err)
	}
	return o.ID
}

func (a *testApp) demoOrgID() int64 { return a.orgID(service.DemoOrganisation) }

func (a *testApp) userID(email string) int64 {
	a.t.Helper()
	u, err := a.Store.UserByEmail(sysCtx, email)
	if err != nil {
		a.t.Fatal(err)
	}
	return u.ID
}

// schoolID returns the id of a school by name within an organisation.
func (a *testApp) schoolID(org int64, name string) int64 {
	a.t.Helper()
	schools, err := a.Store.Schools(sysCtx, org)
	if err != nil {
		a.t.Fatal(err)
	}
	for _, s := range schools {
		if s.Name == name {
			return s.ID
		}
	}
	a.t.Fatalf("no school %q", name)
	return 0
}

// addUser creates an account with roles and a password directly in the store.
func (a *testApp) addUser(org int64, email, name, password string, grants ...access.Grant) int64 {
	a.t.Helper()
	ctx := sysCtx
	id, err := a.Store.CreateUser(ctx, org, email, name)
	if err != nil {
		a.t.Fatal(err)
	}
	if len(grants) > 0 {
		if err := a.Store.SetGrants(ctx, org, id, grants); err != nil {
			a.t.Fatal(err)
		}
	}
	if err := setPassword(ctx, a.Svc, a.Store, id, password); err != nil {
		a.t.Fatal(err)
	}
	return id
}

// demoCase returns the id of the demo organisation's case with sequence seq
// (1 and 2 are seeded, both reported by the demo reporter).
func (a *testApp) demoCase(seq int) int64 {
	a.t.Helper()
	var id int64
	err := a.Owner.QueryRow(context.Background(),
		`SELECT id FROM cases WHERE organisation_id = $1 AND seq = $2`, a.demoOrgID(), seq).Scan(&id)
	if err != nil {
		a.t.Fatal(err)
	}
	return id
}

// cookie returns the value of the session cookie a client holds for the app.
func (a *testApp) cookie(c *http.Client) string {
	a.t.Helper()
	u, _ := url.Parse(a.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			return ck.Value
		}
	}
	return ""
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

var (
	inputRe    = regexp.MustCompile(`<input\b[^>]*>`)
	textareaRe = regexp.MustCompile(`(?s)<textarea\b([^>]*)>(.*?)</textarea>`)
	optionRe   = regexp.MustCompile(`<option\b[^>]*>`)
	attrRe     = regexp.MustCompile(`\s([a-zA-Z_-]+)(?:="([^"]*)")?`)
)

// attrs parses the attributes of one tag.
func attrs(tag string) map[string]string {
	out := map[string]string{}
	tag = strings.TrimPrefix(strings.TrimSuffix(strings.TrimSuffix(tag, ">"), "/"), "<")
	if i := strings.IndexAny(tag, " \t\n"); i >= 0 {
		tag = tag[i:]
	} else {
		return out
	}
	for _, m := range attrRe.FindAllStringSubmatch(tag, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// inputValue returns the value of the first text-like <input name=name>.
func (r *response) inputValue(name string) (string, bool) {
	for _, tag := range inputRe.FindAllString(r.Body, -1) {
		a := attrs(tag)
		if a["name"] == name && a["type"] != "checkbox" && a["type"] != "radio" {
			return a["value"], true
		}
	}
	return "", false
}

// checked reports whether the checkbox or radio name=value is checked.
func (r *response) checked(name, value string) bool {
	for _, tag := range inputRe.FindAllString(r.Body, -1) {
		a := attrs(tag)
		if a["name"] == name && a["value"] == value {
			_, ok := a["checked"]
			return ok
		}
	}
	return false
}

// checkedValues lists the checked values of a checkbox or radio group.
func (r *response) checkedValues(name string) []string {
	var out []string
	for _, tag := range inputRe.FindAllString(r.Body, -1) {
		a := attrs(tag)
		if _, ok := a["checked"]; ok && a["name"] == name {
			out = append(out, a["value"])
		}
	}
	return out
}

// selected returns the value of the selected <option>, if any.
func (r *response) selected() (string, bool) {
	for _, tag := range optionRe.FindAllString(r.Body, -1) {
		a := attrs(tag)
		if _, ok := a["selected"]; ok {
			return a["value"], true
		}
	}
	return "", false
}

// textarea returns the content of <textarea name=name>.
func (r *response) textarea(name string) (string, bool) {
	for _, m := range textareaRe.FindAllStringSubmatch(r.Body, -1) {
		if attrs("<textarea" + m[1] + ">")["name"] == name {
			return html.UnescapeString(m[2]), true
		}
	}
	return "", false
}

// text returns the text inside the first element with data-testid=id
// (up to the next tag).
func (r *response) text(id string) string {
	re := regexp.MustCompile(`data-testid="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`)
	m := re.FindStringSubmatch(r.Body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(html.UnescapeString(m[1]))
}

// contains reports whether the (HTML-unescaped) body holds s.
func (r *response) contains(s string) bool {
	return strings.Contains(html.UnescapeString(r.Body), s)
}

// expect fails the test unless the response has the status (and, for a
// redirect, the Location).
func expect(t *testing.T, what string, r *response, status int, location ...string) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d (Location %q)\n%s", what, r.StatusCode, status, r.Header.Get("Location"), snippet(r.Body))
	}
	if len(location) > 0 && r.Header.Get("Location") != location[0] {
		t.Fatalf("%s: Location %q, want %q", what, r.Header.Get("Location"), location[0])
	}
}

func snippet(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 1500 {
		s = s[:1500] + "…"
	}
	return s
}

// assertLogsClean fails when the logs hold any of the given strings: no
// personal data from forms may be logged.
func assertLogsClean(t *testing.T, app *testApp, secrets ...string) {
	t.Helper()
	logs := app.Logs.String()
	if logs == "" {
		t.Fatal("no logs written at all; the check would prove nothing")
	}
	lower := strings.ToLower(logs)
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if strings.Contains(lower, strings.ToLower(s)) {
			t.Errorf("logs contain %q (personal data must never be logged)", s)
		}
	}
}
