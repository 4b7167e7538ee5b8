package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2/memstore"
)

// The stash marker set by one app server is recognised by another, and by
// the next process, when both have the same LEKWACHT_SECRET_KEY; a server
// with another key, or with none (a key per process), refuses it.
func TestStashMarkerAcrossServers(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC) }
	secret := []byte("0123456789abcdef0123456789abcdef")
	other := []byte("fedcba9876543210fedcba9876543210")
	server := func(key []byte) *Server {
		return New(Deps{Sessions: NewSessions(memstore.New(), time.Hour, 12*time.Hour, false), Now: now, SecretKey: key})
	}
	marked := func(s *Server) *http.Request {
		rec := httptest.NewRecorder()
		s.setMarker(rec, 42)
		r := httptest.NewRequest(http.MethodPost, "/melden", nil)
		for _, c := range rec.Result().Cookies() {
			r.AddCookie(c)
		}
		return r
	}
	a, b := server(secret), server(secret)
	if got := b.markerUser(marked(a)); got != 42 {
		t.Errorf("a server with the same secret reads user %d, want 42", got)
	}
	if got := server(other).markerUser(marked(a)); got != 0 {
		t.Errorf("a server with another secret reads user %d", got)
	}
	if got := server(nil).markerUser(marked(server(nil))); got != 0 {
		t.Errorf("two servers without a secret share a key: user %d", got)
	}
	if got := a.markerUser(marked(a)); got != 42 {
		t.Errorf("the server itself reads user %d", got)
	}
}
