package server

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/letter"
	"github.com/lekwacht/lekwacht/internal/letterpdf"
	"github.com/lekwacht/lekwacht/web"
)

// Step 7's texts (issue 10.4): the overview, one text to read or edit, and
// its PDF. The service decides who may read (desk, officer, board of the
// school) and who may edit (the officer, before the notice is sent).

func letterKind(r *http.Request) (letter.Kind, error) {
	k, ok := letter.KindOfSlug(chi.URLParam(r, "soort"))
	if !ok {
		return "", apperr.NotFoundf("Deze brief bestaat niet.")
	}
	return k, nil
}

func (s *Server) caseLetters(w http.ResponseWriter, r *http.Request) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Incidents.Letters(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.LettersPage(s.page(r, "Brieven aan betrokkenen"), web.LettersPageProps{
		Case: v.Case, Head: v.Head, Texts: v.Texts, Notice: v.Notice, CanEdit: v.CanEdit, Public: v.Public}))
	return nil
}

func (s *Server) caseLetter(w http.ResponseWriter, r *http.Request) error {
	return s.renderLetter(w, r, http.StatusOK, nil, nil)
}

// renderLetter shows one text: as kept or drafted, Lekwacht's draft again
// (?opnieuw=1), or what was typed (body) with the messages.
func (s *Server) renderLetter(w http.ResponseWriter, r *http.Request, status int, body *string, errs web.Errors) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	k, err := letterKind(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Incidents.Letters(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	t := v.Text(k)
	props := web.LetterPageProps{Case: v.Case, Head: v.Head, Text: t, Notice: v.Notice, CanEdit: v.CanEdit, Body: t.Body, Errors: errs}
	switch {
	case body != nil:
		props.Body = *body
	case v.CanEdit && r.URL.Query().Get("opnieuw") != "":
		props.Body, props.Restored = v.Drafts[k], true
	}
	s.render(w, r, status, web.LetterPage(s.page(r, k.Label()), props))
	return nil
}

func (s *Server) caseLetterSave(w http.ResponseWriter, r *http.Request) error {
	id, err := caseForm(r)
	if err != nil {
		return err
	}
	k, err := letterKind(r)
	if err != nil {
		return err
	}
	body := r.PostForm.Get("letter_text")
	err = s.svc.Incidents.SaveLetter(r.Context(), access.ActorFrom(r.Context()), id, k, body)
	if errs, status, ok := refusal(r.Context(), err); ok {
		return s.renderLetter(w, r, status, &body, errs)
	}
	if err != nil {
		return err
	}
	s.flash(r, k.Label()+" is opgeslagen.")
	return seeOther(w, r, "/meldingen/"+strconv.FormatInt(id, 10)+"/betrokkenen/brieven")
}

// caseLetterPDF sends one text as an A4 PDF download.
func (s *Server) caseLetterPDF(w http.ResponseWriter, r *http.Request) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	k, err := letterKind(r)
	if err != nil {
		return err
	}
	d, err := s.svc.Incidents.LetterPDF(r.Context(), access.ActorFrom(r.Context()), id, k)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := letterpdf.Write(&buf, d); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", contentDisposition(letterpdf.Filename(k, d.Case)))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
	return nil
}
