package server

import (
	"net/http"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2/memstore"
)

// The session manager carries the configured idle and absolute timeouts and
// safe cookie settings; Secure follows https.
func TestNewSessions(t *testing.T) {
	for _, secure := range []bool{false, true} {
		sm := NewSessions(memstore.New(), 30*time.Minute, 12*time.Hour, secure)
		if sm.IdleTimeout != 30*time.Minute || sm.Lifetime != 12*time.Hour {
			t.Errorf("timeouts idle %s lifetime %s", sm.IdleTimeout, sm.Lifetime)
		}
		c := sm.Cookie
		name := "lekwacht_session"
		if secure {
			name = "__Host-lekwacht_session" // issue 15.2: https only, this host, Path /
		}
		if c.Name != name || c.Path != "/" || c.Domain != "" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != secure || c.Persist {
			t.Errorf("cookie %+v with secure=%v", c, secure)
		}
	}
}
