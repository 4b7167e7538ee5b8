package server

import (
	"net/http"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/web"
)

func (s *Server) retention(w http.ResponseWriter, r *http.Request) error {
	years, err := s.svc.Accounts.RetentionYears(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.RetentionPage(s.page(r, "Bewaartermijn"), web.RetentionProps{Years: strconv.Itoa(years)}))
	return nil
}

func (s *Server) retentionSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	typed := r.PostForm.Get("retention_years")
	err := s.svc.Accounts.SetRetentionYears(r.Context(), access.ActorFrom(r.Context()), typed)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		s.render(w, r, http.StatusUnprocessableEntity, web.RetentionPage(s.page(r, "Bewaartermijn"),
			web.RetentionProps{Years: typed, Errors: errs}))
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "De bewaartermijn is opgeslagen.")
	return seeOther(w, r, "/beheer/bewaartermijn")
}
