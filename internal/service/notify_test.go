package service_test

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/mailpit"
	"github.com/lekwacht/lekwacht/internal/service"
)

// recipients reads the outbox and the in-app messages: per mail kind, the
// names of the users it went to (sorted); both must say the same.
func (m *mailEnv) recipients(t *testing.T) map[string][]string {
	t.Helper()
	names := map[int64]string{}
	for n, a := range m.actors {
		names[a.UserID] = n
	}
	out := map[string][]string{}
	rows, err := m.owner.Query(m.ctx, `SELECT kind, user_id FROM mail_messages ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var uid int64
		if err := rows.Scan(&kind, &uid); err != nil {
			t.Fatal(err)
		}
		out[kind] = append(out[kind], names[uid])
	}
	for k := range out {
		slices.Sort(out[k])
	}
	return out
}

func (m *mailEnv) inApp(t *testing.T) int {
	return m.count(`SELECT count(*) FROM user_messages`)
}

func (m *mailEnv) more(t *testing.T) {
	m.user("desk_a2", m.orgA, access.Grant{Role: access.Desk, Schools: []int64{m.a2}})
	m.user("officer_a1", m.orgA, access.Grant{Role: access.Officer, Schools: []int64{m.a1}})
	m.user("officer_a2", m.orgA, access.Grant{Role: access.Officer, Schools: []int64{m.a2}})
	m.user("board_a1", m.orgA, access.Grant{Role: access.Board, Schools: []int64{m.a1}})
	m.user("technician2", m.orgA, access.Grant{Role: access.Technician})
	m.user("officer_b", m.orgB, access.Grant{Role: access.Officer})
	m.user("board_b", m.orgB, access.Grant{Role: access.Board})
	m.user("staff_b", m.orgB)
}

// TestWhoHearsWhat walks a case of school A2 through the events of issue 5
// and checks, after each, exactly who got a notification, in the app and
// by mail, and that the mail arrived at the SMTP server: the desk and
// officer of that school (and those for all schools), the person asked, the
// board; never another organisation, another school or another role.
func TestWhoHearsWhat(t *testing.T) {
	t.Parallel()
	m := newMailEnv(t, mailpit.Options{})
	m.more(t)
	m.workers(t, m.svc, m.sender(), 0)
	staff, desk, officer := m.actors["staff"], m.actors["desk"], m.actors["officer"]
	want := map[string][]string{}
	check := func(step string) {
		t.Helper()
		got := m.recipients(t)
		if !maps.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("%s: notified %v, want %v", step, got, want)
		}
		n := 0
		for _, v := range want {
			n += len(v)
		}
		if in := m.inApp(t); in != n {
			t.Fatalf("%s: %d messages in the app, want %d (one per mail)", step, in, n)
		}
	}

	id := must(m.svc.Incidents.Report(m.ctx, staff, m.form("Map met cijferlijsten kwijt", m.a2))).ID
	want["case_reported"] = []string{"desk", "desk_a2"}             // not desk_a1 (other school), not desk_b (other organisation)
	want["reported_to_officer"] = []string{"officer", "officer_a2"} // personal data "weet ik niet" (issue 9.4)
	check("report at A2")

	must(0, m.svc.Incidents.StartInventory(m.ctx, desk, id))
	must(0, m.svc.Incidents.RecordInventory(m.ctx, desk, id, goodInventory()))
	must(0, m.svc.Incidents.AskQuestion(m.ctx, desk, id, serviceQuestion("reporter", "Welke klas?")))
	want["question"] = []string{"staff"}
	check("question to the reporter")
	tech := m.actors["technician"]
	must(0, m.svc.Incidents.AskQuestion(m.ctx, desk, id, serviceQuestion(strconv.FormatInt(tech.UserID, 10), "Was de map versleuteld?")))
	want["question"] = []string{"staff", "technician"} // not technician2
	check("question to a technician")

	qs := must(m.svc.Incidents.OpenQuestions(m.ctx, staff))
	must(0, m.svc.Incidents.AnswerQuestion(m.ctx, staff, id, qs[0].ID, "Groep 8"))
	want["answer"] = []string{"desk", "desk_a2"}
	check("answer of the reporter")

	must(0, m.svc.Incidents.SendToOfficer(m.ctx, desk, id))
	want["to_officer"] = []string{"officer", "officer_a2"} // not officer_a1, not officer_b
	want["board_assessment"] = []string{"board"}           // not board_a1, not board_b
	check("sent to the officer")

	f := classList()
	f.Breach, f.NotifyAuthority, f.NotifySubjects, f.SubjectsChannel = "yes", "yes", "yes", "individual"
	f.Effects, f.NoticePlan = "Cijfers van kinderen kunnen op straat liggen.", "Brief aan de ouders."
	must(0, m.svc.Incidents.Decide(m.ctx, officer, id, f))
	want["board_before_ap"] = []string{"board"} // not board_a1, not board_b
	check("decided to notify the AP")

	// Closing: the reporter gets the summary of measures (a case of A1 here).
	id2 := must(m.svc.Incidents.Report(m.ctx, m.actors["staff2"], m.form("A4 met e-mailadressen op straat", m.a1))).ID
	want["case_reported"] = []string{"desk", "desk", "desk_a1", "desk_a2"}
	want["reported_to_officer"] = []string{"officer", "officer", "officer_a1", "officer_a2"}
	m.decided(id2, true, "Spam", incident.StatusRecording)
	want["to_officer"] = []string{"officer", "officer", "officer_a1", "officer_a2"}
	want["board_assessment"] = []string{"board", "board", "board_a1"}
	must(0, m.svc.Incidents.AssignTechnician(m.ctx, desk, id2, strconv.FormatInt(tech.UserID, 10)))
	want["technician_assigned"] = []string{"technician"} // not technician2
	check("technician assigned")
	must(0, m.svc.Incidents.RecordRepair(m.ctx, tech, id2, incident.RepairForm{Cause: "Lijst geprint",
		OrganisationalIncidental: "Ouders ingelicht", OrganisationalStructural: "Geen lijsten meer printen", Unintelligible: "no", Completed: true}))
	must(0, m.svc.Incidents.Close(m.ctx, desk, id2))
	want["closed_summary"] = []string{"staff2"}
	check("closed")

	// Everything arrives at the SMTP server, to the right addresses.
	total := 0
	for _, v := range want {
		total += len(v)
	}
	list := m.waitFinal(t, 30*time.Second)
	for _, x := range list {
		if x.Status != "sent" {
			t.Errorf("mail %d (%s) is %s", x.ID, x.Kind, x.Status)
		}
	}
	got := m.mp.WaitFor(t, total, 10*time.Second)
	if len(got) != total {
		t.Fatalf("%d messages at the server, want %d", len(got), total)
	}
	subjects := map[string][]string{}
	for _, s := range got {
		subjects[s.To[0].Address] = append(subjects[s.To[0].Address], s.Subject)
	}
	for addr, want := range map[string]string{
		"officer_a2@example.nl": "Beoordelen: mogelijk datalek 2026-0001 (School A2)",
		"board@example.nl":      "Datalek 2026-0001 (School A2): de FG gaat het melden bij de AP",
		"staff2@example.nl":     "Uw melding 2026-0002 is afgehandeld",
		"desk_a2@example.nl":    "Nieuwe melding 2026-0001 (School A2)",
		"technician@example.nl": "Toegewezen als technicus: melding 2026-0002 (School A1)",
	} {
		// Every mail names its organisation (issue 11.3).
		if want += " · Bestuur A"; !slices.Contains(subjects[addr], want) {
			t.Errorf("%s got %q, want among them %q", addr, subjects[addr], want)
		}
	}
	for _, nobody := range []string{"desk_b", "officer_b", "board_b", "staff_b", "technician2", "admin"} {
		if n := len(subjects[nobody+"@example.nl"]); n > 0 {
			t.Errorf("%s got %d messages, want none", nobody, n)
		}
	}
	// The summary mail carries the measures, in both bodies, in Dutch.
	for _, s := range got {
		if s.Subject != "Uw melding 2026-0002 is afgehandeld" {
			continue
		}
		full := m.mp.Message(t, s.ID)
		for _, body := range []string{full.Text, full.HTML} {
			if !strings.Contains(body, "Geen lijsten meer printen") || !strings.Contains(body, "Beste Gebruiker staff2") ||
				!strings.Contains(body, fmt.Sprintf("http://lekwacht.test/meldingen/%d", id2)) {
				t.Errorf("summary mail body lacks the measures, the greeting or the link:\n%s", body)
			}
		}
		if full.From.Address != "noreply@lekwacht.test" {
			t.Errorf("from = %+v", full.From)
		}
	}
}

func serviceQuestion(to, q string) service.QuestionForm {
	return service.QuestionForm{Addressee: to, Question: q}
}
