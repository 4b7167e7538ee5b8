package service_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/mailpit"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/store"
)

// reminderMails lists the reminder mails of the outbox as "kind user".
func (e *env) reminderMails(t *testing.T) []string {
	t.Helper()
	names := map[int64]string{}
	for n, a := range e.actors {
		names[a.UserID] = n
	}
	rows, err := e.owner.Query(e.ctx, `SELECT kind, user_id FROM mail_messages WHERE kind LIKE 'reminder_%' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind string
		var uid int64
		if err := rows.Scan(&kind, &uid); err != nil {
			t.Fatal(err)
		}
		out = append(out, kind+" "+names[uid])
	}
	return out
}

func (e *env) reminders(t *testing.T, id int64) []store.Reminder {
	t.Helper()
	return must(e.store.Reminders(e.sys, e.orgA, id))
}

// servers are n service instances on one database and one clock: n app servers.
func (e *env) servers(n int) []*service.Services {
	out := make([]*service.Services, n)
	for i := range out {
		q := must(service.NewQueue(e.store.Pool()))
		out[i] = service.New(service.Deps{Store: e.store, Now: e.clock.Now, Location: amsterdam, BaseURL: "http://lekwacht.test", Queue: q})
	}
	return out
}

// scanAll runs the deadline scan on every server at once, several times.
func scanAll(t *testing.T, e *env, servers []*service.Services) int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for _, s := range servers {
		for range 3 {
			wg.Go(func() {
				n, err := s.Reminders(e.ctx)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	return total
}

// TestRemindersOncePerThreshold: with an injected clock and two servers
// scanning at the same time (three times each), each threshold of the 72
// hours gives exactly one reminder, to the officers of the case's school; a
// clock jump past a threshold sends only the most urgent; a jump back or a
// restart repeats nothing.
func TestRemindersOncePerThreshold(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer_a1", e.orgA, access.Grant{Role: access.Officer, Schools: []int64{e.a1}})
	e.user("officer_b", e.orgB, access.Grant{Role: access.Officer})
	t0 := time.Date(2026, 11, 27, 17, 30, 0, 0, amsterdam) // a Friday evening
	e.clock.Set(t0)
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Laptop met leerlinggegevens gestolen", e.a2))).ID
	servers := e.servers(2)

	steps := []struct {
		at   time.Duration
		sent int
		want []string // reminder rows as "threshold notified"
	}{
		{23 * time.Hour, 0, nil},
		{24 * time.Hour, 1, []string{"48h true"}},
		{30 * time.Hour, 0, []string{"48h true"}},
		{48*time.Hour + time.Minute, 1, []string{"48h true", "24h true"}},
		// The server was down from before the 6 hours until after the deadline:
		// only "passed" is sent; "6h" is recorded as passed over.
		{72*time.Hour + 5*time.Minute, 1, []string{"48h true", "24h true", "6h false", "passed true"}},
		// The clock jumps back, then forward again: nothing is repeated.
		{10 * time.Hour, 0, []string{"48h true", "24h true", "6h false", "passed true"}},
		{80 * time.Hour, 0, []string{"48h true", "24h true", "6h false", "passed true"}},
	}
	for _, st := range steps {
		e.clock.Set(t0.Add(st.at))
		if n := scanAll(t, e, servers); n != st.sent {
			t.Errorf("at +%s: %d reminders sent, want %d", st.at, n, st.sent)
		}
		var got []string
		for _, r := range e.reminders(t, id) {
			got = append(got, r.Threshold+" "+map[bool]string{true: "true", false: "false"}[r.Notified])
		}
		if !slices.Equal(got, st.want) {
			t.Errorf("at +%s: reminders %q, want %q", st.at, got, st.want)
		}
	}
	// Each sent reminder went to the officer for all schools only (the case is
	// of A2: not officer_a1; not officer_b of the other organisation), in the
	// app and by mail, with a timeline entry.
	want := []string{"reminder_authority officer", "reminder_authority officer", "reminder_authority officer"}
	if got := e.reminderMails(t); !slices.Equal(got, want) {
		t.Errorf("reminder mails %q, want %q", got, want)
	}
	// Each names the organisation (issue 11.3), read by the scan itself.
	if n := e.count(`SELECT count(*) FROM mail_messages WHERE kind LIKE 'reminder_%' AND subject LIKE '% · Bestuur A'
		AND text_body LIKE '%Organisatie: Bestuur A.%'`); n != len(want) {
		t.Errorf("%d of %d reminders name Bestuur A in subject and footer", n, len(want))
	}
	if n := e.count(`SELECT count(*) FROM user_messages WHERE subject LIKE '%erstr%' AND case_id = $1`, id); n != 3 {
		t.Errorf("%d reminders in the app, want 3", n)
	}
	if n := e.events(id, "reminder"); n != 3 {
		t.Errorf("%d reminder entries in the timeline, want 3", n)
	}
}

// TestRemindersForFilingAndInforming: the officer hears when the two working
// days to file the AP notification and the week to inform the data subjects
// have run out; nothing while they run, nothing once done.
func TestRemindersForFilingAndInforming(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	monday := time.Date(2026, 11, 23, 10, 0, 0, 0, amsterdam)
	e.clock.Set(monday)
	filing := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Wachtwoorden gelekt", e.a1))).ID
	e.decided(filing, true, "Misbruik van accounts", incident.StatusNotification)
	e.exec(`UPDATE case_assessments SET notify_authority = true, decided_at = $2 WHERE case_id = $1`, filing, monday)
	// Decided on Monday to notify the AP; no notification recorded yet.
	informing := e.informing("Adreslijst groep 7 verloren", "individual")
	e.exec(`UPDATE case_assessments SET decided_at = $2 WHERE case_id = $1`, informing, monday)
	s := e.servers(2)

	// Two working days after Monday: Wednesday end of day.
	e.clock.Set(time.Date(2026, 11, 25, 12, 0, 0, 0, amsterdam))
	scanAll(t, e, s)
	if got := kinds(e.reminders(t, filing)); slices.Contains(got, "filing passed") {
		t.Errorf("filing reminded before the deadline: %q", got)
	}
	e.clock.Set(time.Date(2026, 11, 26, 9, 0, 0, 0, amsterdam))
	scanAll(t, e, s)
	if got := kinds(e.reminders(t, filing)); !slices.Contains(got, "filing passed") {
		t.Errorf("filing reminders %q, want 'filing passed'", got)
	}
	if got := kinds(e.reminders(t, informing)); len(got) != 0 {
		t.Errorf("informing reminded before the week is out: %q", got)
	}
	e.clock.Set(monday.Add(7*24*time.Hour + time.Hour))
	scanAll(t, e, s)
	if got := kinds(e.reminders(t, informing)); !slices.Equal(got, []string{"subjects passed"}) {
		t.Errorf("informing reminders %q, want one 'subjects passed'", got)
	}
	mails := e.reminderMails(t)
	if c := count(mails, "reminder_filing officer"); c != 1 {
		t.Errorf("filing reminder mails %q", mails)
	}
	if c := count(mails, "reminder_subjects officer"); c != 1 {
		t.Errorf("subjects reminder mails %q", mails)
	}
	// A case the officer finished (notified, informed) is not reminded of.
	closed := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Afgehandeld", e.a1))).ID
	e.exec(`UPDATE cases SET status = 'closed' WHERE id = $1`, closed)
	e.clock.Add(30 * 24 * time.Hour)
	scanAll(t, e, s)
	if got := e.reminders(t, closed); len(got) != 0 {
		t.Errorf("a closed case got reminders: %+v", got)
	}
}

func kinds(list []store.Reminder) []string {
	var out []string
	for _, r := range list {
		out = append(out, r.Kind+" "+r.Threshold)
	}
	return out
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestRemindersWithTwoWorkers: two servers run the job queue with the
// periodic deadline scan (every 200 ms); each threshold still gives one
// reminder, and its mail arrives once at the SMTP server.
func TestRemindersWithTwoWorkers(t *testing.T) {
	t.Parallel()
	m := newMailEnv(t, mailpit.Options{})
	t0 := time.Date(2026, 11, 27, 17, 30, 0, 0, amsterdam)
	m.clock.Set(t0)
	id := must(m.svc.Incidents.Report(m.ctx, m.actors["staff"], noPersonalData(m.form("Telefoon met foto's van leerlingen kwijt", m.a1)))).ID
	m.clock.Set(t0.Add(24*time.Hour + time.Minute))
	for i, s := range m.servers(2) {
		startJobs(t, s, m.store.Pool(), service.JobsConfig{Sender: m.sender(), ScanEvery: 200 * time.Millisecond, ID: fmt.Sprintf("server-%d", i)})
	}
	// The new-report mails (desk, desk_a1) plus one reminder for the officer.
	wait := func(want []string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			got := kinds(m.reminders(t, id))
			if slices.Equal(got, want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("reminders %q, want %q", got, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	wait([]string{"authority 48h"})
	m.clock.Set(t0.Add(48*time.Hour + time.Minute))
	wait([]string{"authority 48h", "authority 24h"})
	time.Sleep(time.Second) // several more scans on both servers
	got := m.mp.WaitFor(t, 4, 20*time.Second)
	if c := countTo(got); c["officer@example.nl"] != 2 || len(got) != 4 {
		t.Errorf("delivered %v, want 2 reminders for the officer (and the 2 new-report mails)", c)
	}
	if got := kinds(m.reminders(t, id)); len(got) != 2 {
		t.Errorf("reminders after more scans: %q", got)
	}
}

// TestReminderProcessorDeliveryTime: the desk of the case's school hears once
// when the processor's information is overdue (the hours of its agreement),
// and not once it was delivered.
func TestReminderProcessorDeliveryTime(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	now := e.clock.Now()
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Leverancier meldt een lek", e.a1))).ID
	done := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Leverancier leverde op tijd", e.a1))).ID
	var pid int64
	if err := e.owner.QueryRow(e.ctx, `INSERT INTO processors (organisation_id, name, processes, breach_contact, how_inform, off_hours,
		ap_notifier, information, delivery_hours, communicator, created_at, updated_at, updated_by)
		VALUES ($1, 'Leerlingvolgsysteem BV', 'leerlinggegevens', 'security@llvs.nl', 'telefoon', '24/7', 'school', 'alles', 24, 'school', $2, $2, $3)
		RETURNING id`, e.orgA, now, e.actors["admin"].UserID).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	for _, c := range []int64{id, done} {
		e.exec(`INSERT INTO case_processors (organisation_id, case_id, processor_id, informed_at, linked_at, linked_by)
			VALUES ($1, $2, $3, $4, $4, $5)`, e.orgA, c, pid, now, e.actors["desk"].UserID)
	}
	e.exec(`UPDATE case_processors SET delivered_at = $2, delivered_by = $3 WHERE case_id = $1`, done, now.Add(time.Hour), e.actors["desk"].UserID)
	s := e.servers(2)
	e.clock.Set(now.Add(23 * time.Hour))
	scanAll(t, e, s)
	if got := kinds(e.reminders(t, id)); slices.Contains(got, "processor passed") {
		t.Fatalf("reminded before the delivery time: %q", got)
	}
	e.clock.Set(now.Add(24*time.Hour + time.Minute))
	scanAll(t, e, s)
	if got := kinds(e.reminders(t, id)); !slices.Contains(got, "processor passed") {
		t.Errorf("reminders %q, want 'processor passed'", got)
	}
	if got := kinds(e.reminders(t, done)); slices.Contains(got, "processor passed") {
		t.Errorf("a delivered processor was reminded of: %q", got)
	}
	var got []string
	for _, m := range e.reminderMails(t) {
		if strings.HasPrefix(m, "reminder_processor") {
			got = append(got, m)
		}
	}
	if !slices.Equal(got, []string{"reminder_processor desk", "reminder_processor desk_a1"}) {
		t.Errorf("processor reminder mails %q, want the desk and the desk of A1", got)
	}
	if n := e.count(`SELECT count(*) FROM user_messages WHERE case_id = $1 AND body LIKE '%Neem contact op met de verwerker%'`, id); n != 2 {
		t.Errorf("%d processor reminders in the app tell the desk to contact the processor, want 2", n)
	}
}
