package server

import (
	"net/http"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/web"
)

func (s *Server) schools(w http.ResponseWriter, r *http.Request) error {
	return s.renderSchools(w, r, http.StatusOK, web.SchoolsProps{})
}

func (s *Server) renderSchools(w http.ResponseWriter, r *http.Request, status int, props web.SchoolsProps) error {
	list, err := s.svc.Accounts.SchoolsToManage(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	props.Schools = list
	if props.ReviewMonths == "" {
		m, err := s.svc.Accounts.ExceptionReviewMonths(r.Context(), access.ActorFrom(r.Context()))
		if err != nil {
			return err
		}
		props.ReviewMonths = strconv.Itoa(m)
	}
	s.render(w, r, status, web.SchoolsPage(s.page(r, "Scholen"), props))
	return nil
}

func (s *Server) schoolCreate(w http.ResponseWriter, r *http.Request) error {
	return s.saveSchool(w, r, 0)
}

func (s *Server) schoolRename(w http.ResponseWriter, r *http.Request) error {
	id, err := schoolParam(r)
	if err != nil {
		return err
	}
	return s.saveSchool(w, r, id)
}

func (s *Server) saveSchool(w http.ResponseWriter, r *http.Request, id int64) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	name := r.PostForm.Get("name")
	_, err := s.svc.Accounts.SaveSchool(r.Context(), access.ActorFrom(r.Context()), id, name)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		if id != 0 {
			// A refused rename: the typed name and the message beside that school.
			return s.renderSchools(w, r, http.StatusUnprocessableEntity,
				web.SchoolsProps{Renamed: id, RenameTo: name, RenameError: "Naam wijzigen lukte niet: " + errs["name"]})
		}
		return s.renderSchools(w, r, http.StatusUnprocessableEntity, web.SchoolsProps{Errors: errs, NewName: name})
	}
	if err != nil {
		return err
	}
	if id == 0 {
		s.flash(r, "De school is toegevoegd.")
	} else {
		s.flash(r, "De naam van de school is gewijzigd.")
	}
	return seeOther(w, r, "/beheer/scholen")
}

// reviewMonthsSave sets the organisation's period between reviews of an
// exception (issue 9 point 5).
func (s *Server) reviewMonthsSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	typed := r.PostForm.Get("review_months")
	err := s.svc.Accounts.SetExceptionReviewMonths(r.Context(), access.ActorFrom(r.Context()), typed)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		return s.renderSchools(w, r, http.StatusUnprocessableEntity, web.SchoolsProps{ReviewMonths: typed, ReviewErrors: errs})
	}
	if err != nil {
		return err
	}
	s.flash(r, "De periode voor het herbeoordelen van uitzonderingen is opgeslagen.")
	return seeOther(w, r, "/beheer/scholen")
}
