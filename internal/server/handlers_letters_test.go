package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestHandlersLetters (issue 10.4), through HTTP: the overview and each
// text's page for the desk, officer and board; editing is the officer's,
// refused with 422, the message beside the field and the text kept, saved
// with a 303 and a flash; the PDF download for every kind; 404 for another
// organisation, 403 for the reporter.
func TestHandlersLetters(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	id := app.subjectsToInforming()
	base := "/meldingen/" + itoa(id) + "/betrokkenen/brieven"
	officer := app.as(demoOfficer)

	res := app.get(officer, base)
	expect(t, "GET "+base, res, http.StatusOK)
	for _, tid := range []string{"letter-parent", "letter-student", "letter-staff", "letter-public", "letter-press"} {
		if !res.has(tid) {
			t.Errorf("overview lacks %s\n%s", tid, snippet(res.Body))
		}
	}
	// The demo school has its contact details (issue 10.3): nothing is
	// missing; without the FG's phone and e-mail the page says so.
	if res.has("letters-missing") {
		t.Errorf("the demo's letterhead is complete, but the overview says details are missing")
	}
	app.exec(`UPDATE organisations SET fg_phone = '', fg_email = '' WHERE id = $1`, app.demoOrgID())
	if res := app.get(officer, base); !res.has("letters-missing") || !res.contains("telefoonnummer van de FG") {
		t.Errorf("overview does not name the FG's missing phone\n%s", snippet(res.Body))
	}
	app.exec(`UPDATE organisations SET fg_phone = '030 123 45 67', fg_email = 'fg@demo.lekwacht.nl' WHERE id = $1`, app.demoOrgID())
	// Individually: the letters first, the public notice among the others;
	// by a public notice (exception iii): the notice first, instead.
	if i, j := strings.Index(res.Body, `data-testid="letter-parent"`), strings.Index(res.Body, `data-testid="letter-public"`); i < 0 || j < i || res.has("letters-public") {
		t.Errorf("individual notice: the letters should come first (%d, %d)", i, j)
	}
	app.exec(`UPDATE case_assessments SET subjects_channel = 'public' WHERE case_id = $1`, id)
	app.exec(`UPDATE case_subject_notices SET channel = 'public' WHERE case_id = $1`, id)
	pub := app.get(officer, base)
	if i, j := strings.Index(pub.Body, `data-testid="letter-parent"`), strings.Index(pub.Body, `data-testid="letter-public"`); j < 0 || i < j || !pub.has("letters-public") {
		t.Errorf("public notice: it should come first, instead of the letters (%d, %d)", i, j)
	}
	app.exec(`UPDATE case_assessments SET subjects_channel = 'individual' WHERE case_id = $1`, id)
	app.exec(`UPDATE case_subject_notices SET channel = 'individual' WHERE case_id = $1`, id)
	if !res.contains("Beste ouder of verzorger,") || !res.contains("Beste leerling,") || res.contains("USB-stick met adreslijst van klas 3b") {
		t.Errorf("overview: the letters are not the readers' drafts, or hold the desk's summary")
	}
	expect(t, "GET as the desk", app.get(app.as(demoDesk), base), http.StatusOK)
	expect(t, "GET as the board", app.get(app.as(demoBoard), base+"/pers"), http.StatusOK)
	expect(t, "GET as the reporter", app.get(app.as(demoReporter), base), http.StatusForbidden)
	expect(t, "GET as another organisation", app.get(app.as(otherDesk), base), http.StatusNotFound)
	expect(t, "GET an unknown kind", app.get(officer, base+"/oma"), http.StatusNotFound)

	// The officer's page has the form; the desk's only the text.
	page := base + "/leerlingen"
	res = app.get(officer, page)
	expect(t, "GET "+page, res, http.StatusOK)
	body, ok := res.textarea("letter_text")
	if !ok || !strings.HasPrefix(body, "Beste leerling,") || !res.has("letter-form") {
		t.Fatalf("student letter form: %q\n%s", body, snippet(res.Body))
	}
	if res := app.get(app.as(demoDesk), page); !res.has("letter-body") || res.has("letter-form") {
		t.Error("the desk gets a form, or no text")
	}
	if res := app.post(app.as(demoDesk), page, url.Values{"letter_text": {"Beste leerling, tekst"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST as the desk: %d, want 403", res.StatusCode)
	}

	// Refused: empty, and too long; the message beside the field, what was typed kept.
	for _, typed := range []string{"  ", "Beste leerling,\n" + strings.Repeat("Zoë ", 5001)} {
		res = app.post(officer, page, url.Values{"letter_text": {typed}})
		expect(t, "POST a bad text", res, http.StatusUnprocessableEntity)
		if !res.has("form-error") || !res.has("error-letter_text") {
			t.Fatalf("no message beside the field\n%s", snippet(res.Body))
		}
		if got, _ := res.textarea("letter_text"); got != typed {
			t.Errorf("the text came back as %.40q…, want what was typed", got)
		}
	}
	if n := app.count(`SELECT count(*) FROM case_letters WHERE case_id = $1`, id); n != 0 {
		t.Fatalf("a refused text stored %d rows", n)
	}

	// Accepted.
	edited := body + "\n\nPS Zoë's mentor helpt je graag."
	res = app.post(officer, page, url.Values{"letter_text": {edited}})
	expect(t, "POST a good text", res, http.StatusSeeOther, base)
	if n := app.count(`SELECT count(*) FROM case_letters WHERE case_id = $1 AND kind = 'student' AND body LIKE '%Zoë''s mentor%'`, id); n != 1 {
		t.Fatal("the text was not kept")
	}
	if n := app.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'subjects_letter'`, id); n != 1 {
		t.Errorf("%d timeline entries, want 1", n)
	}
	res = app.get(officer, base)
	if !res.contains("is opgeslagen") || !res.contains("Zoë&#39;s mentor") && !res.contains("Zoë's mentor") {
		t.Errorf("no flash, or the kept text not shown\n%s", snippet(res.Body))
	}
	// Starting again shows Lekwacht's draft without storing it.
	res = app.get(officer, page+"?opnieuw=1")
	if got, _ := res.textarea("letter_text"); strings.Contains(got, "Zoë") || !res.has("letter-restored") {
		t.Errorf("?opnieuw=1 did not show the draft")
	}

	// The PDFs.
	for _, slug := range []string{"ouders", "leerlingen", "medewerkers", "openbaar", "pers"} {
		path := base + "/" + slug + ".pdf"
		res := app.get(app.as(demoBoard), path)
		expect(t, "GET "+path, res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		cd := res.Header.Get("Content-Disposition")
		if !strings.HasPrefix(cd, `attachment; filename="`) || !strings.HasSuffix(cd, ".pdf") || strings.ContainsAny(strings.TrimPrefix(cd, `attachment; filename="`)[:20], "/\\ ") {
			t.Errorf("%s: Content-Disposition %q", path, cd)
		}
		text := pdfText(t, []byte(res.Body))
		if !strings.Contains(text, "De Regenboog") {
			t.Errorf("%s: the school's name is not in the PDF:\n%s", path, text)
		}
		if slug == "leerlingen" && !strings.Contains(text, "mentor helpt je graag") {
			t.Errorf("the student PDF is not the kept text:\n%s", text)
		}
	}
	expect(t, "PDF for another organisation", app.get(app.as(otherDesk), base+"/ouders.pdf"), http.StatusNotFound)
	expect(t, "PDF for the reporter", app.get(app.as(demoReporter), base+"/ouders.pdf"), http.StatusForbidden)
	if n := app.count(`SELECT count(*) FROM audit_log WHERE case_id = $1 AND action = 'letter_pdf_downloaded'`, id); n != 5 {
		t.Errorf("%d PDF downloads in the security log, want 5", n)
	}
	assertLogsClean(t, app, "Zoë")
}
