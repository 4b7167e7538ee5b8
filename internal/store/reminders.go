package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// ReminderCase is an open case with what the deadline reminders need. The
// scan runs for every organisation (it is the system's own work, not a
// user's view); every reminder it writes carries the case's organisation.
type ReminderCase struct {
	OrganisationID int64
	ID             int64
	Number         incident.Number
	SchoolID       *int64
	Status         incident.Status
	AwareAt        time.Time
	BreachSuspect  string // the desk's view in step 2: yes, no or unknown ("" without inventory)
	DecidedAt      *time.Time
	NotifyAP       bool
	NotifiedAt     *time.Time // the first AP notification
	SubjectsSentAt *time.Time
	// ProcessorDue is when the processor's information is due, while awaited.
	ProcessorDue *time.Time
	// Recorded are the reminders already dealt with, as "kind:threshold".
	Recorded []string
}

// ReminderCases lists the open cases with what their deadlines depend on.
func (q *Queries) ReminderCases(ctx context.Context) ([]ReminderCase, error) {
	rows, err := q.db.Query(ctx, `
		SELECT c.organisation_id, c.id, c.year, c.seq, c.school_id, c.status, c.clock_start,
		       coalesce(i.breach_suspected, ''), a.decided_at, coalesce(a.notify_authority, false),
		       (SELECT min(n.sent_at) FROM case_notifications n WHERE n.organisation_id = c.organisation_id AND n.case_id = c.id AND n.kind = 'initial'),
		       sn.sent_at,
		       (SELECT cp.informed_at + make_interval(hours => p.delivery_hours)
		        FROM case_processors cp JOIN processors p ON p.organisation_id = cp.organisation_id AND p.id = cp.processor_id
		        WHERE cp.organisation_id = c.organisation_id AND cp.case_id = c.id AND cp.delivered_at IS NULL),
		       ARRAY(SELECT r.kind || ':' || r.threshold FROM case_reminders r WHERE r.organisation_id = c.organisation_id AND r.case_id = c.id)
		FROM cases c
		LEFT JOIN case_inventories i ON i.organisation_id = c.organisation_id AND i.case_id = c.id
		LEFT JOIN case_assessments a ON a.organisation_id = c.organisation_id AND a.case_id = c.id
		LEFT JOIN case_subject_notices sn ON sn.organisation_id = c.organisation_id AND sn.case_id = c.id
		WHERE c.status <> 'closed'
		ORDER BY c.id`)
	if err != nil {
		return nil, fmt.Errorf("reminder cases: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReminderCase, error) {
		var c ReminderCase
		err := r.Scan(&c.OrganisationID, &c.ID, &c.Number.Year, &c.Number.Seq, &c.SchoolID, &c.Status, &c.AwareAt,
			&c.BreachSuspect, &c.DecidedAt, &c.NotifyAP, &c.NotifiedAt, &c.SubjectsSentAt, &c.ProcessorDue, &c.Recorded)
		return c, err
	})
}

// AddReminder records that a reminder for (case, kind, threshold) was dealt
// with; inserted is false when it had been before (by this server or
// another): the caller then sends nothing.
func (q *Queries) AddReminder(ctx context.Context, orgID, caseID int64, kind, threshold string, due, at time.Time, notified bool) (bool, error) {
	tag, err := q.db.Exec(ctx, `
		INSERT INTO case_reminders (organisation_id, case_id, kind, threshold, due_at, created_at, notified)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`, orgID, caseID, kind, threshold, due, at, notified)
	if err != nil {
		return false, fmt.Errorf("add reminder: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Reminder is one reminder row, for tests and the timeline.
type Reminder struct {
	CaseID    int64
	Kind      string
	Threshold string
	Notified  bool
}

// Reminders lists the reminders of an organisation's case.
func (q *Queries) Reminders(ctx context.Context, orgID, caseID int64) ([]Reminder, error) {
	rows, err := q.db.Query(ctx, `SELECT case_id, kind, threshold, notified FROM case_reminders
		WHERE organisation_id = $1 AND case_id = $2 ORDER BY created_at, kind, threshold`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("reminders: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Reminder, error) {
		var m Reminder
		err := r.Scan(&m.CaseID, &m.Kind, &m.Threshold, &m.Notified)
		return m, err
	})
}
