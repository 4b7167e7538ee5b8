package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// Single sign-on (issue 11): to the provider and back. What the way back is
// checked against (state, nonce, PKCE verifier, provider) waits in the
// session, which lives in PostgreSQL, never in the browser; it is taken out
// at the first way back, so a replayed answer finds nothing, and lapses
// after ssoLifetime.
const ssoLifetime = 10 * time.Minute

const (
	keySSOHint     = "sso_hint"
	keySSOProvider = "sso_provider"
	keySSOState    = "sso_state"
	keySSONonce    = "sso_nonce"
	keySSOVerifier = "sso_verifier"
	keySSOAt       = "sso_at"
)

// ssoStart sends the browser to provider {id}.
func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.NotFoundf("Deze inlogdienst bestaat niet.")
	}
	ctx := r.Context()
	st, err := s.svc.Accounts.BeginSSO(ctx, id, s.sessions.PopString(ctx, keySSOHint))
	if err != nil {
		return s.ssoFailed(w, r, err)
	}
	if v := r.URL.Query().Get("next"); v != "" {
		s.sessions.Put(ctx, keyPendingNext, safeNext(v))
	}
	s.sessions.Put(ctx, keySSOProvider, st.ProviderID)
	s.sessions.Put(ctx, keySSOState, st.State)
	s.sessions.Put(ctx, keySSONonce, st.Nonce)
	s.sessions.Put(ctx, keySSOVerifier, st.Verifier)
	s.sessions.Put(ctx, keySSOAt, s.now().Unix())
	http.Redirect(w, r, st.AuthURL, http.StatusSeeOther)
	return nil
}

// ssoCallback is where the provider sends the browser back.
func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	cb := service.SSOCallback{
		ProviderID: s.sessions.GetInt64(ctx, keySSOProvider),
		WantState:  s.sessions.PopString(ctx, keySSOState),
		Nonce:      s.sessions.PopString(ctx, keySSONonce),
		Verifier:   s.sessions.PopString(ctx, keySSOVerifier),
		State:      q.Get("state"), Code: q.Get("code"), Error: q.Get("error"),
	}
	at := time.Unix(s.sessions.GetInt64(ctx, keySSOAt), 0)
	s.sessions.Remove(ctx, keySSOProvider)
	s.sessions.Remove(ctx, keySSOAt)
	if cb.ProviderID == 0 || s.now().Sub(at) > ssoLifetime {
		cb.WantState = "" // nothing to match: expired, replayed, or never begun here
	}
	res, err := s.svc.Accounts.CompleteSSO(ctx, cb)
	if err != nil {
		return s.ssoFailed(w, r, err)
	}
	if err := s.startSession(w, r, res.UserID, res.Version, "sso"); err != nil {
		return err
	}
	return seeOther(w, r, landing(res.Actor, s.sessions.PopString(ctx, keyPendingNext)))
}

// ssoFailed shows a Dutch page that says what to do, with the way back to
// the sign-in page; the cause was logged by the service, without tokens.
func (s *Server) ssoFailed(w http.ResponseWriter, r *http.Request, err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Kind == apperr.Internal {
		return err
	}
	status := http.StatusBadRequest
	switch e.Kind {
	case apperr.Unauthenticated:
		status = http.StatusUnauthorized
	case apperr.Forbidden:
		status = http.StatusForbidden
	case apperr.NotFound:
		status = http.StatusNotFound
	case apperr.Unavailable:
		status = http.StatusServiceUnavailable
	}
	s.log.Info("single sign-on refused", "status", status, "kind", int(e.Kind))
	s.render(w, r, status, web.SSOErrorPage(s.page(r, "Inloggen is niet gelukt"), e.Message))
	return nil
}
