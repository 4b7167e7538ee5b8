package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

func (s *Server) setPasswordForm(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	link, err := s.svc.Accounts.CheckPasswordLink(r.Context(), token)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.SetPasswordPage(s.page(r, "Wachtwoord kiezen"), link.Name, link.Email, token, nil))
	return nil
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	res, err := s.svc.Accounts.SetPassword(r.Context(), token, r.PostForm.Get("password"), r.PostForm.Get("repeat"))
	if errs, ok := fieldErrors(r.Context(), err); ok {
		link, lerr := s.svc.Accounts.CheckPasswordLink(r.Context(), token)
		if lerr != nil {
			return lerr
		}
		s.render(w, r, http.StatusUnprocessableEntity, web.SetPasswordPage(s.page(r, "Wachtwoord kiezen"), link.Name, link.Email, token, errs))
		return nil
	}
	if err != nil {
		return err
	}
	if res.Step != service.SignedIn {
		s.flash(r, "Uw wachtwoord is opgeslagen. Nog één stap: de tweestapsverificatie.")
		return s.afterPassword(w, r, res, "/")
	}
	s.flash(r, "Uw wachtwoord is opgeslagen. U bent ingelogd.")
	return s.afterPassword(w, r, res, "/")
}
