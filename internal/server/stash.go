package server

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/web"
)

// A report posted after the session ran out is kept so that nothing typed
// is lost (issue 3). Kept for anyone, that let an anonymous visitor store up
// to 1 MiB per request in the sessions table (issue 15.1), and showed the
// report to whoever signed in next on a shared computer (issue 15.2). Now a
// report is kept only for a browser that carries a signed marker, set at
// sign-in, naming the user; at most maxStash bytes; at most stashesPerAddr
// per address per stashWindow; and it is shown only to that same user.
const (
	maxStash       = 64 << 10
	stashesPerAddr = 10
	stashWindow    = 30 * time.Minute
	markerLifetime = 13 * time.Hour // the longest session (12 h) and a margin
	// keyPendingOwner is the user the kept report belongs to.
	keyPendingOwner = "pending_report_owner"
)

// newMarkerKey is the key the marker is signed with. With the server's
// secret key (LEKWACHT_SECRET_KEY) it is derived from it, so every app
// server behind the load balancer, and the next process after a restart,
// recognises the marker. Without one it lives as long as the process: after
// a restart, or on another app server, a marker is not recognised and a
// report posted after the session ran out is not kept (the visitor is asked
// to sign in, as for anyone else).
func newMarkerKey(secret []byte) []byte {
	if len(secret) > 0 {
		k, err := hkdf.Key(sha256.New, secret, nil, "lekwacht stash marker v1", 32)
		if err == nil {
			return k
		}
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}

func (s *Server) markerName() string {
	if s.secure {
		return "__Host-lekwacht_was"
	}
	return "lekwacht_was"
}

func (s *Server) markerMAC(payload string) string {
	m := hmac.New(sha256.New, s.markerKey)
	m.Write([]byte("marker:" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// setMarker notes in the browser that userID signed in here.
func (s *Server) setMarker(w http.ResponseWriter, userID int64) {
	payload := strconv.FormatInt(userID, 10) + "." + strconv.FormatInt(s.now().Add(markerLifetime).Unix(), 10)
	http.SetCookie(w, &http.Cookie{Name: s.markerName(), Value: payload + "." + s.markerMAC(payload), Path: "/",
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: int(markerLifetime.Seconds())})
}

// clearMarker forgets it: signing out on purpose keeps nothing afterwards.
func (s *Server) clearMarker(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.markerName(), Value: "", Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// markerUser returns the user of a valid, unexpired marker, or 0.
func (s *Server) markerUser(r *http.Request) int64 {
	c, err := r.Cookie(s.markerName())
	if err != nil {
		return 0
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 {
		return 0
	}
	payload := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(parts[2]), []byte(s.markerMAC(payload))) {
		return 0
	}
	uid, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || uid <= 0 || s.now().Unix() > exp {
		return 0
	}
	return uid
}

// stashReport keeps a report posted without a session, when allowed, and
// says whether it did. The body is not read unless the marker is valid.
func (s *Server) stashReport(r *http.Request) bool {
	uid := s.markerUser(r)
	if uid == 0 || r.ContentLength > maxStash {
		return false
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("what_happened") == "" {
		return false
	}
	enc := r.PostForm.Encode()
	if len(enc) > maxStash || !s.stashes.allow(s.clientAddr(r)) {
		return false
	}
	s.sessions.Put(r.Context(), keyPendingReport, enc)
	s.sessions.Put(r.Context(), keyPendingOwner, uid)
	return true
}

// popStash returns the kept report when it belongs to the signed-in user;
// anyone else's is dropped unseen.
func (s *Server) popStash(r *http.Request) (url.Values, bool) {
	ctx := r.Context()
	pending := s.sessions.PopString(ctx, keyPendingReport)
	owner, _ := s.sessions.Pop(ctx, keyPendingOwner).(int64)
	a := access.ActorFrom(ctx)
	if pending == "" || a == nil || owner != a.UserID {
		return nil, false
	}
	v, err := url.ParseQuery(pending)
	return v, err == nil
}

// addrLimiter counts events per address in a window, in this process.
type addrLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	seen   map[string][]time.Time
}

func newAddrLimiter(max int, window time.Duration, now func() time.Time) *addrLimiter {
	if now == nil {
		now = time.Now
	}
	return &addrLimiter{max: max, window: window, now: now, seen: map[string][]time.Time{}}
}

// allow records an event for addr and says whether it is within the limit.
func (l *addrLimiter) allow(addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.seen) > 10000 {
		// Forget addresses whose events all passed, so the map stays small.
		for a, ts := range l.seen {
			if len(ts) == 0 || now.Sub(ts[len(ts)-1]) > l.window {
				delete(l.seen, a)
			}
		}
	}
	ts := l.seen[addr]
	for len(ts) > 0 && now.Sub(ts[0]) > l.window {
		ts = ts[1:]
	}
	if len(ts) >= l.max {
		l.seen[addr] = ts
		return false
	}
	l.seen[addr] = append(ts, now)
	return true
}

// sessionFailed answers when the session cannot be loaded or saved: the
// database is down. A report being sent comes back with what was typed.
func (s *Server) sessionFailed(w http.ResponseWriter, r *http.Request, err error) {
	ref := newRef()
	s.log.Error("session store failed", "method", r.Method, "route", routeOf(r), "ref", ref, "err", err)
	w.Header().Set("Retry-After", "60")
	w.Header().Set("Cache-Control", "no-store")
	if r.Method == http.MethodPost && r.URL.Path == "/melden" && r.ParseForm() == nil {
		f := reportFormFrom(r)
		s.render(w, r, http.StatusServiceUnavailable, web.ReportFormPage(web.Page{Title: "Incident melden", Loc: s.loc, Now: s.now()},
			web.ReportFormProps{Form: f, Message: "Uw melding is nog niet opgeslagen door een storing aan onze kant (referentie " + ref + "). " +
				"Alles wat u invulde staat er nog. Probeer het over een minuut opnieuw met ‘Melding versturen’; u maakt daarmee geen dubbele melding."}))
		return
	}
	s.render(w, r, http.StatusServiceUnavailable, web.ErrorPage(web.Page{Title: "Storing", Loc: s.loc, Now: s.now()}, http.StatusServiceUnavailable,
		"Lekwacht heeft op dit moment een storing. Probeer het over een paar minuten opnieuw. Wat u net verstuurde, is mogelijk niet opgeslagen.", ref))
}

// crossOriginRefused is the Dutch page for a request the cross-site
// request forgery check refused.
func (s *Server) crossOriginRefused(w http.ResponseWriter, r *http.Request) {
	s.log.Info("request refused", "method", r.Method, "route", routeOf(r), "status", http.StatusForbidden, "reason", "cross-origin")
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusForbidden, web.ErrorPage(web.Page{Title: "Geen toegang", Loc: s.loc, Now: s.now()}, http.StatusForbidden,
		"Dit formulier kwam niet van Lekwacht zelf en is daarom niet verwerkt. Open Lekwacht opnieuw en probeer het nog eens vanaf de pagina zelf.", ""))
}
