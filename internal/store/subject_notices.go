package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// SaveSubjectsDraft stores the officer's draft of the notice to the data
// subjects (step 7). A changed draft loses its approval; keepApproval says
// the content did not change. A notice that was sent is never changed; an
// earlier draft stays as an earlier version.
func (q *Queries) SaveSubjectsDraft(ctx context.Context, orgID, caseID, by int64, n incident.SubjectsNotice, at time.Time, keepApproval bool) error {
	if err := q.keepVersion(ctx, recordNotice, orgID, caseID); err != nil {
		return err
	}
	tag, err := q.db.Exec(ctx, `
		INSERT INTO case_subject_notices (organisation_id, case_id, channel, public_reason, recipient_groups, recipients_count,
			subject, body, nature, consequences, measures_taken, measures_recipient, officer_contact, school_contact, signature,
			drafted_at, drafted_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		ON CONFLICT (organisation_id, case_id) DO UPDATE SET
			channel = EXCLUDED.channel, public_reason = EXCLUDED.public_reason, recipient_groups = EXCLUDED.recipient_groups,
			recipients_count = EXCLUDED.recipients_count, subject = EXCLUDED.subject, body = EXCLUDED.body,
			nature = EXCLUDED.nature, consequences = EXCLUDED.consequences, measures_taken = EXCLUDED.measures_taken,
			measures_recipient = EXCLUDED.measures_recipient, officer_contact = EXCLUDED.officer_contact,
			school_contact = EXCLUDED.school_contact, signature = EXCLUDED.signature,
			drafted_at = EXCLUDED.drafted_at, drafted_by = EXCLUDED.drafted_by,
			approved_at = CASE WHEN $18 THEN case_subject_notices.approved_at END,
			approved_by = CASE WHEN $18 THEN case_subject_notices.approved_by END
		WHERE case_subject_notices.sent_at IS NULL`,
		orgID, caseID, n.Channel, n.PublicReason, n.Groups, n.RecipientsCount, n.Subject, n.Body, n.Nature, n.Consequences,
		n.MeasuresTaken, n.MeasuresRecipient, n.OfficerContact, n.SchoolContact, n.Signature, at, by, keepApproval)
	if err != nil {
		return fmt.Errorf("save subjects draft: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.Conflictf("Het bericht aan de betrokkenen is al verzonden en kan niet meer worden aangepast.")
	}
	return q.keepVersion(ctx, recordNotice, orgID, caseID)
}

// SubjectsNotice loads the notice to the data subjects; ok is false before
// the first draft.
func (q *Queries) SubjectsNotice(ctx context.Context, orgID, caseID int64) (incident.SubjectsNotice, bool, error) {
	var n incident.SubjectsNotice
	var approvedBy, sentBy *string
	err := q.db.QueryRow(ctx, `
		SELECT s.channel, s.public_reason, s.recipient_groups, s.recipients_count, s.subject, s.body, s.nature, s.consequences,
		       s.measures_taken, s.measures_recipient, s.officer_contact, s.school_contact, s.signature,
		       s.drafted_at, d.name, s.drafted_by, s.approved_at, a.name, s.self_approval_reason, s.sent_at, x.name
		FROM case_subject_notices s
		JOIN users d ON d.organisation_id = s.organisation_id AND d.id = s.drafted_by
		LEFT JOIN users a ON a.organisation_id = s.organisation_id AND a.id = s.approved_by
		LEFT JOIN users x ON x.organisation_id = s.organisation_id AND x.id = s.sent_by
		WHERE s.organisation_id = $1 AND s.case_id = $2`, orgID, caseID).
		Scan(&n.Channel, &n.PublicReason, &n.Groups, &n.RecipientsCount, &n.Subject, &n.Body, &n.Nature, &n.Consequences,
			&n.MeasuresTaken, &n.MeasuresRecipient, &n.OfficerContact, &n.SchoolContact, &n.Signature,
			&n.DraftedAt, &n.DraftedBy, &n.DraftedByID, &n.ApprovedAt, &approvedBy, &n.SelfApprovalReason, &n.SentAt, &sentBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return n, false, nil
	}
	if err != nil {
		return n, false, fmt.Errorf("subjects notice: %w", err)
	}
	if approvedBy != nil {
		n.ApprovedBy = *approvedBy
	}
	if sentBy != nil {
		n.SentBy = *sentBy
	}
	return n, true, nil
}

// ApproveSubjectsNotice records the approval of the current draft, with the
// reason when the drafter approves it themselves. Zero rows means there is no
// draft waiting for approval (or the drafter approves without a reason): a
// conflict.
func (q *Queries) ApproveSubjectsNotice(ctx context.Context, orgID, caseID, by int64, selfReason string, at time.Time) error {
	tag, err := q.db.Exec(ctx, `
		UPDATE case_subject_notices SET approved_at = $3, approved_by = $4,
			self_approval_reason = CASE WHEN drafted_by = $4 THEN $5 ELSE '' END
		WHERE organisation_id = $1 AND case_id = $2 AND approved_at IS NULL AND sent_at IS NULL
		  AND (drafted_by <> $4 OR $5 <> '')`, orgID, caseID, at, by, selfReason)
	if err != nil {
		return fmt.Errorf("approve subjects notice: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.Conflictf("Er is geen bericht aan de betrokkenen dat op goedkeuring wacht. Bekijk de melding opnieuw.")
	}
	return nil
}

// RecordSubjectsSent records when the approved notice was sent. Zero rows
// means it was not approved, or already sent: a conflict.
func (q *Queries) RecordSubjectsSent(ctx context.Context, orgID, caseID, by int64, sentAt time.Time) error {
	tag, err := q.db.Exec(ctx, `
		UPDATE case_subject_notices SET sent_at = $3, sent_by = $4
		WHERE organisation_id = $1 AND case_id = $2 AND approved_at IS NOT NULL AND sent_at IS NULL`, orgID, caseID, sentAt, by)
	if err != nil {
		return fmt.Errorf("record subjects sent: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.Conflictf("Het bericht aan de betrokkenen is nog niet goedgekeurd, of de verzending is al vastgelegd. Bekijk de melding opnieuw.")
	}
	return nil
}
