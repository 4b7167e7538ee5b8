package store

import (
	"context"
	"fmt"
	"time"
)

// Removed is the text left where free text about people was, in columns
// that may not be empty.
const Removed = "[verwijderd na de bewaartermijn]"

// ExpiredCase is a closed case whose organisation's retention period has
// passed while its personal data are still there.
type ExpiredCase struct {
	OrganisationID, CaseID int64
	Year, Seq              int
	ClosedAt               time.Time
	RetentionYears         int
}

// ExpiredCases returns the closed cases closed longer ago than their
// organisation's retention period at now, oldest first, at most limit.
func (q *Queries) ExpiredCases(ctx context.Context, now time.Time, limit int) ([]ExpiredCase, error) {
	rows, err := q.db.Query(ctx, `
		SELECT c.organisation_id, c.id, c.year, c.seq, c.closed_at, o.retention_years
		FROM cases c JOIN organisations o ON o.id = c.organisation_id
		WHERE c.status = 'closed' AND c.anonymised_at IS NULL AND c.closed_at IS NOT NULL
		  AND c.closed_at < $1::timestamptz - make_interval(years => o.retention_years)
		ORDER BY c.closed_at, c.id LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("expired cases: %w", err)
	}
	defer rows.Close()
	var out []ExpiredCase
	for rows.Next() {
		var e ExpiredCase
		if err := rows.Scan(&e.OrganisationID, &e.CaseID, &e.Year, &e.Seq, &e.ClosedAt, &e.RetentionYears); err != nil {
			return nil, fmt.Errorf("expired cases: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Anonymised counts what AnonymiseCase removed.
type Anonymised struct {
	Attachments, Recipients, Questions, Mails int64
	// Events is how many timeline rows lost their text; they stay in the
	// hash chain with their hashes (migration 00036).
	Events int64
}

// AnonymiseCase removes the personal data of one closed case and marks it
// anonymised; ok is false when the case is no longer closed or was already
// anonymised (another server ran first), and then nothing changes. The
// columns are listed in docs/security.md ("Bewaartermijn"); keep both in step.
func (q *Queries) AnonymiseCase(ctx context.Context, orgID, caseID int64, now time.Time) (n Anonymised, ok bool, err error) {
	tag, err := q.db.Exec(ctx, `
		UPDATE cases SET what_happened = $3, contact_phone = '', contact_note = '', anonymised_at = $4
		WHERE organisation_id = $1 AND id = $2 AND status = 'closed' AND anonymised_at IS NULL`, orgID, caseID, Removed, now)
	if err != nil {
		return n, false, fmt.Errorf("anonymise case: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return n, false, nil
	}
	exec := func(sql string, args ...any) (int64, error) {
		tag, err := q.db.Exec(ctx, sql, append([]any{orgID, caseID}, args...)...)
		if err != nil {
			return 0, fmt.Errorf("anonymise case: %w", err)
		}
		return tag.RowsAffected(), nil
	}
	// The recorded versions are append-only except for this job (migration 00028).
	if _, err := q.db.Exec(ctx, `SELECT set_config('lekwacht.retention', 'on', true)`); err != nil {
		return n, false, fmt.Errorf("anonymise case: %w", err)
	}
	steps := []struct {
		count *int64
		sql   string
		args  []any
	}{
		{nil, `UPDATE case_inventories SET summary = '', sensitive_note = '', chain_note = '' WHERE organisation_id = $1 AND case_id = $2`, nil},
		{&n.Questions, `UPDATE case_questions SET question = $3, answer = CASE WHEN answer IS NULL THEN NULL ELSE $3 END
			WHERE organisation_id = $1 AND case_id = $2`, []any{Removed}},
		{nil, `UPDATE case_assessments SET notice_plan = '' WHERE organisation_id = $1 AND case_id = $2`, nil},
		{nil, `UPDATE case_board_notes SET view = '' WHERE organisation_id = $1 AND case_id = $2`, nil},
		{nil, `UPDATE case_notifications SET content = '' WHERE organisation_id = $1 AND case_id = $2`, nil},
		{nil, `UPDATE case_subject_notices SET body = $3, signature = '' WHERE organisation_id = $1 AND case_id = $2`, []any{Removed}},
		// The letters for each reader, the public notice and the press statement (issue 10.4).
		{nil, `UPDATE case_letters SET body = $3 WHERE organisation_id = $1 AND case_id = $2`, []any{Removed}},
		{&n.Recipients, `DELETE FROM case_subject_recipients WHERE organisation_id = $1 AND case_id = $2`, nil},
		{nil, `UPDATE case_subject_mailings SET text_body = $3, html_body = $3 WHERE organisation_id = $1 AND case_id = $2`, []any{Removed}},
		{&n.Mails, `UPDATE mail_messages SET text_body = $3, html_body = $3 WHERE organisation_id = $1 AND case_id = $2 AND status <> 'queued'`, []any{Removed}},
		{nil, `UPDATE user_messages SET body = $3 WHERE organisation_id = $1 AND case_id = $2`, []any{Removed}},
		// Who reported from outside or through the desk: name and contact (issue 12).
		{nil, `UPDATE case_sources SET name = '', email = '', phone = '' WHERE organisation_id = $1 AND case_id = $2`, nil},
		{nil, `UPDATE case_imports SET original = '[]', reporter_name = '' WHERE organisation_id = $1 AND case_id = $2`, nil},
		// The Inspectie: whether and when stay for the register (issue 10.4).
		{nil, `UPDATE case_inspectorate SET reason = CASE WHEN informed THEN '' ELSE $3 END WHERE organisation_id = $1 AND case_id = $2`, []any{Removed}},
		{nil, `UPDATE case_assessment_versions SET notice_plan = '' WHERE organisation_id = $1 AND case_id = $2`, nil},
		{nil, `DELETE FROM case_decision_drafts WHERE organisation_id = $1 AND case_id = $2`, nil},
		{nil, `UPDATE case_record_versions SET data = data || jsonb_build_object('summary', '', 'sensitive_note', '', 'chain_note', '')
			WHERE organisation_id = $1 AND case_id = $2 AND record = 'inventory'`, nil},
		{nil, `UPDATE case_record_versions SET data = data || jsonb_build_object('body', $3::text, 'signature', '')
			WHERE organisation_id = $1 AND case_id = $2 AND record = 'subjects_notice'`, []any{Removed}},
		{&n.Attachments, `DELETE FROM case_attachments WHERE organisation_id = $1 AND case_id = $2 AND kind <> 'ap_confirmation'`, nil},
	}
	for _, st := range steps {
		c, err := exec(st.sql, st.args...)
		if err != nil {
			return n, false, err
		}
		if st.count != nil {
			*st.count = c
		}
	}
	// The timeline's free text (a question's addressee, a reason typed) goes
	// too; the rows stay in the chain with their hashes.
	if err := q.db.QueryRow(ctx, `SELECT purge_case_events($1, $2, $3, $4)`, orgID, caseID, Removed, now).Scan(&n.Events); err != nil {
		return n, false, fmt.Errorf("anonymise case: %w", err)
	}
	if _, err := q.db.Exec(ctx, `SELECT set_config('lekwacht.retention', '', true)`); err != nil {
		return n, false, fmt.Errorf("anonymise case: %w", err)
	}
	return n, true, nil
}

// DeleteUnusedImports removes every import upload never imported and
// uploaded before before, in all organisations.
func (q *Queries) DeleteUnusedImports(ctx context.Context, before time.Time) (int64, error) {
	tag, err := q.db.Exec(ctx, `DELETE FROM register_imports WHERE imported_at IS NULL AND uploaded_at < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("delete unused imports: %w", err)
	}
	return tag.RowsAffected(), nil
}

// RetentionYears returns an organisation's retention period.
func (q *Queries) RetentionYears(ctx context.Context, orgID int64) (int, error) {
	var y int
	if err := q.db.QueryRow(ctx, `SELECT retention_years FROM organisations WHERE id = $1`, orgID).Scan(&y); err != nil {
		return 0, notFound(err, "retention years", "Deze organisatie bestaat niet.")
	}
	return y, nil
}

// SetRetentionYears changes an organisation's retention period.
func (q *Queries) SetRetentionYears(ctx context.Context, orgID int64, years int) error {
	if _, err := q.db.Exec(ctx, `UPDATE organisations SET retention_years = $2 WHERE id = $1`, orgID, years); err != nil {
		return fmt.Errorf("set retention years: %w", err)
	}
	return nil
}
