// Package server is the HTTP face of Lekwacht: chi routes (routes.go is the
// site map), middleware, one file per handler action, and the one adapter
// that turns errors into pages. Handlers never decide who may act; they call
// the service layer, which does.
package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// Pinger checks the database for /healthz.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps is what the server is built from.
type Deps struct {
	Services *service.Services
	Sessions *scs.SessionManager
	DB       Pinger
	Logger   *slog.Logger
	Location *time.Location
	Now      func() time.Time
	// Secure is true when served over https: HSTS.
	Secure bool
	// ClientIPHeader names the header a reverse proxy puts the client's
	// address in (X-Forwarded-For: its last entry); "" uses the connection's
	// address. Sign-in throttling and the anonymous limits count by it.
	ClientIPHeader string
	// SecretKey is the server's secret (LEKWACHT_SECRET_KEY), from which the
	// key of the stash marker is derived; nil gives a key per process.
	SecretKey []byte
}

// Server serves Lekwacht's pages.
type Server struct {
	svc      *service.Services
	sessions *scs.SessionManager
	db       Pinger
	log      *slog.Logger
	loc      *time.Location
	now      func() time.Time
	secure   bool
	ipHeader string
	// markerKey signs the "was signed in" cookie (stash.go); stashes
	// counts the reports kept per address.
	markerKey []byte
	stashes   *addrLimiter
}

// New builds the server; Handler returns its routes.
func New(d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &Server{svc: d.Services, sessions: d.Sessions, db: d.DB, log: d.Logger,
		loc: d.Location, now: d.Now, secure: d.Secure, ipHeader: d.ClientIPHeader,
		markerKey: newMarkerKey(d.SecretKey), stashes: newAddrLimiter(stashesPerAddr, stashWindow, d.Now)}
	// A session that cannot be loaded or saved (the database is down) gets
	// the Dutch page, and a report being sent keeps what was typed.
	s.sessions.ErrorFunc = s.sessionFailed
	return s
}

// idleKeeper is a session store that keeps the idle timeout itself
// (store.SessionStore), renewing a session's expiry without rewriting it.
type idleKeeper interface{ IdleTimeout() time.Duration }

// NewSessions configures scs for Lekwacht: the cookie, the timeouts, and the
// store (PostgreSQL in production, so several app servers share sessions).
//
// With a store that keeps the idle timeout (store.SessionStore, the one used
// outside unit tests), scs's own idle timeout stays off: scs would mark every
// session modified on load and write it back on every page view. The store
// must keep the same idle timeout as given here.
func NewSessions(store scs.Store, idle, lifetime time.Duration, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.IdleTimeout = idle
	if k, ok := store.(idleKeeper); ok {
		if k.IdleTimeout() != idle {
			panic("server.NewSessions: the session store keeps another idle timeout")
		}
		sm.IdleTimeout = 0
	}
	sm.Lifetime = lifetime
	sm.Cookie.Name = "lekwacht_session"
	if secure {
		// __Host-: the browser takes the cookie only over https, for this
		// host alone (no Domain) and the whole site (Path /).
		sm.Cookie.Name = "__Host-lekwacht_session"
		sm.Cookie.Path = "/"
	}
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Persist = false
	return sm
}

// Session keys.
const (
	keyUserID       = "user_id"
	keyAuthVersion  = "auth_version"
	keyEpoch        = "session_epoch"
	keyFlash        = "flash"
	keyPasswordLink = "password_link"
	// keyPendingReport holds a report posted after the session ran out.
	keyPendingReport = "pending_report"
	// A sign-in halfway: the password was right, the code step is next
	// (auth_second_factor.go).
	keyPendingUser = "pending_user_id"
	keyPendingAt   = "pending_at"
	keyPendingNext = "pending_next"
	// keySessionID names the session's row in "Mijn sessies" (user_sessions).
	keySessionID = "session_id"
	// keyMethod is how the session signed in ("password", "password+totp",
	// "sso"): switching to an organisation whose roles need a second factor
	// asks for a new sign-in after a password alone.
	keyMethod = "sign_in_method"
)

// startSession puts a signed-in user in a fresh session, with the auth
// version and session epoch it began with and the id of its row in "Mijn
// sessies" (method says how the user signed in), and marks the browser (stash.go).
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, userID int64, version int, method string) error {
	ctx := r.Context()
	epoch, err := s.svc.Accounts.SessionEpoch(ctx, userID)
	if err != nil {
		return err
	}
	sid, err := s.svc.Accounts.StartSession(ctx, userID, method, r.UserAgent(), s.clientAddr(r))
	if err != nil {
		return err
	}
	// A fresh token at sign-in: a session id planted before cannot be used.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, keyUserID, userID)
	s.sessions.Put(ctx, keyAuthVersion, version)
	s.sessions.Put(ctx, keyEpoch, epoch)
	s.sessions.Put(ctx, keySessionID, sid)
	s.sessions.Put(ctx, keyMethod, method)
	s.setMarker(w, userID)
	return nil
}

// handler is an HTTP handler that returns its failure instead of writing it.
type handler func(w http.ResponseWriter, r *http.Request) error

// h adapts a handler: every failure is rendered and logged here, once.
func (s *Server) h(fn handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// fail renders err as a page: the user sees only messages written for users.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	msg := "Er ging iets mis aan onze kant. Probeer het later nog eens."
	ref := ""
	if e, ok := apperr.As(err); ok && e.Kind != apperr.Internal {
		msg = e.Message
		if e.Kind == apperr.Unauthenticated && r.Method == http.MethodGet {
			http.Redirect(w, r, "/inloggen?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		status = statusFor(e.Kind)
		setRetryAfter(w, e)
		s.log.Info("request refused", "method", r.Method, "route", routeOf(r), "status", status, "kind", int(e.Kind))
	} else {
		ref = newRef()
		s.log.Error("request failed", "method", r.Method, "route", routeOf(r), "ref", ref, "err", err)
	}
	s.render(w, r, status, web.ErrorPage(s.page(r, "Foutmelding"), status, msg, ref))
}

// statusFor is the HTTP status that answers an error of kind k.
func statusFor(k apperr.Kind) int {
	switch k {
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.TooManyRequests:
		return http.StatusTooManyRequests
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// refusedAs returns the status and the error of err when err is one of the
// kinds a page shows itself (a form that comes back with a message), and
// ok false for any other error, which the caller returns to fail.
func refusedAs(err error, kinds ...apperr.Kind) (status int, e *apperr.Error, ok bool) {
	e, isApp := apperr.As(err)
	if !isApp || !slices.Contains(kinds, e.Kind) {
		return 0, nil, false
	}
	return statusFor(e.Kind), e, true
}

// setRetryAfter sends the wait of a throttled or busy refusal, in whole seconds.
func setRetryAfter(w http.ResponseWriter, e *apperr.Error) {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
}

// clientAddr is the address a request comes from: the proxy's header when
// one is configured and holds an IP address, else the connection's.
func (s *Server) clientAddr(r *http.Request) string {
	if s.ipHeader != "" {
		if v := r.Header.Values(s.ipHeader); len(v) > 0 {
			list := strings.Split(v[len(v)-1], ",")
			if ip := net.ParseIP(strings.TrimSpace(list[len(list)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func newRef() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// render writes a component with a status, only once it rendered in full.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		ref := newRef()
		s.log.Error("render failed", "route", routeOf(r), "ref", ref, "err", err)
		http.Error(w, "Er ging iets mis (referentie "+ref+").", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// page builds the data every page's layout needs, in one place.
func (s *Server) page(r *http.Request, title string) web.Page {
	a := access.ActorFrom(r.Context())
	p := web.Page{Title: title, Actor: a, Loc: s.loc, Now: s.now()}
	if a != nil {
		p.Flash = s.sessions.PopString(r.Context(), keyFlash)
		p.Nav = navFor(a, r.URL.Path)
		// The number of unread messages beside "Berichten", read with the
		// actor at the start of the request (loadActor); a page is still
		// shown when it cannot be counted.
		n, counted := r.Context().Value(unreadKey{}).(int)
		var err error
		if !counted {
			n, err = s.svc.Incidents.UnreadMessages(r.Context(), a)
		}
		if err != nil {
			s.log.Warn("counting unread messages failed", "err", err)
		} else {
			for i := range p.Nav {
				if p.Nav[i].Href == "/berichten" {
					p.Nav[i].New = n
				}
			}
		}
	}
	return p
}

func navFor(a *access.Actor, path string) []web.NavItem {
	var items []web.NavItem
	if a.OfficerOfSeveral() {
		items = append(items, web.NavItem{Label: "Al mijn organisaties", Href: "/organisaties"})
	}
	items = append(items, web.NavItem{Label: "Start", Href: "/"}, web.NavItem{Label: "Melden", Href: "/melden"},
		web.NavItem{Label: "Mijn meldingen", Href: "/mijn-meldingen"}, web.NavItem{Label: "Berichten", Href: "/berichten"})
	if a.Has(access.Desk) {
		items = append(items, web.NavItem{Label: "Meldpunt", Href: "/meldpunt"})
	}
	if incident.CanViewRegister(a) {
		items = append(items, web.NavItem{Label: "Register", Href: "/register"})
	}
	// Who sees the register has its export links there; who may only export
	// (an administrator) gets the export page.
	if incident.CanExportRegister(a) && !incident.CanViewRegister(a) {
		items = append(items, web.NavItem{Label: "Register exporteren", Href: "/register/exporteren"})
	}
	if incident.CanReadAnalyses(a) {
		items = append(items, web.NavItem{Label: "Analyse", Href: "/analyse"})
	}
	if incident.CanViewProcessors(a) {
		items = append(items, web.NavItem{Label: "Verwerkers", Href: "/verwerkers"})
	}
	if a.HasOrgWide(access.Admin) {
		items = append(items, web.NavItem{Label: "Gebruikers", Href: "/beheer/gebruikers"}, web.NavItem{Label: "Scholen", Href: "/beheer/scholen"},
			web.NavItem{Label: "Meldpagina", Href: "/beheer/meldpagina"}, web.NavItem{Label: "Single sign-on", Href: "/beheer/sso"})
	}
	if incident.CanViewSecurityLog(a) {
		items = append(items, web.NavItem{Label: "Beveiligingslog", Href: "/beveiligingslog"})
	}
	for i := range items {
		h := items[i].Href
		items[i].Active = path == h || (h != "/" && strings.HasPrefix(path, h+"/"))
	}
	return items
}

// flash stores a message for the next page the user sees.
func (s *Server) flash(r *http.Request, msg string) {
	s.sessions.Put(r.Context(), keyFlash, msg)
}

// seeOther is the redirect after a successful POST (Post/Redirect/Get).
func seeOther(w http.ResponseWriter, r *http.Request, url string) error {
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}

// refusal turns a refused form (Invalid) or a case that moved on meanwhile
// (Conflict) into the messages to show, under "form" and beside each field,
// and the status to answer with; ok is false for any other error. The caller
// shows the form again with everything typed, so nothing is lost.
func refusal(ctx context.Context, err error) (errs web.Errors, status int, ok bool) {
	e, isApp := apperr.As(err)
	if !isApp || (e.Kind != apperr.Invalid && e.Kind != apperr.Conflict) {
		return nil, 0, false
	}
	errs = web.Errors{"form": e.Message}
	for k, v := range e.Fields {
		errs[k] = v
	}
	addBadInput(ctx, errs)
	if e.Kind == apperr.Conflict {
		return errs, http.StatusConflict, true
	}
	return errs, http.StatusUnprocessableEntity, true
}

// fieldErrors returns the per-field messages of an Invalid error.
func fieldErrors(ctx context.Context, err error) (web.Errors, bool) {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid {
		return nil, false
	}
	errs := web.Errors{}
	for k, v := range e.Fields {
		errs[k] = v
	}
	addBadInput(ctx, errs)
	return errs, true
}

// addBadInput puts beside each field whose characters cleanInput took out
// its message, also when the form was refused for another reason before the
// service came to the characters: the form shows the cleaned text.
func addBadInput(ctx context.Context, errs web.Errors) {
	if e, ok := apperr.As(apperr.BadInput(ctx)); ok {
		for k, v := range e.Fields {
			errs[k] = v
		}
	}
}
