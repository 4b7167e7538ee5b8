package server_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/web"
)

// uploadFile posts the attachment form like a same-origin browser: the kind,
// then the file with the Content-Type the browser claims (which Lekwacht
// ignores).
func (a *testApp) uploadFile(c *http.Client, caseID int64, kind, filename, claimed string, data []byte) *response {
	a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("kind", kind); err != nil {
		a.t.Fatal(err)
	}
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
	req, err := http.NewRequest(http.MethodPost, a.URL+"/meldingen/"+itoa(caseID)+"/bijlagen", &body)
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

// lastAttachment returns the id of the newest attachment of a case.
func (a *testApp) lastAttachment(caseID int64) int64 {
	a.t.Helper()
	var id int64
	err := a.Owner.QueryRow(context.Background(),
		`SELECT id FROM case_attachments WHERE case_id = $1 ORDER BY id DESC LIMIT 1`, caseID).Scan(&id)
	if err != nil {
		a.t.Fatal(err)
	}
	return id
}

var testPDF = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func TestAttachmentUploadAndDownload(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	caseID := app.demoCase(1)
	base := "/meldingen/" + itoa(caseID)
	desk := app.as(demoDesk)

	// The form: every kind for the desk, none chosen yet.
	form := app.get(desk, base+"/bijlagen/nieuw")
	expect(t, "upload form", form, http.StatusOK)
	if !form.has("attachment-form") || !strings.Contains(form.Body, `enctype="multipart/form-data"`) {
		t.Fatalf("upload form missing:\n%s", snippet(form.Body))
	}
	for _, k := range incident.AttachmentKinds {
		if !strings.Contains(form.Body, `value="`+string(k)+`"`) {
			t.Errorf("kind %s not offered to the desk", k)
		}
	}

	// The claimed type is ignored: a PDF sent as text/html is stored as a PDF.
	name := "bevestiging-AP-één.pdf"
	res := app.uploadFile(desk, caseID, "ap_confirmation", name, "text/html", testPDF)
	expect(t, "upload", res, http.StatusSeeOther, base)
	page := app.get(desk, base)
	if !page.contains("De bijlage is toegevoegd.") {
		t.Error("no flash message after the upload")
	}
	if !page.contains("Bijlage toegevoegd: " + name + " (PDF, 1 kB)") {
		t.Error("no timeline entry for the upload on the case page")
	}
	aid := app.lastAttachment(caseID)

	dl := app.get(desk, base+"/bijlagen/"+itoa(aid))
	expect(t, "download", dl, http.StatusOK)
	if dl.Body != string(testPDF) {
		t.Errorf("downloaded %q, want the exact bytes uploaded", dl.Body)
	}
	wantHeaders := map[string]string{
		"Content-Type":            "application/pdf",
		"Content-Disposition":     `attachment; filename="bevestiging-AP-__n.pdf"; filename*=UTF-8''bevestiging-AP-%C3%A9%C3%A9n.pdf`,
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "default-src 'none'; sandbox",
		"Cache-Control":           "no-store",
	}
	for k, v := range wantHeaders {
		if got := dl.Header.Get(k); got != v {
			t.Errorf("download header %s = %q, want %q", k, got, v)
		}
	}

	// The reporter adds evidence; the form offers nothing else and picks it.
	reporter := app.as(demoReporter)
	rform := app.get(reporter, base+"/bijlagen/nieuw")
	expect(t, "reporter's upload form", rform, http.StatusOK)
	if !rform.checked("kind", "evidence") || strings.Contains(rform.Body, `value="letter"`) {
		t.Error("reporter's form should offer evidence only, chosen")
	}
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	shot := pngBuf.Bytes()
	expect(t, "reporter uploads", app.uploadFile(reporter, caseID, "evidence", "screenshot.png", "application/octet-stream", shot), http.StatusSeeOther, base)
	mine := app.lastAttachment(caseID)
	if got := app.scalar(`SELECT content_type FROM case_attachments WHERE id = $1`, mine); got != "image/png" {
		t.Errorf("screenshot stored as %q", got)
	}
	if r := app.get(reporter, base+"/bijlagen/"+itoa(mine)); r.StatusCode != http.StatusOK || r.Body != string(shot) {
		t.Errorf("reporter downloads own screenshot: %d", r.StatusCode)
	}
	// …but not the desk's file, and no other kind.
	expect(t, "reporter downloads the desk's file", app.get(reporter, base+"/bijlagen/"+itoa(aid)), http.StatusNotFound)
	expect(t, "reporter uploads a letter", app.uploadFile(reporter, caseID, "letter", "brief.pdf", "application/pdf", testPDF), http.StatusForbidden)
}

func TestAttachmentUploadRefusals(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	caseID := app.demoCase(1)
	desk := app.as(demoDesk)

	// Too large: 413, a Dutch message beside the file, the kind still chosen.
	big := bytes.Repeat([]byte("a"), incident.MaxAttachmentSize+1)
	res := app.uploadFile(desk, caseID, "letter", "groot.txt", "text/plain", big)
	expect(t, "oversized upload", res, http.StatusRequestEntityTooLarge)
	if msg := res.text("error-file"); !strings.Contains(msg, "groter dan 10 MB") {
		t.Errorf("oversized upload: message %q", msg)
	}
	if !res.checked("kind", "letter") {
		t.Error("oversized upload: the chosen kind was lost")
	}

	// HTML renamed to .pdf: 422, the allowed kinds named, the kind kept.
	res = app.uploadFile(desk, caseID, "evidence", "factuur.pdf", "application/pdf", []byte("<!DOCTYPE html><script>alert(1)</script>"))
	expect(t, "html as pdf", res, http.StatusUnprocessableEntity)
	if msg := res.text("error-file"); !strings.Contains(msg, "Toegestaan zijn pdf") {
		t.Errorf("html as pdf: message %q", msg)
	}
	if !res.checked("kind", "evidence") || !res.has("form-error") {
		t.Error("html as pdf: the form did not come back with the kind and a summary")
	}

	// No kind, no file.
	res = app.uploadFile(desk, caseID, "", "", "application/octet-stream", nil)
	expect(t, "empty form", res, http.StatusUnprocessableEntity)
	if res.text("error-kind") == "" || res.text("error-file") == "" {
		t.Errorf("empty form: messages kind %q, file %q", res.text("error-kind"), res.text("error-file"))
	}
	if n := app.count(`SELECT count(*) FROM case_attachments`); n != 0 {
		t.Errorf("%d attachments stored by refused uploads", n)
	}

	// Not multipart at all.
	expect(t, "urlencoded post", app.post(desk, "/meldingen/"+itoa(caseID)+"/bijlagen", nil), http.StatusUnprocessableEntity)
}

func TestAttachmentsOfAnotherOrganisationOrCase(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	caseA, caseB := app.demoCase(1), app.demoCase(2)
	desk := app.as(demoDesk)
	expect(t, "upload to A", app.uploadFile(desk, caseA, "evidence", "a.pdf", "application/pdf", testPDF), http.StatusSeeOther)
	aidA := app.lastAttachment(caseA)
	expect(t, "upload to B", app.uploadFile(desk, caseB, "evidence", "b.pdf", "application/pdf", testPDF), http.StatusSeeOther)
	aidB := app.lastAttachment(caseB)

	// URL tampering: the id of B's attachment under case A.
	expect(t, "B's attachment under A", app.get(desk, "/meldingen/"+itoa(caseA)+"/bijlagen/"+itoa(aidB)), http.StatusNotFound)
	expect(t, "A's attachment under B", app.get(desk, "/meldingen/"+itoa(caseB)+"/bijlagen/"+itoa(aidA)), http.StatusNotFound)
	expect(t, "nonsense id", app.get(desk, "/meldingen/"+itoa(caseA)+"/bijlagen/x"), http.StatusNotFound)

	// Another organisation: neither the case nor its files exist.
	other := app.as(otherDesk)
	r := app.get(other, "/meldingen/"+itoa(caseA)+"/bijlagen/"+itoa(aidA))
	expect(t, "other organisation downloads", r, http.StatusNotFound)
	if strings.Contains(r.Body, "%PDF") || r.Header.Get("Content-Disposition") != "" {
		t.Error("the other organisation got the file")
	}
	expect(t, "other organisation's form", app.get(other, "/meldingen/"+itoa(caseA)+"/bijlagen/nieuw"), http.StatusNotFound)
	expect(t, "other organisation uploads", app.uploadFile(other, caseA, "evidence", "c.pdf", "application/pdf", testPDF), http.StatusNotFound)
	// The administrator of the same organisation manages accounts, not cases.
	expect(t, "admin downloads", app.get(app.as(demoAdmin), "/meldingen/"+itoa(caseA)+"/bijlagen/"+itoa(aidA)), http.StatusNotFound)
	if n := app.count(`SELECT count(*) FROM case_attachments`); n != 2 {
		t.Errorf("%d attachments, want 2", n)
	}
}

func TestAttachmentsSectionComponent(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 14, 5, 0, 0, amsterdam)
	list := []incident.Attachment{
		{ID: 7, CaseID: 3, Kind: incident.AttachAPConfirmation, Filename: "bevestiging-AP.pdf", ContentType: "application/pdf",
			Size: 120 * 1024, UploadedAt: at, UploadedBy: "Femke de Functionaris"},
		{ID: 8, CaseID: 3, Kind: incident.AttachEvidence, Filename: `<script>.png`, ContentType: "image/png",
			Size: 2_500_000, UploadedAt: at, UploadedBy: "Olga Ontdekker"},
	}
	p := web.Page{Loc: amsterdam, Now: at}
	render := func(list []incident.Attachment, canUpload bool) *response {
		var b bytes.Buffer
		if err := web.AttachmentsSection(p, 3, list, canUpload).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		return &response{Body: b.String()}
	}
	r := render(list, true)
	if n := strings.Count(r.Body, `data-testid="attachment"`); n != 2 {
		t.Errorf("%d attachment rows, want 2", n)
	}
	for _, want := range []string{`href="/meldingen/3/bijlagen/7"`, `href="/meldingen/3/bijlagen/nieuw"`, "Bevestiging van de AP",
		"PDF, 120 kB", "PNG, 2,4 MB", "Femke de Functionaris", "ma 23 november 2026, 14:05", "&lt;script&gt;.png"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("section lacks %q", want)
		}
	}
	if !r.has("attachment-add") || !r.has("attachment-download") {
		t.Error("section lacks the add or download link")
	}
	if r := render(nil, false); !r.has("attachments-empty") || r.has("attachment-add") {
		t.Error("empty section without upload right: wrong links")
	}
}
