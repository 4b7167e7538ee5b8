package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/service"
)

var buttonRe = regexp.MustCompile(`<button[^>]*>`)

// buttonAttrs returns the attributes of the <button> with data-testid=id.
func (r *response) buttonAttrs(id string) (map[string]string, bool) {
	for _, tag := range buttonRe.FindAllString(r.Body, -1) {
		if a := attrs(tag); a["data-testid"] == id {
			return a, true
		}
	}
	return nil, false
}

// navOf is the main menu of a page.
func navOf(r *response) string {
	i := strings.Index(r.Body, `<nav aria-label="Hoofdmenu"`)
	if i < 0 {
		return ""
	}
	n := r.Body[i:]
	return n[:strings.Index(n, "</nav>")]
}

// TestRegisterExportPage: an administrator, who has no register page, finds
// the exports on /register/exporteren: the register's filter in one GET form
// with a button per format; within their schools; nobody else who may not
// export.
func TestRegisterExportPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	org := app.demoOrgID()
	regenboog, baken := itoa(app.schoolID(org, "De Regenboog")), itoa(app.schoolID(org, "Het Baken"))
	num := func(seq int) string {
		return app.scalar(`SELECT year || '-' || lpad(seq::text, 4, '0') FROM cases WHERE id = $1`, app.demoCase(seq))
	}
	num1, num2 := num(1), num(2) // De Regenboog, Het Baken
	admin := app.as(demoAdmin)

	page := app.get(admin, "/register/exporteren")
	expect(t, "admin", page, http.StatusOK)
	if !page.contains(">Register exporteren</h1>") || !page.has("export-filter") {
		t.Errorf("not the export page: %s", snippet(page.Body))
	}
	for _, f := range []string{"xlsx", "csv", "pdf"} {
		a, ok := page.buttonAttrs("export-button-" + f)
		if !ok || a["type"] != "submit" || a["formaction"] != "/register/export."+f {
			t.Errorf("button for %s: %v (found %v)", f, a, ok)
		}
	}
	if !strings.Contains(page.Body, `<form method="get" action="/register/export.xlsx"`) {
		t.Error("the filter is not one GET form (Enter exports to Excel)")
	}
	for _, name := range []string{"from", "to", "school", "breach", "ap", "status", "termijn", "q", "sort", "dir"} {
		if !page.has("filter-" + name) {
			t.Errorf("filter field %s missing", name)
		}
	}
	if !strings.Contains(page.Body, `<option value="`+regenboog+`"`) || !strings.Contains(page.Body, `<option value="`+baken+`"`) {
		t.Error("the administrator of the organisation cannot choose both demo schools")
	}
	if x := page.text("export-explanation"); !strings.Contains(x, "alle registervelden van elk incident dat het filter toont") ||
		!strings.Contains(x, "vertrouwelijk") || !strings.Contains(x, "hoogstens "+itoa(service.RegisterPDFLimit)+" incidenten") {
		t.Errorf("explanation: %q", x)
	}
	// A filter in the URL is shown back.
	if res := app.get(admin, "/register/exporteren?breach=open&q=laptop"); !strings.Contains(res.Body, `<option value="open" selected>Nog niet bepaald`) ||
		!strings.Contains(res.Body, `value="laptop"`) {
		t.Error("the filter in the URL is not shown back")
	}

	// What the form sends: the administrator downloads the CSV of one school.
	q := url.Values{"from": {""}, "to": {""}, "school": {regenboog}, "breach": {""}, "ap": {""}, "status": {""},
		"termijn": {""}, "q": {""}, "sort": {"number"}, "dir": {"asc"}}
	csv := app.get(admin, "/register/export.csv?"+q.Encode())
	expect(t, "admin CSV", csv, http.StatusOK)
	if ct := csv.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.Contains(csv.Body, num1) || strings.Contains(csv.Body, num2) {
		t.Errorf("CSV of De Regenboog: has %s %v, has %s %v", num1, strings.Contains(csv.Body, num1), num2, strings.Contains(csv.Body, num2))
	}

	// An administrator of one school chooses only that school.
	app.addUser(org, "beheer-baken@demo.lekwacht.nl", "Beheer Baken", "wachtwoord-baken-1", access.Grant{Role: access.Admin, Schools: []int64{app.schoolID(org, "Het Baken")}})
	scoped := app.client()
	app.signIn(scoped, "beheer-baken@demo.lekwacht.nl", "wachtwoord-baken-1")
	page = app.get(scoped, "/register/exporteren")
	expect(t, "admin of one school", page, http.StatusOK)
	if strings.Contains(page.Body, `<option value="`+regenboog+`"`) || !strings.Contains(page.Body, `<option value="`+baken+`"`) {
		t.Error("the administrator of Het Baken is offered another school")
	}

	// The others who may export may use the page too; whoever may not is
	// refused with the export's message; signed out goes to sign in.
	for _, who := range []string{demoDesk, demoOfficer, demoBoard} {
		expect(t, who, app.get(app.as(who), "/register/exporteren"), http.StatusOK)
	}
	for _, who := range []string{demoReporter, demoTechnician, otherStaff} {
		res := app.get(app.as(who), "/register/exporteren")
		expect(t, who, res, http.StatusForbidden)
		if msg := res.text("error-message"); msg != "Alleen het meldpunt, de FG, het bestuur en de beheerder kunnen het datalekregister exporteren." {
			t.Errorf("%s: refused with %q", who, msg)
		}
	}
	expect(t, "signed out", app.get(app.client(), "/register/exporteren"), http.StatusSeeOther, "/inloggen?next=%2Fregister%2Fexporteren")
}

// TestRegisterExportMenu: "Register exporteren" is in the menu (and on the
// start page) of who may export but not read the register; who reads the
// register has the export links there.
func TestRegisterExportMenu(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	for _, tt := range []struct {
		who  string
		want bool
	}{
		{demoAdmin, true},
		{demoDesk, false},
		{demoOfficer, false},
		{demoBoard, false},
		{demoReporter, false},
		{demoTechnician, false},
	} {
		home := app.get(app.as(tt.who), "/")
		expect(t, tt.who, home, http.StatusOK)
		nav := navOf(home)
		if got := strings.Contains(nav, `href="/register/exporteren"`) && strings.Contains(nav, ">Register exporteren</a>"); got != tt.want {
			t.Errorf("%s: menu entry Register exporteren %v, want %v", tt.who, got, tt.want)
		}
		if got := home.has("home-register-export"); got != tt.want {
			t.Errorf("%s: start page link %v, want %v", tt.who, got, tt.want)
		}
	}
	// The entry is marked as the current page on the export page.
	page := app.get(app.as(demoAdmin), "/register/exporteren")
	if !strings.Contains(navOf(page), `href="/register/exporteren" aria-current="page">Register exporteren</a>`) {
		t.Errorf("menu on the export page: %s", navOf(page))
	}
}
