package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

func (s *Server) users(w http.ResponseWriter, r *http.Request) error {
	a := access.ActorFrom(r.Context())
	users, err := s.svc.Accounts.Users(r.Context(), a)
	if err != nil {
		return err
	}
	schools, err := s.svc.Accounts.SchoolsForUserForm(r.Context(), a)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.UsersPage(s.page(r, "Gebruikers"), users, schools))
	return nil
}

func userFormFrom(v url.Values) service.UserForm {
	f := service.UserForm{
		Email: v.Get("email"), Name: v.Get("name"), Active: v.Get("active") != "",
		Roles: map[access.Role]string{}, Schools: map[access.Role][]string{},
	}
	for _, r := range access.Roles {
		f.Roles[r] = v.Get("role_" + string(r))
		f.Schools[r] = v["schools_"+string(r)]
	}
	return f
}

func (s *Server) renderUserForm(w http.ResponseWriter, r *http.Request, status int, props web.UserFormProps) error {
	schools, err := s.svc.Accounts.SchoolsForUserForm(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	props.Schools = schools
	title := "Nieuwe gebruiker"
	if props.ID != 0 {
		title = "Gebruiker " + props.Name
	}
	s.render(w, r, status, web.UserFormPage(s.page(r, title), props))
	return nil
}

func propsFromForm(id int64, f service.UserForm) web.UserFormProps {
	return web.UserFormProps{ID: id, Email: f.Email, Name: f.Name, Active: f.Active, Roles: f.Roles, RoleSchools: f.Schools}
}

func (s *Server) userNewForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderUserForm(w, r, http.StatusOK, web.UserFormProps{Active: true})
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	f := userFormFrom(r.PostForm)
	f.Active = true
	id, link, err := s.svc.Accounts.CreateUser(r.Context(), access.ActorFrom(r.Context()), f)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		props := propsFromForm(0, f)
		props.Errors = errs
		return s.renderUserForm(w, r, http.StatusUnprocessableEntity, props)
	}
	if err != nil {
		return err
	}
	if link == "" {
		s.flash(r, "Deze persoon had al een account in Lekwacht en is nu lid van uw organisatie, met de rollen die u koos. Zij of hij krijgt daarover een e-mail en logt in zoals gewend.")
		return seeOther(w, r, "/beheer/gebruikers/"+strconv.FormatInt(id, 10))
	}
	s.sessions.Put(r.Context(), keyPasswordLink, link)
	s.flash(r, "Het account is aangemaakt. De gebruiker krijgt een e-mail met een eenmalige link om een wachtwoord te kiezen.")
	return seeOther(w, r, "/beheer/gebruikers/"+strconv.FormatInt(id, 10))
}

func userID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFoundf("Dit account bestaat niet.")
	}
	return id, nil
}

func (s *Server) userEditForm(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	u, err := s.svc.Accounts.User(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	props := web.UserFormProps{ID: u.ID, Email: u.Email, Name: u.Name, Active: u.Active, HasPassword: u.HasPassword, HomeElsewhere: u.HomeElsewhere,
		Roles: map[access.Role]string{}, RoleSchools: map[access.Role][]string{},
		Link: s.sessions.PopString(r.Context(), keyPasswordLink)}
	sf, err := s.svc.Accounts.UserSecondFactor(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	props.SecondFactor = sf.Enabled
	for _, g := range u.Grants {
		if len(g.Schools) == 0 {
			props.Roles[g.Role] = "all"
			continue
		}
		props.Roles[g.Role] = "schools"
		for _, sid := range g.Schools {
			props.RoleSchools[g.Role] = append(props.RoleSchools[g.Role], strconv.FormatInt(sid, 10))
		}
	}
	return s.renderUserForm(w, r, http.StatusOK, props)
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	a := access.ActorFrom(r.Context())
	f := userFormFrom(r.PostForm)
	err = s.svc.Accounts.UpdateUser(r.Context(), a, id, f)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		u, uerr := s.svc.Accounts.User(r.Context(), a, id)
		if uerr != nil {
			return uerr
		}
		props := propsFromForm(id, f)
		props.Email, props.HasPassword, props.Errors = u.Email, u.HasPassword, errs
		return s.renderUserForm(w, r, http.StatusUnprocessableEntity, props)
	}
	if err != nil {
		return err
	}
	if id == a.UserID {
		// The actor's own roles changed: a fresh session token.
		if err := s.sessions.RenewToken(r.Context()); err != nil {
			return err
		}
	}
	s.flash(r, "De wijzigingen zijn opgeslagen.")
	return seeOther(w, r, "/beheer/gebruikers")
}

func (s *Server) userNewLink(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	link, err := s.svc.Accounts.NewPasswordLink(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), keyPasswordLink, link)
	s.flash(r, "Er is een nieuwe eenmalige link gemaakt en per e-mail naar de gebruiker gestuurd.")
	return seeOther(w, r, "/beheer/gebruikers/"+strconv.FormatInt(id, 10))
}

func (s *Server) userResetSecondFactor(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	if err := s.svc.Accounts.ResetSecondFactor(r.Context(), access.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	s.flash(r, "De tweestapsverificatie is gereset. Bij de volgende keer inloggen stelt de gebruiker haar opnieuw in.")
	return seeOther(w, r, "/beheer/gebruikers/"+strconv.FormatInt(id, 10))
}
