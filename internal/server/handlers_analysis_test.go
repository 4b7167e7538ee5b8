package server_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/incident"
)

func TestAnalysisPages(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	period := incident.HalfYearOf(app.Clock.Now(), amsterdam).String()
	reports := app.count(`SELECT count(*) FROM cases WHERE organisation_id = $1`, app.demoOrgID())
	desk, board := app.as(demoDesk), app.as(demoBoard)

	// The desk sees the live figures of the half year with the demo cases,
	// each chart as an image beside its table, and the menu entry.
	res := app.get(desk, "/analyse?periode="+period)
	expect(t, "desk analysis", res, http.StatusOK)
	if !res.has("analysis-live") || !res.has("analysis-key-figures") || !res.contains(`href="/analyse"`) {
		t.Fatalf("analysis page lacks the figures or the menu entry\n%s", snippet(res.Body))
	}
	if !res.contains(`<img src="/analyse/grafiek/totalen.svg?periode=`+period+`"`) || !res.has("analysis-table-aard") {
		t.Error("chart image or table missing")
	}
	if !strings.Contains(res.Body, `scope="row">Meldingen</th><td class="utrecht-table__cell num">`+itoa(int64(reports))+`</td>`) {
		t.Errorf("key figures do not count the %d demo cases", reports)
	}
	svg := app.get(desk, "/analyse/grafiek/aard.svg?periode="+period)
	expect(t, "live chart", svg, http.StatusOK)
	if ct := svg.Header.Get("Content-Type"); ct != "image/svg+xml" || !strings.Contains(svg.Body, "<svg") ||
		!strings.Contains(svg.Body, "Meldingen naar aard van het incident") {
		t.Errorf("chart: type %q, body %.100q", ct, svg.Body)
	}
	if strings.Contains(svg.Header.Get("Content-Security-Policy"), "script") {
		t.Errorf("chart CSP allows scripts: %q", svg.Header.Get("Content-Security-Policy"))
	}
	expect(t, "unknown chart", app.get(desk, "/analyse/grafiek/taart.svg?periode="+period), http.StatusNotFound)
	res = app.get(desk, "/analyse?periode=2026-7")
	expect(t, "bad period", res, http.StatusUnprocessableEntity)
	if !res.has("analysis-live") || !res.contains("Kies een halfjaar uit de lijst.") {
		t.Error("a bad period does not show the default figures with a message")
	}

	// 422 round trip: a text too long is refused, everything typed comes back.
	long := strings.Repeat("a", 20001)
	res = app.post(desk, "/analyse", url.Values{"periode": {period}, "conclusions": {long}, "proposals": {"Versleutel alle laptops."}})
	expect(t, "too long", res, http.StatusUnprocessableEntity)
	if v, _ := res.textarea("proposals"); v != "Versleutel alle laptops." || !res.has("form-error") || !res.contains("te lang") {
		t.Errorf("refused create lost the input: proposals %q", v)
	}
	if v, _ := res.textarea("conclusions"); v != long {
		t.Errorf("refused create lost the conclusions (%d chars)", len(v))
	}
	res = app.post(desk, "/analyse", url.Values{"periode": {period}, "conclusions": {"Twee keer een laptop."}})
	expect(t, "create", res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, "/analyse/") {
		t.Fatalf("create redirects to %q", loc)
	}

	// A draft: the board and the other roles may not read it.
	expect(t, "board reads draft", app.get(board, loc), http.StatusForbidden)
	res = app.get(board, "/analyse")
	expect(t, "board index", res, http.StatusOK)
	if res.has("analysis-live") || res.has("analysis-report") || !res.has("analysis-none") {
		t.Error("the board sees figures or a draft")
	}
	for _, who := range []string{demoReporter, demoTechnician, demoAdmin} {
		c := app.as(who)
		for _, path := range []string{"/analyse", loc, loc + ".pdf", loc + "/grafiek/totalen.svg", "/analyse/grafiek/totalen.svg?periode=" + period} {
			expect(t, who+" "+path, app.get(c, path), http.StatusForbidden)
		}
		expect(t, who+" create", app.post(c, "/analyse", url.Values{"periode": {period}}), http.StatusForbidden)
	}
	if res := app.get(app.as(demoReporter), "/"); res.contains(`href="/analyse"`) {
		t.Error("staff get an Analyse link")
	}
	other := app.as(otherDesk)
	for _, path := range []string{loc, loc + ".pdf", loc + "/grafiek/totalen.svg"} {
		expect(t, "other organisation "+path, app.get(other, path), http.StatusNotFound)
	}
	expect(t, "other organisation edits", app.post(other, loc, url.Values{"conclusions": {"x"}}), http.StatusNotFound)
	if res := app.get(other, "/analyse"); res.has("analysis-report") {
		t.Error("another organisation lists the demo analysis")
	}

	// The desk edits; sharing without proposals is refused with the texts kept.
	res = app.get(desk, loc)
	expect(t, "desk reads draft", res, http.StatusOK)
	if v, _ := res.textarea("conclusions"); v != "Twee keer een laptop." || !res.has("analysis-share") || !res.has("chart-maanden") {
		t.Errorf("draft page: conclusions %q", v)
	}
	res = app.post(desk, loc+"/vaststellen", url.Values{"conclusions": {"Twee keer een laptop, één keer phishing."}, "proposals": {"  "}, "refresh": {"1"}})
	expect(t, "share without proposals", res, http.StatusUnprocessableEntity)
	if v, _ := res.textarea("conclusions"); v != "Twee keer een laptop, één keer phishing." || !res.contains("Noem de voorgestelde maatregelen") {
		t.Errorf("refused share lost the input: %q", v)
	}
	if !res.checked("refresh", "1") {
		t.Error("refused share lost the ticked 'count again'")
	}
	expect(t, "save draft", app.post(desk, loc, url.Values{"conclusions": {"Twee keer een laptop."}, "proposals": {"Laptops versleutelen."}}),
		http.StatusSeeOther, loc)
	expect(t, "share", app.post(app.as(demoOfficer), loc+"/vaststellen",
		url.Values{"conclusions": {"Twee keer een laptop."}, "proposals": {"Laptops versleutelen vóór 1 maart."}}), http.StatusSeeOther, loc)
	expect(t, "edit after sharing", app.post(desk, loc, url.Values{"conclusions": {"later"}}), http.StatusConflict)
	if n := app.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'analysis_%' AND organisation_id = $1`, app.demoOrgID()); n != 3 {
		t.Errorf("%d audit rows, want create, update and share", n)
	}

	// Shared: the board reads it, its charts and its PDF.
	res = app.get(board, loc)
	expect(t, "board reads shared", res, http.StatusOK)
	if res.text("analysis-proposals") != "Laptops versleutelen vóór 1 maart." || res.has("analysis-edit") {
		t.Errorf("board page: proposals %q, editable %v", res.text("analysis-proposals"), res.has("analysis-edit"))
	}
	if res := app.get(board, "/analyse"); !res.has("analysis-report") {
		t.Error("the board does not list the shared analysis")
	}
	svg = app.get(board, loc+"/grafiek/maanden.svg")
	expect(t, "saved chart", svg, http.StatusOK)
	if svg.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(svg.Body, "Meldingen per maand") {
		t.Errorf("saved chart: %q", svg.Header.Get("Content-Type"))
	}
	pdf := app.get(board, loc+".pdf")
	expect(t, "pdf", pdf, http.StatusOK)
	b := []byte(pdf.Body)
	if pdf.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(b, []byte("%PDF-1.")) ||
		!bytes.Contains(b[max(0, len(b)-32):], []byte("%%EOF")) || !bytes.Contains(b, []byte("/Subtype /Image")) {
		t.Errorf("not a PDF with images: %q, %.10q", pdf.Header.Get("Content-Type"), pdf.Body)
	}
	if !strings.Contains(pdf.Header.Get("Content-Disposition"), "halfjaaranalyse-"+period+".pdf") {
		t.Errorf("disposition %q", pdf.Header.Get("Content-Disposition"))
	}
	expect(t, "missing report", app.get(board, "/analyse/999999"), http.StatusNotFound)
}
