package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// NewAttachment is a file to store on a case.
type NewAttachment struct {
	OrganisationID int64
	CaseID         int64
	Kind           incident.AttachmentKind
	Filename       string
	ContentType    string
	SHA256         []byte
	Data           []byte
	UploadedAt     time.Time
	UploadedBy     int64
}

// InsertAttachment stores a file; call it in the transaction that writes its
// timeline entry.
func (q *Queries) InsertAttachment(ctx context.Context, a NewAttachment) (int64, error) {
	var id int64
	err := q.db.QueryRow(ctx, `
		INSERT INTO case_attachments (organisation_id, case_id, kind, filename, content_type, size, sha256, data, uploaded_at, uploaded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		RETURNING id`,
		a.OrganisationID, a.CaseID, a.Kind, a.Filename, a.ContentType, len(a.Data), a.SHA256, a.Data, a.UploadedAt, a.UploadedBy).
		Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert attachment: %w", err)
	}
	return id, nil
}

// attachmentColumns are what lists show: everything but the data.
const attachmentColumns = `a.id, a.case_id, a.kind, a.filename, a.content_type, a.size, a.sha256, a.uploaded_at, a.uploaded_by, u.name`

func scanAttachment(r pgx.Row) (incident.Attachment, error) {
	var a incident.Attachment
	err := r.Scan(&a.ID, &a.CaseID, &a.Kind, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.UploadedAt, &a.UploadedByID, &a.UploadedBy)
	return a, err
}

// Attachments lists a case's files, oldest first, without their content.
// With uploadedBy other than 0, only that user's uploads.
func (q *Queries) Attachments(ctx context.Context, orgID, caseID, uploadedBy int64) ([]incident.Attachment, error) {
	rows, err := q.db.Query(ctx, `
		SELECT `+attachmentColumns+`
		FROM case_attachments a JOIN users u ON u.id = a.uploaded_by
		WHERE a.organisation_id = $1 AND a.case_id = $2 AND ($3::bigint = 0 OR a.uploaded_by = $3)
		ORDER BY a.uploaded_at, a.id`, orgID, caseID, uploadedBy)
	if err != nil {
		return nil, fmt.Errorf("attachments: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.Attachment, error) { return scanAttachment(r) })
}

// Attachment loads one file's description; the id must belong to the case
// and the case to the organisation.
func (q *Queries) Attachment(ctx context.Context, orgID, caseID, id int64) (incident.Attachment, error) {
	a, err := scanAttachment(q.db.QueryRow(ctx, `
		SELECT `+attachmentColumns+`
		FROM case_attachments a JOIN users u ON u.id = a.uploaded_by
		WHERE a.organisation_id = $1 AND a.case_id = $2 AND a.id = $3`, orgID, caseID, id))
	if err != nil {
		return a, notFound(err, "attachment", "Deze bijlage bestaat niet.")
	}
	return a, nil
}

// AttachmentData loads one file's content.
func (q *Queries) AttachmentData(ctx context.Context, orgID, caseID, id int64) ([]byte, error) {
	var data []byte
	err := q.db.QueryRow(ctx, `
		SELECT data FROM case_attachments
		WHERE organisation_id = $1 AND case_id = $2 AND id = $3`, orgID, caseID, id).Scan(&data)
	if err != nil {
		return nil, notFound(err, "attachment data", "Deze bijlage bestaat niet.")
	}
	return data, nil
}
