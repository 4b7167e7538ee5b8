package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/mail"
	"github.com/lekwacht/lekwacht/internal/mailpit"
)

// TestSMTP sends through a real SMTP server: both bodies and the Message-ID
// arrive; a refused recipient is a bounce with the server's code and the
// address kept out of the error; STARTTLS required against a server without
// it refuses to send in plain text, as a retryable failure.
func TestSMTP(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t, mailpit.Options{AllowedRecipients: `@example\.nl$`})
	cfg := mail.SMTPConfig{Host: "127.0.0.1", Port: mp.SMTPPort, TLS: mail.TLSNone, From: "Lekwacht <noreply@lekwacht.test>", Timeout: 5 * time.Second}
	ctx := context.Background()
	text, html, err := mail.Render("Nieuwe melding 2026-0001", mail.Content{Greeting: "Beste Fatima,",
		Paragraphs: []string{"Er is een nieuwe melding <binnengekomen> bij De Regenboog."}, Link: "http://lekwacht.test/meldingen/1", Footer: "Lekwacht"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html, "&lt;binnengekomen&gt;") || !strings.Contains(text, "<binnengekomen>") || !strings.Contains(html, `href="http://lekwacht.test/meldingen/1"`) {
		t.Fatalf("rendering:\n%s\n%s", text, html)
	}
	msg := mail.Message{To: "fatima@example.nl", Subject: "Nieuwe melding 2026-0001", Text: text, HTML: html, MessageID: "lekwacht.abc@lekwacht.test"}
	if err := mail.NewSMTP(cfg).Send(ctx, msg); err != nil {
		t.Fatal(err)
	}
	got := mp.WaitFor(t, 1, 5*time.Second)
	full := mp.Message(t, got[0].ID)
	if full.MessageID != "lekwacht.abc@lekwacht.test" || full.Subject != msg.Subject || !strings.Contains(full.Text, "Beste Fatima,") ||
		!strings.Contains(full.HTML, "De Regenboog") {
		t.Errorf("arrived: %+v", full)
	}

	msg.To = "onbekend@elders.invalid"
	err = mail.NewSMTP(cfg).Send(ctx, msg)
	b, ok := mail.IsBounce(err)
	if !ok || b.Code != 550 || strings.Contains(err.Error(), "onbekend@elders.invalid") {
		t.Errorf("refused recipient: %v (bounce %v), want a 550 bounce without the address", err, ok)
	}

	msg.To = "fatima@example.nl"
	strict := cfg
	strict.TLS = mail.TLSStartTLS
	err = mail.NewSMTP(strict).Send(ctx, msg)
	if _, bounce := mail.IsBounce(err); err == nil || bounce {
		t.Errorf("STARTTLS required against a server without it: %v, want a (retryable) failure", err)
	}
	if n := len(mp.Messages(t)); n != 1 {
		t.Errorf("%d messages at the server, want only the first", n)
	}
}
