package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// RegisterFilter selects the register's entries. Every field is passed to
// the query as a parameter; zero values mean "no filter".
type RegisterFilter struct {
	Scope  access.Scope
	From   *time.Time // reported at or after
	Until  *time.Time // reported before
	School int64
	// Breach is "yes" (outcome breach), "no" (decided, not a breach), "open"
	// (no outcome yet) or "" (all).
	Breach string
	Status incident.Status
	// Text is searched with PostgreSQL's Dutch full-text search in the report
	// and the inventory.
	Text string
	// After is the keyset cursor: entries strictly older than (reported_at, id).
	After *RegisterCursor
	Limit int
}

// RegisterCursor is the position after the last entry of a page.
type RegisterCursor struct {
	ReportedAt time.Time
	ID         int64
}

// The texts searched; the same expressions are indexed in
// migrations/00010_register_search.sql.
const (
	registerCaseText      = `to_tsvector('dutch', c.what_happened || ' ' || c.systems || ' ' || c.actions_taken)`
	registerInventoryText = `to_tsvector('dutch', i.summary || ' ' || i.sensitive_note || ' ' || i.chain_note)`
)

// Register lists entries of the datalekregister, newest first, one query
// per page: the inventory, assessment, initial AP notification and notice to
// data subjects are joined in.
func (q *Queries) Register(ctx context.Context, orgID int64, f RegisterFilter) ([]incident.RegisterEntry, error) {
	if f.Scope.None() {
		return nil, nil
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var afterAt *time.Time
	var afterID int64
	if f.After != nil {
		afterAt, afterID = &f.After.ReportedAt, f.After.ID
	}
	rows, err := q.db.Query(ctx, `
		SELECT c.id, c.year, c.seq, coalesce(s.name, ''), coalesce(nullif(ci.reporter_name, ''), u.name), c.reported_at, c.status,
			coalesce(c.outcome, ''), c.outcome_reason,
			left(coalesce(nullif(i.summary, ''), c.what_happened), 200),
			CASE WHEN cardinality(coalesce(i.data_types, '{}')) > 0 THEN i.data_types ELSE c.data_kinds END,
			n.sent_at, coalesce(n.number, ''),
			a.case_id IS NOT NULL, coalesce(a.notify_authority, false), coalesce(a.authority_reason, ''),
			n.sent_at > coalesce(c.aware_at, c.reported_at) + interval '72 hours',
			sn.sent_at, coalesce(a.notify_subjects, false), coalesce(a.subjects_reason, ''), ci.case_id IS NOT NULL
		FROM cases c
		JOIN users u ON u.id = c.reporter_id
		LEFT JOIN schools s ON s.id = c.school_id
		LEFT JOIN case_inventories i ON i.organisation_id = c.organisation_id AND i.case_id = c.id
		LEFT JOIN case_assessments a ON a.organisation_id = c.organisation_id AND a.case_id = c.id
		LEFT JOIN case_notifications n ON n.organisation_id = c.organisation_id AND n.case_id = c.id AND n.kind = 'initial'
		LEFT JOIN case_subject_notices sn ON sn.organisation_id = c.organisation_id AND sn.case_id = c.id
		LEFT JOIN case_imports ci ON ci.organisation_id = c.organisation_id AND ci.case_id = c.id
		WHERE c.organisation_id = $1
		  AND ($2 OR c.school_id = ANY($3))
		  AND ($4::timestamptz IS NULL OR c.reported_at >= $4)
		  AND ($5::timestamptz IS NULL OR c.reported_at < $5)
		  AND ($6::bigint = 0 OR c.school_id = $6)
		  AND CASE $7::text
		      WHEN 'yes' THEN c.outcome = 'breach'
		      WHEN 'no' THEN c.outcome <> 'breach'
		      WHEN 'open' THEN c.outcome IS NULL
		      ELSE true END
		  AND ($8::text = '' OR c.status = $8)
		  AND ($9::text = '' OR `+registerCaseText+` @@ plainto_tsquery('dutch', $9)
		       OR `+registerInventoryText+` @@ plainto_tsquery('dutch', $9))
		  AND ($10::timestamptz IS NULL OR (c.reported_at, c.id) < ($10, $11::bigint))
		ORDER BY c.reported_at DESC, c.id DESC
		LIMIT $12`,
		orgID, f.Scope.All, f.Scope.Schools, f.From, f.Until, f.School, f.Breach, string(f.Status), f.Text,
		afterAt, afterID, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.RegisterEntry, error) {
		var e incident.RegisterEntry
		err := r.Scan(&e.ID, &e.Number.Year, &e.Number.Seq, &e.SchoolName, &e.ReporterName, &e.ReportedAt, &e.Status,
			&e.Outcome, &e.OutcomeReason, &e.What, &e.DataKinds,
			&e.APNotifiedAt, &e.APNumber, &e.APDecided, &e.APNotify, &e.APReason, &e.APLate,
			&e.SubjectsSentAt, &e.SubjectsNotify, &e.SubjectsReason, &e.Imported)
		e.SubjectsDecided = e.APDecided
		return e, err
	})
}
