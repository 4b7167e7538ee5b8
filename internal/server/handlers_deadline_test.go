package server_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/lekwacht/lekwacht/internal/incident"
)

var governingRe = regexp.MustCompile(`data-testid="due-governing"[^>]*>(?:<strong[^>]*>[^<]*</strong>\s*)?<span data-testid="due-sentence">([^<]*)</span>`)

// governing returns the governing deadline of the page's first (or only)
// deadline block, "" when there is none.
func governing(r *response) string {
	m := governingRe.FindStringSubmatch(r.Body)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestGoverningDeadlineIsTheSameEverywhere: the teacher's discovery drives
// one governing deadline, in the same words on the case page (for every role
// that sees it), each start page, the register and the CSV, Excel and PDF
// exports.
func TestGoverningDeadlineIsTheSameEverywhere(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	now := app.Clock.Now().In(amsterdam)
	discovered := now.Add(-30 * time.Hour).Truncate(time.Minute)
	form := url.Values{"submission_key": {uuid.NewString()}, "what_happened": {"Map met toetsresultaten open gedeeld"},
		"discovered_at": {discovered.Format(incident.DateTimeLayout)}, "personal_data": {"yes"},
		"school": {itoa(app.schoolID(app.demoOrgID(), "De Regenboog"))}}
	res := app.post(app.as(demoReporter), "/melden", form)
	m := doneRe.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("report: %d %s", res.StatusCode, snippet(res.Body))
	}
	id := m[1]
	number := app.scalar(`SELECT year || '-' || lpad(seq::text, 4, '0') FROM cases WHERE id = $1`, id)
	due := discovered.Add(72 * time.Hour)
	want := incident.NewDue(incident.DueAuthority, "melden aan de AP (72 uur)", due, app.Clock.Now()).Sentence(amsterdam)
	if !strings.HasPrefix(want, "Uiterlijk melden aan de AP (72 uur): "+incident.DayTime(due, amsterdam, now)+" — nog 1 dag en 1") {
		t.Fatalf("want %q", want)
	}

	check := func(what, got string) {
		t.Helper()
		if got != want {
			t.Errorf("%s shows %q, want %q", what, got, want)
		}
	}
	casePage := func(who string) *response {
		r := app.get(app.as(who), "/meldingen/"+id)
		expect(t, who+" case page", r, http.StatusOK)
		if !strings.Contains(r.Body, `data-testid="case-deadlines"`) || strings.Index(r.Body, `data-testid="case-deadlines"`) > strings.Index(r.Body, `data-testid="case-report"`) && strings.Contains(r.Body, `data-testid="case-report"`) {
			t.Errorf("%s: the deadlines are not at the top of the case page", who)
		}
		return r
	}
	for _, who := range []string{demoReporter, demoDesk, demoOfficer, demoBoard} {
		check(who+" case page", governing(casePage(who)))
	}
	if r := casePage(demoDesk); !r.contains("Wacht op: het meldpunt") {
		t.Error("the case page does not say who must act next")
	}
	home := app.get(app.as(demoDesk), "/")
	check("desk start page", governing(&response{Body: home.Body[strings.Index(home.Body, number):]}))

	register := func(who string) {
		t.Helper()
		desk := app.as(who)
		r := app.get(desk, "/register?q="+url.QueryEscape("toetsresultaten"))
		expect(t, "register", r, http.StatusOK)
		check(who+" register", governing(r))
		csvRes := app.get(desk, "/register/export.csv?q="+url.QueryEscape("toetsresultaten"))
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvRes.Body, "\xef\xbb\xbf")))
		cr.Comma = ';'
		rows, err := cr.ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("CSV: %v %d rows", err, len(rows))
		}
		col := slices.Index(rows[0], "Geldende termijn")
		check(who+" CSV", rows[1][col])
		x := app.get(desk, "/register/export.xlsx?q="+url.QueryEscape("toetsresultaten"))
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
		if err != nil {
			t.Fatal(err)
		}
		xrows, err := f.GetRows("Register")
		if err != nil || len(xrows) != 2 {
			t.Fatalf("xlsx: %v %v", xrows, err)
		}
		check(who+" Excel", xrows[1][slices.Index(xrows[0], "Geldende termijn")])
		_ = f.Close()
		p := pdfText(t, []byte(app.get(desk, "/register/export.pdf?q="+url.QueryEscape("toetsresultaten")).Body))
		if !strings.Contains(p, strings.Join(strings.Fields(want), " ")) {
			t.Errorf("%s PDF lacks %q: %s", who, want, snippet(p))
		}
	}
	register(demoDesk)

	// With the FG (step 3) the officer's start page and the register say so;
	// in step 5 the board's start page too, with the board first in line.
	app.scalar(`UPDATE cases SET status = 'assessment' WHERE id = $1 RETURNING id`, id)
	home = app.get(app.as(demoOfficer), "/")
	check("officer start page", governing(&response{Body: home.Body[strings.Index(home.Body, number):]}))
	register(demoOfficer)
	app.scalar(`UPDATE cases SET status = 'notification' WHERE id = $1 RETURNING id`, id)
	home = app.get(app.as(demoBoard), "/")
	check("board start page", governing(&response{Body: home.Body[strings.Index(home.Body, number):]}))
	if !home.contains("Wacht op: het bestuur, dan de FG") {
		t.Error("the board's start page does not say the board comes first")
	}
	register(demoBoard)
	check("board case page", governing(casePage(demoBoard)))
}
