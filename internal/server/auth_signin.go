package server

import (
	"net/http"

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
	s.render(w, r, http.StatusOK, web.SignInPage(p, "", "", r.URL.Query().Get("next")))
	return nil
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	email, next := r.PostForm.Get("email"), r.PostForm.Get("next")
	res, err := s.svc.Accounts.SignInFrom(r.Context(), email, r.PostForm.Get("password"), s.clientAddr(r))
	if err != nil {
		status := 0
		switch apperr.KindOf(err) {
		case apperr.Unauthenticated:
			status = http.StatusUnauthorized
		case apperr.TooManyRequests:
			status = http.StatusTooManyRequests
		case apperr.Unavailable:
			status = http.StatusServiceUnavailable
		default:
			return err
		}
		e, _ := apperr.As(err)
		setRetryAfter(w, e)
		s.log.Info("sign-in refused", "status", status)
		s.render(w, r, status, web.SignInPage(s.page(r, "Inloggen"), email, e.Message, next))
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
