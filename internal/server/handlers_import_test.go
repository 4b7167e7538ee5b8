package server_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/xlsxsample"
)

// uploadRegister posts the import form like a same-origin browser.
func (a *testApp) uploadRegister(c *http.Client, filename, claimed string, data []byte) *response {
	a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, filename))
	h.Set("Content-Type", claimed)
	w, err := mw.CreatePart(h)
	if err != nil {
		a.t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		a.t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		a.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, a.URL+"/register/import", &body)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", a.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	return readResponse(a.t, res)
}

// mappingForm reads the mapping form as the browser would submit it: the
// sheet and the selected field of every column.
func mappingForm(t *testing.T, r *response) url.Values {
	t.Helper()
	form := url.Values{}
	sheet, ok := r.inputValue("sheet")
	if !ok {
		t.Fatalf("no sheet in the mapping form:\n%s", snippet(r.Body))
	}
	form.Set("sheet", sheet)
	sel := regexp.MustCompile(`(?s)<select[^>]* id="(col\d+)" name="col\d+"[^>]*>(.*?)</select>`)
	opt := regexp.MustCompile(`<option value="([^"]*)" selected`)
	for _, m := range sel.FindAllStringSubmatch(r.Body, -1) {
		v := ""
		if o := opt.FindStringSubmatch(m[2]); o != nil {
			v = o[1]
		}
		form.Set(m[1], v)
	}
	if len(form) < 2 {
		t.Fatalf("no column selects in the mapping form:\n%s", snippet(r.Body))
	}
	return form
}

func TestImportJourneyThroughHTTP(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.Clock.Add(0)
	desk := app.as(demoDesk)
	org := app.demoOrgID()
	before := app.count(`SELECT count(*) FROM cases WHERE organisation_id = $1`, org)

	reg := app.get(desk, "/register")
	expect(t, "register", reg, http.StatusOK)
	if !reg.has("register-import-link") {
		t.Error("the register does not link the import for the desk")
	}
	expect(t, "upload form", app.get(desk, "/register/import"), http.StatusOK)

	// Not an xlsx: 422, a Dutch message beside the field, nothing stored.
	for _, bad := range []struct{ name, claimed, body string }{
		{"register.csv", "text/csv", "Datum;Omschrijving\n12-03-2024;Brief kwijt\n"},
		{"register.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "%PDF-1.7\n%%EOF\n"},
	} {
		res := app.uploadRegister(desk, bad.name, bad.claimed, []byte(bad.body))
		expect(t, bad.name, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.text("error-file"), "Dit is geen Excel-bestand (.xlsx)") || !res.has("import-upload-form") {
			t.Errorf("%s: message %q", bad.name, res.text("error-file"))
		}
	}
	// Over 5 MB: 413, with the same form and a message.
	res := app.uploadRegister(desk, "groot.xlsx", "application/octet-stream", bytes.Repeat([]byte("x"), 6<<20))
	expect(t, "too large", res, http.StatusRequestEntityTooLarge)
	if !strings.Contains(res.text("error-file"), "groter dan 5 MB") {
		t.Errorf("too large: message %q", res.text("error-file"))
	}
	if n := app.count(`SELECT count(*) FROM register_imports`); n != 0 {
		t.Fatalf("%d uploads stored from refused files", n)
	}

	sample, err := xlsxsample.Sample()
	if err != nil {
		t.Fatal(err)
	}
	res = app.uploadRegister(desk, "Datalekregister 2024.xlsx", "application/octet-stream", sample)
	expect(t, "upload", res, http.StatusSeeOther)
	mapURL := res.Header.Get("Location")
	if !regexp.MustCompile(`^/register/import/\d+$`).MatchString(mapURL) {
		t.Fatalf("redirect to %q", mapURL)
	}

	// The first sheet is the explanation; the register is chosen with a GET form.
	res = app.get(desk, mapURL)
	expect(t, "mapping", res, http.StatusOK)
	if !res.has("import-sheet-form") {
		t.Error("no sheet choice for a workbook with two sheets")
	}
	res = app.get(desk, mapURL+"?blad=Register")
	expect(t, "mapping of the register sheet", res, http.StatusOK)
	form := mappingForm(t, res)
	if form.Get("col0") != "date" || form.Get("col1") != "description" || form.Get("col8") != "ap_notified" || form.Get("col9") != "ap_number" {
		t.Errorf("guessed mapping %v", form)
	}

	// Without a date column: 422, the choices kept, a message.
	wrong := url.Values{}
	for k, v := range form {
		wrong[k] = v
	}
	wrong.Set("col0", "")
	res = app.post(desk, mapURL, wrong)
	expect(t, "mapping without a date", res, http.StatusUnprocessableEntity)
	if !res.contains("Kies een kolom voor ‘Datum van het incident’") || mappingForm(t, res).Get("col1") != "description" {
		t.Errorf("refused mapping lost the choices or the message:\n%s", snippet(res.Body))
	}
	res = app.post(desk, mapURL, form)
	expect(t, "mapping", res, http.StatusSeeOther, mapURL+"/controle")

	res = app.get(desk, mapURL+"/controle")
	expect(t, "preview", res, http.StatusOK)
	if n := strings.Count(res.Body, `data-testid="import-row-new"`); n != 4 || !res.has("import-run") || res.has("import-row-problem") {
		t.Fatalf("preview: %d new rows, button %v\n%s", n, res.has("import-run"), snippet(res.Body))
	}
	res = app.post(desk, mapURL+"/importeren", url.Values{})
	expect(t, "import", res, http.StatusSeeOther, "/register")
	if n := app.count(`SELECT count(*) FROM cases WHERE organisation_id = $1`, org); n != before+4 {
		t.Fatalf("%d cases, want %d", n, before+4)
	}
	reg = app.get(desk, "/register")
	if !reg.contains("4 meldingen geïmporteerd uit Datalekregister 2024.xlsx.") || strings.Count(reg.Body, `data-testid="register-imported"`) != 4 {
		t.Errorf("register after import:\n%s", snippet(reg.Body))
	}
	if !reg.contains("J. Bakker") || !reg.contains("M-2024-0517") {
		t.Error("the register does not show the original reporter or the AP number")
	}
	var stolen int64
	if err := app.Owner.QueryRow(t.Context(), `SELECT case_id FROM case_imports WHERE organisation_id = $1 AND row_number = 3`, org).Scan(&stolen); err != nil {
		t.Fatal(err)
	}
	page := app.get(app.as(demoOfficer), "/meldingen/"+itoa(stolen))
	expect(t, "imported case", page, http.StatusOK)
	if !page.has("import-origin") || !page.contains("Oorspronkelijke regel uit het Excel-register") || page.text("import-origin-row") != "3" ||
		page.text("import-origin-reporter") != "J. Bakker" || !page.contains("Geïmporteerd uit Datalekregister 2024.xlsx") {
		t.Errorf("case page of an imported case:\n%s", snippet(page.Body))
	}
	if !page.contains("Ingevoerd door</dt><dd>Mehmet Meldpunt (import uit het Excel-register)") || page.contains("meldpunt@demo.lekwacht.nl") {
		t.Error("the case page presents the importer as the reporter")
	}
	if strings.Count(page.Body, `data-testid="import-original-cell"`) != 12 {
		t.Error("not every original cell is shown")
	}
	dossier := app.get(app.as(demoOfficer), "/meldingen/"+itoa(stolen)+"/dossier")
	expect(t, "dossier of an imported case", dossier, http.StatusOK)
	if !dossier.has("dossier-import") || !dossier.contains("Leerlingdossiers, zorggegevens") && !dossier.contains("leerlingdossiers, zorggegevens") {
		t.Errorf("the dossier lacks the original row:\n%s", snippet(dossier.Body))
	}

	// The same file again: every row already imported, no button, and the
	// import itself is refused.
	res = app.uploadRegister(desk, "Datalekregister 2024.xlsx", "application/octet-stream", sample)
	expect(t, "second upload", res, http.StatusSeeOther)
	again := res.Header.Get("Location")
	expect(t, "second mapping", app.post(desk, again, form), http.StatusSeeOther)
	res = app.get(desk, again+"/controle")
	if n := strings.Count(res.Body, `data-testid="import-row-duplicate"`); n != 4 || res.has("import-run") || !res.contains("Al geïmporteerd als 2024-") {
		t.Errorf("preview of the same sheet: %d duplicates\n%s", n, snippet(res.Body))
	}
	expect(t, "import of the same sheet", app.post(desk, again+"/importeren", url.Values{}), http.StatusConflict)
	if n := app.count(`SELECT count(*) FROM cases WHERE organisation_id = $1`, org); n != before+4 {
		t.Errorf("%d cases after importing the same sheet twice, want %d", n, before+4)
	}
	assertLogsClean(t, app, "J. Bakker", "Laptop met leerlingdossiers", "M-2024-0517")
}

func TestImportBadSheetThroughHTTP(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	officer := app.as(demoOfficer)
	data := xlsxsample.Build(t, xlsxsample.Sheet{Name: "Blad1", Rows: [][]any{
		{"Datum", "Omschrijving", "School", "Gemeld bij AP", "Meldingsnummer"},
		{time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), "Goede regel", "De Regenboog", "nee", ""},
		{"1 mei", "Datum onleesbaar", "De Regenboog", "nee", ""},
		{"02-05-2024", "AP ja zonder nummer", "Het Baken", "ja", ""},
		{"03-05-2024", "Onbekende school", "De Zonnebloem", "", ""},
	}})
	res := app.uploadRegister(officer, "fout.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)
	expect(t, "upload", res, http.StatusSeeOther)
	mapURL := res.Header.Get("Location")
	expect(t, "mapping", app.post(officer, mapURL, mappingForm(t, app.get(officer, mapURL))), http.StatusSeeOther)
	res = app.get(officer, mapURL+"/controle")
	expect(t, "preview", res, http.StatusOK)
	if res.has("import-run") || !res.has("import-blocked") || strings.Count(res.Body, `data-testid="import-row-problem"`) != 3 {
		t.Fatalf("preview of a sheet with bad rows:\n%s", snippet(res.Body))
	}
	for row, reason := range map[string]string{
		"3": "‘Datum’: ‘1 mei’ is geen datum",
		"4": "Gemeld bij de AP is ‘ja’, maar het meldingsnummer ontbreekt.",
		"5": "de school ‘De Zonnebloem’ is onbekend",
	} {
		re := regexp.MustCompile(`(?s)data-testid="import-row-problem" data-row="` + row + `".*?</tr>`)
		m := re.FindString(res.Body)
		if m == "" || !strings.Contains(strings.ReplaceAll(m, "&#39;", "'"), reason) && !(&response{Body: m}).contains(reason) {
			t.Errorf("row %s: want %q in\n%s", row, reason, m)
		}
	}
	before := app.count(`SELECT count(*) FROM cases`)
	res = app.post(officer, mapURL+"/importeren", url.Values{})
	expect(t, "import with problems", res, http.StatusUnprocessableEntity)
	if !res.contains("Er is niets geïmporteerd: 3 regels hebben een probleem") {
		t.Errorf("refusal message missing:\n%s", snippet(res.Body))
	}
	if n := app.count(`SELECT count(*) FROM cases`); n != before {
		t.Errorf("%d cases created by a refused import", n-before)
	}
}

func TestImportAccessThroughHTTP(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	desk := app.as(demoDesk)
	sample, err := xlsxsample.Sample()
	if err != nil {
		t.Fatal(err)
	}
	res := app.uploadRegister(desk, "r.xlsx", "application/octet-stream", sample)
	expect(t, "upload", res, http.StatusSeeOther)
	mapURL := res.Header.Get("Location")

	for _, who := range []string{demoReporter, demoTechnician, demoBoard, demoAdmin, otherStaff} {
		c := app.as(who)
		expect(t, who+" upload form", app.get(c, "/register/import"), http.StatusForbidden)
		expect(t, who+" upload", app.uploadRegister(c, "r.xlsx", "application/octet-stream", sample), http.StatusForbidden)
		expect(t, who+" mapping", app.get(c, mapURL), http.StatusForbidden)
		expect(t, who+" import", app.post(c, mapURL+"/importeren", url.Values{}), http.StatusForbidden)
	}
	if app.get(app.as(demoBoard), "/register").has("register-import-link") {
		t.Error("the board gets an import link")
	}
	// Someone else's upload, in the same or another organisation, does not exist for them.
	for _, who := range []string{demoOfficer, otherDesk} {
		c := app.as(who)
		expect(t, who+" upload form", app.get(c, "/register/import"), http.StatusOK)
		expect(t, who+" mapping", app.get(c, mapURL), http.StatusNotFound)
		expect(t, who+" preview", app.get(c, mapURL+"/controle"), http.StatusNotFound)
		expect(t, who+" import", app.post(c, mapURL+"/importeren", url.Values{}), http.StatusNotFound)
	}
	// Not signed in: to the sign-in page.
	if res := app.get(app.client(), mapURL); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/inloggen") {
		t.Errorf("anonymous: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	// Preview before the mapping was saved: back to the mapping page.
	expect(t, "preview before mapping", app.get(desk, mapURL+"/controle"), http.StatusSeeOther, mapURL)
	expect(t, "unknown upload", app.get(desk, "/register/import/999999"), http.StatusNotFound)
	if n := app.count(`SELECT count(*) FROM register_imports`); n != 1 {
		t.Errorf("%d uploads stored, want only the desk's", n)
	}
}
