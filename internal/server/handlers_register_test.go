package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestRegisterPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	org := app.demoOrgID()
	first, second := app.demoCase(1), app.demoCase(2)
	school := app.scalar(`SELECT school_id::text FROM cases WHERE id = $1`, first)
	num1 := app.scalar(`SELECT year || '-' || lpad(seq::text, 4, '0') FROM cases WHERE id = $1`, first)
	// The first case was notified to the AP four days after it was reported.
	if _, err := app.Owner.Exec(context.Background(), `
		INSERT INTO case_notifications (organisation_id, case_id, kind, number, sent_at, recorded_at, recorded_by)
		SELECT organisation_id, id, 'initial', 'AP-77-XYZ', reported_at + interval '4 days', now(), $3
		FROM cases WHERE organisation_id = $1 AND id = $2`, org, first, app.userID(demoOfficer)); err != nil {
		t.Fatal(err)
	}

	desk := app.as(demoDesk)
	res := app.get(desk, "/register")
	expect(t, "desk", res, http.StatusOK)
	if n := strings.Count(res.Body, `data-testid="register-row"`); n != 2 {
		t.Fatalf("rows = %d, want the 2 demo cases", n)
	}
	if !res.contains(num1) || !res.contains(`href="/meldingen/`+itoa(first)+`"`) || !res.contains(`href="/meldingen/`+itoa(second)+`"`) {
		t.Error("the rows do not link the cases")
	}
	if res.text("ap-number") != "AP-77-XYZ" || !res.has("ap-late") {
		t.Errorf("notification: number %q, late marked %v", res.text("ap-number"), res.has("ap-late"))
	}
	if !res.contains("Nog niet bepaald") || !res.contains(`href="/register"`) {
		t.Error("outcome or navigation missing")
	}

	// The filters come back in the form, and filter.
	q := url.Values{"school": {school}, "breach": {"open"}, "status": {"new"}, "q": {"zzzonbekendwoord"}, "from": {"2020-01-01"}}
	res = app.get(desk, "/register?"+q.Encode())
	expect(t, "filtered", res, http.StatusOK)
	if v, _ := res.inputValue("q"); v != "zzzonbekendwoord" {
		t.Errorf("search kept as %q", v)
	}
	if v, _ := res.inputValue("from"); v != "2020-01-01" {
		t.Errorf("from kept as %q", v)
	}
	for _, opt := range []string{`value="` + school + `" selected`, `value="open" selected`, `value="new" selected`} {
		if !res.contains(opt) {
			t.Errorf("form lost %s", opt)
		}
	}
	if !res.has("register-empty") || res.has("register-row") {
		t.Error("a search for an unknown word still shows rows")
	}

	for _, who := range []string{demoOfficer, demoBoard} {
		if res := app.get(app.as(who), "/register"); res.StatusCode != http.StatusOK || strings.Count(res.Body, `data-testid="register-row"`) != 2 {
			t.Errorf("%s: status %d", who, res.StatusCode)
		}
	}
	for _, who := range []string{demoReporter, demoTechnician, demoAdmin, otherStaff} {
		res := app.get(app.as(who), "/register")
		expect(t, who, res, http.StatusForbidden)
		if res.has("register-row") {
			t.Errorf("%s sees register rows", who)
		}
	}
	if res := app.get(app.as(demoReporter), "/"); res.contains(`href="/register"`) {
		t.Error("staff get a Register link")
	}
	other := app.get(app.as(otherDesk), "/register")
	expect(t, "other organisation", other, http.StatusOK)
	if other.has("register-row") || other.contains(num1) {
		t.Error("another organisation sees the demo cases")
	}
	if res := app.get(app.client(), "/register"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: %d, want a redirect to sign in", res.StatusCode)
	}
}

// TestRegisterFilterChips shows each active filter as a chip whose link
// takes only that filter off (issue 14.4), and no chips without a filter.
func TestRegisterFilterChips(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	school := app.schoolID(app.demoOrgID(), "De Regenboog")
	desk := app.as(demoDesk)

	res := app.get(desk, "/register")
	expect(t, "register without a filter", res, http.StatusOK)
	if res.has("register-chips") {
		t.Error("chips shown without any filter")
	}

	res = app.get(desk, "/register?q=usb&breach=yes&school="+itoa(school))
	expect(t, "register with three filters", res, http.StatusOK)
	re := regexp.MustCompile(`<a class="lw-chip" href="([^"]*)" data-testid="register-chip">\s*([^<]*?)\s*<`)
	chips := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(res.Body, -1) {
		chips[html.UnescapeString(m[2])] = html.UnescapeString(m[1])
	}
	want := map[string][]string{ // chip → what its link keeps
		"Zoeken: ‘usb’":        {"breach=yes", "school=" + itoa(school)},
		"Datalek":              {"q=usb", "school=" + itoa(school)},
		"School: De Regenboog": {"breach=yes", "q=usb"},
	}
	if len(chips) != len(want) {
		t.Fatalf("chips = %q, want %d", chips, len(want))
	}
	for label, keep := range want {
		href, ok := chips[label]
		if !ok {
			t.Errorf("no chip %q among %q", label, chips)
			continue
		}
		u, err := url.Parse(href)
		if err != nil || u.Path != "/register" || len(u.Query()) != len(keep) {
			t.Errorf("chip %q links to %q, want /register with only %q", label, href, keep)
			continue
		}
		for _, kv := range keep {
			k, v, _ := strings.Cut(kv, "=")
			if u.Query().Get(k) != v {
				t.Errorf("chip %q links to %q, which drops %s", label, href, kv)
			}
		}
	}
}
