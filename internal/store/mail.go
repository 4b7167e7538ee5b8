package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/access"
)

// Tx is the transaction these queries run in, or nil outside Transact. The
// job queue (River) inserts its jobs on it, so that a job exists exactly
// when the change that caused it does.
func (q *Queries) Tx() pgx.Tx {
	tx, _ := q.db.(pgx.Tx)
	return tx
}

// NewMail is one mail for the outbox.
type NewMail struct {
	OrganisationID int64
	CaseID         *int64
	UserID         *int64
	Kind           string
	// OutboxKey identifies the mail for good: the same key is the same mail
	// (inserting it twice stores it once). The Message-ID derives from it.
	OutboxKey string
	MessageID string
	Recipient string
	Subject   string
	Text      string
	HTML      string
	At        time.Time
	// InJobQueue: its delivery job goes on the queue in the same
	// transaction; false leaves it waiting in the outbox (no SMTP server).
	InJobQueue bool
}

// InsertMail writes a mail to the outbox; inserted is false when a mail with
// the same key was stored before.
func (q *Queries) InsertMail(ctx context.Context, m NewMail) (id int64, inserted bool, err error) {
	err = q.db.QueryRow(ctx, `
		INSERT INTO mail_messages (organisation_id, case_id, user_id, kind, outbox_key, message_id, recipient, subject, text_body, html_body, created_at, in_job_queue)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (outbox_key) DO NOTHING RETURNING id`,
		m.OrganisationID, m.CaseID, m.UserID, m.Kind, m.OutboxKey, m.MessageID, m.Recipient, m.Subject, m.Text, m.HTML, m.At, m.InJobQueue).Scan(&id)
	if err == pgx.ErrNoRows {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("insert mail: %w", err)
	}
	return id, true, nil
}

// InsertMails writes many mails to the outbox in one statement and returns
// the id of each one inserted, by outbox key; a key stored before is absent.
func (q *Queries) InsertMails(ctx context.Context, list []NewMail) (map[string]int64, error) {
	n := len(list)
	org, kind, key, msgID, rcpt, subj, text, html := make([]int64, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	caseID, userID, at, inQueue := make([]*int64, n), make([]*int64, n), make([]time.Time, n), make([]bool, n)
	for i, m := range list {
		org[i], caseID[i], userID[i], kind[i], key[i], msgID[i] = m.OrganisationID, m.CaseID, m.UserID, m.Kind, m.OutboxKey, m.MessageID
		rcpt[i], subj[i], text[i], html[i], at[i], inQueue[i] = m.Recipient, m.Subject, m.Text, m.HTML, m.At, m.InJobQueue
	}
	rows, err := q.db.Query(ctx, `
		INSERT INTO mail_messages (organisation_id, case_id, user_id, kind, outbox_key, message_id, recipient, subject, text_body, html_body, created_at, in_job_queue)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::text[], $10::text[], $11::timestamptz[], $12::boolean[])
		ON CONFLICT (outbox_key) DO NOTHING RETURNING id, outbox_key`,
		org, caseID, userID, kind, key, msgID, rcpt, subj, text, html, at, inQueue)
	if err != nil {
		return nil, fmt.Errorf("insert mails: %w", err)
	}
	ids := make(map[string]int64, n)
	var id int64
	var k string
	if _, err := pgx.ForEachRow(rows, []any{&id, &k}, func() error { ids[k] = id; return nil }); err != nil {
		return nil, fmt.Errorf("insert mails: %w", err)
	}
	return ids, nil
}

// Mail is a mail in the outbox as the worker sees it.
type Mail struct {
	ID             int64
	OrganisationID int64
	CaseID         *int64
	Kind           string
	MessageID      string
	Recipient      string // "" once delivery is final
	Subject        string
	Text, HTML     string
	Status         string
	Attempts       int
}

// MailForDelivery loads a mail for the worker that delivers it.
func (q *Queries) MailForDelivery(ctx context.Context, id int64) (Mail, error) {
	var m Mail
	var rcpt *string
	err := q.db.QueryRow(ctx, `
		SELECT id, organisation_id, case_id, kind, message_id, recipient, subject, text_body, html_body, status, attempts
		FROM mail_messages WHERE id = $1`, id).
		Scan(&m.ID, &m.OrganisationID, &m.CaseID, &m.Kind, &m.MessageID, &rcpt, &m.Subject, &m.Text, &m.HTML, &m.Status, &m.Attempts)
	if rcpt != nil {
		m.Recipient = *rcpt
	}
	if err != nil {
		return m, notFound(err, "mail for delivery", "Dit bericht bestaat niet.")
	}
	return m, nil
}

// SecretMailKinds are the kinds of mail whose text holds a secret: an
// outside reporter's follow-up code and a one-time password link (of both,
// only the hash is kept elsewhere). Once delivered, their text is erased, so
// the outbox is no second place to read a working link from (issue 12).
var SecretMailKinds = []string{"outside_code", "password_link"}

// MailAttempted counts a failed attempt with its (address-free) error.
func (q *Queries) MailAttempted(ctx context.Context, id int64, lastErr string) error {
	_, err := q.db.Exec(ctx, `UPDATE mail_messages SET attempts = attempts + 1, last_error = $2 WHERE id = $1 AND status = 'queued'`, id, lastErr)
	if err != nil {
		return fmt.Errorf("mail attempted: %w", err)
	}
	return nil
}

// MailFinal records the final status of a mail (sent, bounced or failed)
// and erases its address: it is kept only as long as delivery needs it. A
// mail that carries a secret (an outside reporter's follow-up code, of which
// only the hash is kept elsewhere) loses its text as well.
func (q *Queries) MailFinal(ctx context.Context, id int64, status, lastErr string, at time.Time) error {
	_, err := q.db.Exec(ctx, `
		UPDATE mail_messages SET status = $2, last_error = $3, final_at = $4, recipient = NULL,
			text_body = CASE WHEN kind = ANY($5) THEN '[verwijderd na verzending]' ELSE text_body END,
			html_body = CASE WHEN kind = ANY($5) THEN '[verwijderd na verzending]' ELSE html_body END,
			attempts = attempts + 1
		WHERE id = $1 AND status = 'queued'`, id, status, lastErr, at, SecretMailKinds)
	if err != nil {
		return fmt.Errorf("mail final: %w", err)
	}
	return nil
}

// WaitingMails locks and returns the ids of at most limit queued mails with
// no delivery job, oldest first (a scan on another server skips them).
func (q *Queries) WaitingMails(ctx context.Context, limit int) ([]int64, error) {
	rows, err := q.db.Query(ctx, `
		SELECT id FROM mail_messages WHERE status = 'queued' AND NOT in_job_queue
		ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, limit)
	if err != nil {
		return nil, fmt.Errorf("waiting mails: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("waiting mails: %w", err)
	}
	return ids, nil
}

// MarkMailsInJobQueue records whether the mails have a delivery job.
func (q *Queries) MarkMailsInJobQueue(ctx context.Context, ids []int64, in bool) error {
	if _, err := q.db.Exec(ctx, `UPDATE mail_messages SET in_job_queue = $2 WHERE id = ANY($1) AND status = 'queued'`, ids, in); err != nil {
		return fmt.Errorf("mark mails in job queue: %w", err)
	}
	return nil
}

// MailStatus is the delivery of one mail, for tests and the case page.
type MailStatus struct {
	ID        int64
	Kind      string
	UserID    *int64
	Status    string
	Attempts  int
	Recipient string
}

// MailsOfCase lists the mails about a case, oldest first.
func (q *Queries) MailsOfCase(ctx context.Context, orgID, caseID int64) ([]MailStatus, error) {
	rows, err := q.db.Query(ctx, `
		SELECT id, kind, user_id, status, attempts, coalesce(recipient, '') FROM mail_messages
		WHERE organisation_id = $1 AND case_id = $2 ORDER BY id`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("mails of case: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (MailStatus, error) {
		var m MailStatus
		err := r.Scan(&m.ID, &m.Kind, &m.UserID, &m.Status, &m.Attempts, &m.Recipient)
		return m, err
	})
}

// UsersWithRoleFor lists the active users of the organisation holding role
// for the given school: a grant for all schools, or for that school. A case
// without a school reaches only those with a grant for all schools.
func (q *Queries) UsersWithRoleFor(ctx context.Context, orgID int64, role access.Role, schoolID *int64) ([]access.Account, error) {
	rows, err := q.db.Query(ctx, `
		SELECT DISTINCT u.id, u.email, u.name, EXISTS (SELECT FROM people p WHERE p.id = u.person_id AND p.password_hash IS NOT NULL), u.active
		FROM users u JOIN user_roles r ON r.user_id = u.id AND r.organisation_id = u.organisation_id
		WHERE u.organisation_id = $1 AND r.role = $2 AND u.active
		  AND (r.school_id IS NULL OR r.school_id = $3)
		ORDER BY u.name, u.id`, orgID, role, schoolID)
	if err != nil {
		return nil, fmt.Errorf("users with role for school: %w", err)
	}
	return pgx.CollectRows(rows, scanUserRow)
}

// UsersWithRolesFor is UsersWithRoleFor for several roles in one query:
// the users per role.
func (q *Queries) UsersWithRolesFor(ctx context.Context, orgID int64, roles []access.Role, schoolID *int64) (map[access.Role][]access.Account, error) {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	rows, err := q.db.Query(ctx, `
		SELECT DISTINCT r.role, u.id, u.email, u.name, EXISTS (SELECT FROM people p WHERE p.id = u.person_id AND p.password_hash IS NOT NULL), u.active
		FROM users u JOIN user_roles r ON r.user_id = u.id AND r.organisation_id = u.organisation_id
		WHERE u.organisation_id = $1 AND r.role = ANY($2) AND u.active
		  AND (r.school_id IS NULL OR r.school_id = $3)
		ORDER BY r.role, u.name, u.id`, orgID, names, schoolID)
	if err != nil {
		return nil, fmt.Errorf("users with roles for school: %w", err)
	}
	out := make(map[access.Role][]access.Account, len(roles))
	var role string
	var u access.Account
	if _, err := pgx.ForEachRow(rows, []any{&role, &u.ID, &u.Email, &u.Name, &u.HasPassword, &u.Active}, func() error {
		out[access.Role(role)] = append(out[access.Role(role)], u)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("users with roles for school: %w", err)
	}
	return out, nil
}
