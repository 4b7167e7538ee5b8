package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Sessions of a user (issue 11, "Mijn sessies"): every sign-in records one;
// the user sees where and when, and ends one or all others; an
// administrator ends all of a member's. An ended session is signed out at
// its next request (the server checks it with the actor on every request, Accounts.SignedIn).

// SessionInfo is one of the user's sessions as the page shows it.
type SessionInfo struct {
	ID                     string
	Method                 string // Dutch: "wachtwoord en code", "single sign-on", …
	Device, Network        string
	SignedInAt, LastSeenAt time.Time
	Current                bool
}

// sessionForget: rows of sessions ended or unused this long are removed at
// the user's next sign-in.
const sessionForget = 30 * 24 * time.Hour

func (d Deps) sessionIdle() time.Duration {
	if d.SessionIdle > 0 {
		return d.SessionIdle
	}
	return 30 * time.Minute
}

func (d Deps) sessionLifetime() time.Duration {
	if d.SessionLifetime > 0 {
		return d.SessionLifetime
	}
	return 12 * time.Hour
}

// StartSession records a sign-in by method ("password", "password+totp",
// "sso") from a browser (its User-Agent) and address, and returns the id the
// session keeps. Only the server calls it, right after a sign-in succeeded.
func (s *Accounts) StartSession(ctx context.Context, userID int64, method, userAgent, addr string) (string, error) {
	ctx = store.System(ctx) // sign-in: the session row of a user who has just signed in (docs/security.md)
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("session id: %w", err)
	}
	now := s.d.Now()
	id := hex.EncodeToString(b)
	err := s.d.Store.StartUserSession(ctx, userID, store.UserSession{ID: id, Method: method,
		Device: DescribeDevice(userAgent), Network: CoarseNetwork(addr), SignedInAt: now}, now.Add(-sessionForget))
	return id, err
}

// MySessions lists the actor's sessions that are on, current first marked.
func (s *Accounts) MySessions(ctx context.Context, a *access.Actor, current string) ([]SessionInfo, error) {
	ctx = scoped(ctx, a)
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	now := s.d.Now()
	since := now.Add(-s.d.sessionIdle() - time.Minute)
	rows, err := s.d.Store.UserSessions(ctx, a.UserID, since)
	if err != nil {
		return nil, err
	}
	out := make([]SessionInfo, 0, len(rows))
	for _, r := range rows {
		if r.SignedInAt.Before(now.Add(-s.d.sessionLifetime())) {
			continue
		}
		out = append(out, SessionInfo{ID: r.ID, Method: methodLabel(r.Method), Device: r.Device, Network: r.Network,
			SignedInAt: r.SignedInAt, LastSeenAt: r.LastSeenAt, Current: r.ID == current})
	}
	return out, nil
}

func methodLabel(m string) string {
	switch m {
	case "password":
		return "wachtwoord"
	case "password+totp":
		return "wachtwoord en code uit de app"
	case "sso":
		return "single sign-on"
	}
	return m
}

// EndSession ends one of the actor's own sessions.
func (s *Accounts) EndSession(ctx context.Context, a *access.Actor, id string) error {
	ctx = scoped(ctx, a)
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	n, err := s.d.Store.EndUserSessions(ctx, a.UserID, id, "", s.d.Now())
	if err != nil {
		return err
	}
	if n == 0 || id == "" {
		return apperr.NotFoundf("Deze sessie bestaat niet of is al beëindigd.")
	}
	s.eventSessionsEnded(ctx, a, a.UserID, n)
	return nil
}

// EndOtherSessions ends every session of the actor but the current one.
func (s *Accounts) EndOtherSessions(ctx context.Context, a *access.Actor, current string) (int, error) {
	ctx = scoped(ctx, a)
	if a == nil {
		return 0, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	if current == "" {
		return 0, apperr.New(apperr.Conflict, "Deze sessie is niet bekend; log opnieuw in.")
	}
	n, err := s.d.Store.EndUserSessions(ctx, a.UserID, "", current, s.d.Now())
	if err == nil {
		s.eventSessionsEnded(ctx, a, a.UserID, n)
	}
	return n, err
}

// EndUserSessions ends every session of an account of the administrator's
// organisation (a lost laptop, someone leaving); audited.
func (s *Accounts) EndUserSessions(ctx context.Context, a *access.Actor, userID int64) (int, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return 0, err
	}
	now := s.d.Now()
	var n int
	err := transact(ctx, s.d.Store, func(q *store.Queries) error {
		if _, err := q.UserInOrg(ctx, a.OrganisationID, userID); err != nil {
			return err
		}
		var err error
		if n, err = q.EndUserSessions(ctx, userID, "", "", now); err != nil {
			return err
		}
		return q.Audit(ctx, a.OrganisationID, now, &a.UserID, "sessions_ended", userID, map[string]any{"sessions": n})
	})
	if err == nil {
		s.eventSessionsEnded(ctx, a, userID, n)
	}
	return n, err
}

// DescribeDevice names browser and system from a User-Agent header in a
// few Dutch words ("Firefox op Windows"); "" when it says nothing known.
func DescribeDevice(ua string) string {
	if len(ua) > 512 {
		ua = ua[:512]
	}
	browser := ""
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chromium/", "Chromium"},
		{"Chrome/", "Chrome"}, {"CriOS/", "Chrome"}, {"FxiOS/", "Firefox"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, o := range []struct{ token, name string }{
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"CrOS", "ChromeOS"},
		{"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"Macintosh", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			system = o.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " op " + system
	case browser != "":
		return browser
	case system != "":
		return system
	}
	return ""
}

// CoarseNetwork keeps of an address only its /24 (IPv4) or /48 (IPv6).
func CoarseNetwork(addr string) string {
	ip := net.ParseIP(strings.TrimSpace(addr))
	if ip == nil {
		return ""
	}
	if v4 := ip.To4(); v4 != nil {
		return (&net.IPNet{IP: v4.Mask(net.CIDRMask(24, 32)), Mask: net.CIDRMask(24, 32)}).String()
	}
	return (&net.IPNet{IP: ip.Mask(net.CIDRMask(48, 128)), Mask: net.CIDRMask(48, 128)}).String()
}

// SessionOn reports whether the session sessionID of the person of
// membership userID is still on (for a session whose membership was switched
// off, before it goes on in another: Accounts.FallBack).
func (s *Accounts) SessionOn(ctx context.Context, userID int64, sessionID string) (bool, error) {
	ctx = store.System(ctx) // the session names the user, not the organisation (docs/security.md)
	if len(sessionID) != 32 {
		return false, nil
	}
	return s.d.Store.SessionOn(ctx, userID, sessionID)
}
