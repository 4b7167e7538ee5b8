// Package mail sends Lekwacht's mail over SMTP (github.com/wneessen/go-mail)
// and renders the plain-text and HTML bodies from templates, in Dutch. It
// knows nothing of the database: the outbox and the worker that delivers it
// live in the service layer.
package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one mail to one recipient.
type Message struct {
	To        string
	Subject   string
	Text      string
	HTML      string
	MessageID string // without angle brackets; stable across retries
}

// Sender delivers a message. Its error tells a bounce (the server refused
// the recipient or the message for good) from a failure worth retrying.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// TLS is how the connection to the SMTP server is protected.
type TLS string

const (
	TLSNone     TLS = "none"     // plain SMTP (a local catcher such as Mailpit)
	TLSStartTLS TLS = "starttls" // STARTTLS required: refuse to send without it
	TLSImplicit TLS = "tls"      // TLS from the first byte (port 465)
)

// SMTPConfig configures the SMTP sender.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      TLS
	From     string // "Lekwacht <noreply@school.nl>" or an address
	Timeout  time.Duration
}

// SMTP sends over SMTP, one connection per message.
type SMTP struct{ c SMTPConfig }

// NewSMTP returns an SMTP sender.
func NewSMTP(c SMTPConfig) *SMTP {
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	return &SMTP{c: c}
}

// Bounce is a permanent refusal by the server (a 5xx reply): retrying will
// not help. Code is the SMTP reply code.
type Bounce struct {
	Code int
	Err  error
}

func (b *Bounce) Error() string { return fmt.Sprintf("smtp %d: %v", b.Code, b.Err) }
func (b *Bounce) Unwrap() error { return b.Err }

// IsBounce reports whether err is a permanent refusal.
func IsBounce(err error) (*Bounce, bool) {
	var b *Bounce
	ok := errors.As(err, &b)
	return b, ok
}

// Send delivers m.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.c.From); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		// An address that is not one: no retry will fix it.
		return &Bounce{Code: 0, Err: errors.New("ongeldig adres")}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	opts := []gomail.Option{gomail.WithPort(s.c.Port), gomail.WithTimeout(s.c.Timeout)}
	switch s.c.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.c.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.c.Username), gomail.WithPassword(s.c.Password))
	}
	client, err := gomail.NewClient(s.c.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		return &Bounce{Code: se.ErrorCode(), Err: redact(err, m.To)}
	}
	return redact(err, m.To)
}

// redact keeps the recipient's address out of an error that may be logged
// or stored: servers like to echo it.
func redact(err error, addr string) error {
	if addr == "" || !strings.Contains(err.Error(), addr) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), addr, "<adres>"))
}
