package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// ReplaceSubjectRecipients stores the uploaded list of a case whose notice
// has not been mailed: an earlier list not sent is replaced.
func (q *Queries) ReplaceSubjectRecipients(ctx context.Context, orgID, caseID, by int64, list []incident.Recipient, at time.Time) error {
	if _, err := q.db.Exec(ctx, `DELETE FROM case_subject_recipients WHERE organisation_id = $1 AND case_id = $2 AND mail_id IS NULL`,
		orgID, caseID); err != nil {
		return fmt.Errorf("replace recipients: %w", err)
	}
	// One INSERT from arrays, not COPY: PostgreSQL refuses COPY FROM into a
	// table with row-level security (migration 00045). Still one statement
	// and one round trip for the whole list.
	lines := make([]int32, len(list))
	names := make([]string, len(list))
	emails := make([]string, len(list))
	parents := make([]bool, len(list))
	audiences := make([]string, len(list))
	for i, r := range list {
		audience := r.Audience
		if audience == "" {
			audience = incident.AudienceSelf
			if r.ToParent {
				audience = incident.AudienceParent
			}
		}
		lines[i], names[i], emails[i], parents[i], audiences[i] = int32(r.Line), r.Name, r.Email, r.ToParent, string(audience)
	}
	_, err := q.db.Exec(ctx, `
		INSERT INTO case_subject_recipients (organisation_id, case_id, line, name, email, to_parent, audience, uploaded_at, uploaded_by)
		SELECT $1, $2, l, n, e, p, a, $8, $9
		FROM unnest($3::int[], $4::text[], $5::text[], $6::boolean[], $7::text[]) AS r(l, n, e, p, a)`,
		orgID, caseID, lines, names, emails, parents, audiences, at, by)
	if err != nil {
		return fmt.Errorf("replace recipients: %w", err)
	}
	return nil
}

// PendingRecipient is a recipient still to be mailed, with the address.
type PendingRecipient struct {
	ID       int64
	Line     int
	Email    string
	Audience string
}

// PendingRecipients lists (and locks) the recipients of a case not yet mailed.
func (q *Queries) PendingRecipients(ctx context.Context, orgID, caseID int64) ([]PendingRecipient, error) {
	rows, err := q.db.Query(ctx, `
		SELECT id, line, email, audience FROM case_subject_recipients
		WHERE organisation_id = $1 AND case_id = $2 AND mail_id IS NULL ORDER BY line FOR UPDATE`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("pending recipients: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[PendingRecipient])
}

// RecipientsMailed links each recipient (recipientIDs[i]) to its mail in the
// outbox (mailIDs[i]) and erases the address here, in one statement: the
// outbox holds it until delivery is final.
func (q *Queries) RecipientsMailed(ctx context.Context, orgID int64, recipientIDs, mailIDs []int64) error {
	if len(recipientIDs) != len(mailIDs) {
		return fmt.Errorf("recipients mailed: %d recipients, %d mails", len(recipientIDs), len(mailIDs))
	}
	_, err := q.db.Exec(ctx, `UPDATE case_subject_recipients r SET mail_id = x.mail_id, email = NULL
		FROM unnest($2::bigint[], $3::bigint[]) AS x(id, mail_id)
		WHERE r.organisation_id = $1 AND r.id = x.id`, orgID, recipientIDs, mailIDs)
	if err != nil {
		return fmt.Errorf("recipients mailed: %w", err)
	}
	return nil
}

// SubjectRecipients lists a case's recipients with their delivery status,
// in the order of the list; never their addresses.
func (q *Queries) SubjectRecipients(ctx context.Context, orgID, caseID int64) ([]incident.RecipientRow, error) {
	rows, err := q.db.Query(ctx, `
		SELECT r.line, r.name, r.to_parent, r.audience, coalesce(m.status, 'pending')
		FROM case_subject_recipients r LEFT JOIN mail_messages m ON m.id = r.mail_id AND m.organisation_id = r.organisation_id
		WHERE r.organisation_id = $1 AND r.case_id = $2 ORDER BY r.line`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("subject recipients: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.RecipientRow, error) {
		var x incident.RecipientRow
		err := r.Scan(&x.Line, &x.Name, &x.ToParent, &x.Audience, &x.Status)
		return x, err
	})
}

// SaveSubjectMailing archives the notice as mailed.
func (q *Queries) SaveSubjectMailing(ctx context.Context, orgID, caseID, by int64, m incident.SubjectMailing) error {
	_, err := q.db.Exec(ctx, `
		INSERT INTO case_subject_mailings (organisation_id, case_id, subject, text_body, html_body, recipients, sent_at, sent_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, orgID, caseID, m.Subject, m.Text, m.HTML, m.Recipients, m.SentAt, by)
	if code, _ := pgCode(err); code == codeUniqueViolation {
		return errMailedAlready
	}
	if err != nil {
		return fmt.Errorf("save subject mailing: %w", err)
	}
	return nil
}

// SubjectMailing loads the archived mailing of a case; ok is false without one.
func (q *Queries) SubjectMailing(ctx context.Context, orgID, caseID int64) (incident.SubjectMailing, bool, error) {
	var m incident.SubjectMailing
	err := q.db.QueryRow(ctx, `
		SELECT s.subject, s.text_body, s.html_body, s.recipients, s.sent_at, u.name
		FROM case_subject_mailings s JOIN users u ON u.id = s.sent_by
		WHERE s.organisation_id = $1 AND s.case_id = $2`, orgID, caseID).
		Scan(&m.Subject, &m.Text, &m.HTML, &m.Recipients, &m.SentAt, &m.SentBy)
	if err == pgx.ErrNoRows {
		return m, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("subject mailing: %w", err)
	}
	return m, true, nil
}

var errMailedAlready = apperr.Conflictf("Het bericht aan de betrokkenen is al per e-mail verzonden.")

// DropUnsentRecipients deletes the recipients of a case's list that were
// never mailed, with their addresses, and returns how many: once the notice
// went out another way the addresses are no longer needed (issue 5: stored
// only as long as needed).
func (q *Queries) DropUnsentRecipients(ctx context.Context, orgID, caseID int64) (int64, error) {
	tag, err := q.db.Exec(ctx, `DELETE FROM case_subject_recipients
		WHERE organisation_id = $1 AND case_id = $2 AND mail_id IS NULL`, orgID, caseID)
	if err != nil {
		return 0, fmt.Errorf("drop unsent recipients: %w", err)
	}
	return tag.RowsAffected(), nil
}
