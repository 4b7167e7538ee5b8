package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/service"
)

// The administrator's forms for the contact details (issue 10.3): a bad
// value comes back with status 422, what was typed in every field and a
// Dutch message beside the wrong ones; a good one is stored and shown.
func TestHandlersOrganisationContactForm(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)

	page := app.get(admin, "/beheer/scholen")
	expect(t, "schools page", page, http.StatusOK)
	if !page.has("organisation-contact-link") || !page.has("school-contact-link") {
		t.Error("the schools page does not link the contact forms")
	}
	before := app.scalar(`SELECT row(street, postcode, city, phone, kvk, fg_name)::text FROM organisations WHERE id = $1`, app.demoOrgID())
	form := app.get(admin, "/beheer/contactgegevens")
	expect(t, "GET form", form, http.StatusOK)
	if !form.has("organisation-contact-form") || !form.contains(service.DemoOrganisation) {
		t.Fatalf("no form\n%s", snippet(form.Body))
	}

	bad := url.Values{"kvk": {"1234"}, "street": {"Kerkplein 1"}, "postcode": {"3511aa"}, "city": {"Utrecht"},
		"phone": {"030-12"}, "email": {"info@demo.nl"}, "website": {"demo.nl"},
		"fg_name": {"Femke de Functionaris"}, "fg_email": {"fg@demo.nl"}, "fg_phone": {"06-12345678"}}
	res := app.post(admin, "/beheer/contactgegevens", bad)
	expect(t, "bad KvK and phone", res, http.StatusUnprocessableEntity)
	if !res.has("form-error") || !strings.Contains(res.text("error-kvk"), "acht cijfers") || !strings.Contains(res.text("error-phone"), "tien cijfers") {
		t.Fatalf("no message beside the fields\n%s", snippet(res.Body))
	}
	if res.has("error-city") || res.has("error-fg_name") {
		t.Error("a message beside a right field")
	}
	for name, want := range map[string]string{"kvk": "1234", "phone": "030-12", "city": "Utrecht", "fg_name": "Femke de Functionaris", "postcode": "3511aa"} {
		if v, _ := res.inputValue(name); v != want {
			t.Errorf("%s came back as %q, want %q", name, v, want)
		}
	}
	if app.scalar(`SELECT row(street, postcode, city, phone, kvk, fg_name)::text FROM organisations WHERE id = $1`, app.demoOrgID()) != before {
		t.Error("a refused form was stored")
	}

	bad.Set("kvk", "4123 4567")
	bad.Set("phone", "030-1234567")
	res = app.post(admin, "/beheer/contactgegevens", bad)
	expect(t, "good form", res, http.StatusSeeOther, "/beheer/contactgegevens")
	form = app.get(admin, "/beheer/contactgegevens")
	if form.text("flash") != "De contactgegevens van de organisatie zijn opgeslagen." {
		t.Errorf("flash %q", form.text("flash"))
	}
	if v, _ := form.inputValue("kvk"); v != "41234567" {
		t.Errorf("stored KvK shown as %q", v)
	}
	if v, _ := form.inputValue("website"); v != "https://demo.nl" {
		t.Errorf("stored website shown as %q", v)
	}
	if n := app.count(`SELECT count(*) FROM audit_log WHERE action = 'organisation_contact_changed'`); n != 1 {
		t.Errorf("%d audit rows", n)
	}
}

func TestHandlersSchoolContactForm(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)
	id := itoa(app.schoolID(app.demoOrgID(), "Het Baken"))
	path := "/beheer/scholen/" + id + "/contactgegevens"

	form := app.get(admin, path)
	expect(t, "GET form", form, http.StatusOK)
	if !form.has("school-contact-form") || !form.contains("Contactgegevens van Het Baken") {
		t.Fatalf("no form\n%s", snippet(form.Body))
	}
	res := app.post(admin, path, url.Values{"brin": {"1AB"}, "city": {"Amersfoort"}, "website": {"ftp://baken.nl"}})
	expect(t, "bad BRIN", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.text("error-brin"), "twee cijfers en twee letters") || !res.has("error-website") || !res.contains("Contactgegevens van Het Baken") {
		t.Fatalf("no message beside the BRIN\n%s", snippet(res.Body))
	}
	if v, _ := res.inputValue("brin"); v != "1AB" {
		t.Errorf("BRIN came back as %q", v)
	}
	if v, _ := res.inputValue("city"); v != "Amersfoort" {
		t.Errorf("city came back as %q", v)
	}
	res = app.post(admin, path, url.Values{"brin": {"12ab"}, "city": {"Amersfoort"}})
	expect(t, "good form", res, http.StatusSeeOther, path)
	if v, _ := app.get(admin, path).inputValue("brin"); v != "12AB" {
		t.Errorf("stored BRIN shown as %q", v)
	}

	// Another organisation's school, an unknown one, and anyone but the administrator.
	other := itoa(app.schoolID(app.orgID(otherOrg), "De Andere School"))
	expect(t, "another organisation's school", app.get(admin, "/beheer/scholen/"+other+"/contactgegevens"), http.StatusNotFound)
	expect(t, "change another organisation's school", app.post(admin, "/beheer/scholen/"+other+"/contactgegevens", url.Values{"brin": {"99ZZ"}}), http.StatusNotFound)
	expect(t, "no school", app.get(admin, "/beheer/scholen/x/contactgegevens"), http.StatusNotFound)
	officer := app.as(demoOfficer)
	expect(t, "officer reads", app.get(officer, path), http.StatusForbidden)
	expect(t, "officer changes", app.post(officer, "/beheer/contactgegevens", url.Values{"kvk": {"41234567"}}), http.StatusForbidden)
}

// TestAPFormMarksWhatIsMissing (the page): the AP overview of step 5 shows
// the organisation's and the FG's contact details as the administrator keeps
// them, and marks each one the AP asks for once it is emptied.
func TestAPFormMarksWhatIsMissing(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	ctx := context.Background()
	id := app.subjectsToInforming()
	// Back to step 5: the AP overview is the officer's page there.
	app.exec(`UPDATE cases SET status = 'notification' WHERE id = $1`, id)
	officer := app.as(demoOfficer)
	path := "/meldingen/" + itoa(id) + "/melding-ap"

	page := app.get(officer, path)
	expect(t, "AP overview", page, http.StatusOK)
	for _, want := range []string{"41234567", "Stationsplein 1", "3511 AA", "Utrecht", "Femke de Functionaris", "fg@demo.lekwacht.nl", "030-7654321"} {
		if !page.contains(want) {
			t.Errorf("the AP overview does not show %q", want)
		}
	}
	if page.has("ap-section-note") {
		t.Error("a note on missing contact details while none is missing")
	}
	missing := strings.Count(page.Body, `data-testid="ap-missing"`)

	// The administrator empties the KvK number and the FG's phone.
	c := must(app.Svc.Accounts.OrganisationContact(ctx, app.actor(demoAdmin)))
	c.KvK, c.FGPhone = "", ""
	must(app.Svc.Accounts.SetOrganisationContact(ctx, app.actor(demoAdmin), c))
	page = app.get(officer, path)
	if got := strings.Count(page.Body, `data-testid="ap-missing"`); got != missing+2 {
		t.Errorf("%d fields marked missing, want %d (the KvK number and the FG's phone besides)", got, missing+2)
	}
	if page.contains("41234567") || page.contains("030-7654321") {
		t.Error("emptied details still shown")
	}
	if !strings.Contains(page.text("ap-section-note"), "Contactgegevens") {
		t.Errorf("note %q", page.text("ap-section-note"))
	}
	for _, label := range []string{"KvK-nummer", "Telefoonnummer contactpersoon"} {
		if !regexp.MustCompile(`<dt>` + label + `</dt><dd data-testid="ap-missing"`).MatchString(page.Body) {
			t.Errorf("%s not marked missing", label)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
