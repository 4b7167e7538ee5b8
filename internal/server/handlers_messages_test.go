package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestMessagesPage: /berichten lists the user's own notifications (the demo's
// two reports reached the demo desk), linked from the menu; another
// organisation's desk sees none of them.
func TestMessagesPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	desk := app.as("meldpunt@demo.lekwacht.nl")
	r := app.get(desk, "/berichten")
	expect(t, "messages page", r, http.StatusOK)
	if !r.has("messages-list") || strings.Count(r.Body, `data-testid="message"`) != 2 || !r.contains("Nieuwe melding") {
		t.Errorf("the demo desk's messages: want the two new reports\n%s", snippet(r.Body))
	}
	if !r.contains(`href="/berichten"`) {
		t.Error("the menu does not link to Berichten")
	}
	other := app.get(app.as("desk@ander.nl"), "/berichten")
	expect(t, "other organisation", other, http.StatusOK)
	if !other.has("messages-empty") || other.contains("Nieuwe melding") {
		t.Errorf("another organisation's desk sees messages\n%s", snippet(other.Body))
	}
	if r := app.get(app.client(), "/berichten"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/inloggen") {
		t.Errorf("signed out: status %d to %q, want a redirect to sign in", r.StatusCode, r.Header.Get("Location"))
	}
}
