package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// userRow returns the users-list row that mentions email.
func userRow(r *response, email string) string {
	for _, row := range regexp.MustCompile(`(?s)<tr [^>]*data-testid="user-row"[^>]*>.*?</tr>`).FindAllString(r.Body, -1) {
		if strings.Contains(row, email) {
			return row
		}
	}
	return ""
}

func TestHandlersAdminCreateUserWithSchoolRole(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)
	baken := itoa(app.schoolID(app.demoOrgID(), "Het Baken"))

	form := app.get(admin, "/beheer/gebruikers/nieuw")
	expect(t, "GET new user form", form, http.StatusOK)
	if !form.has("user-form") || !form.checked("role_desk", "") {
		t.Fatal("new user form without its fields")
	}

	res := app.post(admin, "/beheer/gebruikers/nieuw", url.Values{
		"email": {"Baliemedewerker@demo.lekwacht.nl"}, "name": {"Bart Balie"},
		"role_desk": {"schools"}, "schools_desk": {baken}, "role_officer": {""},
	})
	id := app.userID("baliemedewerker@demo.lekwacht.nl")
	expect(t, "create user", res, http.StatusSeeOther, "/beheer/gebruikers/"+itoa(id))

	list := app.get(admin, "/beheer/gebruikers")
	expect(t, "GET /beheer/gebruikers", list, http.StatusOK)
	row := userRow(list, "baliemedewerker@demo.lekwacht.nl")
	if !strings.Contains(row, "Meldpunt (Het Baken)") || !strings.Contains(row, "Wacht op wachtwoord") {
		t.Errorf("users list row = %q, want the desk role limited to Het Baken, waiting for a password", row)
	}
	page := app.get(admin, "/beheer/gebruikers/"+itoa(id))
	if !page.checked("role_desk", "schools") || !page.checked("schools_desk", baken) || !page.checked("role_officer", "") {
		t.Error("user page does not show the desk role limited to Het Baken")
	}
	if n := app.count(`SELECT count(*) FROM audit_log WHERE action = 'user_created' AND subject_id = $1`, id); n != 1 {
		t.Errorf("%d audit entries for the new account, want 1", n)
	}
}

func TestHandlersAdminCreateUserValidation(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)
	regenboog := itoa(app.schoolID(app.demoOrgID(), "De Regenboog"))
	users := app.count(`SELECT count(*) FROM users`)

	bad := url.Values{"email": {"geen-e-mailadres"}, "name": {"Ingrid Ingevuld"},
		"role_officer": {"all"}, "role_board": {"schools"}, "schools_board": {regenboog}}
	res := app.post(admin, "/beheer/gebruikers/nieuw", bad)
	expect(t, "invalid email", res, http.StatusUnprocessableEntity)
	if !res.has("error-email") || !res.has("form-error") {
		t.Fatalf("invalid email: no message beside the field\n%s", snippet(res.Body))
	}
	if res.has("error-name") {
		t.Error("message beside a valid name")
	}
	if v, _ := res.inputValue("email"); v != "geen-e-mailadres" {
		t.Errorf("email came back as %q", v)
	}
	if v, _ := res.inputValue("name"); v != "Ingrid Ingevuld" {
		t.Errorf("name came back as %q", v)
	}
	if !res.checked("role_officer", "all") || !res.checked("role_board", "schools") || !res.checked("schools_board", regenboog) {
		t.Error("chosen roles not kept")
	}

	for _, tt := range []struct{ email, field string }{
		{"Meldpunt@Demo.Lekwacht.nl", "email"}, // exists, other capitals
		{"", "email"},
	} {
		res := app.post(admin, "/beheer/gebruikers/nieuw", url.Values{"email": {tt.email}, "name": {"Dubbel"}})
		expect(t, "create "+tt.email, res, http.StatusUnprocessableEntity)
		if !res.has("error-" + tt.field) {
			t.Errorf("create %q: no message beside %s", tt.email, tt.field)
		}
		if v, _ := res.inputValue("email"); v != tt.email {
			t.Errorf("create %q: email came back as %q", tt.email, v)
		}
	}
	noName := app.post(admin, "/beheer/gebruikers/nieuw", url.Values{"email": {"naamloos@demo.lekwacht.nl"}, "name": {" "}})
	expect(t, "no name", noName, http.StatusUnprocessableEntity)
	if !noName.has("error-name") {
		t.Error("no name: no message beside the field")
	}
	noSchool := app.post(admin, "/beheer/gebruikers/nieuw", url.Values{"email": {"zonder.school@demo.lekwacht.nl"},
		"name": {"Zonder School"}, "role_desk": {"schools"}})
	expect(t, "role limited to no school", noSchool, http.StatusUnprocessableEntity)
	if !noSchool.has("error-role_desk") {
		t.Error("role limited to no school: no message beside the role")
	}
	if n := app.count(`SELECT count(*) FROM users`); n != users {
		t.Errorf("%d users, want %d: an invalid form stored an account", n, users)
	}
	// An address of the other organisation is a person who already has an
	// account (issue 11.3): they become a member here, without a password
	// link from this organisation, and the page says so.
	member := app.post(admin, "/beheer/gebruikers/nieuw", url.Values{"email": {otherDesk}, "name": {"Balie van Ander"}, "role_desk": {"all"}})
	expect(t, "add a person of another organisation", member, http.StatusSeeOther)
	page := app.get(admin, member.Header.Get("Location"))
	if !strings.Contains(page.text("flash"), "al een account") || strings.Contains(page.Body, "/wachtwoord/") ||
		!page.has("user-home-elsewhere") || page.has("new-link") || page.contains("Ander Bestuur") {
		t.Errorf("the page after adding an existing person: flash %q, link shown %t, managed elsewhere %t, other organisation named %t",
			page.text("flash"), strings.Contains(page.Body, "/wachtwoord/"), page.has("user-home-elsewhere"), page.contains("Ander Bestuur"))
	}
	if n := app.count(`SELECT count(*) FROM people WHERE email = $1`, otherDesk); n != 1 {
		t.Errorf("%d people with the address %s, want 1", n, otherDesk)
	}
	assertLogsClean(t, app, "geen-e-mailadres", "Ingrid Ingevuld", "naamloos@demo.lekwacht.nl", "zonder.school@demo.lekwacht.nl")
}

func TestHandlersAdminCannotLockThemselvesOut(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)
	self := itoa(app.userID(demoAdmin))
	path := "/beheer/gebruikers/" + self

	res := app.post(admin, path, url.Values{"name": {"Bea Beheerder"}, "active": {"1"}, "role_admin": {""}, "role_desk": {"all"}})
	expect(t, "drop own admin role", res, http.StatusUnprocessableEntity)
	if !res.has("error-role_admin") {
		t.Errorf("no message beside the admin role\n%s", snippet(res.Body))
	}
	if !res.checked("role_desk", "all") || !res.checked("role_admin", "") {
		t.Error("the chosen roles were not kept")
	}

	res = app.post(admin, path, url.Values{"name": {"Bea Beheerder"}, "role_admin": {"all"}})
	expect(t, "deactivate self", res, http.StatusUnprocessableEntity)
	if !res.has("error-active") {
		t.Errorf("no message beside the active checkbox\n%s", snippet(res.Body))
	}

	if n := app.count(`SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.id = $1 AND u.active AND r.role = 'admin' AND r.school_id IS NULL`, self); n != 1 {
		t.Fatal("the administrator lost their role or was deactivated")
	}
	if n := app.count(`SELECT count(*) FROM user_roles WHERE user_id = $1`, self); n != 1 {
		t.Error("roles changed by a refused form")
	}
	expect(t, "still an administrator", app.get(admin, "/beheer/gebruikers"), http.StatusOK)

	// A valid change of their own account (a new role) works, and the
	// session carries on.
	res = app.post(admin, path, url.Values{"name": {"Bea Beheerder"}, "active": {"1"}, "role_admin": {"all"}, "role_board": {"all"}})
	expect(t, "add own role", res, http.StatusSeeOther, "/beheer/gebruikers")
	home := app.get(admin, "/")
	expect(t, "home after own change", home, http.StatusOK)
	if !home.contains("Directie / bestuur") {
		t.Error("new role not shown after changing one's own roles")
	}
}

func TestHandlersAdminEditUser(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)
	id := itoa(app.userID(demoTechnician))
	path := "/beheer/gebruikers/" + id

	page := app.get(admin, path)
	expect(t, "GET user", page, http.StatusOK)
	if !page.checked("role_technician", "all") || !page.checked("active", "1") {
		t.Fatal("user page does not show the current role and state")
	}
	bad := app.post(admin, path, url.Values{"name": {""}, "active": {"1"}, "role_technician": {"all"}, "role_officer": {"iets"}})
	expect(t, "invalid edit", bad, http.StatusUnprocessableEntity)
	if !bad.has("error-name") || !bad.has("error-role_officer") {
		t.Error("invalid edit: messages missing")
	}
	if !bad.contains(demoTechnician) {
		t.Error("invalid edit: the account's email is no longer shown")
	}
	res := app.post(admin, path, url.Values{"name": {"Teun de Technicus"}, "active": {"1"}, "role_technician": {"all"}, "role_officer": {"all"}})
	expect(t, "edit", res, http.StatusSeeOther, "/beheer/gebruikers")
	list := app.get(admin, "/beheer/gebruikers")
	row := userRow(list, demoTechnician)
	if !strings.Contains(row, "Teun de Technicus") || !strings.Contains(row, "FG / privacy officer") || !strings.Contains(row, "Technicus") {
		t.Errorf("users list row after edit = %q", row)
	}
	if !list.has("flash") {
		t.Error("no flash after saving")
	}

	// A new one-time link for the account.
	res = app.post(admin, path+"/link", nil)
	expect(t, "new link", res, http.StatusSeeOther, path)
	if p := app.get(admin, path); !strings.HasPrefix(p.text("password-link-url"), "http://lekwacht.test/wachtwoord/") {
		t.Error("new link not shown")
	}
	expect(t, "unknown user", app.get(admin, "/beheer/gebruikers/999999"), http.StatusNotFound)
	expect(t, "bad user id", app.get(admin, "/beheer/gebruikers/abc"), http.StatusNotFound)
	expect(t, "edit unknown user", app.post(admin, "/beheer/gebruikers/999999", url.Values{"name": {"X"}}), http.StatusNotFound)
}

func TestHandlersAdminSchools(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)
	demo := app.demoOrgID()
	schools := func() int { return app.count(`SELECT count(*) FROM schools WHERE organisation_id = $1`, demo) }

	page := app.get(admin, "/beheer/scholen")
	expect(t, "GET /beheer/scholen", page, http.StatusOK)
	if !page.has("schools-list") || !page.contains("De Regenboog") || !page.contains("Het Baken") {
		t.Fatal("schools page does not list the demo schools")
	}

	res := app.post(admin, "/beheer/scholen", url.Values{"name": {"  De Vlinder  "}})
	expect(t, "add school", res, http.StatusSeeOther, "/beheer/scholen")
	list := app.get(admin, "/beheer/scholen")
	if !schoolListed(list, "De Vlinder") || !list.has("flash") {
		t.Fatalf("new school not listed (or no flash)\n%s", snippet(list.Body))
	}
	n := schools()

	dup := app.post(admin, "/beheer/scholen", url.Values{"name": {"de regenboog"}})
	expect(t, "duplicate school", dup, http.StatusUnprocessableEntity)
	if !dup.has("error-name") {
		t.Error("duplicate school: no message beside the name")
	}
	if v := addSchoolValue(dup); v != "de regenboog" {
		t.Errorf("typed name not kept in the add field: %q", v)
	}
	empty := app.post(admin, "/beheer/scholen", url.Values{"name": {""}})
	expect(t, "empty school name", empty, http.StatusUnprocessableEntity)
	if schools() != n {
		t.Fatal("an invalid school was stored")
	}

	vlinder := itoa(app.schoolID(demo, "De Vlinder"))
	res = app.post(admin, "/beheer/scholen/"+vlinder, url.Values{"name": {"De Vlinderhof"}})
	expect(t, "rename", res, http.StatusSeeOther, "/beheer/scholen")
	list = app.get(admin, "/beheer/scholen")
	if !schoolListed(list, "De Vlinderhof") || schoolListed(list, "De Vlinder") {
		t.Error("renamed school not listed under its new name")
	}
	res = app.post(admin, "/beheer/scholen/"+vlinder, url.Values{"name": {"Het Baken"}})
	expect(t, "rename to an existing name", res, http.StatusUnprocessableEntity)
	if !res.contains("Er is al een school met deze naam") {
		t.Error("rename to an existing name: no message")
	}
	if app.scalar(`SELECT name FROM schools WHERE id = $1`, vlinder) != "De Vlinderhof" {
		t.Error("a refused rename changed the name")
	}
	expect(t, "rename unknown school", app.post(admin, "/beheer/scholen/999999", url.Values{"name": {"Spookschool"}}), http.StatusNotFound)
	expect(t, "rename bad id", app.post(admin, "/beheer/scholen/abc", url.Values{"name": {"Spookschool"}}), http.StatusNotFound)
	if schools() != n {
		t.Error("school count changed by renames")
	}

	// The new school is offered on the report form.
	if f := app.get(app.as(demoReporter), "/melden"); !f.contains("De Vlinderhof") {
		t.Error("report form does not offer the new school")
	}
}

// schoolListed reports whether the schools list has a rename field holding name.
func schoolListed(r *response, name string) bool {
	for _, tag := range inputRe.FindAllString(r.Body, -1) {
		a := attrs(tag)
		if a["data-testid"] == "school-name" && a["value"] == name {
			return true
		}
	}
	return false
}

// addSchoolValue returns the value of the add-school field (id="name"; the
// rename fields of the list have ids school-N).
func addSchoolValue(r *response) string {
	for _, tag := range inputRe.FindAllString(r.Body, -1) {
		if a := attrs(tag); a["id"] == "name" {
			return a["value"]
		}
	}
	return "<no add field>"
}

// BUG (documented, for the lead): a refused rename puts its message beside
// the "add a school" field (marking that untouched field invalid) and throws
// away the name the administrator typed; habit 10 wants the message beside
// the field concerned and the input kept. See admin_schools.go saveSchool.
func TestHandlersAdminSchoolRenameErrorKeepsInput(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)
	id := itoa(app.schoolID(app.demoOrgID(), "De Regenboog"))
	res := app.post(admin, "/beheer/scholen/"+id, url.Values{"name": {"Het Baken"}})
	expect(t, "rename to an existing name", res, http.StatusUnprocessableEntity)
	var renameField, addField map[string]string
	for _, tag := range inputRe.FindAllString(res.Body, -1) {
		switch a := attrs(tag); a["id"] {
		case "school-" + id:
			renameField = a
		case "name":
			addField = a
		}
	}
	if renameField == nil || addField == nil {
		t.Fatal("schools page without its fields")
	}
	if renameField["value"] != "Het Baken" {
		t.Errorf("the typed name is lost: the rename field shows %q, want %q", renameField["value"], "Het Baken")
	}
	if _, invalid := addField["aria-invalid"]; invalid {
		t.Error("the add-school field, which the administrator did not touch, is marked invalid")
	}
	if strings.Contains(between(res.Body, `<form method="post" action="/beheer/scholen" `, `</form>`), "Naam wijzigen lukte niet") {
		t.Error("the rename message is shown beside the add-school field, not beside the school renamed")
	}
}
