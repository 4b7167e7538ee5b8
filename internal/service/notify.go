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
	return d.notifyAll(ctx, q, orgID, addressed{To: to, Skip: skip, Notice: n})
}

// addressed is a notice with its recipients.
type addressed struct {
	To     []access.Account
	Skip   int64
	Notice notice
}

// notifyAll delivers several notices at once, with one statement for all
// their messages in the app, one for all their mails and one for the mails'
// jobs, whatever the number of recipients (issue 13: the report POST was a
// query per recipient).
func (d Deps) notifyAll(ctx context.Context, q *store.Queries, orgID int64, list ...addressed) error {
	now := d.Now()
	var msgs []store.NewMessage
	var mails []store.NewMail
	org, err := organisationName(ctx, q, orgID)
	if err != nil {
		return err
	}
	for _, a := range list {
		n := a.Notice
		body := strings.Join(n.Paragraphs, "\n\n")
		c := mail.Content{Paragraphs: n.Paragraphs, LinkText: n.LinkText, Footer: n.Footer}
		if c.Footer == "" {
			c.Footer = "U krijgt dit bericht van Lekwacht omdat het uw rol in de afhandeling van meldingen betreft. U vindt het ook onder ‘Berichten’ in Lekwacht."
		}
		// Every mail names its organisation: in the subject, which is what a
		// person of several boards sees first, and in the footer.
		subject := n.Subject + " · " + org
		c.Footer = "Organisatie: " + org + ". " + c.Footer
		if n.Path != "" {
			c.Link = d.BaseURL + n.Path
		}
		seen := map[int64]bool{a.Skip: true}
		for _, u := range a.To {
			if seen[u.ID] || !u.Active {
				continue
			}
			seen[u.ID] = true
			msgs = append(msgs, store.NewMessage{OrganisationID: orgID, UserID: u.ID, CaseID: n.CaseID, Kind: n.Kind, Ref: n.Key,
				Subject: n.Subject, Body: body, At: now})
			c.Greeting = "Beste " + u.Name + ","
			text, html, err := mail.Render(subject, c)
			if err != nil {
				return err
			}
			uid := u.ID
			mails = append(mails, store.NewMail{OrganisationID: orgID, CaseID: n.CaseID, UserID: &uid, Kind: n.Kind,
				OutboxKey: fmt.Sprintf("%s:u%d", n.Key, u.ID), Recipient: u.Email, Subject: subject, Text: text, HTML: html})
		}
	}
	if err := q.AddMessages(ctx, msgs); err != nil {
		return err
	}
	// The same outbox key twice is one mail: a key stored before gets no job.
	_, err = d.queueMails(ctx, q, mails, false)
	return err
}

// mailAccount mails the owner of an account about the account itself (a
// one-time link, failed sign-ins): by mail only, since they may not be able
// to sign in. key makes the mail unique (the outbox key).
func (d Deps) mailAccount(ctx context.Context, q *store.Queries, orgID, userID int64, email, kind, key, subject string, c mail.Content) error {
	org, err := organisationName(ctx, q, orgID)
	if err != nil {
		return err
	}
	c.Footer = "Organisatie: " + org + ". " + c.Footer
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
// subjects): one outbox insert and one job insert for all. It returns the
// outbox id per mail; a mail queued before is an error.
func (d Deps) enqueueMails(ctx context.Context, q *store.Queries, list []store.NewMail) ([]int64, error) {
	return d.queueMails(ctx, q, list, true)
}

// queueMails writes the mails to the outbox and puts a delivery job per new
// mail on the queue (when there is one), in q's transaction. It returns the
// outbox id per mail, 0 for one stored before, which is an error when
// strict.
func (d Deps) queueMails(ctx context.Context, q *store.Queries, list []store.NewMail, strict bool) ([]int64, error) {
	if len(list) == 0 {
		return nil, nil
	}
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
			if strict {
				return nil, fmt.Errorf("enqueue mails: %s was queued before", m.OutboxKey)
			}
			continue
		}
		delete(byKey, m.OutboxKey) // the same key twice in list is one mail, one job
		ids[i] = id
		jobs = append(jobs, river.InsertManyParams{Args: MailArgs{MailID: id}})
	}
	if d.Queue == nil || len(jobs) == 0 {
		// Without a queue (no SMTP server; some tests) the mails wait in the
		// outbox, off the job queue, until a server that delivers mail puts
		// them there (outboxWorker).
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
