package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// AuditEntry is one row of the security log (audit_log): who (ids only),
// from which address, when, did what to which subject and case. It never
// holds users' names or the content of a case; a change of contact details
// holds the details that changed, among them the FG's business contact
// details, which the organisation publishes (issue 10.3).
type AuditEntry struct {
	OrganisationID int64
	At             time.Time
	ActorID        *int64
	Action         string
	SubjectID      int64
	CaseID         *int64
	Address        string
	Details        map[string]any
}

func (e AuditEntry) details() ([]byte, error) {
	if len(e.Details) == 0 {
		return []byte("{}"), nil
	}
	return json.Marshal(e.Details)
}

// AddAuditEntry writes one row of the security log; call it in the
// transaction of the change it records.
func (q *Queries) AddAuditEntry(ctx context.Context, e AuditEntry) error {
	b, err := e.details()
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	_, err = q.db.Exec(ctx, `INSERT INTO audit_log (organisation_id, at, actor_id, action, subject_id, details, address, case_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.OrganisationID, e.At, e.ActorID, e.Action, e.SubjectID, b, e.Address, e.CaseID)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// recordReadSQL writes a read in its own transaction that does not wait for
// the commit to reach the disk: a page view is not worth an fsync, and a
// crash can lose at most the last fraction of a second of reads (never a
// change: those commit durably in their own transactions). Sent as ONE
// simple-protocol message of two statements, which PostgreSQL runs as one
// implicit transaction (SET LOCAL holds within it, and a failure rolls the
// whole back and leaves the connection idle): one round trip.
const recordReadSQL = `SET LOCAL synchronous_commit = off;
INSERT INTO audit_log (organisation_id, at, actor_id, action, subject_id, details, address, case_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`

// RecordRead writes one read of sensitive data (a case page, a dossier, an
// attachment, an export) to the security log, on the pool and outside any
// other transaction, in a single round trip. The hash chain's trigger runs
// as for every row, so a read takes its place in the chain too.
func (s *Store) RecordRead(ctx context.Context, e AuditEntry) error {
	b, err := e.details()
	if err != nil {
		return fmt.Errorf("record read: %w", err)
	}
	sql := recordReadSQL
	if sc, ok := scopeFrom(ctx); ok {
		// The organisation for row-level security (scope.go), in the same
		// message and implicit transaction.
		head, insert, _ := strings.Cut(sql, "\n")
		sql = head + "\n" + sc.literal() + ";\n" + insert
	}
	if _, err := s.pool.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol,
		e.OrganisationID, e.At, e.ActorID, e.Action, e.SubjectID, string(b), e.Address, e.CaseID); err != nil {
		return fmt.Errorf("record read: %w", err)
	}
	return nil
}

// CaseRead is one read of a case in the security log, for the FG's
// "Ingezien door".
type CaseRead struct {
	At        time.Time
	UserID    int64
	UserName  string
	Action    string
	SubjectID int64 // the attachment, for a download
	// Filename is the downloaded attachment's name, while it exists.
	Filename string
	Address  string
}

// CaseReads returns who read a case and when, newest first, at most limit.
func (q *Queries) CaseReads(ctx context.Context, orgID, caseID int64, actions []string, limit int) ([]CaseRead, error) {
	rows, err := q.db.Query(ctx, `
		SELECT a.at, coalesce(a.actor_id, 0), coalesce(u.name, 'Lekwacht'), a.action, coalesce(a.subject_id, 0),
		       coalesce(f.filename, ''), a.address
		FROM audit_log a LEFT JOIN users u ON u.organisation_id = a.organisation_id AND u.id = a.actor_id
		LEFT JOIN case_attachments f ON a.action = 'attachment_downloaded' AND f.organisation_id = a.organisation_id
		     AND f.case_id = a.case_id AND f.id = a.subject_id
		WHERE a.organisation_id = $1 AND a.case_id = $2 AND a.action = ANY($3)
		ORDER BY a.at DESC, a.id DESC LIMIT $4`, orgID, caseID, actions, limit)
	if err != nil {
		return nil, fmt.Errorf("case reads: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CaseRead, error) {
		var c CaseRead
		err := r.Scan(&c.At, &c.UserID, &c.UserName, &c.Action, &c.SubjectID, &c.Filename, &c.Address)
		return c, err
	})
}

// SecurityEvent is one row of an organisation's security log as the FG and
// the administrator read it.
type SecurityEvent struct {
	Seq       int64
	At        time.Time
	ActorID   int64 // 0: nobody signed in (a failed sign-in) or Lekwacht itself
	ActorName string
	Action    string
	SubjectID int64
	// CaseNumber is the case read or changed, "" when none.
	CaseNumber string
	Address    string
}

// EachSecurityEvent calls fn for each row of an organisation's security log,
// newest first, at most limit rows (0: all), reading them as they come
// instead of all at once.
func (q *Queries) EachSecurityEvent(ctx context.Context, orgID int64, limit int, fn func(SecurityEvent) error) error {
	if limit <= 0 {
		limit = 1 << 62
	}
	rows, err := q.db.Query(ctx, `
		SELECT a.chain_seq, a.at, coalesce(a.actor_id, 0), coalesce(u.name, ''), a.action, coalesce(a.subject_id, 0),
		       c.year, c.seq, a.address
		FROM audit_log a
		LEFT JOIN users u ON u.organisation_id = a.organisation_id AND u.id = a.actor_id
		LEFT JOIN cases c ON c.organisation_id = a.organisation_id AND c.id = a.case_id
		WHERE a.organisation_id = $1
		ORDER BY a.chain_seq DESC LIMIT $2`, orgID, limit)
	if err != nil {
		return fmt.Errorf("security log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e SecurityEvent
		var year, seq *int
		if err := rows.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.SubjectID, &year, &seq, &e.Address); err != nil {
			return fmt.Errorf("security log: %w", err)
		}
		if year != nil && seq != nil {
			e.CaseNumber = incident.Number{Year: *year, Seq: *seq}.String()
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("security log: %w", err)
	}
	return nil
}
