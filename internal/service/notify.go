package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/mail"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Who hears what (issue 5): every notification goes to the user in the app
// (user_messages) and by mail (the outbox, mail_messages, delivered by a
// River job), both written in the transaction of the change that causes it,
// so they exist exactly when the change does. Nothing depends on mail alone.

// Queue puts jobs on the job queue inside a transaction (a River client).
type Queue interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertManyTx(ctx context.Context, tx pgx.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// notice is one notification to some users.
type notice struct {
	Kind string // what it is about, e.g. "case_reported"; also the mail's kind
	// Key makes the notification unique for good (per event); each user's
	// mail has the key with the user's id, and its Message-ID derives from it.
	Key        string
	CaseID     *int64
	Subject    string
	Paragraphs []string
	Path       string // a link into Lekwacht, e.g. /meldingen/12
	LinkText   string
	Footer     string
}

// notify delivers n to each of to (once per user, never to skip) in the app
// and by mail, inside the transaction of q.
func (d Deps) notify(ctx context.Context, q *store.Queries, orgID int64, to []access.Account, skip int64, n notice) error {
	body := strings.Join(n.Paragraphs, "\n\n")
	c := mail.Content{Paragraphs: n.Paragraphs, LinkText: n.LinkText, Footer: n.Footer}
	if c.Footer == "" {
		c.Footer = "U krijgt dit bericht van Lekwacht omdat het uw rol in de afhandeling van meldingen betreft. U vindt het ook onder ‘Berichten’ in Lekwacht."
	}
	if n.Path != "" {
		c.Link = d.BaseURL + n.Path
	}
	seen := map[int64]bool{skip: true}
	for _, u := range to {
		if seen[u.ID] || !u.Active {
			continue
		}
		seen[u.ID] = true
		if err := q.AddMessage(ctx, orgID, u.ID, n.CaseID, n.Kind, n.Key, n.Subject, body, d.Now()); err != nil {
			return err
		}
		c.Greeting = "Beste " + u.Name + ","
		text, html, err := mail.Render(n.Subject, c)
		if err != nil {
			return err
		}
		uid := u.ID
		if err := d.enqueueMail(ctx, q, store.NewMail{OrganisationID: orgID, CaseID: n.CaseID, UserID: &uid, Kind: n.Kind,
			OutboxKey: fmt.Sprintf("%s:u%d", n.Key, u.ID), Recipient: u.Email, Subject: n.Subject, Text: text, HTML: html}); err != nil {
			return err
		}
	}
	return nil
}

// mailAccount mails the owner of an account about the account itself (a
// one-time link, failed sign-ins): by mail only, since they may not be able
// to sign in. key makes the mail unique (the outbox key).
func (d Deps) mailAccount(ctx context.Context, q *store.Queries, orgID, userID int64, email, kind, key, subject string, c mail.Content) error {
	text, html, err := mail.Render(subject, c)
	if err != nil {
		return err
	}
	return d.enqueueMail(ctx, q, store.NewMail{OrganisationID: orgID, UserID: &userID, Kind: kind,
		OutboxKey: key, Recipient: email, Subject: subject, Text: text, HTML: html})
}

// enqueueMail writes m to the outbox and puts its delivery job on the queue,
// both in q's transaction. The same outbox key twice is one mail.
func (d Deps) enqueueMail(ctx context.Context, q *store.Queries, m store.NewMail) error {
	m.At = d.Now()
	m.MessageID = d.messageID(m.OutboxKey)
	m.InJobQueue = d.Queue != nil
	id, inserted, err := q.InsertMail(ctx, m)
	if err != nil || !inserted {
		return err
	}
	if d.Queue == nil {
		// Without a queue (no SMTP server; some tests) the mail waits in the
		// outbox, off the job queue, until a server that delivers mail puts
		// it there (outboxWorker).
		return nil
	}
	tx := q.Tx()
	if tx == nil {
		return fmt.Errorf("enqueue mail: not in a transaction")
	}
	if _, err := d.Queue.InsertTx(ctx, tx, MailArgs{MailID: id}, nil); err != nil {
		return fmt.Errorf("enqueue mail: %w", err)
	}
	return nil
}

// enqueueMails is enqueueMail for many mails at once (the notice to data
// subjects): one outbox insert and one job insert for all. It returns the outbox id per mail.
func (d Deps) enqueueMails(ctx context.Context, q *store.Queries, list []store.NewMail) ([]int64, error) {
	now := d.Now()
	for i := range list {
		list[i].At = now
		list[i].MessageID = d.messageID(list[i].OutboxKey)
		list[i].InJobQueue = d.Queue != nil
	}
	// In chunks: each mail carries its whole text, so one statement for a
	// list of thousands would be one very large message to the database.
	byKey := make(map[string]int64, len(list))
	for chunk := range slices.Chunk(list, 500) {
		got, err := q.InsertMails(ctx, chunk)
		if err != nil {
			return nil, err
		}
		maps.Copy(byKey, got)
	}
	ids := make([]int64, len(list))
	var jobs []river.InsertManyParams
	for i, m := range list {
		id, inserted := byKey[m.OutboxKey]
		if !inserted {
			return nil, fmt.Errorf("enqueue mails: %s was queued before", m.OutboxKey)
		}
		ids[i] = id
		jobs = append(jobs, river.InsertManyParams{Args: MailArgs{MailID: id}})
	}
	if d.Queue == nil || len(jobs) == 0 {
		return ids, nil
	}
	tx := q.Tx()
	if tx == nil {
		return nil, fmt.Errorf("enqueue mails: not in a transaction")
	}
	if _, err := d.Queue.InsertManyTx(ctx, tx, jobs); err != nil {
		return nil, fmt.Errorf("enqueue mails: %w", err)
	}
	return ids, nil
}

// messageID is the stable Message-ID of the mail with this outbox key: a
// retry sends the same one, so a server that checks can drop a duplicate.
func (d Deps) messageID(key string) string {
	sum := sha256.Sum256([]byte(key))
	host := "lekwacht.invalid"
	if u, err := url.Parse(d.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "lekwacht." + hex.EncodeToString(sum[:16]) + "@" + host
}
