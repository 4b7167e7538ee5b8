package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/web"
)

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) error {
	if access.ActorFrom(r.Context()) != nil {
		return seeOther(w, r, safeNext(r.URL.Query().Get("next")))
	}
	p := s.page(r, "Inloggen")
	p.Flash = s.sessions.PopString(r.Context(), keyFlash)
	s.render(w, r, http.StatusOK, web.SignIn(p, web.SignInView{Step: "email", Next: r.URL.Query().Get("next")}))
	return nil
}

// signIn is both steps of the sign-in page (issue 11): a form with only the
// e-mail address sends an address of a single sign-on domain to its
// provider and shows the password field to every other; a form with a
// password signs in with it.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	email, next := r.PostForm.Get("email"), r.PostForm.Get("next")
	if e, ok := apperr.As(apperr.BadInput(r.Context())); ok {
		step := "email"
		if _, withPassword := r.PostForm["password"]; withPassword {
			step = "password"
		}
		s.render(w, r, http.StatusUnprocessableEntity, web.SignIn(s.page(r, "Inloggen"),
			web.SignInView{Step: step, Email: email, Next: next, Message: e.Message, Errors: e.Fields}))
		return nil
	}
	if _, withPassword := r.PostForm["password"]; !withPassword {
		if strings.TrimSpace(email) == "" {
			s.render(w, r, http.StatusUnprocessableEntity, web.SignIn(s.page(r, "Inloggen"),
				web.SignInView{Step: "email", Email: email, Next: next, Message: "Vul uw e-mailadres in."}))
			return nil
		}
		pid, err := s.svc.Accounts.SSORoute(r.Context(), email)
		if err != nil {
			return err
		}
		if pid != 0 {
			s.sessions.Put(r.Context(), keySSOHint, strings.TrimSpace(email))
			s.sessions.Put(r.Context(), keyPendingNext, safeNext(next))
			// Not a redirect: a form's navigation may be redirected only
			// within the CSP's form-action ('self'), and the next hop goes to
			// the provider. A page that sends the browser on is a navigation
			// of its own (found by TestE2ESingleSignOn in Chromium).
			path := "/inloggen/sso/" + strconv.FormatInt(pid, 10)
			p := s.page(r, "Inloggen via uw school")
			p.Refresh = path
			s.render(w, r, http.StatusOK, web.SSOContinue(p, path))
			return nil
		}
		s.render(w, r, http.StatusOK, web.SignIn(s.page(r, "Inloggen"), web.SignInView{Step: "password", Email: email, Next: next}))
		return nil
	}
	res, err := s.svc.Accounts.SignInFrom(r.Context(), email, r.PostForm.Get("password"), s.clientAddr(r))
	if err != nil {
		status, e, ok := refusedAs(err, apperr.Unauthenticated, apperr.TooManyRequests, apperr.Unavailable)
		if !ok {
			return err
		}
		setRetryAfter(w, e)
		s.log.Info("sign-in refused", "status", status)
		s.render(w, r, status, web.SignIn(s.page(r, "Inloggen"), web.SignInView{Step: "password", Email: email, Message: e.Message, Next: next}))
		return nil
	}
	return s.afterPassword(w, r, res, next)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if a := access.ActorFrom(ctx); a != nil {
		if sid := s.sessions.GetString(ctx, keySessionID); sid != "" {
			if err := s.svc.Accounts.EndSession(ctx, a, sid); err != nil && !apperr.Is(err, apperr.NotFound) {
				return err
			}
		}
		if err := s.svc.Accounts.SignedOut(ctx, a); err != nil {
			return err
		}
	}
	if err := s.sessions.Clear(ctx); err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.clearMarker(w)
	s.flash(r, "U bent uitgelogd.")
	return seeOther(w, r, "/inloggen")
}
