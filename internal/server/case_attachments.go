package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// maxUploadBody caps an upload request (limitBody leaves multipart alone):
// the file, the kind and the multipart framing. The file itself is read
// only up to one byte over incident.MaxAttachmentSize.
const maxUploadBody = incident.MaxAttachmentSize + 64<<10

func (s *Server) attachmentNew(w http.ResponseWriter, r *http.Request) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Incidents.AttachmentForm(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	chosen := ""
	if len(v.UploadKinds) == 1 {
		chosen = string(v.UploadKinds[0])
	}
	// A link may propose a kind (?soort=ap_confirmation from the AP page).
	for _, k := range v.UploadKinds {
		if string(k) == r.URL.Query().Get("soort") {
			chosen = string(k)
		}
	}
	s.render(w, r, http.StatusOK, web.AttachmentUploadPage(s.page(r, "Bijlage toevoegen"), v.Case, v.UploadKinds, chosen, nil))
	return nil
}

func (s *Server) attachmentUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	// Whatever the outcome, let the client finish sending (bounded by
	// maxUploadBody) before the answer is written, so that it reads the
	// answer instead of a reset connection.
	defer func() { _, _ = io.Copy(io.Discard, r.Body) }()
	up, err := readUpload(r)
	if err != nil {
		return err
	}
	a := access.ActorFrom(r.Context())
	_, err = s.svc.Incidents.AddAttachment(r.Context(), a, id, up)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		_, _ = io.Copy(io.Discard, r.Body)
		v, verr := s.svc.Incidents.AttachmentForm(r.Context(), a, id)
		if verr != nil {
			return verr
		}
		status := http.StatusUnprocessableEntity
		if up.TooLarge {
			status = http.StatusRequestEntityTooLarge
		}
		s.render(w, r, status, web.AttachmentUploadPage(s.page(r, "Bijlage toevoegen"), v.Case, v.UploadKinds, up.Kind, errs))
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "De bijlage is toegevoegd.")
	return seeOther(w, r, "/meldingen/"+strconv.FormatInt(id, 10))
}

// readUpload streams the multipart form: the kind, and the file up to one
// byte over the limit, so that an oversized file never sits in memory whole.
// The Content-Type the browser claims for the file is ignored.
func readUpload(r *http.Request) (service.AttachmentUpload, error) {
	var up service.AttachmentUpload
	mr, err := r.MultipartReader()
	if err != nil {
		return up, apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen. Kies het bestand opnieuw en probeer het nog eens.")
	}
	seenFile := false
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return up, nil
		}
		if tooLarge(err) {
			up.TooLarge = true
			return up, nil
		}
		if err != nil {
			return up, apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen. Kies het bestand opnieuw en probeer het nog eens.")
		}
		switch {
		case p.FormName() == "kind":
			b, err := io.ReadAll(io.LimitReader(p, 64))
			if tooLarge(err) {
				up.TooLarge = true
				return up, nil
			}
			up.Kind = strings.TrimSpace(string(b))
		case p.FormName() == "file" && !seenFile:
			seenFile = true
			up.Filename = p.FileName()
			up.Data, err = io.ReadAll(io.LimitReader(p, incident.MaxAttachmentSize+1))
			if tooLarge(err) || len(up.Data) > incident.MaxAttachmentSize {
				// Keep nothing of it: the service only needs to know.
				up.Data, up.TooLarge = nil, true
				return up, nil
			}
			if err != nil {
				return up, apperr.New(apperr.Invalid, "Het bestand kon niet helemaal worden ontvangen. Probeer het nog eens.")
			}
		}
		_ = p.Close()
	}
}

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// attachmentDownload sends one attachment, always as a download: with the
// type detected at upload, no sniffing, and a sandbox policy so that even a
// file opened directly cannot run anything in Lekwacht's origin.
func (s *Server) attachmentDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	aid, err := strconv.ParseInt(chi.URLParam(r, "aid"), 10, 64)
	if err != nil || aid <= 0 {
		return apperr.NotFoundf("Deze bijlage bestaat niet.")
	}
	att, data, err := s.svc.Incidents.Attachment(r.Context(), access.ActorFrom(r.Context()), id, aid)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", att.ContentType)
	h.Set("Content-Disposition", contentDisposition(att.Filename))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
	return nil
}

// contentDisposition is "attachment" with the file name twice (RFC 6266):
// filename in plain ASCII for old clients, and filename* with the exact
// name in UTF-8, percent-encoded (RFC 8187).
func contentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + rfc8187(name)
}

// rfc8187 percent-encodes everything but attr-char.
func rfc8187(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
