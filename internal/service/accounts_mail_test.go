package service_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/mailpit"
	"github.com/lekwacht/lekwacht/internal/service"
)

// A new account's one-time link reaches its owner by mail (through a real
// SMTP server), and so does a fresh link made later; the link is not in the log.
func TestPasswordLinkIsMailed(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	e := newEnvWith(t, func(d *service.Deps) {
		d.Queue = must(service.NewQueue(d.Store.Pool()))
		d.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	m := &mailEnv{env: e, mp: mailpit.Start(t, mailpit.Options{})}
	admin := m.actors["admin"]
	id, link, err := m.svc.Accounts.CreateUser(m.ctx, admin, service.UserForm{
		Email: "nieuw.lid@example.nl", Name: "Nieuw Lid", Roles: map[access.Role]string{access.Desk: "all"}})
	if err != nil {
		t.Fatal(err)
	}
	m.workers(t, m.svc, m.sender(), time.Minute)
	got := m.mp.WaitFor(t, 1, 10*time.Second)
	msg := m.mp.Message(t, got[0].ID)
	if len(msg.To) != 1 || msg.To[0].Address != "nieuw.lid@example.nl" || msg.Subject != "Uw account voor Lekwacht" {
		t.Fatalf("mail to %v, subject %q", msg.To, msg.Subject)
	}
	if !strings.Contains(msg.Text, link) || !strings.Contains(msg.Text, "Beste Nieuw Lid,") || !strings.Contains(msg.HTML, `href="`+link+`"`) {
		t.Errorf("the mail does not carry the link %s:\n%s", link, msg.Text)
	}

	again, err := m.svc.Accounts.NewPasswordLink(m.ctx, admin, id)
	if err != nil || again == link {
		t.Fatalf("new link %q, %v", again, err)
	}
	got = m.mp.WaitFor(t, 2, 10*time.Second)
	second := m.mp.Message(t, got[0].ID) // newest first
	if !strings.Contains(second.Text, again) || strings.Contains(second.Text, link) || !strings.HasPrefix(second.Subject, "Nieuwe link") {
		t.Errorf("second mail %q:\n%s", second.Subject, second.Text)
	}
	if n := m.count(`SELECT count(*) FROM mail_messages WHERE kind = 'password_link' AND user_id = $1`, id); n != 2 {
		t.Errorf("%d password-link mails in the outbox, want 2", n)
	}
	if strings.Contains(logs.String(), tokenOf(link)) || strings.Contains(logs.String(), tokenOf(again)) {
		t.Error("a one-time link went to the log")
	}
	// Delivered, the mails no longer hold the links: the outbox is no second
	// place to read a working link from.
	m.waitFinal(t, 10*time.Second)
	for _, token := range []string{tokenOf(link), tokenOf(again)} {
		if n := m.count(`SELECT count(*) FROM mail_messages WHERE text_body LIKE '%' || $1 || '%' OR html_body LIKE '%' || $1 || '%'`, token); n != 0 {
			t.Errorf("%d delivered mails still hold a one-time link", n)
		}
	}
}
