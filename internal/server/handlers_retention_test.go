package server_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestHandlersAdminRetention: the administrator sets the organisation's
// retention period in the browser; a bad value is refused with a Dutch
// message beside the field and the typed value kept; others may not.
func TestHandlersAdminRetention(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)
	demo := app.demoOrgID()

	page := app.get(admin, "/beheer/bewaartermijn")
	expect(t, "GET /beheer/bewaartermijn", page, http.StatusOK)
	if !page.has("retention-form") || !page.contains(`value="5"`) {
		t.Fatalf("retention page without the form or the default of 5\n%s", snippet(page.Body))
	}
	if home := app.get(admin, "/"); !home.has("home-retention") {
		t.Error("the administrator's home page does not link to the retention setting")
	}

	for _, bad := range []string{"0", "vijf", "31", ""} {
		res := app.post(admin, "/beheer/bewaartermijn", url.Values{"retention_years": {bad}})
		expect(t, "retention "+bad, res, http.StatusUnprocessableEntity)
		if !res.has("error-retention_years") {
			t.Errorf("%q: no message beside the field", bad)
		}
		if bad != "" && !res.contains(`value="`+bad+`"`) {
			t.Errorf("%q: the typed value is lost", bad)
		}
	}
	if got := app.scalar(`SELECT retention_years FROM organisations WHERE id = $1`, demo); got != "5" {
		t.Fatalf("a refused value was stored: %s", got)
	}

	res := app.post(admin, "/beheer/bewaartermijn", url.Values{"retention_years": {"7"}})
	expect(t, "save 7", res, http.StatusSeeOther, "/beheer/bewaartermijn")
	if got := app.scalar(`SELECT retention_years FROM organisations WHERE id = $1`, demo); got != "7" {
		t.Errorf("stored %s, want 7", got)
	}
	if page := app.get(admin, "/beheer/bewaartermijn"); !page.has("flash") || !page.contains(`value="7"`) {
		t.Error("after saving: no flash or not the new value")
	}

	for _, who := range []string{demoOfficer, demoDesk, demoReporter} {
		expect(t, "GET as "+who, app.get(app.as(who), "/beheer/bewaartermijn"), http.StatusForbidden)
		expect(t, "POST as "+who, app.post(app.as(who), "/beheer/bewaartermijn", url.Values{"retention_years": {"1"}}), http.StatusForbidden)
	}
	if got := app.scalar(`SELECT retention_years FROM organisations WHERE id = $1`, demo); got != "7" {
		t.Errorf("another role changed the period to %s", got)
	}
}
