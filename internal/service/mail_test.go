package service_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/lekwacht/lekwacht/internal/mail"
	"github.com/lekwacht/lekwacht/internal/mailpit"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/store"
)

// mailEnv is env with the job queue, a real SMTP server (Mailpit) and
// workers started on demand.
type mailEnv struct {
	*env
	mp *mailpit.Server
}

func newMailEnv(t *testing.T, o mailpit.Options) *mailEnv {
	t.Helper()
	e := newEnvWith(t, func(d *service.Deps) {
		q, err := service.NewQueue(d.Store.Pool())
		if err != nil {
			t.Fatal(err)
		}
		d.Queue = q
	})
	return &mailEnv{env: e, mp: mailpit.Start(t, o)}
}

func (m *mailEnv) sender() mail.Sender {
	return mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: m.mp.SMTPPort, TLS: mail.TLSNone,
		From: "Lekwacht <noreply@lekwacht.test>", Timeout: 5 * time.Second})
}

// workers starts a River client that works the jobs, stopped at cleanup.
func (m *mailEnv) workers(t *testing.T, svc *service.Services, sender mail.Sender, rescueAfter time.Duration) *river.Client[pgx.Tx] {
	t.Helper()
	return startWorkers(t, svc, m.store.Pool(), sender, rescueAfter)
}

func startWorkers(t *testing.T, svc *service.Services, pool *pgxpool.Pool, sender mail.Sender, rescueAfter time.Duration) *river.Client[pgx.Tx] {
	t.Helper()
	return startJobs(t, svc, pool, service.JobsConfig{Sender: sender, RescueAfter: rescueAfter, ScanEvery: time.Hour})
}

// startJobs starts a River client with fast test settings added to cfg.
func startJobs(t *testing.T, svc *service.Services, pool *pgxpool.Pool, cfg service.JobsConfig) *river.Client[pgx.Tx] {
	t.Helper()
	cfg.Backoff = service.Backoff{Base: 100 * time.Millisecond, Max: 500 * time.Millisecond}
	cfg.FetchPoll, cfg.TestOnly = 100*time.Millisecond, true
	c, err := svc.NewJobs(pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		_ = c.Stop(stop)
		cancel()
	})
	return c
}

// mails reads the outbox: status per mail.
func (m *mailEnv) mails(t *testing.T) []store.MailStatus {
	t.Helper()
	rows, err := m.owner.Query(m.ctx, `SELECT id, kind, user_id, status, attempts, coalesce(recipient, '') FROM mail_messages ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[store.MailStatus])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// waitMails waits until every mail of the outbox is final.
func (m *mailEnv) waitFinal(t *testing.T, within time.Duration) []store.MailStatus {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		list := m.mails(t)
		done := len(list) > 0
		for _, x := range list {
			done = done && x.Status != "queued"
		}
		if done {
			return list
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox not delivered within %s: %+v", within, list)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// countTo counts the delivered messages per recipient address.
func countTo(list []mailpit.Summary) map[string]int {
	out := map[string]int{}
	for _, s := range list {
		for _, to := range s.To {
			out[to.Address]++
		}
	}
	return out
}

// TestMailSurvivesSMTPOutage: the SMTP server is down while mail is queued;
// the worker keeps trying with backoff; nothing is lost and everything
// arrives, once, when the server is back.
func TestMailSurvivesSMTPOutage(t *testing.T) {
	t.Parallel()
	m := newMailEnv(t, mailpit.Options{})
	m.mp.Stop()
	m.workers(t, m.svc, m.sender(), 0)
	const reports = 5
	for i := range reports {
		if _, err := m.svc.Incidents.Report(m.ctx, m.actors["staff"], noPersonalData(m.form(fmt.Sprintf("Laptop kwijt %d", i), m.a1))); err != nil {
			t.Fatal(err)
		}
	}
	// Each report reaches the desk for all schools and the desk of A1.
	want := 2 * reports
	deadline := time.Now().Add(20 * time.Second)
	for {
		tried := 0
		list := m.mails(t)
		for _, x := range list {
			if x.Status != "queued" {
				t.Fatalf("mail %d is %s while the SMTP server is down", x.ID, x.Status)
			}
			if x.Attempts > 0 {
				tried++
			}
		}
		if len(list) != want {
			t.Fatalf("outbox has %d mails, want %d", len(list), want)
		}
		if tried == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d mails were tried while the server was down", tried, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
	m.mp.Resume()
	list := m.waitFinal(t, 60*time.Second)
	for _, x := range list {
		if x.Status != "sent" || x.Recipient != "" {
			t.Errorf("mail %d: status %s, address kept %q; want sent and erased", x.ID, x.Status, x.Recipient)
		}
	}
	got := countTo(m.mp.WaitFor(t, want, 10*time.Second))
	if got["desk@example.nl"] != reports || got["desk_a1@example.nl"] != reports || len(got) != 2 {
		t.Errorf("delivered per recipient = %v, want %d each for desk and desk_a1", got, reports)
	}
}

// TestMailWorkerKilledMidSend: a worker process dies after the SMTP server
// accepted the mail and before it recorded that. The job is rescued and
// retried; the mail arrives, and with the same Message-ID, so a server that
// drops duplicate ids (Mailpit --ignore-duplicate-ids) shows it once.
func TestMailWorkerKilledMidSend(t *testing.T) {
	t.Parallel()
	m := newMailEnv(t, mailpit.Options{IgnoreDuplicateIDs: true})
	if _, err := m.svc.Incidents.Report(m.ctx, m.actors["staff"], noPersonalData(m.form("Map met toetsen kwijt", m.a2))); err != nil {
		t.Fatal(err)
	}
	// Only the desk for all schools covers A2: one mail.
	if list := m.mails(t); len(list) != 1 || list[0].Status != "queued" {
		t.Fatalf("outbox = %+v, want one queued mail", list)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWorkerThatDies$", "-test.count=1")
	cmd.Env = append(os.Environ(), "LEKWACHT_HELPER_DB="+m.store.Pool().Config().ConnString(),
		"LEKWACHT_HELPER_SMTP_PORT="+strconv.Itoa(m.mp.SMTPPort),
		// The helper's clock is the test's: its deadline scan (run on start)
		// then finds no reminder due, and the one mail is all it can send.
		"LEKWACHT_HELPER_NOW="+m.clock.Now().Format(time.RFC3339Nano))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 7 {
		t.Fatalf("helper worker: %v (want exit 7, killed after sending)\n%s", err, out)
	}
	if got := m.mp.WaitFor(t, 1, 5*time.Second); len(got) != 1 {
		t.Fatalf("after the crash the server has %d messages, want 1", len(got))
	}
	if list := m.mails(t); list[0].Status != "queued" {
		t.Fatalf("after the crash the mail is %s; want still queued (the worker died before recording)", list[0].Status)
	}
	// A new worker rescues the job the dead one left running, and sends again.
	sends := &countingSender{next: m.sender()}
	m.workers(t, m.svc, sends, time.Second)
	list := m.waitFinal(t, 90*time.Second)
	if list[0].Status != "sent" {
		t.Fatalf("mail is %s, want sent", list[0].Status)
	}
	if sends.n.Load() != 1 {
		t.Errorf("the new worker sent %d times, want 1 (the retry)", sends.n.Load())
	}
	time.Sleep(300 * time.Millisecond)
	got := m.mp.Messages(t)
	if len(got) != 1 {
		t.Fatalf("server holds %d messages, want 1: the retry has the same Message-ID and is dropped", len(got))
	}
}

// TestHelperWorkerThatDies is not a test of its own: TestMailWorkerKilledMidSend
// runs it in a child process, where it works the queue with a sender that
// kills the process right after the SMTP server accepted the mail.
func TestHelperWorkerThatDies(t *testing.T) {
	dsn := os.Getenv("LEKWACHT_HELPER_DB")
	if dsn == "" {
		return // run directly: nothing to do
	}
	port, _ := strconv.Atoi(os.Getenv("LEKWACHT_HELPER_SMTP_PORT"))
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	store.AsRuntime(cfg) // as the server's workers run
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.RFC3339Nano, os.Getenv("LEKWACHT_HELPER_NOW"))
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(pool)
	svc := service.New(service.Deps{Store: st, Location: amsterdam, BaseURL: "http://lekwacht.test", Now: func() time.Time { return now }})
	smtp := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, From: "Lekwacht <noreply@lekwacht.test>"})
	startWorkers(t, svc, pool, dyingSender{smtp}, time.Hour)
	time.Sleep(30 * time.Second)
	t.Fatal("helper worker: no mail to send within 30 s")
}

type dyingSender struct{ next mail.Sender }

func (d dyingSender) Send(ctx context.Context, msg mail.Message) error {
	if err := d.next.Send(ctx, msg); err != nil {
		return err
	}
	os.Exit(7)
	return nil
}

type countingSender struct {
	next mail.Sender
	n    atomic.Int32
}

func (c *countingSender) Send(ctx context.Context, msg mail.Message) error {
	c.n.Add(1)
	return c.next.Send(ctx, msg)
}
