package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// The administrator's single sign-on page (issue 11).

func (s *Server) ssoSettings(w http.ResponseWriter, r *http.Request, status int, form web.SSOProviderFormView, policyErrs web.Errors, typedPolicy *[2]string) error {
	a := access.ActorFrom(r.Context())
	set, err := s.svc.Accounts.SSOSettings(r.Context(), a)
	if err != nil {
		return err
	}
	v := web.SSOSettingsView{RedirectURL: set.RedirectURL, KeyAvailable: set.KeyAvailable, Required: set.Policy.Required,
		BreakGlass: "", Form: form, PolicyErrors: policyErrs}
	if set.Policy.BreakGlass != 0 {
		v.BreakGlass = strconv.FormatInt(set.Policy.BreakGlass, 10)
	}
	if typedPolicy != nil {
		v.Required, v.BreakGlass = typedPolicy[0] != "", typedPolicy[1]
	}
	for _, p := range set.Providers {
		v.Providers = append(v.Providers, web.SSOProviderRow{ID: p.ID, Name: p.Name, Issuer: p.Issuer, ClientID: p.ClientID, Domains: p.Domains})
	}
	for _, u := range set.Admins {
		v.Admins = append(v.Admins, web.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name + " (" + u.Email + ")"})
	}
	s.render(w, r, status, web.SSOSettingsPage(s.page(r, "Single sign-on"), v))
	return nil
}

func (s *Server) ssoIndex(w http.ResponseWriter, r *http.Request) error {
	return s.ssoSettings(w, r, http.StatusOK, web.SSOProviderFormView{}, nil, nil)
}

func ssoFormFrom(r *http.Request) service.SSOProviderForm {
	v := r.PostForm
	return service.SSOProviderForm{Name: v.Get("name"), Issuer: v.Get("issuer"), ClientID: v.Get("client_id"),
		ClientSecret: v.Get("client_secret"), Domains: v.Get("domains")}
}

// typedView keeps what was typed, except the secret.
func typedView(id int64, f service.SSOProviderForm, errs web.Errors) web.SSOProviderFormView {
	return web.SSOProviderFormView{ID: id, Name: f.Name, Issuer: f.Issuer, ClientID: f.ClientID, Domains: f.Domains, Errors: errs}
}

func (s *Server) ssoCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	f := ssoFormFrom(r)
	_, err := s.svc.Accounts.SaveSSOProvider(r.Context(), access.ActorFrom(r.Context()), 0, f)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		return s.ssoSettings(w, r, http.StatusUnprocessableEntity, typedView(0, f, errs), nil, nil)
	}
	if err != nil {
		return err
	}
	s.flash(r, "De inlogdienst is opgeslagen. Het clientgeheim is versleuteld bewaard en wordt niet meer getoond.")
	return seeOther(w, r, "/beheer/sso")
}

func (s *Server) ssoEditForm(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	p, err := s.svc.Accounts.SSOProvider(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.SSOProviderPage(s.page(r, "Inlogdienst "+p.Name), web.SSOProviderFormView{
		ID: p.ID, Name: p.Name, Issuer: p.Issuer, ClientID: p.ClientID, Domains: strings.Join(p.Domains, ", ")}))
	return nil
}

func (s *Server) ssoUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	f := ssoFormFrom(r)
	_, err = s.svc.Accounts.SaveSSOProvider(r.Context(), access.ActorFrom(r.Context()), id, f)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		s.render(w, r, http.StatusUnprocessableEntity, web.SSOProviderPage(s.page(r, "Inlogdienst"), typedView(id, f, errs)))
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "De inlogdienst is opgeslagen.")
	return seeOther(w, r, "/beheer/sso")
}

func (s *Server) ssoDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	if err := s.svc.Accounts.DeleteSSOProvider(r.Context(), access.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	s.flash(r, "De inlogdienst is verwijderd.")
	return seeOther(w, r, "/beheer/sso")
}

func (s *Server) ssoPolicy(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	required, bg := r.PostForm.Get("required"), r.PostForm.Get("break_glass")
	err := s.svc.Accounts.SetSSOPolicy(r.Context(), access.ActorFrom(r.Context()), required != "", bg)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		return s.ssoSettings(w, r, http.StatusUnprocessableEntity, web.SSOProviderFormView{}, errs, &[2]string{required, bg})
	}
	if err != nil {
		return err
	}
	s.flash(r, "Het beleid voor single sign-on is opgeslagen.")
	return seeOther(w, r, "/beheer/sso")
}
