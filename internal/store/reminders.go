package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// ReminderCase is a case whose reminders are due to be looked at, with what
// the deadline reminders need. The scan runs for every organisation (it is
// the system's own work, not a user's view); every reminder it writes
// carries the case's organisation.
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

// DueReminderCases lists, in the order they came due, at most limit cases
// whose reminder check (case_reminder_checks) is at or before now, and locks
// their checks until the transaction ends: a scan on another server skips
// them rather than waiting or doing the same work twice. Its cost follows
// the checks due, not the open cases (an index range scan).
func (q *Queries) DueReminderCases(ctx context.Context, now time.Time, limit int) ([]ReminderCase, error) {
	rows, err := q.db.Query(ctx, `
		SELECT c.organisation_id, c.id, c.year, c.seq, c.school_id, c.status, c.clock_start,
		       coalesce(i.breach_suspected, ''), a.decided_at, coalesce(a.notify_authority, false),
		       (SELECT min(n.sent_at) FROM case_notifications n WHERE n.organisation_id = c.organisation_id AND n.case_id = c.id AND n.kind = 'initial'),
		       sn.sent_at,
		       (SELECT cp.informed_at + make_interval(hours => p.delivery_hours)
		        FROM case_processors cp JOIN processors p ON p.organisation_id = cp.organisation_id AND p.id = cp.processor_id
		        WHERE cp.organisation_id = c.organisation_id AND cp.case_id = c.id AND cp.delivered_at IS NULL),
		       ARRAY(SELECT r.kind || ':' || r.threshold FROM case_reminders r WHERE r.organisation_id = c.organisation_id AND r.case_id = c.id)
		FROM case_reminder_checks k
		JOIN cases c ON c.organisation_id = k.organisation_id AND c.id = k.case_id
		LEFT JOIN case_inventories i ON i.organisation_id = c.organisation_id AND i.case_id = c.id
		LEFT JOIN case_assessments a ON a.organisation_id = c.organisation_id AND a.case_id = c.id
		LEFT JOIN case_subject_notices sn ON sn.organisation_id = c.organisation_id AND sn.case_id = c.id
		WHERE k.check_at <= $1
		ORDER BY k.check_at, k.case_id
		LIMIT $2
		FOR UPDATE OF k SKIP LOCKED`, now, limit)
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

// ReminderCheck is when a case's reminders are next looked at; a nil At
// means never again (until something they depend on changes).
type ReminderCheck struct {
	OrganisationID, CaseID int64
	At                     *time.Time
}

// SetReminderChecks stores the next check of each case in one statement
// each for the cases with a next moment and those without.
func (q *Queries) SetReminderChecks(ctx context.Context, list []ReminderCheck) error {
	var orgs, ids, dorgs, dids []int64
	var ats []time.Time
	for _, c := range list {
		if c.At == nil {
			dorgs, dids = append(dorgs, c.OrganisationID), append(dids, c.CaseID)
			continue
		}
		orgs, ids, ats = append(orgs, c.OrganisationID), append(ids, c.CaseID), append(ats, *c.At)
	}
	if len(ids) > 0 {
		if _, err := q.db.Exec(ctx, `
			UPDATE case_reminder_checks k SET check_at = u.at
			FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) AS u(org, id, at)
			WHERE k.organisation_id = u.org AND k.case_id = u.id`, orgs, ids, ats); err != nil {
			return fmt.Errorf("set reminder checks: %w", err)
		}
	}
	if len(dids) > 0 {
		if _, err := q.db.Exec(ctx, `
			DELETE FROM case_reminder_checks k USING unnest($1::bigint[], $2::bigint[]) AS u(org, id)
			WHERE k.organisation_id = u.org AND k.case_id = u.id`, dorgs, dids); err != nil {
			return fmt.Errorf("set reminder checks: %w", err)
		}
	}
	return nil
}

// NewReminder is a reminder row to record.
type NewReminder struct {
	OrganisationID, CaseID int64
	Kind, Threshold        string
	Due                    time.Time
	Notified               bool
}

// AddReminders records many reminders in one statement and returns those
// inserted (a row recorded before, by this server or another, is left out:
// the caller sends nothing for it). Rows go in key order, so two scans
// inserting overlapping lists wait for each other instead of deadlocking.
func (q *Queries) AddReminders(ctx context.Context, list []NewReminder, at time.Time) ([]NewReminder, error) {
	if len(list) == 0 {
		return nil, nil
	}
	n := len(list)
	orgs, ids, kinds, ths, dues, notified := make([]int64, n), make([]int64, n), make([]string, n), make([]string, n), make([]time.Time, n), make([]bool, n)
	for i, r := range list {
		orgs[i], ids[i], kinds[i], ths[i], dues[i], notified[i] = r.OrganisationID, r.CaseID, r.Kind, r.Threshold, r.Due, r.Notified
	}
	rows, err := q.db.Query(ctx, `
		INSERT INTO case_reminders (organisation_id, case_id, kind, threshold, due_at, created_at, notified)
		SELECT u.org, u.id, u.kind, u.th, u.due, $7, u.notified
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::boolean[]) AS u(org, id, kind, th, due, notified)
		ORDER BY u.org, u.id, u.kind, u.th
		ON CONFLICT DO NOTHING
		RETURNING organisation_id, case_id, kind, threshold, due_at, notified`, orgs, ids, kinds, ths, dues, notified, at)
	if err != nil {
		return nil, fmt.Errorf("add reminders: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (NewReminder, error) {
		var m NewReminder
		err := r.Scan(&m.OrganisationID, &m.CaseID, &m.Kind, &m.Threshold, &m.Due, &m.Notified)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("add reminders: %w", err)
	}
	return out, nil
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
