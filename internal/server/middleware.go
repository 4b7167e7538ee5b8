package server

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
)

const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		// No referrer at all: one-time password links carry a token in the path.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// noStore keeps pages with personal data out of browser and proxy caches.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// maxFormBody caps ordinary form posts; file uploads (multipart) set their
// own, larger limit in their handler.
const maxFormBody = 1 << 20

// limitBody caps form posts at 1 MiB, except multipart uploads, whose
// handlers cap them.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		}
		next.ServeHTTP(w, r)
	})
}

// staticFiles serves the embedded CSS and images; no directory listings.
func (s *Server) staticFiles(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if st, err := fs.Stat(fsys, name); err != nil || st.IsDir() {
			s.fail(w, r, apperr.NotFoundf("Dit bestand bestaat niet."))
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// routeOf names the request by its route pattern (/wachtwoord/{token}), never
// by its path, which may hold a one-time token.
func routeOf(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "(unmatched)"
}

// logRequests writes one line per request: method, route, status, duration.
// Never the path, query or body: they may hold tokens or personal data.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		s.log.Debug("request", "method", r.Method, "route", routeOf(r), "status", ww.Status(),
			"duration_ms", time.Since(start).Milliseconds(), "request_id", middleware.GetReqID(r.Context()))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// loadActor puts the signed-in user, with current roles, in the context. A
// deactivated account is signed out; when roles or password changed since
// the session began, the session gets a fresh token.
func (s *Server) loadActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The address goes with every request to the services, for the
		// security log (never to the application log).
		r = r.WithContext(access.WithAddress(r.Context(), s.clientAddr(r)))
		ctx := r.Context()
		id := s.sessions.GetInt64(ctx, keyUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		// The actor, grants, unread count and the session row, in one
		// statement: a session ended under "Mijn sessies" (or by an
		// administrator) is signed out at its next request.
		a, version, unread, on, err := s.svc.Accounts.SignedIn(ctx, id, s.sessions.GetString(ctx, keySessionID))
		if apperr.Is(err, apperr.NotFound) {
			// The membership was switched off: a person of several boards
			// goes on in another (issue 11.3), if the session itself is
			// still good; anyone else is signed out.
			if s.fallBack(w, r, id) {
				return
			}
			_ = s.sessions.Destroy(ctx)
			next.ServeHTTP(w, r)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !on {
			_ = s.sessions.Destroy(ctx)
			next.ServeHTTP(w, r)
			return
		}
		if s.sessions.GetInt(ctx, keyAuthVersion) != version {
			// A new password set through a one-time link ends every other
			// session of the user (issue 15.2).
			epoch, err := s.svc.Accounts.SessionEpoch(ctx, id)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if s.sessions.GetInt(ctx, keyEpoch) != epoch {
				_ = s.sessions.Destroy(ctx)
				next.ServeHTTP(w, r)
				return
			}
			if err := s.sessions.RenewToken(ctx); err != nil {
				s.fail(w, r, err)
				return
			}
			s.sessions.Put(ctx, keyAuthVersion, version)
		}
		ctx = context.WithValue(access.WithActor(ctx, a), unreadKey{}, unread)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// fallBack moves the session of membership id, which was switched off, to
// another membership of the same person and sends the browser to its start
// page; false when there is none, or when the session was ended meanwhile
// (a new password, "Mijn sessies").
func (s *Server) fallBack(w http.ResponseWriter, r *http.Request, id int64) bool {
	ctx := r.Context()
	epoch, err := s.svc.Accounts.SessionEpoch(ctx, id)
	if err != nil || s.sessions.GetInt(ctx, keyEpoch) != epoch {
		return false
	}
	if on, err := s.svc.Accounts.SessionOn(ctx, id, s.sessions.GetString(ctx, keySessionID)); err != nil || !on {
		return false
	}
	b, version, err := s.svc.Accounts.FallBack(ctx, id, s.sessions.GetString(ctx, keyMethod))
	if err != nil {
		return false
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return false
	}
	s.sessions.Put(ctx, keyUserID, b.UserID)
	s.sessions.Put(ctx, keyAuthVersion, version)
	s.setMarker(w, b.UserID)
	s.flash(r, "Uw account in de organisatie waarin u werkte is uitgeschakeld. U werkt nu in "+b.Organisation+".")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return true
}

// unreadKey holds, in a request's context, the number of unread messages of
// the signed-in user, read with the actor (loadActor) for the layout.
type unreadKey struct{}

// requireActor sends visitors who are not signed in to the sign-in page. A
// report posted after the session ran out is kept in the session and comes
// back in the form after signing in again: nothing typed is lost.
func (s *Server) requireActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if access.ActorFrom(r.Context()) == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/inloggen?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			if r.URL.Path == "/melden" {
				// Kept only for who was signed in here (stash.go); nothing is
				// written for anyone else.
				if s.stashReport(r) {
					s.sessions.Put(r.Context(), keyFlash, "U was automatisch uitgelogd. Uw melding is nog niet verstuurd, maar wat u typte is bewaard: log in en verstuur haar opnieuw.")
				}
				http.Redirect(w, r, "/inloggen?next=%2Fmelden", http.StatusSeeOther)
				return
			}
			http.Redirect(w, r, "/inloggen", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext returns a local path to continue to after sign-in, or "/".
func safeNext(next string) string {
	if len(next) > 1 && next[0] == '/' && next[1] != '/' && next[1] != '\\' {
		if u, err := url.Parse(next); err == nil && u.Host == "" && u.Scheme == "" {
			return next
		}
	}
	return "/"
}
