package service

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
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

// Deliver sends one mail of the outbox (the job's work). A mail no longer
// queued is done. A bounce is final; another failure is counted and
// returned, so that the queue tries again, until the last attempt, which
// marks it failed. No transaction is held while talking to the SMTP server
// (that would tie up a database connection per worker for seconds): River
// runs a job on one worker at a time, and the status updates are guarded by
// status = 'queued'. A crash after the server accepted the mail and before
// the update leaves it queued: the retry sends it again with the same
// Message-ID, which a server that checks recognises as a duplicate.
func (s *Services) Deliver(ctx context.Context, sender mail.Sender, mailID int64, attempt, maxAttempts int) error {
	ctx = store.System(ctx) // mail delivery: a job of any organisation (docs/security.md)
	q := s.d.Store.Queries
	m, err := q.MailForDelivery(ctx, mailID)
	if err != nil {
		return fmt.Errorf("deliver mail %d: %w", mailID, err)
	}
	if m.Status != "queued" {
		return nil
	}
	sendErr := sender.Send(ctx, mail.Message{To: m.Recipient, Subject: m.Subject, Text: m.Text, HTML: m.HTML, MessageID: m.MessageID})
	// Record the outcome even when the job's context ended meanwhile.
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	now := s.d.Now()
	log := s.d.Logger.With("mail_id", m.ID, "mail_kind", m.Kind, "organisation_id", m.OrganisationID, "attempt", attempt)
	b, bounced := mail.IsBounce(sendErr)
	switch {
	case sendErr == nil:
		log.Info("mail sent")
		err = q.MailFinal(rec, m.ID, "sent", "", now)
	case bounced:
		log.Warn("mail bounced", "smtp_code", b.Code)
		err = q.MailFinal(rec, m.ID, "bounced", b.Error(), now)
	case attempt >= maxAttempts:
		log.Error("mail failed for good", "err", sendErr)
		err = q.MailFinal(rec, m.ID, "failed", sendErr.Error(), now)
	default:
		log.Warn("mail not sent yet; will retry", "err", sendErr)
		if err = q.MailAttempted(rec, m.ID, sendErr.Error()); err == nil {
			return sendErr
		}
	}
	if err != nil {
		return fmt.Errorf("deliver mail %d: %w", mailID, err)
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
	ctx = store.System(ctx) // the job queue: a job of any organisation (docs/security.md)
	if w.sender == nil {
		// No SMTP server configured here: the mail waits in the outbox, off
		// the queue and without using up its attempts, until a server that
		// delivers mail puts it back (outboxWorker). Snoozing instead kept
		// every such job on the queue for good.
		return w.s.d.Store.MarkMailsInJobQueue(ctx, []int64{job.Args.MailID}, false)
	}
	return w.s.Deliver(ctx, w.sender, job.Args.MailID, job.Attempt, job.MaxAttempts)
}

// OutboxArgs is the periodic job, run only by servers that deliver mail,
// that puts the mails waiting in the outbox on the queue.
type OutboxArgs struct{}

// Kind names the job for River.
func (OutboxArgs) Kind() string { return "lekwacht_outbox" }

// InsertOpts: one run waiting at a time is enough.
func (OutboxArgs) InsertOpts() river.InsertOpts { return ReminderArgs{}.InsertOpts() }

// outboxBatch is how many waiting mails one transaction puts on the queue;
// outboxBatches bounds one run.
const (
	outboxBatch   = 1000
	outboxBatches = 20
)

// outboxWorker puts the mails waiting in the outbox (written while no
// server delivered mail) on the queue, a batch per transaction. On a server
// without an SMTP server it does nothing.
type outboxWorker struct {
	river.WorkerDefaults[OutboxArgs]
	s      *Services
	sender mail.Sender
}

func (w *outboxWorker) Work(ctx context.Context, job *river.Job[OutboxArgs]) error {
	ctx = store.System(ctx) // the job queue: a job of any organisation (docs/security.md)
	if w.sender == nil {
		return nil
	}
	client, err := river.ClientFromContextSafely[pgx.Tx](ctx)
	if err != nil {
		return err
	}
	_, err = w.s.QueueWaitingMails(ctx, client)
	return err
}

// QueueWaitingMails puts the mails waiting in the outbox on queue, at most
// outboxBatches batches, and returns how many.
func (s *Services) QueueWaitingMails(ctx context.Context, queue Queue) (int, error) {
	ctx = store.System(ctx) // the outbox of every organisation (docs/security.md)
	total := 0
	for range outboxBatches {
		n := 0
		err := transact(ctx, s.d.Store, func(q *store.Queries) error {
			ids, err := q.WaitingMails(ctx, outboxBatch)
			if err != nil || len(ids) == 0 {
				n = 0
				return err
			}
			jobs := make([]river.InsertManyParams, len(ids))
			for i, id := range ids {
				jobs[i] = river.InsertManyParams{Args: MailArgs{MailID: id}}
			}
			if _, err := queue.InsertManyTx(ctx, q.Tx(), jobs); err != nil {
				return fmt.Errorf("queue waiting mails: %w", err)
			}
			n = len(ids)
			return q.MarkMailsInJobQueue(ctx, ids, true)
		})
		total += n
		if err != nil || n < outboxBatch {
			return total, err
		}
	}
	return total, nil
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
