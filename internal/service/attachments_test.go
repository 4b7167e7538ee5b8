package service_test

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

// Files as they arrive from browsers, for the attachment tests.

func pdfFile() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

func pngFile(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegFile(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zipFile builds a zip archive with the named entries.
func zipFile(t *testing.T, entries map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, content := range entries {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func docxFile(t *testing.T) []byte {
	return zipFile(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   `<?xml version="1.0"?><w:document/>`,
	})
}

const emlFile = "Received: from mail.example.nl\r\nFrom: Ouder <ouder@example.nl>\r\nTo: school@example.nl\r\n" +
	"Subject: Cijferlijst ontvangen\r\nDate: Mon, 23 Nov 2026 09:12:00 +0100\r\nMIME-Version: 1.0\r\n" +
	"Content-Type: text/html; charset=utf-8\r\n\r\n<html><body>Ik kreeg de cijfers van de hele klas.</body></html>\r\n"

// attachCase is a case reported by staff at school A1 with the technician
// assigned.
func (e *env) attachCase() int64 {
	e.t.Helper()
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("cijferlijst naar verkeerde ouder", e.a1))).ID
	must(0, e.svc.Incidents.AssignTechnician(e.ctx, e.actors["desk"], id, strconv.FormatInt(e.actors["technician"].UserID, 10)))
	return id
}

func (e *env) upload(who string, id int64, kind incident.AttachmentKind, name string, data []byte) (incident.Attachment, error) {
	return e.svc.Incidents.AddAttachment(e.ctx, e.actors[who], id, service.AttachmentUpload{Kind: string(kind), Filename: name, Data: data})
}

// attachmentRows counts a case's attachments and their timeline rows.
func (e *env) attachmentRows(id int64) (files, events int) {
	return e.count(`SELECT count(*) FROM case_attachments WHERE case_id = $1`, id), e.events(id, incident.EventAttachmentAdded)
}

func TestAttachmentUploadByRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("technician2", e.orgA, access.Grant{Role: access.Technician})
	id := e.attachCase()
	// The second technician is asked a question: they may view the case,
	// but they answer in text and upload nothing.
	must(0, e.svc.Incidents.AskQuestion(e.ctx, e.actors["desk"], id,
		service.QuestionForm{Addressee: strconv.FormatInt(e.actors["technician2"].UserID, 10), Question: "Zie je dit in de logs?"}))

	const ok = -1
	tests := []struct {
		who string
		// evidence and letter: the outcome of uploading each kind (ok, or the error kind).
		evidence, letter apperr.Kind
		// list: the outcome of listing.
		list apperr.Kind
	}{
		{"staff", ok, apperr.Forbidden, ok}, // the reporter: evidence only
		{"desk", ok, ok, ok},
		{"desk_a1", ok, ok, ok},
		{"officer", ok, ok, ok},
		{"board", ok, ok, ok},
		{"technician", ok, apperr.Forbidden, ok}, // assigned: evidence and other
		{"technician2", apperr.Forbidden, apperr.Forbidden, ok},
		{"staff2", apperr.NotFound, apperr.NotFound, apperr.NotFound},
		{"admin", apperr.NotFound, apperr.NotFound, apperr.NotFound},
		{"desk_b", apperr.NotFound, apperr.NotFound, apperr.NotFound}, // another organisation
		{"admin_b", apperr.NotFound, apperr.NotFound, apperr.NotFound},
	}
	check := func(what string, err error, want apperr.Kind) {
		t.Helper()
		if want == ok {
			if err != nil {
				t.Errorf("%s: %v, want success", what, err)
			}
		} else if !apperr.Is(err, want) {
			t.Errorf("%s: %v, want kind %d", what, err, want)
		}
	}
	for _, tt := range tests {
		files, _ := e.attachmentRows(id)
		_, err := e.upload(tt.who, id, incident.AttachEvidence, tt.who+"-bewijs.pdf", pdfFile())
		check(tt.who+" uploads evidence", err, tt.evidence)
		_, err = e.upload(tt.who, id, incident.AttachLetter, tt.who+"-brief.pdf", pdfFile())
		check(tt.who+" uploads a letter", err, tt.letter)
		_, err = e.svc.Incidents.Attachments(e.ctx, e.actors[tt.who], id)
		check(tt.who+" lists", err, tt.list)
		// A refused upload stores nothing and writes no timeline row.
		want := files
		for _, k := range []apperr.Kind{tt.evidence, tt.letter} {
			if k == ok {
				want++
			}
		}
		if f, ev := e.attachmentRows(id); f != want || ev != want {
			t.Errorf("after %s: %d files and %d timeline rows, want %d of each", tt.who, f, ev, want)
		}
	}

	// A desk limited to another school does not see the case at all.
	other := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("op de andere school", e.a2))).ID
	if _, err := e.upload("desk_a1", other, incident.AttachEvidence, "x.pdf", pdfFile()); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("desk of A1 uploads to a case of A2: %v, want NotFound", err)
	}

	// The form page answers the same way.
	if _, err := e.svc.Incidents.AttachmentForm(e.ctx, e.actors["technician2"], id); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("upload form for the addressee of a question: %v, want Forbidden", err)
	}
	if v, err := e.svc.Incidents.AttachmentForm(e.ctx, e.actors["staff"], id); err != nil || len(v.UploadKinds) != 1 || v.UploadKinds[0] != incident.AttachEvidence {
		t.Errorf("upload form for the reporter: kinds %v, %v; want evidence only", v.UploadKinds, err)
	}
}

func TestAttachmentsReporterSeesOnlyOwnUploads(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.attachCase()
	mine := must(e.upload("staff", id, incident.AttachEvidence, "screenshot.png", pngFile(t)))
	desks := must(e.upload("desk", id, incident.AttachLetter, "brief-aan-ouders.pdf", pdfFile()))
	techs := must(e.upload("technician", id, incident.AttachOther, "logboek.txt", []byte("09:12 login vanaf onbekend adres\n")))

	names := func(who string) []string {
		t.Helper()
		v := must(e.svc.Incidents.Attachments(e.ctx, e.actors[who], id))
		var out []string
		for _, a := range v.Attachments {
			out = append(out, a.Filename)
		}
		return out
	}
	if got := names("staff"); len(got) != 1 || got[0] != "screenshot.png" {
		t.Errorf("reporter lists %v, want only their own screenshot.png", got)
	}
	for _, who := range []string{"desk", "officer", "board", "technician"} {
		if got := names(who); strings.Join(got, ",") != "screenshot.png,brief-aan-ouders.pdf,logboek.txt" {
			t.Errorf("%s lists %v, want all three, oldest first", who, got)
		}
	}

	// Downloads follow the list.
	if _, _, err := e.svc.Incidents.Attachment(e.ctx, e.actors["staff"], id, desks.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("reporter downloads the desk's letter: %v, want NotFound", err)
	}
	if _, _, err := e.svc.Incidents.Attachment(e.ctx, e.actors["staff"], id, techs.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("reporter downloads the technician's log: %v, want NotFound", err)
	}
	att, data, err := e.svc.Incidents.Attachment(e.ctx, e.actors["staff"], id, mine.ID)
	if err != nil || !bytes.Equal(data, pngFile(t)) || att.ContentType != "image/png" || att.UploadedBy != "Gebruiker staff" {
		t.Errorf("reporter downloads their own screenshot: %+v, %d bytes, %v", att, len(data), err)
	}
	if _, data, err := e.svc.Incidents.Attachment(e.ctx, e.actors["officer"], id, desks.ID); err != nil || !bytes.Equal(data, pdfFile()) {
		t.Errorf("officer downloads the letter: %d bytes, %v", len(data), err)
	}

	// Another organisation: nothing exists, not the case, not the file.
	if _, _, err := e.svc.Incidents.Attachment(e.ctx, e.actors["desk_b"], id, mine.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("desk of another organisation downloads: %v, want NotFound", err)
	}
	// An attachment id of another case, under this case: not found.
	other := e.attachCase()
	elsewhere := must(e.upload("desk", other, incident.AttachEvidence, "elders.pdf", pdfFile()))
	if _, _, err := e.svc.Incidents.Attachment(e.ctx, e.actors["desk"], id, elsewhere.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("attachment of case %d fetched under case %d: %v, want NotFound", other, id, err)
	}
}

func TestAttachmentsOnAClosedCase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.attachCase()
	must(0, e.svc.Incidents.CloseNoBreach(e.ctx, e.actors["desk"], id, service.CloseForm{Outcome: "no_incident", Reason: "Alleen een dreiging, niets gebeurd."}))
	must(0, e.svc.Incidents.ConfirmNoBreach(e.ctx, e.actors["officer"], id))

	for _, who := range []string{"staff", "desk", "board", "technician"} {
		if _, err := e.upload(who, id, incident.AttachEvidence, "laat.pdf", pdfFile()); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("%s uploads to a closed case: %v, want Conflict", who, err)
		}
		if _, err := e.svc.Incidents.AttachmentForm(e.ctx, e.actors[who], id); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("%s opens the upload form of a closed case: %v, want Conflict", who, err)
		}
	}
	if _, err := e.upload("staff2", id, incident.AttachEvidence, "laat.pdf", pdfFile()); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("a stranger uploads to a closed case: %v, want NotFound", err)
	}
	// The AP's confirmation can arrive after closing: the officer may always.
	att, err := e.upload("officer", id, incident.AttachAPConfirmation, "bevestiging-AP.pdf", pdfFile())
	if err != nil {
		t.Fatalf("officer uploads the AP's confirmation to a closed case: %v", err)
	}
	if e.status(id) != incident.StatusClosed {
		t.Errorf("the upload moved the case to %s", e.status(id))
	}
	if f, ev := e.attachmentRows(id); f != 1 || ev != 1 {
		t.Errorf("%d files and %d timeline rows, want 1 and 1", f, ev)
	}
	// Everyone who reads the case fully still sees it after closing.
	if v := must(e.svc.Incidents.Attachments(e.ctx, e.actors["desk"], id)); len(v.Attachments) != 1 || v.Attachments[0].ID != att.ID || len(v.UploadKinds) != 0 {
		t.Errorf("desk after closing: %+v", v)
	}
}

func TestAttachmentSizeLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.attachCase()
	// Exactly 10 MiB of text is taken; one byte more is not.
	exact := bytes.Repeat([]byte("a"), incident.MaxAttachmentSize-1)
	exact = append(exact, '\n')
	if a, err := e.upload("desk", id, incident.AttachEvidence, "groot.txt", exact); err != nil || a.Size != incident.MaxAttachmentSize {
		t.Fatalf("10 MiB upload: %+v, %v", a, err)
	}
	over := append(exact, 'b')
	_, err := e.upload("desk", id, incident.AttachEvidence, "te-groot.txt", over)
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.Invalid || !strings.Contains(ae.Fields["file"], "groter dan 10 MB") {
		t.Errorf("10 MiB + 1 byte: %v (fields %v), want Invalid with a message on file", err, ae)
	}
	// The handler stops reading at the limit and says so.
	_, err = e.svc.Incidents.AddAttachment(e.ctx, e.actors["desk"], id, service.AttachmentUpload{Kind: "evidence", Filename: "x.pdf", TooLarge: true})
	if ae, ok := apperr.As(err); !ok || !strings.Contains(ae.Fields["file"], "groter dan 10 MB") {
		t.Errorf("upload cut off at the limit: %v", err)
	}
	if f, ev := e.attachmentRows(id); f != 1 || ev != 1 {
		t.Errorf("%d files and %d timeline rows, want 1 and 1", f, ev)
	}
}

func TestAttachmentTypeIsDetectedFromTheContent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.attachCase()
	tests := []struct {
		name     string
		data     []byte
		wantType string // "" means refused
		wantName string
	}{
		{"bevestiging-AP.pdf", pdfFile(), "application/pdf", "bevestiging-AP.pdf"},
		{"foto.png", pngFile(t), "image/png", "foto.png"},
		{"foto.jpg", jpegFile(t), "image/jpeg", "foto.jpg"},
		// A name that does not fit the content gets the right extension.
		{"scan.pdf", pngFile(t), "image/png", "scan.pdf.png"},
		{"verslag.docx", docxFile(t), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "verslag.docx"},
		{"aantekeningen.txt", []byte("Ouder belde om 9:12.\nLijst verwijderd.\n"), "text/plain; charset=utf-8", "aantekeningen.txt"},
		{"export.csv", []byte("naam;klas\nJan;3b\n\xe9\n"), "text/plain", "export.csv"}, // Windows-1252
		{"mail.eml", []byte(emlFile), "message/rfc822", "mail.eml"},
		// Text with a name a browser or shell would run opens as text.
		{"opruimen.bat", []byte("del /q lijst.xlsx\r\n"), "text/plain; charset=utf-8", "opruimen.bat.txt"},
		{`C:\fakepath\..\brief.pdf`, pdfFile(), "application/pdf", "brief.pdf"},
		{"lijst\u202efdp.exe", pdfFile(), "application/pdf", "lijstfdp.exe.pdf"},

		{"nep.pdf", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), "", ""},
		{"pagina.html", []byte("<html><body>hallo</body></html>"), "", ""},
		{"logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "", ""},
		{"logo.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "", ""},
		{"notitie.txt", []byte("zie bijlage\n<script>alert(1)</script>\n"), "", ""},
		{"run.sh", []byte("#!/bin/sh\nrm -rf /\n"), "", ""},
		{"data.xml", []byte(`<?xml version="1.0"?><a/>`), "", ""},
		{"setup.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 64)...), "", ""},
		{"nep.docx", zipFile(t, map[string]string{"word/document.xml": "<w/>", "readme.txt": "x"}), "", ""},
		{"archief.zip", docxFile(t), "", ""},
		{"nep.odt", zipFile(t, map[string]string{"mimetype": "text/html"}), "", ""},
		{"kapot.png", []byte("\x89PNG\r\n\x1a\nkapot"), "", ""},
		{"geen-mail.eml", []byte("Hallo, dit is geen e-mail.\n"), "", ""},
		{"leeg.pdf", nil, "", ""},
		{"nul.txt", []byte("tekst\x00binair"), "", ""},
	}
	for _, tt := range tests {
		files, _ := e.attachmentRows(id)
		a, err := e.upload("desk", id, incident.AttachEvidence, tt.name, tt.data)
		if tt.wantType == "" {
			ae, ok := apperr.As(err)
			if !ok || ae.Kind != apperr.Invalid || ae.Fields["file"] == "" {
				t.Errorf("%s: %v (%+v), want Invalid with a message on file", tt.name, err, a)
			}
			if f, _ := e.attachmentRows(id); f != files {
				t.Errorf("%s: refused but stored", tt.name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.wantType)
			continue
		}
		if a.ContentType != tt.wantType || a.Filename != tt.wantName {
			t.Errorf("%s: stored as %q (%s), want %q (%s)", tt.name, a.Filename, a.ContentType, tt.wantName, tt.wantType)
		}
	}
	// The message names what is allowed.
	_, err := e.upload("desk", id, incident.AttachEvidence, "nep.pdf", []byte("<html></html>"))
	if ae, _ := apperr.As(err); ae == nil || !strings.Contains(ae.Fields["file"], "pdf, afbeeldingen") {
		t.Errorf("refusal message: %v", err)
	}
	// Neither the kind nor the file: a message for each.
	_, err = e.svc.Incidents.AddAttachment(e.ctx, e.actors["desk"], id, service.AttachmentUpload{Kind: "foto"})
	if ae, _ := apperr.As(err); ae == nil || ae.Fields["kind"] == "" || ae.Fields["file"] == "" {
		t.Errorf("empty form: %v", err)
	}
}

func TestAttachmentTimelineRowExistsExactlyWhenTheAttachmentDoes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.attachCase()
	a := must(e.upload("officer", id, incident.AttachAPConfirmation, "bevestiging-AP.pdf", pdfFile()))
	var summary string
	var aid int64
	err := e.owner.QueryRow(e.ctx, `SELECT summary, (details->>'attachment_id')::bigint FROM case_events
		WHERE case_id = $1 AND kind = $2 AND actor_id = $3`, id, incident.EventAttachmentAdded, e.actors["officer"].UserID).Scan(&summary, &aid)
	if err != nil {
		t.Fatal(err)
	}
	if summary != "Bijlage toegevoegd: bevestiging-AP.pdf (PDF, 1 kB)" || aid != a.ID {
		t.Errorf("timeline row %q for attachment %d, want it for %d", summary, aid, a.ID)
	}

	// When the timeline row cannot be written, the file is not stored either.
	_, err = e.owner.Exec(e.ctx, `
		CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'timeline refused'; END $$;
		CREATE TRIGGER refuse_event BEFORE INSERT ON case_events FOR EACH ROW
			WHEN (NEW.summary LIKE '%weigeren%') EXECUTE FUNCTION refuse_event();`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.upload("officer", id, incident.AttachEvidence, "weigeren.pdf", pdfFile()); err == nil {
		t.Fatal("upload succeeded although its timeline row was refused")
	}
	if f, ev := e.attachmentRows(id); f != 1 || ev != 1 {
		t.Errorf("%d files and %d timeline rows, want 1 and 1", f, ev)
	}
	if n := e.count(`SELECT count(*) FROM case_attachments WHERE filename = 'weigeren.pdf'`); n != 0 {
		t.Error("the file was stored without its timeline row")
	}
}
