package server_test

import (
	"net/http"
	"net/url"
	"regexp"
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

// TestMessagesMarkedRead: the menu shows how many messages are unread; the
// user marks what they saw as read, and only that: a message that arrives
// after the page was shown stays unread, and nobody else's messages change.
func TestMessagesMarkedRead(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	desk := app.as("meldpunt@demo.lekwacht.nl")
	r := app.get(desk, "/berichten")
	if strings.Count(r.Body, `data-testid="message-unread"`) != 2 || !strings.Contains(r.Body, `data-testid="nav-unread">2 nieuw`) ||
		!r.has("messages-mark-read") {
		t.Fatalf("two unread messages: want two badges, '2 nieuw' in the menu and the button\n%s", snippet(r.Body))
	}
	m := regexp.MustCompile(`name="tot" value="(\d+)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("no message id in the form")
	}
	othersUnread := app.count(`SELECT count(*) FROM user_messages WHERE read_at IS NULL AND user_id <> (SELECT id FROM users WHERE email = 'meldpunt@demo.lekwacht.nl')`)
	// A new report arrives after the page was shown.
	expect(t, "report", app.post(app.as("ontdekker@demo.lekwacht.nl"), "/melden", url.Values{"what_happened": {"Laptop met cijferlijsten uit de auto gestolen"}}), http.StatusSeeOther)
	expect(t, "mark read", app.post(desk, "/berichten/gelezen", url.Values{"tot": {m[1]}}), http.StatusSeeOther, "/berichten")
	r = app.get(desk, "/berichten")
	if !r.contains("De berichten zijn als gelezen gemarkeerd.") {
		t.Errorf("no confirmation after marking read\n%s", snippet(r.Body))
	}
	if n := strings.Count(r.Body, `data-testid="message-unread"`); n != 1 || !strings.Contains(r.Body, `data-testid="nav-unread">1 nieuw`) {
		t.Errorf("after marking: %d unread badges (want only the newer report) \n%s", n, snippet(r.Body))
	}
	if n := app.count(`SELECT count(*) FROM user_messages WHERE read_at IS NULL AND user_id <> (SELECT id FROM users WHERE email = 'meldpunt@demo.lekwacht.nl')`); n < othersUnread {
		t.Errorf("other users' unread messages went from %d to %d", othersUnread, n)
	}
	// Nothing to mark: a clear refusal, not a silent success.
	if res := app.post(desk, "/berichten/gelezen", url.Values{"tot": {"x"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("marking without an id: status %d, want 422", res.StatusCode)
	}
}
