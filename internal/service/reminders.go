package service

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Deadline reminders are computed from the database by a periodic scan (a
// River periodic job, every minute), never from timers in memory. Each
// reminder is a row keyed by (case, kind, threshold), inserted with its
// notification in one transaction: a restart, a second app server or a
// clock jump neither loses nor repeats one. The scan reads only the cases
// whose next check has come (case_reminder_checks, kept by the scan and by
// triggers on what the deadlines depend on, migration 00031), so its cost
// follows the reminders due, not the open cases. When the scan finds several
// thresholds of one deadline crossed at once (the server was down, the
// clock jumped, the moment of awareness was set back), it sends only the
// most urgent and records the others as passed over.

// Reminder kinds; a new kind is one more entry in reminderRules.
const (
	ReminderAuthority = "authority" // the 72 hours to notify the AP
	ReminderFiling    = "filing"    // two working days after the decision
	ReminderSubjects  = "subjects"  // one week to inform the data subjects
	ReminderProcessor = "processor" // the processor's delivery time (the agreement's hours)
)

// threshold is a moment relative to a deadline: Before it, or at it (0).
type threshold struct {
	Name   string
	Before time.Duration
}

// reminderRule is one deadline that is reminded of: when it runs for a
// case, its thresholds, and who hears it.
type reminderRule struct {
	Kind       string
	Label      string // "de melding aan de AP (72 uur)"
	Thresholds []threshold
	Role       access.Role
	// Advice says what to do; empty: finish the step.
	Advice string
	Due    func(s *Services, c store.ReminderCase) (time.Time, bool)
}

var reminderRules = []reminderRule{
	{
		Kind: ReminderAuthority, Label: "de melding aan de Autoriteit Persoonsgegevens (72 uur na ontdekking)", Role: access.Officer,
		Thresholds: []threshold{{"48h", 48 * time.Hour}, {"24h", 24 * time.Hour}, {"6h", 6 * time.Hour}, {"passed", 0}},
		Due: func(s *Services, c store.ReminderCase) (time.Time, bool) {
			if c.NotifiedAt != nil {
				return time.Time{}, false
			}
			switch c.Status {
			case incident.StatusNew, incident.StatusConfirmation, incident.StatusAssessment, incident.StatusNotification:
			case incident.StatusInventory:
				if c.BreachSuspect == "no" {
					// The desk saw no breach: the 72 hours do not concern the officer.
					return time.Time{}, false
				}
			default:
				return time.Time{}, false
			}
			return s.d.Calendar.Authority(c.AwareAt), true
		},
	},
	{
		Kind: ReminderFiling, Label: "het indienen van de melding bij de AP (2 werkdagen na het besluit)", Role: access.Officer,
		Thresholds: []threshold{{"passed", 0}},
		Due: func(s *Services, c store.ReminderCase) (time.Time, bool) {
			if c.Status != incident.StatusNotification || c.DecidedAt == nil || !c.NotifyAP || c.NotifiedAt != nil {
				return time.Time{}, false
			}
			return s.d.Calendar.Filing(*c.DecidedAt), true
		},
	},
	{
		Kind: ReminderSubjects, Label: "het informeren van de betrokkenen (1 week)", Role: access.Officer,
		Thresholds: []threshold{{"passed", 0}},
		Due: func(s *Services, c store.ReminderCase) (time.Time, bool) {
			if c.Status != incident.StatusInforming || c.SubjectsSentAt != nil {
				return time.Time{}, false
			}
			d, ok := s.Incidents.subjectsDeadline(c.NotifiedAt, c.DecidedAt)
			return d.At, ok
		},
	},
	{
		Kind: ReminderProcessor, Label: "de informatie van de verwerker (de termijn uit de afspraken)", Role: access.Desk,
		Advice:     "Neem contact op met de verwerker, en leg in Lekwacht vast wanneer de informatie binnen is.",
		Thresholds: []threshold{{"passed", 0}},
		Due: func(s *Services, c store.ReminderCase) (time.Time, bool) {
			if c.ProcessorDue == nil {
				return time.Time{}, false
			}
			return *c.ProcessorDue, true
		},
	},
}

func (s *Services) reminderBatch() int {
	if s.d.ReminderBatch > 0 {
		return s.d.ReminderBatch
	}
	return 2000
}

func (s *Services) digestFrom() int {
	if s.d.DigestFrom > 0 {
		return s.d.DigestFrom
	}
	return 4
}

// digestLines is how many cases a digest lists; the rest it counts.
const digestLines = 50

// dueReminder is one reminder a scan sends: the most urgent crossed
// threshold of one deadline of one case.
type dueReminder struct {
	c    store.ReminderCase
	rule *reminderRule
	th   threshold
	due  time.Time
}

func (r dueReminder) key() string {
	return fmt.Sprintf("reminder:%d:%s:%s", r.c.ID, r.rule.Kind, r.th.Name)
}

// Reminders runs the deadline scan once at the injected clock's now and
// returns how many reminders it sent. Safe to run on several servers at
// once: each reminder is sent once.
//
// One run is one transaction over at most ReminderBatch cases whose check
// (case_reminder_checks) has come, oldest first; the others wait for the
// next run. Per case it records the crossed thresholds, sends the most
// urgent, and stores when to look again (the next threshold not dealt with,
// or never). Everything is written set-based: one statement for the
// reminder rows, one for the timeline, one per kind of check update; only
// the messages are per person. A person with DigestFrom reminders or more in
// one run gets one message listing them.
func (s *Services) Reminders(ctx context.Context) (int, error) {
	ctx = store.System(ctx) // the deadline scan of every organisation (docs/security.md)
	now := s.d.Now()
	sent := 0
	err := transact(ctx, s.d.Store, func(q *store.Queries) error {
		sent = 0
		cases, err := q.DueReminderCases(ctx, now, s.reminderBatch())
		if err != nil || len(cases) == 0 {
			return err
		}
		var rows []store.NewReminder
		var todo []dueReminder
		checks := make([]store.ReminderCheck, 0, len(cases))
		for _, c := range cases {
			recorded := make(map[string]bool, len(c.Recorded))
			for _, r := range c.Recorded {
				recorded[r] = true
			}
			var next *time.Time
			for i := range reminderRules {
				rule := &reminderRules[i]
				due, ok := rule.Due(s, c)
				if !ok {
					continue
				}
				// The crossed thresholds, most urgent last.
				var crossed []threshold
				for _, th := range rule.Thresholds {
					if !now.Before(due.Add(-th.Before)) {
						crossed = append(crossed, th)
					}
				}
				// The crossed thresholds are a prefix of the rule's: when the
				// most urgent was recorded, so were the others (in its
				// transaction), and there is nothing to do.
				if len(crossed) > 0 && !recorded[rule.Kind+":"+crossed[len(crossed)-1].Name] {
					last := crossed[len(crossed)-1]
					todo = append(todo, dueReminder{c: c, rule: rule, th: last, due: due})
					for j, th := range crossed {
						k := rule.Kind + ":" + th.Name
						if recorded[k] {
							continue
						}
						recorded[k] = true
						rows = append(rows, store.NewReminder{OrganisationID: c.OrganisationID, CaseID: c.ID, Kind: rule.Kind,
							Threshold: th.Name, Due: due, Notified: j == len(crossed)-1})
					}
				}
				// Look again at the next threshold not dealt with.
				for _, th := range rule.Thresholds {
					at := due.Add(-th.Before)
					if at.After(now) && !recorded[rule.Kind+":"+th.Name] && (next == nil || at.Before(*next)) {
						next = &at
					}
				}
			}
			checks = append(checks, store.ReminderCheck{OrganisationID: c.OrganisationID, CaseID: c.ID, At: next})
		}
		fresh, err := q.AddReminders(ctx, rows, now)
		if err != nil {
			return err
		}
		// Only what this transaction inserted is sent: a row another scan
		// recorded first is that scan's to send.
		isFresh := make(map[string]bool, len(fresh))
		for _, r := range fresh {
			if r.Notified {
				isFresh[fmt.Sprintf("reminder:%d:%s:%s", r.CaseID, r.Kind, r.Threshold)] = true
			}
		}
		todo = slices.DeleteFunc(todo, func(r dueReminder) bool { return !isFresh[r.key()] })
		if err := s.sendReminders(ctx, q, todo, now); err != nil {
			return err
		}
		sent = len(todo)
		return q.SetReminderChecks(ctx, checks)
	})
	if err != nil {
		return 0, fmt.Errorf("deadline reminders: %w", err)
	}
	n, err := s.exceptionReminders(ctx, now)
	return sent + n, err
}

// sendReminders tells the people of each reminder's role and school, in the
// app and by mail: one message per reminder, or one digest for a person
// with many; and writes one timeline entry per reminder.
func (s *Services) sendReminders(ctx context.Context, q *store.Queries, todo []dueReminder, now time.Time) error {
	if len(todo) == 0 {
		return nil
	}
	type audience struct {
		org    int64
		role   access.Role
		school int64 // 0: no school
	}
	recipients := map[audience][]access.Account{}
	perUser := map[int64][]dueReminder{}
	users := map[int64]access.Account{}
	var order []int64 // users in the order first met, for stable output
	events := make([]store.NewEvent, 0, len(todo))
	for _, r := range todo {
		a := audience{org: r.c.OrganisationID, role: r.rule.Role}
		if r.c.SchoolID != nil {
			a.school = *r.c.SchoolID
		}
		to, ok := recipients[a]
		if !ok {
			var err error
			if to, err = q.UsersWithRoleFor(ctx, r.c.OrganisationID, r.rule.Role, r.c.SchoolID); err != nil {
				return err
			}
			recipients[a] = to
		}
		n := 0
		for _, u := range to {
			if !u.Active {
				continue
			}
			n++
			if _, seen := users[u.ID]; !seen {
				users[u.ID] = u
				order = append(order, u.ID)
			}
			perUser[u.ID] = append(perUser[u.ID], r)
		}
		events = append(events, store.NewEvent{OrganisationID: r.c.OrganisationID, CaseID: r.c.ID, At: now,
			Kind: "reminder", Summary: "Herinnering verstuurd aan " + roleName(r.rule.Role) + ": " + subjectTail(r.th.Before),
			Details: map[string]any{"kind": r.rule.Kind, "threshold": r.th.Name, "recipients": n}})
	}
	// Per organisation (a user belongs to one), one set-based notify.
	byOrg := map[int64][]addressed{}
	var orgs []int64
	for _, uid := range order {
		u, list := users[uid], perUser[uid]
		org := list[0].c.OrganisationID
		if _, ok := byOrg[org]; !ok {
			orgs = append(orgs, org)
		}
		if len(list) >= s.digestFrom() {
			byOrg[org] = append(byOrg[org], addressed{To: []access.Account{u}, Notice: s.digest(list, now)})
			continue
		}
		for _, r := range list {
			byOrg[org] = append(byOrg[org], addressed{To: []access.Account{u}, Notice: s.reminderNotice(r, now)})
		}
	}
	for _, org := range orgs {
		if err := s.d.notifyAll(ctx, q, org, byOrg[org]...); err != nil {
			return err
		}
	}
	return q.AddEvents(ctx, events)
}

// reminderNotice is the message of one reminder.
func (s *Services) reminderNotice(r dueReminder, now time.Time) notice {
	// The same words as the deadline on every page: "za 5 december 20:53".
	when := incident.DayTime(r.due, s.d.Location, now)
	c, last := r.c, r.th
	subject := fmt.Sprintf("Herinnering melding %s: termijn verstrijkt over %s", c.Number, hoursText(last.Before))
	first := fmt.Sprintf("De termijn voor %s bij melding %s verstrijkt op %s, over %s.", r.rule.Label, c.Number, when, hoursText(last.Before))
	if last.Before == 0 {
		subject = fmt.Sprintf("Termijn verstreken bij melding %s", c.Number)
		first = fmt.Sprintf("De termijn voor %s bij melding %s is verstreken op %s.", r.rule.Label, c.Number, when)
	}
	advice := r.rule.Advice
	if advice == "" {
		advice = "Bekijk de melding in Lekwacht en rond deze stap af, of leg vast waarom het later wordt."
	}
	id := c.ID
	return notice{
		Kind: "reminder_" + r.rule.Kind, Key: r.key(), CaseID: &id,
		Subject:    subject,
		Paragraphs: []string{first, advice},
		Path:       casePath(c.ID), LinkText: "Bekijk de melding",
	}
}

// digest is one message listing many reminders for one person, the most
// urgent deadline first; it lists digestLines of them and counts the rest.
func (s *Services) digest(list []dueReminder, now time.Time) notice {
	list = slices.Clone(list)
	slices.SortStableFunc(list, func(a, b dueReminder) int {
		if c := a.due.Compare(b.due); c != 0 {
			return c
		}
		return cmp.Compare(a.c.ID, b.c.ID)
	})
	paras := []string{fmt.Sprintf("Bij %d meldingen verstrijkt binnenkort een termijn, of is die verstreken:", len(list))}
	for i, r := range list {
		if i == digestLines {
			paras = append(paras, fmt.Sprintf("En nog %d andere meldingen. U vindt ze allemaal op uw startpagina in Lekwacht, de dringendste bovenaan.", len(list)-digestLines))
			break
		}
		when := incident.DayTime(r.due, s.d.Location, now)
		line := fmt.Sprintf("Melding %s: %s verstrijkt op %s, over %s.", r.c.Number, r.rule.Label, when, hoursText(r.th.Before))
		if r.th.Before == 0 {
			line = fmt.Sprintf("Melding %s: %s is verstreken op %s.", r.c.Number, r.rule.Label, when)
		}
		paras = append(paras, line)
	}
	paras = append(paras, "Bekijk de meldingen in Lekwacht en rond de stappen af, of leg vast waarom het later wordt.")
	return notice{
		Kind: "reminder_digest", Key: "reminder_digest:" + list[0].key(),
		Subject:    fmt.Sprintf("Herinnering: termijnen bij %d meldingen", len(list)),
		Paragraphs: paras,
		Path:       "/", LinkText: "Naar uw startpagina",
	}
}

func hoursText(d time.Duration) string {
	h := int(d.Hours())
	if h == 1 {
		return "1 uur"
	}
	return fmt.Sprintf("%d uur", h)
}

func subjectTail(before time.Duration) string {
	if before == 0 {
		return "termijn verstreken"
	}
	return "termijn verstrijkt over " + hoursText(before)
}

func roleName(r access.Role) string {
	if r == access.Desk {
		return "het meldpunt"
	}
	return "de FG"
}
