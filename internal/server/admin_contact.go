package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/contact"
	"github.com/lekwacht/lekwacht/web"
)

// The contact details of the organisation and its schools (issue 10.3),
// which the AP overview and the letters use.

func (s *Server) organisationContact(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.Accounts.OrganisationContact(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.OrganisationContactPage(s.page(r, "Contactgegevens"), web.OrganisationContactProps{Contact: c}))
	return nil
}

func (s *Server) organisationContactSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	f := r.PostForm
	typed := contact.Organisation{Details: contactDetailsForm(r), KvK: f.Get(contact.FieldKvK),
		FGName: f.Get(contact.FieldFGName), FGEmail: f.Get(contact.FieldFGEmail), FGPhone: f.Get(contact.FieldFGPhone)}
	a := access.ActorFrom(r.Context())
	_, err := s.svc.Accounts.SetOrganisationContact(r.Context(), a, typed)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		typed.Name = a.Organisation
		s.render(w, r, http.StatusUnprocessableEntity, web.OrganisationContactPage(s.page(r, "Contactgegevens"),
			web.OrganisationContactProps{Contact: typed, Errors: errs}))
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "De contactgegevens van de organisatie zijn opgeslagen.")
	return seeOther(w, r, "/beheer/contactgegevens")
}

func (s *Server) schoolContact(w http.ResponseWriter, r *http.Request) error {
	id, err := schoolParam(r)
	if err != nil {
		return err
	}
	c, err := s.svc.Accounts.SchoolContact(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.SchoolContactPage(s.page(r, "Contactgegevens van "+c.Name), web.SchoolContactProps{Contact: c}))
	return nil
}

func (s *Server) schoolContactSave(w http.ResponseWriter, r *http.Request) error {
	id, err := schoolParam(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	typed := contact.School{ID: id, Details: contactDetailsForm(r), BRIN: r.PostForm.Get(contact.FieldBRIN)}
	a := access.ActorFrom(r.Context())
	_, err = s.svc.Accounts.SetSchoolContact(r.Context(), a, id, typed)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		// The school's name for the heading; reading it checks the school
		// is the administrator's once more.
		stored, err := s.svc.Accounts.SchoolContact(r.Context(), a, id)
		if err != nil {
			return err
		}
		typed.Name = stored.Name
		s.render(w, r, http.StatusUnprocessableEntity, web.SchoolContactPage(s.page(r, "Contactgegevens van "+stored.Name),
			web.SchoolContactProps{Contact: typed, Errors: errs}))
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "De contactgegevens van de school zijn opgeslagen.")
	return seeOther(w, r, "/beheer/scholen/"+strconv.FormatInt(id, 10)+"/contactgegevens")
}

func schoolParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFoundf("Deze school bestaat niet.")
	}
	return id, nil
}

// contactDetailsForm reads the fields both contact forms have.
func contactDetailsForm(r *http.Request) contact.Details {
	f := r.PostForm
	return contact.Details{Street: f.Get(contact.FieldStreet), Postcode: f.Get(contact.FieldPostcode), City: f.Get(contact.FieldCity),
		Phone: f.Get(contact.FieldPhone), Email: f.Get(contact.FieldEmail), Website: f.Get(contact.FieldWebsite)}
}
