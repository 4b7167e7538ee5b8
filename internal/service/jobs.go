package service

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/lekwacht/lekwacht/internal/mail"
)

// The background work runs on River (a PostgreSQL job queue): any number of
// app servers run a Jobs client; River hands each job to one of them, and
// retries it with backoff when it fails or its server dies (a job left
// running by a dead server is rescued after RescueAfter).

// NewQueue returns an insert-only River client for Deps.Queue: services put
// jobs on it inside their transactions; the workers run in Jobs.
func NewQueue(pool *pgxpool.Pool) (*river.Client[pgx.Tx], error) {
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("river queue: %w", err)
	}
	return c, nil
}

// JobsConfig configures the workers.
type JobsConfig struct {
	// Sender delivers mail; nil keeps mail queued (no SMTP configured).
	Sender mail.Sender
	// Backoff between attempts to deliver a mail.
	Backoff Backoff
	// ScanEvery is how often the deadline reminders are computed (1 minute).
	ScanEvery time.Duration
	// OutboxEvery is how often a server with a Sender puts the mails waiting
	// in the outbox (written while no server delivered mail) on the queue (1
	// minute).
	OutboxEvery time.Duration
	// RetentionEvery is how often the retention job runs (1 hour): it
	// removes personal data from closed cases past their organisation's
	// retention period and unused import uploads older than a day.
	RetentionEvery time.Duration
	// MaxWorkers is how many jobs one server runs at once (5; each uses a
	// database connection only briefly).
	MaxWorkers int
	// FetchPoll is how often idle workers look for new jobs (1 s).
	FetchPoll time.Duration
	// RescueAfter: a job running this long is taken to be abandoned by a
	// dead server and tried again (10 minutes; longer than a job's timeout).
	RescueAfter time.Duration
	// ID names this client (unique per process); empty: random.
	ID     string
	Logger *slog.Logger
	// TestOnly starts River's maintenance without its production jitter.
	TestOnly bool
}

// NewJobs returns the River client that runs the background work of this
// server: delivering mail and scanning the deadlines. Start it with Start
// and stop it with Stop.
func (s *Services) NewJobs(pool *pgxpool.Pool, c JobsConfig) (*river.Client[pgx.Tx], error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &mailWorker{s: s, sender: c.Sender, backoff: c.Backoff})
	river.AddWorker(workers, &reminderWorker{s: s})
	river.AddWorker(workers, &retentionWorker{s: s})
	river.AddWorker(workers, &outboxWorker{s: s, sender: c.Sender})
	if c.ScanEvery <= 0 {
		c.ScanEvery = time.Minute
	}
	if c.OutboxEvery <= 0 {
		c.OutboxEvery = time.Minute
	}
	if c.RetentionEvery <= 0 {
		c.RetentionEvery = time.Hour
	}
	if c.MaxWorkers <= 0 {
		c.MaxWorkers = 5
	}
	if c.RescueAfter <= 0 {
		c.RescueAfter = 10 * time.Minute
	}
	logger := c.Logger
	if logger == nil {
		logger = s.d.Logger
	}
	cfg := &river.Config{
		ID: c.ID,
		// River reports its routine (job counts every few seconds) at info:
		// keep only its warnings and errors.
		Logger:               slog.New(minLevel{logger.Handler(), slog.LevelWarn}).With("component", "jobs"),
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: c.MaxWorkers}},
		Workers:              workers,
		FetchPollInterval:    c.FetchPoll,
		RescueStuckJobsAfter: c.RescueAfter,
		JobTimeout:           min(2*time.Minute, c.RescueAfter/2),
		TestOnly:             c.TestOnly,
		// River's daily REINDEX of its own indexes needs their owner; the
		// runtime role (migration 00044) owns nothing. Reindexing is the
		// owner's maintenance, like VACUUM (docs/operations.md).
		ReindexerIndexNames: []string{},
		PeriodicJobs: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(c.ScanEvery),
				func() (river.JobArgs, *river.InsertOpts) { return ReminderArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true, ID: "deadline_reminders"}),
			river.NewPeriodicJob(river.PeriodicInterval(c.RetentionEvery),
				func() (river.JobArgs, *river.InsertOpts) { return RetentionArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true, ID: "retention"}),
			// On every server (River's leader schedules the periodic jobs); a
			// server without a Sender does nothing with it.
			river.NewPeriodicJob(river.PeriodicInterval(c.OutboxEvery),
				func() (river.JobArgs, *river.InsertOpts) { return OutboxArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true, ID: "outbox"}),
		},
	}

	client, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("river jobs: %w", err)
	}
	return client, nil
}

// reminderWorker runs the deadline scan.
type reminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	s *Services
}

func (w *reminderWorker) Work(ctx context.Context, job *river.Job[ReminderArgs]) error {
	_, err := w.s.Reminders(ctx)
	return err
}

// ReminderArgs is the periodic job that computes the deadline reminders.
type ReminderArgs struct{}

// Kind names the job for River.
func (ReminderArgs) Kind() string { return "lekwacht_deadline_reminders" }

// InsertOpts: one scan waiting at a time is enough.
func (ReminderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled,
		rivertype.JobStateRetryable}}}
}

// retentionWorker runs the retention job.
type retentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	s *Services
}

func (w *retentionWorker) Work(ctx context.Context, job *river.Job[RetentionArgs]) error {
	_, err := w.s.Retention(ctx)
	return err
}

// RetentionArgs is the periodic job that applies the retention periods.
type RetentionArgs struct{}

// Kind names the job for River.
func (RetentionArgs) Kind() string { return "lekwacht_retention" }

// InsertOpts: one run waiting at a time is enough.
func (RetentionArgs) InsertOpts() river.InsertOpts { return ReminderArgs{}.InsertOpts() }

// minLevel drops records below min.
type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(a []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(a), h.min}
}
func (h minLevel) WithGroup(n string) slog.Handler { return minLevel{h.Handler.WithGroup(n), h.min} }
