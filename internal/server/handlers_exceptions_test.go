package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func (a *testApp) exec(sql string, args ...any) {
	a.t.Helper()
	if _, err := a.Owner.Exec(context.Background(), sql, args...); err != nil {
		a.t.Fatal(err)
	}
}

// TestRegisterExceptionFilters: the register page filters on "uitzondering
// gebruikt" and "herbeoordeling verlopen", keeps the choice in the form and
// refuses an unknown value beside the field.
func TestRegisterExceptionFilters(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	org := app.demoOrgID()
	due, later := app.demoCase(1), app.demoCase(2)
	now := app.Clock.Now()
	for id, at := range map[int64]time.Time{due: now.Add(-time.Hour), later: now.AddDate(0, 6, 0)} {
		app.exec(`INSERT INTO case_exception_reviews (organisation_id, case_id, exception, due_at, started_at)
			VALUES ($1, $2, 'unintelligible', $3, $4)`, org, id, at, now.AddDate(-1, 0, 0))
	}
	num := func(id int64) string {
		return app.scalar(`SELECT year || '-' || lpad(seq::text, 4, '0') FROM cases WHERE id = $1`, id)
	}
	desk := app.as(demoDesk)

	res := app.get(desk, "/register?uitzondering=used")
	expect(t, "used", res, http.StatusOK)
	if n := strings.Count(res.Body, `data-testid="register-row"`); n != 2 || !res.contains(`value="used" selected`) {
		t.Errorf("uitzondering gebruikt: %d rows, choice kept %v", n, res.contains(`value="used" selected`))
	}
	res = app.get(desk, "/register?uitzondering=review_due")
	expect(t, "review_due", res, http.StatusOK)
	if n := strings.Count(res.Body, `data-testid="register-row"`); n != 1 || !res.contains(num(due)) || res.contains(num(later)) {
		t.Errorf("herbeoordeling verlopen: %d rows, want only %s", n, num(due))
	}
	res = app.get(desk, "/register?uitzondering=iets")
	if !res.contains("Kies ‘uitzondering gebruikt’ of ‘herbeoordeling verlopen’.") {
		t.Errorf("unknown value not refused beside the field: %s", snippet(res.Body))
	}
}

// TestExceptionReviewPeriodSetting: the administrator sets the review period
// on the schools page; a wrong value is refused beside the field, as typed.
func TestExceptionReviewPeriodSetting(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)
	page := app.get(admin, "/beheer/scholen")
	if v, _ := page.inputValue("review_months"); v != "12" {
		t.Fatalf("period shown as %q, want the default 12", v)
	}
	res := app.post(admin, "/beheer/organisatie", url.Values{"review_months": {"twaalf"}})
	expect(t, "letters", res, http.StatusUnprocessableEntity)
	if v, _ := res.inputValue("review_months"); v != "twaalf" || !res.contains("Vul een heel aantal maanden in") {
		t.Errorf("refusal: value %q, body %s", v, snippet(res.Body))
	}
	res = app.post(admin, "/beheer/organisatie", url.Values{"review_months": {"24"}})
	expect(t, "24", res, http.StatusSeeOther)
	if m := app.scalar(`SELECT exception_review_months::text FROM organisations WHERE id = $1`, app.demoOrgID()); m != "24" {
		t.Errorf("stored %s", m)
	}
	res = app.post(app.as(demoOfficer), "/beheer/organisatie", url.Values{"review_months": {"6"}})
	if res.StatusCode == http.StatusSeeOther {
		t.Error("the officer changed the period")
	}
}
