package service_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/mailpit"
	"github.com/lekwacht/lekwacht/internal/service"
)

// reportAt reports n cases of school at the clock's now.
func (e *env) reportMany(t *testing.T, n int, school int64) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		ids = append(ids, must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form(fmt.Sprintf("Laptop %d met leerlinggegevens gestolen", i), school))).ID)
	}
	return ids
}

// TestReminderDigest: when many cases cross a threshold in one run, the
// officer gets one message listing them (in the app and by mail), not one
// per case; every case still has its reminder row and its timeline entry.
// A person with few reminders in the run gets them one by one.
func TestReminderDigest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer_a1", e.orgA, access.Grant{Role: access.Officer, Schools: []int64{e.a1}})
	t0 := time.Date(2026, 11, 27, 17, 30, 0, 0, amsterdam)
	e.clock.Set(t0)
	many := e.reportMany(t, 5, e.a2)
	one := e.reportMany(t, 1, e.a1)[0]
	s := e.servers(1)
	e.clock.Set(t0.Add(24*time.Hour + time.Minute))
	if n := scanAll(t, e, s); n != 6 {
		t.Fatalf("%d reminders sent, want 6 (one per case)", n)
	}
	for _, id := range append(slices.Clone(many), one) {
		if got := kinds(e.reminders(t, id)); !slices.Equal(got, []string{"authority 48h"}) {
			t.Errorf("case %d: reminders %q, want one 48h", id, got)
		}
		if n := e.events(id, "reminder"); n != 1 {
			t.Errorf("case %d: %d reminder entries in the timeline, want 1", id, n)
		}
	}
	// The officer for all schools: six reminders, so one digest.
	if got := e.reminderMails(t); !slices.Equal(got, []string{"reminder_digest officer", "reminder_authority officer_a1"}) &&
		!slices.Equal(got, []string{"reminder_authority officer_a1", "reminder_digest officer"}) {
		t.Errorf("reminder mails %q, want one digest for the officer and one reminder for officer_a1", got)
	}
	var subject, body string
	if err := e.owner.QueryRow(e.ctx, `SELECT subject, body FROM user_messages WHERE kind = 'reminder_digest' AND user_id = $1`,
		e.actors["officer"].UserID).Scan(&subject, &body); err != nil {
		t.Fatal(err)
	}
	if subject != "Herinnering: termijnen bij 6 meldingen" {
		t.Errorf("digest subject %q", subject)
	}
	for _, id := range append(slices.Clone(many), one) {
		v := must(e.svc.Incidents.Case(e.ctx, e.actors["officer"], id))
		if !strings.Contains(body, "Melding "+v.Case.Number.String()+": de melding aan de Autoriteit Persoonsgegevens") {
			t.Errorf("digest does not list %s:\n%s", v.Case.Number, body)
		}
	}
	if n := e.count(`SELECT count(*) FROM user_messages WHERE user_id = $1 AND kind LIKE 'reminder%'`, e.actors["officer"].UserID); n != 1 {
		t.Errorf("the officer has %d reminder messages, want the one digest", n)
	}
	if n := e.count(`SELECT count(*) FROM user_messages WHERE user_id = $1 AND kind = 'reminder_authority' AND case_id = $2`, e.actors["officer_a1"].UserID, one); n != 1 {
		t.Errorf("officer_a1 has %d reminders of case %d, want 1", n, one)
	}
	// More scans at the same moment send nothing more.
	if n := scanAll(t, e, s); n != 0 {
		t.Errorf("a second scan sent %d", n)
	}
}

// TestReminderScanIsBounded: one run handles at most ReminderBatch cases,
// the ones due longest first; the rest follow in the next runs, and a run
// with nothing due reads no case. A change to what the deadlines depend on
// makes the case due for a look at once.
func TestReminderScanIsBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	t0 := time.Date(2026, 11, 27, 17, 30, 0, 0, amsterdam)
	e.clock.Set(t0)
	ids := e.reportMany(t, 7, e.a1)
	svc := service.New(service.Deps{Store: e.store, Now: e.clock.Now, Location: amsterdam, BaseURL: "http://lekwacht.test", ReminderBatch: 3})
	e.clock.Set(t0.Add(72*time.Hour + time.Minute))
	var runs []int
	for range 4 {
		runs = append(runs, must(svc.Reminders(e.ctx)))
	}
	if !slices.Equal(runs, []int{3, 3, 1, 0}) {
		t.Errorf("reminders sent per run %v, want [3 3 1 0]", runs)
	}
	for _, id := range ids {
		if got := kinds(e.reminders(t, id)); !slices.Contains(got, "authority passed") {
			t.Errorf("case %d: reminders %q, want 'authority passed'", id, got)
		}
	}
	// Every threshold of the 72 hours is dealt with: nothing left to check.
	if n := e.count(`SELECT count(*) FROM case_reminder_checks WHERE case_id = ANY($1)`, ids); n != 0 {
		t.Errorf("%d cases still have a reminder check", n)
	}
	// A new case is looked at in the next run, and then not before its
	// first threshold.
	e.clock.Set(t0.Add(100 * time.Hour))
	fresh := e.reportMany(t, 1, e.a1)[0]
	if n := e.count(`SELECT count(*) FROM case_reminder_checks WHERE case_id = $1 AND check_at = '-infinity'`, fresh); n != 1 {
		t.Errorf("a new case is not due for a look")
	}
	must(svc.Reminders(e.ctx))
	var next time.Time
	if err := e.owner.QueryRow(e.ctx, `SELECT check_at FROM case_reminder_checks WHERE case_id = $1`, fresh).Scan(&next); err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(124 * time.Hour); !next.Equal(want) {
		t.Errorf("next check %v, want the 48-hour threshold %v", next.In(amsterdam), want)
	}
	due := must(e.store.DueReminderCases(e.sys, e.clock.Now(), 100))
	if len(due) != 0 {
		t.Errorf("%d cases read while nothing is due", len(due))
	}
	// A change the deadlines depend on (closing) makes it due at once; the
	// run that looks finds nothing to remind of and drops the check.
	e.exec(`UPDATE cases SET status = 'closed' WHERE id = $1`, fresh)
	if due := must(e.store.DueReminderCases(e.sys, e.clock.Now(), 100)); len(due) != 1 || due[0].ID != fresh {
		t.Errorf("after closing, due %+v, want the closed case", due)
	}
	must(svc.Reminders(e.ctx))
	if n := e.count(`SELECT count(*) FROM case_reminder_checks WHERE case_id = $1`, fresh); n != 0 {
		t.Errorf("a closed case keeps its reminder check")
	}
}

// TestMailWaitsOutsideTheQueueWithoutSMTP: with no SMTP server configured
// (no queue in the services, no sender in the workers) a notification's
// mail waits in the outbox and puts no job on the queue; a delivery job
// left from before is finished rather than snoozed for ever; once a server
// with an SMTP server runs, it puts the waiting mails on the queue and they
// arrive.
func TestMailWaitsOutsideTheQueueWithoutSMTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t) // Deps.Queue nil: no SMTP server
	mp := mailpit.Start(t, mailpit.Options{})
	for i := range 3 {
		must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], noPersonalData(e.form(fmt.Sprintf("Laptop kwijt %d", i), e.a1))))
	}
	if n := e.count(`SELECT count(*) FROM mail_messages WHERE status = 'queued' AND NOT in_job_queue`); n != 6 {
		t.Fatalf("%d mails waiting in the outbox, want 6 (desk and desk_a1 per report)", n)
	}
	if n := e.count(`SELECT count(*) FROM river_job`); n != 0 {
		t.Fatalf("%d jobs on the queue without an SMTP server", n)
	}
	// A job from before (when every mail got one) is finished by a server
	// without a sender, and the mail is waiting again.
	var old int64
	if err := e.owner.QueryRow(e.ctx, `SELECT min(id) FROM mail_messages`).Scan(&old); err != nil {
		t.Fatal(err)
	}
	e.exec(`UPDATE mail_messages SET in_job_queue = true WHERE id = $1`, old)
	q := must(service.NewQueue(e.store.Pool()))
	must(q.Insert(e.ctx, service.MailArgs{MailID: old}, nil))
	without := startJobs(t, e.svc, e.store.Pool(), service.JobsConfig{ScanEvery: time.Hour})
	waitCount(t, e, `SELECT count(*) FROM river_job WHERE kind = 'lekwacht_mail' AND state = 'completed'`, 1)
	if n := e.count(`SELECT count(*) FROM river_job WHERE kind = 'lekwacht_mail' AND state <> 'completed'`); n != 0 {
		t.Errorf("%d mail jobs left on the queue", n)
	}
	if n := e.count(`SELECT count(*) FROM mail_messages WHERE status = 'queued' AND NOT in_job_queue`); n != 6 {
		t.Errorf("%d mails waiting, want all 6", n)
	}
	// A server that delivers mail (in place of the one that does not) puts
	// them on the queue: all six arrive.
	stop, done := context.WithTimeout(e.ctx, 10*time.Second)
	defer done()
	if err := without.Stop(stop); err != nil {
		t.Fatal(err)
	}
	sender := (&mailEnv{env: e, mp: mp}).sender()
	startJobs(t, e.svc, e.store.Pool(), service.JobsConfig{Sender: sender, ScanEvery: time.Hour, OutboxEvery: 200 * time.Millisecond, ID: "with-smtp"})
	waitCount(t, e, `SELECT count(*) FROM mail_messages WHERE status = 'sent'`, 6)
	if got := countTo(mp.WaitFor(t, 6, 20*time.Second)); got["desk@example.nl"] != 3 || got["desk_a1@example.nl"] != 3 {
		t.Errorf("delivered %v, want 3 each for desk and desk_a1", got)
	}
}

// waitCount waits up to 30 seconds until the query counts want.
func waitCount(t *testing.T, e *env, query string, want int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		n := e.count(query)
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d, want %d", query, n, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
