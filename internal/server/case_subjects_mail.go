package server

import (
	"fmt"
	"io"
	"net/http"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// maxRecipientsFile caps the uploaded list (20,000 lines fit in 4 MB).
const maxRecipientsFile = 4 << 20

func mailingView(v service.SubjectMailingView) web.SubjectMailingView {
	return web.SubjectMailingView{Case: v.Case, Notice: v.Notice, Recipients: v.Recipients, Counts: v.Counts,
		Mailing: v.Mailing, CanUpload: v.CanUpload, CanSend: v.CanSend}
}

func (s *Server) subjectsMailing(w http.ResponseWriter, r *http.Request) error {
	return s.renderMailing(w, r, http.StatusOK, nil)
}

func (s *Server) renderMailing(w http.ResponseWriter, r *http.Request, status int, errs web.Errors) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Incidents.SubjectMailing(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.render(w, r, status, web.SubjectMailingPage(s.page(r, "Bericht per e-mail"), mailingView(v), errs))
	return nil
}

func (s *Server) subjectsRecipientsUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRecipientsFile+64<<10)
	defer func() { _, _ = io.Copy(io.Discard, r.Body) }()
	data, err := readRecipientsFile(r)
	if err == nil {
		var n int
		n, err = s.svc.Incidents.UploadSubjectRecipients(r.Context(), access.ActorFrom(r.Context()), id, data)
		if err == nil {
			s.flash(r, fmt.Sprintf("De lijst is opgeslagen: %d ontvangers.", n))
			http.Redirect(w, r, fmt.Sprintf("/meldingen/%d/betrokkenen/ontvangers", id), http.StatusSeeOther)
			return nil
		}
	}
	if errs, ok := fieldErrors(r.Context(), err); ok {
		return s.renderMailing(w, r, http.StatusUnprocessableEntity, errs)
	}
	return err
}

// readRecipientsFile reads the "recipients" file of the multipart form.
func readRecipientsFile(r *http.Request) ([]byte, error) {
	bad := &apperr.Error{Kind: apperr.Invalid, Message: "Kies het CSV-bestand met de ontvangers.",
		Fields: map[string]string{"recipients": "Kies het CSV-bestand met de ontvangers."}}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, bad
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil, bad
		}
		if tooLarge(err) {
			return nil, &apperr.Error{Kind: apperr.Invalid, Message: "Het bestand is te groot (hoogstens 4 MB).",
				Fields: map[string]string{"recipients": "Het bestand is te groot (hoogstens 4 MB). Splits de lijst."}}
		}
		if err != nil {
			return nil, bad
		}
		if p.FormName() != "recipients" {
			_ = p.Close()
			continue
		}
		data, err := io.ReadAll(io.LimitReader(p, maxRecipientsFile+1))
		if tooLarge(err) || len(data) > maxRecipientsFile {
			return nil, &apperr.Error{Kind: apperr.Invalid, Message: "Het bestand is te groot (hoogstens 4 MB).",
				Fields: map[string]string{"recipients": "Het bestand is te groot (hoogstens 4 MB). Splits de lijst."}}
		}
		if err != nil {
			return nil, bad
		}
		if len(data) == 0 {
			return nil, bad
		}
		return data, nil
	}
}

func (s *Server) subjectsMail(w http.ResponseWriter, r *http.Request) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	n, err := s.svc.Incidents.MailSubjectsNotice(r.Context(), access.ActorFrom(r.Context()), id)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		return s.renderMailing(w, r, http.StatusUnprocessableEntity, errs)
	}
	if err != nil {
		return err
	}
	s.flash(r, fmt.Sprintf("Het bericht gaat per e-mail naar %d ontvangers. Hieronder ziet u per ontvanger of het is afgeleverd.", n))
	http.Redirect(w, r, fmt.Sprintf("/meldingen/%d/betrokkenen/ontvangers", id), http.StatusSeeOther)
	return nil
}
