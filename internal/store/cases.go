package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// ErrDuplicateSubmission means the same form was submitted before; the
// service then returns the case created the first time.
var ErrDuplicateSubmission = errors.New("duplicate submission")

// CaseBySubmission finds the case a reporter created with a submission key.
func (q *Queries) CaseBySubmission(ctx context.Context, orgID, reporterID int64, key string) (int64, incident.Number, error) {
	var id int64
	var n incident.Number
	err := q.db.QueryRow(ctx, `
		SELECT id, year, seq FROM cases
		WHERE organisation_id = $1 AND reporter_id = $2 AND submission_key = $3`, orgID, reporterID, key).
		Scan(&id, &n.Year, &n.Seq)
	if err != nil {
		return 0, n, notFound(err, "case by submission", "Deze melding bestaat niet.")
	}
	return id, n, nil
}

// NextNumber hands out the next case number of an organisation in a year.
// The counter row is locked until the transaction ends, so concurrent
// reports get distinct, gapless numbers.
func (q *Queries) NextNumber(ctx context.Context, orgID int64, year int) (incident.Number, error) {
	n := incident.Number{Year: year}
	err := q.db.QueryRow(ctx, `
		INSERT INTO case_counters (organisation_id, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (organisation_id, year) DO UPDATE SET last = case_counters.last + 1
		RETURNING last`, orgID, year).Scan(&n.Seq)
	if err != nil {
		return n, fmt.Errorf("next number: %w", err)
	}
	return n, nil
}

// NewCase is a case as it is first stored.
type NewCase struct {
	OrganisationID int64
	Number         incident.Number
	ReporterID     int64
	SubmissionKey  string
	ReportedAt     time.Time
	Report         incident.Report
}

// InsertCase stores a new report; ErrDuplicateSubmission when the key was used.
func (q *Queries) InsertCase(ctx context.Context, c NewCase) (int64, error) {
	r := c.Report
	var id int64
	err := q.db.QueryRow(ctx, `
		INSERT INTO cases (organisation_id, year, seq, school_id, reporter_id, submission_key, status, reported_at,
			what_happened, occurred_from, occurred_until, discovered_at, carriers, systems, personal_data,
			data_kinds, subjects_estimate, subject_groups, ongoing, actions_taken, contact_phone, contact_note, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $8)
		RETURNING id`,
		c.OrganisationID, c.Number.Year, c.Number.Seq, r.SchoolID, c.ReporterID, c.SubmissionKey, incident.StatusNew, c.ReportedAt,
		r.WhatHappened, r.OccurredFrom, r.OccurredUntil, r.DiscoveredAt, nonNil(r.Carriers), r.Systems, r.PersonalData,
		nonNil(r.DataKinds), r.SubjectsEstimate, nonNil(r.SubjectGroups), r.Ongoing, r.ActionsTaken, r.ContactPhone, r.ContactNote,
	).Scan(&id)
	if code, constraint := pgCode(err); code == codeUniqueViolation && constraint == "cases_organisation_id_reporter_id_submission_key_key" {
		return 0, ErrDuplicateSubmission
	} else if code == codeForeignKeyViolation {
		return 0, &apperr.Error{Kind: apperr.Invalid, Message: "Kies een school van uw organisatie.",
			Fields: map[string]string{"school": "Kies een school uit de lijst."}, Err: err}
	}
	if err != nil {
		return 0, fmt.Errorf("insert case: %w", err)
	}
	return id, nil
}

// ReportCase stores a new report with its case number and its first
// timeline entry in one statement (the report POST's cost, issue 13): when
// the reporter sent this form before (the same submission key) it stores
// nothing and returns that case with again true. The number comes from the
// organisation's counter for the year, whose row stays locked until the
// transaction ends, so concurrent reports get distinct, gapless numbers; a
// concurrent duplicate fails with ErrDuplicateSubmission.
func (q *Queries) ReportCase(ctx context.Context, c NewCase, summary string) (id int64, n incident.Number, again bool, err error) {
	r := c.Report
	err = q.db.QueryRow(ctx, `
		WITH existing AS (
			SELECT id, year, seq FROM cases WHERE organisation_id = $1 AND reporter_id = $4 AND submission_key = $5
		), counter AS (
			INSERT INTO case_counters (organisation_id, year, last)
			SELECT $1, $2, 1 WHERE NOT EXISTS (SELECT 1 FROM existing)
			ON CONFLICT (organisation_id, year) DO UPDATE SET last = case_counters.last + 1
			RETURNING last
		), inserted AS (
			INSERT INTO cases (organisation_id, year, seq, school_id, reporter_id, submission_key, status, reported_at,
				what_happened, occurred_from, occurred_until, discovered_at, carriers, systems, personal_data,
				data_kinds, subjects_estimate, subject_groups, ongoing, actions_taken, contact_phone, contact_note, updated_at)
			SELECT $1, $2, counter.last, $3::bigint, $4, $5::uuid, $6::text, $7::timestamptz, $8::text, $9::timestamptz, $10::timestamptz,
				$11::timestamptz, $12::text[], $13::text, $14::text, $15::text[], $16::integer, $17::text[], $18::text, $19::text,
				$20::text, $21::text, $7::timestamptz
			FROM counter
			RETURNING id, year, seq
		), event AS (
			INSERT INTO case_events (organisation_id, case_id, at, actor_id, kind, summary)
			SELECT $1, id, $7::timestamptz, $4, $22::text, $23::text FROM inserted
		)
		SELECT id, year, seq, false FROM inserted
		UNION ALL
		SELECT id, year, seq, true FROM existing`,
		c.OrganisationID, c.Number.Year, r.SchoolID, c.ReporterID, c.SubmissionKey, incident.StatusNew, c.ReportedAt,
		r.WhatHappened, r.OccurredFrom, r.OccurredUntil, r.DiscoveredAt, nonNil(r.Carriers), r.Systems, r.PersonalData,
		nonNil(r.DataKinds), r.SubjectsEstimate, nonNil(r.SubjectGroups), r.Ongoing, r.ActionsTaken, r.ContactPhone, r.ContactNote,
		incident.EventReported, summary,
	).Scan(&id, &n.Year, &n.Seq, &again)
	if code, constraint := pgCode(err); code == codeUniqueViolation && constraint == "cases_organisation_id_reporter_id_submission_key_key" {
		return 0, n, false, ErrDuplicateSubmission
	} else if code == codeForeignKeyViolation {
		return 0, n, false, &apperr.Error{Kind: apperr.Invalid, Message: "Kies een school van uw organisatie.",
			Fields: map[string]string{"school": "Kies een school uit de lijst."}, Err: err}
	}
	if err != nil {
		return 0, n, false, fmt.Errorf("report case: %w", err)
	}
	return id, n, again, nil
}

const caseColumns = `
	c.id, c.organisation_id, c.year, c.seq, c.school_id, coalesce(s.name, ''), c.reporter_id, CASE WHEN c.anonymised_at IS NULL THEN u.name ELSE 'Melder (verwijderd na de bewaartermijn)' END,
	CASE WHEN c.anonymised_at IS NULL THEN u.email ELSE '' END,
	c.status, c.reported_at, c.updated_at, c.what_happened, c.occurred_from, c.occurred_until, c.discovered_at,
	c.carriers, c.systems, c.personal_data, c.data_kinds, c.subjects_estimate, c.subject_groups, c.ongoing,
	c.actions_taken, c.contact_phone, c.contact_note,
	c.technician_id, coalesce(t.name, ''), c.clock_start,
	c.aware_at IS NOT NULL, c.aware_reason,
	coalesce(c.outcome, ''), c.outcome_reason, c.closed_at,
	EXISTS (SELECT 1 FROM case_imports ci WHERE ci.organisation_id = c.organisation_id AND ci.case_id = c.id),
	coalesce(cs.kind, ''), coalesce(cs.reporter_role, ''), coalesce(cs.name, ''), coalesce(cs.email, ''), coalesce(cs.phone, ''),
	coalesce(cs.anonymous, false), coalesce(cs.wants_contact, false), coalesce(cs.channel, ''), cs.entered_by,
	coalesce((SELECT eb.name FROM users eb WHERE eb.organisation_id = c.organisation_id AND eb.id = cs.entered_by), '')`

const caseFrom = `
	FROM cases c
	JOIN users u ON u.id = c.reporter_id
	LEFT JOIN schools s ON s.id = c.school_id
	LEFT JOIN users t ON t.id = c.technician_id
	LEFT JOIN case_sources cs ON cs.organisation_id = c.organisation_id AND cs.case_id = c.id`

func scanCase(row pgx.Row) (incident.Case, error) {
	var c incident.Case
	r := &c.Report
	err := row.Scan(&c.ID, &c.OrganisationID, &c.Number.Year, &c.Number.Seq, &c.SchoolID, &c.SchoolName,
		&c.ReporterID, &c.ReporterName, &c.ReporterEmail, &c.Status, &c.ReportedAt, &c.UpdatedAt,
		&r.WhatHappened, &r.OccurredFrom, &r.OccurredUntil, &r.DiscoveredAt, &r.Carriers, &r.Systems,
		&r.PersonalData, &r.DataKinds, &r.SubjectsEstimate, &r.SubjectGroups, &r.Ongoing, &r.ActionsTaken,
		&r.ContactPhone, &r.ContactNote,
		&c.TechnicianID, &c.TechnicianName, &c.AwareAt, &c.AwareSet, &c.AwareReason, &c.Outcome, &c.OutcomeReason, &c.ClosedAt,
		&c.Imported,
		&c.Source.Kind, &c.Source.Role, &c.Source.Name, &c.Source.Email, &c.Source.Phone,
		&c.Source.Anonymous, &c.Source.WantsContact, &c.Source.Channel, &c.Source.EnteredByID, &c.Source.EnteredBy)
	r.SchoolID = c.SchoolID
	// A report from outside, or entered by the desk, has the organisation's
	// stand-in account as reporter: the page names who really reported.
	if err == nil && c.Source.Kind != incident.SourceStaff && c.ReporterName != anonymisedReporter {
		c.ReporterName, c.ReporterEmail = c.Source.ReporterLabel(), c.Source.Email
	}
	return c, err
}

// Case loads one case of the organisation.
func (q *Queries) Case(ctx context.Context, orgID, id int64) (incident.Case, error) {
	c, err := scanCase(q.db.QueryRow(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.organisation_id = $1 AND c.id = $2`, orgID, id))
	if err != nil {
		return c, notFound(err, "case", "Deze melding bestaat niet, of u mag haar niet inzien.")
	}
	return c, nil
}

const anonymisedReporter = "Melder (verwijderd na de bewaartermijn)"

const summaryColumns = `c.id, c.year, c.seq, coalesce(s.name, ''),
	CASE WHEN c.anonymised_at IS NOT NULL THEN 'Melder (verwijderd na de bewaartermijn)'
		WHEN cs.kind = 'public' THEN 'Melding van buiten'
		WHEN cs.kind = 'processor' THEN 'Verwerker: ' || cs.name
		WHEN cs.kind = 'desk' THEN cs.name || ' (via het meldpunt)'
		ELSE u.name END,
	c.status, c.reported_at, left(c.what_happened, 160), c.personal_data, coalesce(cs.kind, '')`

func scanSummary(r pgx.CollectableRow) (incident.Summary, error) {
	var s incident.Summary
	err := r.Scan(&s.ID, &s.Number.Year, &s.Number.Seq, &s.SchoolName, &s.ReporterName, &s.Status, &s.ReportedAt, &s.Excerpt, &s.PersonalData, &s.Source)
	return s, err
}

// CasesByReporter lists the cases one user reported, newest first. Cases
// imported from an Excel register are left out: their importer stands in as
// reporter but did not report them.
func (q *Queries) CasesByReporter(ctx context.Context, orgID, reporterID int64) ([]incident.Summary, error) {
	rows, err := q.db.Query(ctx, `SELECT `+summaryColumns+caseFrom+`
		WHERE c.organisation_id = $1 AND c.reporter_id = $2
		  AND NOT EXISTS (SELECT 1 FROM case_imports ci WHERE ci.organisation_id = c.organisation_id AND ci.case_id = c.id)
		ORDER BY c.reported_at DESC, c.id DESC LIMIT 500`, orgID, reporterID)
	if err != nil {
		return nil, fmt.Errorf("cases by reporter: %w", err)
	}
	return pgx.CollectRows(rows, scanSummary)
}

// CasesInStatus lists the organisation's cases in a status within a scope
// of schools, newest first.
func (q *Queries) CasesInStatus(ctx context.Context, orgID int64, scope access.Scope, status incident.Status) ([]incident.Summary, error) {
	if scope.None() {
		return nil, nil
	}
	rows, err := q.db.Query(ctx, `SELECT `+summaryColumns+caseFrom+`
		WHERE c.organisation_id = $1 AND c.status = $2 AND ($3 OR c.school_id = ANY($4))
		ORDER BY c.reported_at DESC, c.id DESC LIMIT 500`, orgID, status, scope.All, scope.Schools)
	if err != nil {
		return nil, fmt.Errorf("cases in status: %w", err)
	}
	return pgx.CollectRows(rows, scanSummary)
}

// NewEvent is a timeline entry to write.
type NewEvent struct {
	OrganisationID int64
	CaseID         int64
	At             time.Time
	ActorID        *int64
	Kind           string
	Summary        string
	Details        map[string]any
}

// AddEvent writes one timeline entry; call it in the transaction of the change.
func (q *Queries) AddEvent(ctx context.Context, e NewEvent) error {
	details := []byte("{}")
	if len(e.Details) > 0 {
		var err error
		if details, err = json.Marshal(e.Details); err != nil {
			return fmt.Errorf("add event: %w", err)
		}
	}
	_, err := q.db.Exec(ctx, `
		INSERT INTO case_events (organisation_id, case_id, at, actor_id, kind, summary, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.OrganisationID, e.CaseID, e.At, e.ActorID, e.Kind, e.Summary, details)
	if err != nil {
		return fmt.Errorf("add event: %w", err)
	}
	return nil
}

// AddEvents writes many timeline entries in one statement (the reminder
// scan); call it in the transaction of the change.
func (q *Queries) AddEvents(ctx context.Context, list []NewEvent) error {
	if len(list) == 0 {
		return nil
	}
	n := len(list)
	orgs, ids, ats, actors := make([]int64, n), make([]int64, n), make([]time.Time, n), make([]*int64, n)
	kinds, sums, details := make([]string, n), make([]string, n), make([]string, n)
	for i, e := range list {
		d := []byte("{}")
		if len(e.Details) > 0 {
			var err error
			if d, err = json.Marshal(e.Details); err != nil {
				return fmt.Errorf("add events: %w", err)
			}
		}
		orgs[i], ids[i], ats[i], actors[i], kinds[i], sums[i], details[i] = e.OrganisationID, e.CaseID, e.At, e.ActorID, e.Kind, e.Summary, string(d)
	}
	_, err := q.db.Exec(ctx, `
		INSERT INTO case_events (organisation_id, case_id, at, actor_id, kind, summary, details)
		SELECT u.org, u.id, u.at, u.actor, u.kind, u.summary, u.details::jsonb
		FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::bigint[], $5::text[], $6::text[], $7::text[])
			AS u(org, id, at, actor, kind, summary, details)`,
		orgs, ids, ats, actors, kinds, sums, details)
	if err != nil {
		return fmt.Errorf("add events: %w", err)
	}
	return nil
}

// Events returns a case's timeline, oldest first.
func (q *Queries) Events(ctx context.Context, orgID, caseID int64) ([]incident.Event, error) {
	rows, err := q.db.Query(ctx, `
		SELECT e.id, e.at, e.actor_id, coalesce(u.name, 'Lekwacht'), e.kind, e.summary
		FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.organisation_id = $1 AND e.case_id = $2
		ORDER BY e.at, e.id`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.Event, error) {
		var e incident.Event
		err := r.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.Kind, &e.Summary)
		return e, err
	})
}

// nonNil turns a nil slice into an empty one: pgx sends nil as NULL, and the
// lists of a case are never NULL.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WorkFilter selects the open cases of someone's work list.
type WorkFilter struct {
	Statuses []incident.Status
	Scope    access.Scope
	// Technician, when set, selects the cases assigned to that technician
	// whose repair is not completed, whatever Statuses and Scope say.
	Technician int64
	// BoardUninformed keeps only cases on which no board member recorded
	// being informed yet.
	BoardUninformed bool
	// NoticeToApprove keeps only cases whose notice to data subjects is
	// drafted and not yet approved.
	NoticeToApprove bool
}

// SetNoConfirmationReason records why a case notified to the AP closes
// without the AP's confirmation attached (issue 9.6).
func (q *Queries) SetNoConfirmationReason(ctx context.Context, orgID, id int64, reason string) error {
	if _, err := q.db.Exec(ctx, `UPDATE cases SET no_confirmation_reason = $3 WHERE organisation_id = $1 AND id = $2`, orgID, id, reason); err != nil {
		return fmt.Errorf("no confirmation reason: %w", err)
	}
	return nil
}
