package service

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/lekwacht/lekwacht/internal/mail"
	"github.com/lekwacht/lekwacht/internal/store"
)

// MailArgs is the River job that delivers one mail of the outbox. It carries
// only the outbox id: no address or text ends up in the job table.
type MailArgs struct {
	MailID int64 `json:"mail_id"`
}

// Kind names the job for River.
func (MailArgs) Kind() string { return "lekwacht_mail" }

// InsertOpts: many attempts with a capped backoff (see mailWorker.NextRetry),
// so an SMTP server that is down over a weekend loses nothing.
func (MailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 200, Queue: river.QueueDefault}
}

// Deliver sends one mail of the outbox (the job's work). The row is locked
// while sending, so two workers never send it at once; a mail no longer
// queued is done. A bounce is final; another failure is counted and
// returned, so that the queue tries again, until the last attempt, which
// marks it failed. A crash after the server accepted the mail and before
// this commit leaves it queued: the retry sends it again with the same
// Message-ID, which a server that checks recognises.
func (s *Services) Deliver(ctx context.Context, sender mail.Sender, mailID int64, attempt, maxAttempts int) error {
	var sendErr error
	err := s.d.Store.Transact(ctx, func(q *store.Queries) error {
		sendErr = nil
		m, err := q.MailForDelivery(ctx, mailID)
		if err != nil {
			return err
		}
		if m.Status != "queued" {
			return nil
		}
		sendErr = sender.Send(ctx, mail.Message{To: m.Recipient, Subject: m.Subject, Text: m.Text, HTML: m.HTML, MessageID: m.MessageID})
		now := s.d.Now()
		log := s.d.Logger.With("mail_id", m.ID, "mail_kind", m.Kind, "organisation_id", m.OrganisationID, "attempt", attempt)
		if sendErr == nil {
			log.Info("mail sent")
			return q.MailFinal(ctx, m.ID, "sent", "", now)
		}
		if b, ok := mail.IsBounce(sendErr); ok {
			log.Warn("mail bounced", "smtp_code", b.Code)
			return q.MailFinal(ctx, m.ID, "bounced", b.Error(), now)
		}
		if attempt >= maxAttempts {
			log.Error("mail failed for good", "err", sendErr)
			return q.MailFinal(ctx, m.ID, "failed", sendErr.Error(), now)
		}
		log.Warn("mail not sent yet; will retry", "err", sendErr)
		return q.MailAttempted(ctx, m.ID, sendErr.Error())
	})
	if err != nil {
		return fmt.Errorf("deliver mail %d: %w", mailID, err)
	}
	if _, bounced := mail.IsBounce(sendErr); sendErr != nil && !bounced && attempt < maxAttempts {
		return sendErr
	}
	return nil
}

// mailWorker is the River worker that runs Deliver.
type mailWorker struct {
	river.WorkerDefaults[MailArgs]
	s       *Services
	sender  mail.Sender
	backoff Backoff
}

func (w *mailWorker) Work(ctx context.Context, job *river.Job[MailArgs]) error {
	if w.sender == nil {
		// No SMTP server configured: the mail waits in the outbox, without
		// using up its attempts, until one is.
		return river.JobSnooze(5 * time.Minute)
	}
	return w.s.Deliver(ctx, w.sender, job.Args.MailID, job.Attempt, job.MaxAttempts)
}

// NextRetry doubles the wait per attempt from Backoff.Base up to Backoff.Max.
func (w *mailWorker) NextRetry(job *river.Job[MailArgs]) time.Time {
	return time.Now().Add(w.backoff.After(job.Attempt))
}

// Backoff is the wait between attempts to deliver a mail.
type Backoff struct{ Base, Max time.Duration }

// After is the wait after the given (1-based) failed attempt.
func (b Backoff) After(attempt int) time.Duration {
	if b.Base <= 0 {
		b.Base = 10 * time.Second
	}
	if b.Max <= 0 {
		b.Max = time.Hour
	}
	d := b.Base
	for i := 1; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}
