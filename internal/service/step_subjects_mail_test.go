package service_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/letter"
	"github.com/lekwacht/lekwacht/internal/mailpit"
	"github.com/lekwacht/lekwacht/internal/service"
)

// syncBuffer is a log sink safe for the workers' goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// approvedNotice is a case in step 7 with an approved individual notice.
func (e *env) approvedNotice(t *testing.T) int64 {
	t.Helper()
	id := e.informing("Adreslijst van groep 7 gemaild naar de verkeerde ouders", "individual")
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, e.actors["officer"], id, goodSubjectsForm()))
	must(0, e.svc.Incidents.ApproveSubjectsNotice(e.ctx, e.actors["board"], id, ""))
	return id
}

// TestSubjectNoticeByMail: the approved notice goes by mail to a list of
// 1,000 recipients (CSV; the parent's address for some); each recipient's
// delivery status is recorded (the server refuses some addresses: bounced),
// the text archived in the case is the text every recipient received, the
// addresses are gone once delivery is final, and none is ever logged.
func TestSubjectNoticeByMail(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	e := newEnvWith(t, func(d *service.Deps) {
		d.Queue = must(service.NewQueue(d.Store.Pool()))
		d.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	m := &mailEnv{env: e, mp: mailpit.Start(t, mailpit.Options{AllowedRecipients: `@example\.nl$`})}
	id := m.approvedNotice(t)

	const n, bounced = 1000, 10
	var csv strings.Builder
	csv.WriteString("\ufeffNaam;E-mail;E-mail ouder\n")
	for i := range n {
		switch {
		case i < bounced:
			fmt.Fprintf(&csv, "Leerling %d;;ouder%d@weg.invalid\n", i, i)
		case i%3 == 0:
			fmt.Fprintf(&csv, "Leerling %d;leerling%d@example.nl;ouder%d@example.nl\n", i, i, i)
		default:
			fmt.Fprintf(&csv, "Medewerker %d;mw%d@example.nl;\n", i, i)
		}
	}
	officer, board := m.actors["officer"], m.actors["board"]
	if _, err := m.svc.Incidents.UploadSubjectRecipients(m.ctx, board, id, []byte(csv.String())); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("board uploads: %v, want Forbidden (sending is the officer's)", err)
	}
	if _, err := m.svc.Incidents.MailSubjectsNotice(m.ctx, officer, id); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("send without a list: %v, want Invalid", err)
	}
	if got := must(m.svc.Incidents.UploadSubjectRecipients(m.ctx, officer, id, []byte(csv.String()))); got != n {
		t.Fatalf("uploaded %d recipients, want %d", got, n)
	}
	v := must(m.svc.Incidents.SubjectMailing(m.ctx, officer, id))
	if !v.CanSend || v.Counts[incident.RecipientPending] != n {
		t.Fatalf("before sending: can send %v, counts %v", v.CanSend, v.Counts)
	}
	start := time.Now()
	if got := must(m.svc.Incidents.MailSubjectsNotice(m.ctx, officer, id)); got != n {
		t.Fatalf("mailed %d, want %d", got, n)
	}
	t.Logf("1,000 mails written to the outbox in %s", time.Since(start).Round(time.Millisecond))
	if m.status(id) != incident.StatusRecording {
		t.Errorf("after sending the case is %s, want recording (to the desk)", m.status(id))
	}
	if _, err := m.svc.Incidents.MailSubjectsNotice(m.ctx, officer, id); err == nil {
		t.Error("mailing a second time succeeded")
	}
	if c := m.count(`SELECT count(*) FROM case_subject_recipients WHERE case_id = $1 AND email IS NOT NULL`, id); c != 0 {
		t.Errorf("%d addresses kept in the list after sending (the outbox holds them)", c)
	}

	startJobs(t, m.svc, m.store.Pool(), service.JobsConfig{Sender: m.sender(), ScanEvery: time.Hour, MaxWorkers: 20})
	start = time.Now()
	m.waitFinal(t, 3*time.Minute)
	t.Logf("1,000 mails delivered in %s", time.Since(start).Round(time.Millisecond))

	v = must(m.svc.Incidents.SubjectMailing(m.ctx, officer, id))
	if v.Counts[incident.RecipientSent] != n-bounced || v.Counts[incident.RecipientBounced] != bounced || v.Counts.Total() != n {
		t.Errorf("statuses %v, want %d sent and %d bounced", v.Counts, n-bounced, bounced)
	}
	for _, r := range v.Recipients[:bounced] {
		if r.Status != incident.RecipientBounced || !r.ToParent {
			t.Errorf("line %d (%s): %s, to parent %v; want bounced, to the parent", r.Line, r.Name, r.Status, r.ToParent)
		}
	}
	if c := m.count(`SELECT count(*) FROM mail_messages WHERE case_id = $1 AND recipient IS NOT NULL`, id); c != 0 {
		t.Errorf("%d addresses kept in the outbox after final delivery", c)
	}

	// What arrived is what is archived, for every recipient, at the right address.
	// (The case's earlier steps mailed the desk and the officer: 3 more.)
	var got []mailpit.Summary
	for _, s := range m.mp.WaitFor(t, n-bounced+3, 10*time.Second) {
		if s.Subject == goodSubjectsForm().Subject {
			got = append(got, s)
		}
	}
	if len(got) != n-bounced {
		t.Fatalf("%d notices at the server, want %d", len(got), n-bounced)
	}
	to := countTo(got)
	if to["ouder12@example.nl"] != 1 || to["leerling12@example.nl"] != 0 || to["mw13@example.nl"] != 1 {
		t.Errorf("a student's notice did not go to the parent only, or staff got none")
	}
	if v.Mailing == nil || v.Mailing.Recipients != n || v.Mailing.Subject != goodSubjectsForm().Subject {
		t.Fatalf("archive = %+v", v.Mailing)
	}
	// Parents and staff read their own version of the letter (issue 10.4):
	// the archive keeps each version, under its reader.
	archived := v.Mailing.Text
	for _, s := range got {
		if s.Subject != v.Mailing.Subject {
			t.Fatalf("subject %q, archived %q", s.Subject, v.Mailing.Subject)
		}
		full := m.mp.Message(t, s.ID)
		if text := strings.ReplaceAll(full.Text, "\r\n", "\n"); !strings.Contains(archived, text) {
			t.Fatalf("the text sent to %s is not in the archived text:\nsent:\n%s\narchived:\n%s", s.To[0].Address, text, archived)
		}
		if !strings.Contains(full.HTML, "USB-stick") {
			t.Fatalf("the HTML body lacks the letter: %s", full.HTML)
		}
	}
	// Approval kept the letters; the parents' and the staff letter went out.
	kept := must(m.svc.Incidents.Letters(m.ctx, officer, id))
	for _, k := range []letter.Kind{letter.Parent, letter.Staff} {
		if l := kept.Text(k); !l.Kept || !strings.Contains(archived, l.Body) {
			t.Errorf("the archived text lacks the kept %s letter (kept %v):\n%s", k, l.Kept, archived)
		}
	}
	if l := logs.String(); strings.Contains(l, "@example.nl") || strings.Contains(l, "@weg.invalid") || strings.Contains(l, "Leerling") {
		t.Errorf("an address or a name was logged:\n%s", l)
	}
	if n := m.events(id, "subjects_recipients"); n != 1 {
		t.Errorf("%d timeline entries for the upload, want 1", n)
	}
}

// TestSubjectRecipientsRefused: the list is refused whole, with the bad
// lines named, and only for an approved individual notice of one's own
// organisation.
func TestSubjectRecipientsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := e.informing("Cijferlijst op straat", "individual")
	good := []byte("naam,e-mail\nJan,jan@example.nl\n")
	if _, err := e.svc.Incidents.UploadSubjectRecipients(e.ctx, officer, id, good); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("before a draft: %v, want Conflict", err)
	}
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, goodSubjectsForm()))
	if _, err := e.svc.Incidents.UploadSubjectRecipients(e.ctx, officer, id, good); !apperr.Is(err, apperr.Conflict) ||
		!strings.Contains(err.Error(), "goedgekeurd") {
		t.Errorf("before approval: %v, want Conflict (not approved)", err)
	}
	must(0, e.svc.Incidents.ApproveSubjectsNotice(e.ctx, e.actors["board"], id, ""))
	_, err := e.svc.Incidents.UploadSubjectRecipients(e.ctx, officer, id, []byte("naam;e-mail\nJan;jan@example.nl\nPiet;piet@\n;anoniem@example.nl\n"))
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.Invalid || !strings.Contains(ae.Message, "Regel 3 (Piet)") || !strings.Contains(ae.Message, "Regel 4: de naam ontbreekt") {
		t.Errorf("bad lines: %v", err)
	}
	if c := e.count(`SELECT count(*) FROM case_subject_recipients WHERE case_id = $1`, id); c != 0 {
		t.Errorf("%d recipients stored from a refused list", c)
	}
	if _, err := e.svc.Incidents.UploadSubjectRecipients(e.ctx, e.actors["desk_b"], id, good); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another organisation: %v, want NotFound", err)
	}
	if _, err := e.svc.Incidents.UploadSubjectRecipients(e.ctx, e.actors["desk"], id, good); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("the desk: %v, want Forbidden", err)
	}
	if _, err := e.svc.Incidents.SubjectMailing(e.ctx, e.actors["staff"], id); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("the reporter sees the mailing page: %v, want NotFound", err)
	}
	if n := must(e.svc.Incidents.UploadSubjectRecipients(e.ctx, officer, id, good)); n != 1 {
		t.Errorf("good list: %d", n)
	}
}

// TestUnsentRecipientListIsDropped: a list that was uploaded but never
// mailed loses its addresses once they are no longer needed: when the notice
// is recorded as sent another way, with a timeline line saying so. A mailed
// list is not touched by that.
func TestUnsentRecipientListIsDropped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := e.approvedNotice(t)
	if n := must(e.svc.Incidents.UploadSubjectRecipients(e.ctx, officer, id, []byte("naam;e-mail\nJan;jan@example.nl\nPiet;piet@example.nl\n"))); n != 2 {
		t.Fatalf("uploaded %d recipients, want 2", n)
	}
	// The school sent the letter on paper after all.
	must(0, e.svc.Incidents.RecordSubjectsSent(e.ctx, officer, id, e.clock.Now().In(amsterdam).Format("2006-01-02T15:04")))
	if c := e.count(`SELECT count(*) FROM case_subject_recipients WHERE case_id = $1`, id); c != 0 {
		t.Errorf("%d recipients (with their addresses) kept after the notice went out another way", c)
	}
	if c := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND summary LIKE '%ongebruikte ontvangerslijst (2 adressen) is verwijderd%'`, id); c != 1 {
		t.Errorf("timeline lines about the dropped list: %d, want 1", c)
	}
}

// Issue 10.4, through Mailpit: the under-16 rule picks each recipient's
// letter, and each gets the letter kept for its audience. Seed 000 step 7:
// "leerlingen (of hun ouders als zij jonger zijn dan 16 jaar)". A student who
// turned 16 reads the student letter, at their own address, not "Beste ouder
// of verzorger"; the parent of a younger child reads the parents' letter; the
// student letter the FG edited before approval arrives as edited.
func TestASixteenYearOldGetsTheStudentLetter(t *testing.T) {
	t.Parallel()
	m := newMailEnv(t, mailpit.Options{})
	officer := m.actors["officer"]
	id := m.informing("Adreslijst van groep 7 gemaild naar de verkeerde ouders", "individual")
	must(0, m.svc.Incidents.DraftSubjectsNotice(m.ctx, officer, id, goodSubjectsForm()))
	v := must(m.svc.Incidents.Letters(m.ctx, officer, id))
	edited := v.Text(letter.Student).Body + "\nPS Je mentor weet ervan en helpt je graag."
	must(0, m.svc.Incidents.SaveLetter(m.ctx, officer, id, letter.Student, edited))
	must(0, m.svc.Incidents.ApproveSubjectsNotice(m.ctx, m.actors["board"], id, ""))
	kept := must(m.svc.Incidents.Letters(m.ctx, officer, id))

	today := m.clock.Now().In(amsterdam)
	sixteen := today.AddDate(-16, 0, 0).Format("02-01-2006")
	twelve := today.AddDate(-12, 0, 0).Format("02-01-2006")
	list := "naam;e-mail;e-mail ouder;geboortedatum\n" +
		"Sem de Groot;sem@leerling.example;ouder.sem@example.com;" + sixteen + "\n" +
		"Lotte Jansen;lotte@leerling.example;ouder.lotte@example.com;" + twelve + "\n"
	if n := must(m.svc.Incidents.UploadSubjectRecipients(m.ctx, officer, id, []byte(list))); n != 2 {
		t.Fatalf("uploaded %d, want 2", n)
	}
	must(m.svc.Incidents.MailSubjectsNotice(m.ctx, officer, id))
	startJobs(t, m.svc, m.store.Pool(), service.JobsConfig{Sender: m.sender(), ScanEvery: time.Hour, MaxWorkers: 2})
	m.waitFinal(t, time.Minute)
	texts := map[string]string{}
	for _, s := range m.mp.WaitFor(t, 2, 10*time.Second) {
		if s.Subject == goodSubjectsForm().Subject {
			texts[s.To[0].Address] = strings.ReplaceAll(m.mp.Message(t, s.ID).Text, "\r\n", "\n")
		}
	}
	if len(texts) != 2 || texts["ouder.sem@example.com"] != "" {
		t.Fatalf("notices went to %v, want sem@leerling.example and ouder.lotte@example.com", keys(texts))
	}
	student, parent := texts["sem@leerling.example"], texts["ouder.lotte@example.com"]
	if strings.TrimSpace(student) != strings.TrimSpace(edited) || !strings.HasPrefix(student, "Beste leerling,") ||
		!strings.Contains(student, "gegevens van jou") || strings.Contains(student, "ouder of verzorger") {
		t.Errorf("the 16-year-old's letter is not the student letter as edited:\n%s", student)
	}
	if strings.TrimSpace(parent) != strings.TrimSpace(kept.Text(letter.Parent).Body) || !strings.HasPrefix(parent, "Beste ouder of verzorger,") ||
		!strings.Contains(parent, "gegevens van uw kind") {
		t.Errorf("the parent's letter is not the kept parents' letter:\n%s", parent)
	}
	// What the FG wrote for the readers in the notice is in both.
	for _, part := range []string{goodSubjectsForm().Nature, goodSubjectsForm().MeasuresTaken, goodSubjectsForm().OfficerContact} {
		if !strings.Contains(student, part) || !strings.Contains(parent, part) {
			t.Errorf("a letter lacks the notice's %q", part)
		}
	}
	mv := must(m.svc.Incidents.SubjectMailing(m.ctx, officer, id))
	if !strings.Contains(mv.Mailing.Text, "Versie voor leerlingen van 16 jaar en ouder") || !strings.Contains(mv.Mailing.Text, student) ||
		!strings.Contains(mv.Mailing.Text, parent) {
		t.Errorf("the archive does not hold both versions:\n%s", mv.Mailing.Text)
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
