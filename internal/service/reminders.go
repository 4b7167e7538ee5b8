package service

import (
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
// clock jump neither loses nor repeats one. When the scan finds several
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

// Reminders runs the deadline scan once at the injected clock's now and
// returns how many reminders it sent. Safe to run on several servers at
// once: each reminder is sent once.
func (s *Services) Reminders(ctx context.Context) (int, error) {
	cases, err := s.d.Store.ReminderCases(ctx)
	if err != nil {
		return 0, err
	}
	now := s.d.Now()
	sent := 0
	for _, c := range cases {
		for _, rule := range reminderRules {
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
			if len(crossed) == 0 || slices.Contains(c.Recorded, rule.Kind+":"+crossed[len(crossed)-1].Name) {
				continue
			}
			n, err := s.remind(ctx, c, rule, crossed, due, now)
			if err != nil {
				return sent, fmt.Errorf("reminder %s for case %d: %w", rule.Kind, c.ID, err)
			}
			sent += n
		}
	}
	n, err := s.exceptionReminders(ctx, now)
	return sent + n, err
}

// remind records the crossed thresholds of one deadline and, when the most
// urgent is new, notifies, all in one transaction.
func (s *Services) remind(ctx context.Context, c store.ReminderCase, rule reminderRule, crossed []threshold, due, now time.Time) (int, error) {
	sent := 0
	err := transact(ctx, s.d.Store, func(q *store.Queries) error {
		sent = 0
		last := crossed[len(crossed)-1]
		fresh, err := q.AddReminder(ctx, c.OrganisationID, c.ID, rule.Kind, last.Name, due, now, true)
		if err != nil {
			return err
		}
		for _, th := range crossed[:len(crossed)-1] {
			if _, err := q.AddReminder(ctx, c.OrganisationID, c.ID, rule.Kind, th.Name, due, now, false); err != nil {
				return err
			}
		}
		if !fresh {
			return nil
		}
		to, err := q.UsersWithRoleFor(ctx, c.OrganisationID, rule.Role, c.SchoolID)
		if err != nil {
			return err
		}
		loc := s.d.Location
		// The same words as the deadline on every page: "za 5 december 20:53".
		when := incident.DayTime(due, loc, now)
		subject := fmt.Sprintf("Herinnering melding %s: termijn verstrijkt over %s", c.Number, hoursText(last.Before))
		first := fmt.Sprintf("De termijn voor %s bij melding %s verstrijkt op %s, over %s.", rule.Label, c.Number, when, hoursText(last.Before))
		if last.Before == 0 {
			subject = fmt.Sprintf("Termijn verstreken bij melding %s", c.Number)
			first = fmt.Sprintf("De termijn voor %s bij melding %s is verstreken op %s.", rule.Label, c.Number, when)
		}
		advice := rule.Advice
		if advice == "" {
			advice = "Bekijk de melding in Lekwacht en rond deze stap af, of leg vast waarom het later wordt."
		}
		id := c.ID
		if err := s.d.notify(ctx, q, c.OrganisationID, to, 0, notice{
			Kind: "reminder_" + rule.Kind, Key: fmt.Sprintf("reminder:%d:%s:%s", c.ID, rule.Kind, last.Name), CaseID: &id,
			Subject:    subject,
			Paragraphs: []string{first, advice},
			Path:       casePath(c.ID), LinkText: "Bekijk de melding",
		}); err != nil {
			return err
		}
		if err := q.AddEvent(ctx, store.NewEvent{OrganisationID: c.OrganisationID, CaseID: c.ID, At: now,
			Kind: "reminder", Summary: "Herinnering verstuurd aan " + roleName(rule.Role) + ": " + subjectTail(last.Before),
			Details: map[string]any{"kind": rule.Kind, "threshold": last.Name, "recipients": len(to)}}); err != nil {
			return err
		}
		sent = 1
		return nil
	})
	return sent, err
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
