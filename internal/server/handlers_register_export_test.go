package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/service"
)

// xlsxNumbers reads the case numbers (column A, below the header) of an Excel export.
func xlsxNumbers(t *testing.T, body string) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("not an xlsx: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Register")
	if err != nil || len(rows) == 0 || rows[0][0] != "Zaaknummer" {
		t.Fatalf("register sheet: %v %v", rows, err)
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[0])
	}
	return out
}

func TestRegisterExportHandlers(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	org := app.demoOrgID()
	first, second := app.demoCase(1), app.demoCase(2)
	num := func(id int64) string {
		return app.scalar(`SELECT year || '-' || lpad(seq::text, 4, '0') FROM cases WHERE id = $1`, id)
	}
	num1, num2 := num(first), num(second)
	school1 := app.scalar(`SELECT school_id::text FROM cases WHERE id = $1`, first)
	var s1 int64
	for _, c := range school1 {
		s1 = s1*10 + int64(c-'0')
	}
	app.addUser(org, "beheer-school@demo.lekwacht.nl", "Beheer school", "wachtwoord-school-1", access.Grant{Role: access.Admin, Schools: []int64{s1}})
	scoped := app.client()
	app.signIn(scoped, "beheer-school@demo.lekwacht.nl", "wachtwoord-school-1")
	desk := app.as(demoDesk)

	// The page links the exports with its filter, without the page cursor.
	q := url.Values{"breach": {"open"}, "q": {"laptop"}, "sort": {"number"}, "dir": {"asc"}, "na": {"number.asc.2026.1"}}
	page := app.get(desk, "/register?"+q.Encode())
	expect(t, "page", page, http.StatusOK)
	for _, ext := range []string{"xlsx", "csv", "pdf"} {
		link := "/register/export." + ext + "?breach=open&dir=asc&q=laptop&sort=number"
		if !page.contains(`href="` + link + `"`) {
			t.Errorf("page lacks the %s link with the filter %q", ext, link)
		}
	}

	// Every register field behind each row; sort links that keep the filter
	// and turn the direction around; the first page linked from a later one.
	page = app.get(desk, "/register?school="+school1)
	if n := strings.Count(page.Body, `data-testid="register-details"`); n != 1 || !page.contains("Alle registervelden van "+num1) ||
		!page.contains("Welke persoonsgegevens") || !page.contains("Termijn 72 uur (AP)") {
		t.Errorf("details of the row missing (%d)", n)
	}
	if !page.contains(`href="/register?school=`+school1+`&sort=number"`) || !page.contains(`href="/register?dir=asc&school=`+school1+`&sort=reported"`) {
		t.Error("sort links do not keep the filter or do not turn the direction")
	}
	if page.has("register-first") {
		t.Error("first page links to the first page")
	}
	if res := app.get(desk, "/register?sort=number&na=number.desc.2099.1"); !res.has("register-first") || res.StatusCode != http.StatusOK {
		t.Errorf("a later page: %d, first-page link %v", res.StatusCode, res.has("register-first"))
	}
	if res := app.get(desk, "/register?sort=number&na=reported.desc.1.1"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("cursor of another order: %d, want 422", res.StatusCode)
	}

	formats := []struct {
		ext, contentType, magic string
	}{
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
		{"csv", "text/csv; charset=utf-8", "\ufeffZaaknummer;"},
		{"pdf", "application/pdf", "%PDF-"},
	}
	for _, f := range formats {
		res := app.get(desk, "/register/export."+f.ext)
		expect(t, f.ext, res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); ct != f.contentType {
			t.Errorf("%s: Content-Type %q, want %q", f.ext, ct, f.contentType)
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="datalekregister-`) || !strings.Contains(cd, "."+f.ext+`"`) {
			t.Errorf("%s: Content-Disposition %q", f.ext, cd)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: cacheable (%q)", f.ext, res.Header.Get("Cache-Control"))
		}
		if !strings.HasPrefix(res.Body, f.magic) {
			t.Errorf("%s: body starts %q", f.ext, snippet(res.Body))
		}
		if f.ext == "csv" && (!strings.Contains(res.Body, num1) || !strings.Contains(res.Body, num2)) {
			t.Errorf("%s lacks the demo cases", f.ext)
		}
	}
	if got := xlsxNumbers(t, app.get(desk, "/register/export.xlsx").Body); strings.Join(got, ",") != num2+","+num1 {
		t.Errorf("desk exports %v, want both demo cases newest first", got)
	}
	// The filter is carried over: both demo cases are open, none is a breach.
	if got := xlsxNumbers(t, app.get(desk, "/register/export.xlsx?breach=yes").Body); len(got) != 0 {
		t.Errorf("breach=yes exports %v", got)
	}
	if got := xlsxNumbers(t, app.get(desk, "/register/export.xlsx?sort=number&dir=asc").Body); strings.Join(got, ",") != num1+","+num2 {
		t.Errorf("sorted export %v", got)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(app.get(desk, "/register/export.csv?school="+school1).Body, "\ufeff")))
	r.Comma = ';'
	if rows, err := r.ReadAll(); err != nil || len(rows) != 2 || rows[1][0] != num1 {
		t.Errorf("school filter in CSV: %q %v", rows, err)
	}

	// Who may export: the desk, officer, board and administrator of the
	// organisation (within their schools); everyone else 403; another
	// organisation never sees these cases.
	for _, tt := range []struct {
		who    string
		client *http.Client
		status int
		want   string // case numbers in the export
	}{
		{demoDesk, desk, http.StatusOK, num2 + "," + num1},
		{demoOfficer, app.as(demoOfficer), http.StatusOK, num2 + "," + num1},
		{demoBoard, app.as(demoBoard), http.StatusOK, num2 + "," + num1},
		{demoAdmin, app.as(demoAdmin), http.StatusOK, num2 + "," + num1},
		{"admin of one school", scoped, http.StatusOK, num1},
		{otherDesk, app.as(otherDesk), http.StatusOK, ""},
		{demoReporter, app.as(demoReporter), http.StatusForbidden, ""},
		{demoTechnician, app.as(demoTechnician), http.StatusForbidden, ""},
		{otherStaff, app.as(otherStaff), http.StatusForbidden, ""},
	} {
		for _, f := range formats {
			res := app.get(tt.client, "/register/export."+f.ext)
			if res.StatusCode != tt.status {
				t.Errorf("%s %s: status %d, want %d", tt.who, f.ext, res.StatusCode, tt.status)
				continue
			}
			if tt.status != http.StatusOK {
				if res.Header.Get("Content-Disposition") != "" || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
					t.Errorf("%s %s: refused, but with %q %q", tt.who, f.ext, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
				}
				continue
			}
			if f.ext == "xlsx" {
				if got := strings.Join(xlsxNumbers(t, res.Body), ","); got != tt.want {
					t.Errorf("%s exports %q, want %q", tt.who, got, tt.want)
				}
			}
			if f.ext == "csv" && tt.want == "" && (strings.Contains(res.Body, num1) || strings.Contains(res.Body, num2)) {
				t.Errorf("%s sees the demo cases in the %s", tt.who, f.ext)
			}
		}
	}
	if res := app.get(app.client(), "/register/export.xlsx"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: %d, want a redirect to sign in", res.StatusCode)
	}
	// The page itself stays closed to the administrator (it lists no rows
	// for them to work on); the export is theirs.
	expect(t, "admin page", app.get(app.as(demoAdmin), "/register"), http.StatusForbidden)
}

// TestRegisterPDFLimit: a PDF holds at most service.RegisterPDFLimit cases;
// above that the desk is told in Dutch to narrow the filter (422), and a
// narrower filter prints.
func TestRegisterPDFLimit(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	org, reporter := app.demoOrgID(), app.userID(demoReporter)
	if _, err := app.Owner.Exec(context.Background(), `
		INSERT INTO cases (organisation_id, year, seq, reporter_id, submission_key, reported_at, what_happened,
			personal_data, ongoing, updated_at)
		SELECT $1, 2020, g, $2, md5(g::text)::uuid, timestamptz '2020-03-01 10:00+01' + g * interval '1 minute',
			'Oude melding ' || g, 'no', 'no', now()
		FROM generate_series(1, $3::int) g`, org, reporter, service.RegisterPDFLimit+1); err != nil {
		t.Fatal(err)
	}
	desk := app.as(demoDesk)
	res := app.get(desk, "/register/export.pdf")
	expect(t, "too many for a PDF", res, http.StatusUnprocessableEntity)
	if !res.contains("Een PDF kan hoogstens 2000 incidenten bevatten") || res.Header.Get("Content-Disposition") != "" {
		t.Errorf("refusal: %q, disposition %q", snippet(res.Body), res.Header.Get("Content-Disposition"))
	}
	res = app.get(desk, "/register/export.pdf?from=2021-01-01")
	expect(t, "narrowed", res, http.StatusOK)
	if !strings.HasPrefix(res.Body, "%PDF-") {
		t.Errorf("narrowed PDF: %q", snippet(res.Body))
	}
	// Excel and CSV have no limit.
	if got := xlsxNumbers(t, app.get(desk, "/register/export.xlsx").Body); len(got) != service.RegisterPDFLimit+3 {
		t.Errorf("xlsx has %d cases, want %d", len(got), service.RegisterPDFLimit+3)
	}
}
