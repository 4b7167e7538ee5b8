package server_test

import (
	"net/http"
	"testing"

	"github.com/lekwacht/lekwacht/internal/service"
)

func TestHarnessSignsInAndServesHome(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.client()
	if res := app.get(c, "/"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/inloggen?next=%2F" {
		t.Fatalf("anonymous / = %d %q, want redirect to sign-in", res.StatusCode, res.Header.Get("Location"))
	}
	app.signIn(c, "ontdekker@demo.lekwacht.nl", service.DemoPassword)
	res := app.get(c, "/")
	if res.StatusCode != http.StatusOK || !res.has("start-report") {
		t.Fatalf("home = %d, want 200 with the report button", res.StatusCode)
	}
	other := app.client()
	app.signIn(other, "desk@ander.nl", "ander-wachtwoord")
}
