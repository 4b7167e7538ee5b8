package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// Queries of the register import (issue 4): uploads between the steps, and
// the cases they create. Every query filters by organisation.

// NewImport is an uploaded register file.
type NewImport struct {
	OrganisationID int64
	UploadedBy     int64
	UploadedAt     time.Time
	Filename       string
	SHA256         []byte
	Data           []byte
}

// DeleteStaleImports removes an organisation's uploads that were never
// imported and are older than before: an abandoned upload holds personal
// data nobody needs.
func (q *Queries) DeleteStaleImports(ctx context.Context, orgID int64, before time.Time) (int64, error) {
	tag, err := q.db.Exec(ctx, `
		DELETE FROM register_imports
		WHERE organisation_id = $1 AND imported_at IS NULL AND uploaded_at < $2`, orgID, before)
	if err != nil {
		return 0, fmt.Errorf("delete stale imports: %w", err)
	}
	return tag.RowsAffected(), nil
}

// InsertImport stores an upload.
func (q *Queries) InsertImport(ctx context.Context, n NewImport) (int64, error) {
	var id int64
	err := q.db.QueryRow(ctx, `
		INSERT INTO register_imports (organisation_id, uploaded_by, uploaded_at, filename, size, sha256, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		n.OrganisationID, n.UploadedBy, n.UploadedAt, n.Filename, len(n.Data), n.SHA256, n.Data).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert import: %w", err)
	}
	return id, nil
}

const importColumns = `id, organisation_id, uploaded_by, uploaded_at, filename, size, sheet, mapping, imported_at, coalesce(imported_count, 0), data`

// Import loads an upload of the organisation with its file (nil once
// imported). forUpdate locks the row until the transaction ends.
func (q *Queries) Import(ctx context.Context, orgID, id int64, forUpdate bool) (incident.RegisterImport, []byte, error) {
	var imp incident.RegisterImport
	var mapping []byte
	var data []byte
	sql := `SELECT ` + importColumns + ` FROM register_imports WHERE organisation_id = $1 AND id = $2`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	err := q.db.QueryRow(ctx, sql, orgID, id).Scan(&imp.ID, &imp.OrganisationID, &imp.UploadedBy, &imp.UploadedAt,
		&imp.Filename, &imp.Size, &imp.Sheet, &mapping, &imp.ImportedAt, &imp.ImportedCount, &data)
	if err != nil {
		return imp, nil, notFound(err, "import", "Dit bestand bestaat niet (meer). Upload het opnieuw.")
	}
	if err := json.Unmarshal(mapping, &imp.Mapping); err != nil {
		return imp, nil, fmt.Errorf("import mapping: %w", err)
	}
	return imp, data, nil
}

// SaveImportMapping stores the chosen sheet and mapping of an upload that
// was not imported yet.
func (q *Queries) SaveImportMapping(ctx context.Context, orgID, id int64, sheet string, m []incident.ImportField) error {
	if m == nil {
		m = []incident.ImportField{}
	}
	mj, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("save import mapping: %w", err)
	}
	tag, err := q.db.Exec(ctx, `
		UPDATE register_imports SET sheet = $3, mapping = $4
		WHERE organisation_id = $1 AND id = $2 AND imported_at IS NULL`, orgID, id, sheet, mj)
	if err != nil {
		return fmt.Errorf("save import mapping: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.Conflictf("Dit bestand is al geïmporteerd.")
	}
	return nil
}

// MarkImported records that an upload was imported and drops its file.
func (q *Queries) MarkImported(ctx context.Context, orgID, id int64, at time.Time, count int) error {
	tag, err := q.db.Exec(ctx, `
		UPDATE register_imports SET imported_at = $3, imported_count = $4, data = NULL
		WHERE organisation_id = $1 AND id = $2 AND imported_at IS NULL`, orgID, id, at, count)
	if err != nil {
		return fmt.Errorf("mark imported: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.Conflictf("Dit bestand is al geïmporteerd.")
	}
	return nil
}

// ImportedKeys returns, of the given row keys, those imported before in
// the organisation, with the number of the case each became.
func (q *Queries) ImportedKeys(ctx context.Context, orgID int64, keys []string) (map[string]incident.Number, error) {
	out := map[string]incident.Number{}
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := q.db.Query(ctx, `
		SELECT ci.row_key, c.year, c.seq
		FROM case_imports ci JOIN cases c ON c.organisation_id = ci.organisation_id AND c.id = ci.case_id
		WHERE ci.organisation_id = $1 AND ci.row_key = ANY($2)`, orgID, keys)
	if err != nil {
		return nil, fmt.Errorf("imported keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n incident.Number
		if err := rows.Scan(&k, &n.Year, &n.Seq); err != nil {
			return nil, fmt.Errorf("imported keys: %w", err)
		}
		out[k] = n
	}
	return out, rows.Err()
}

// NewImportedCase is one checked row to store as a closed case.
type NewImportedCase struct {
	OrganisationID int64
	Number         incident.Number
	ImporterID     int64
	SubmissionKey  string
	At             time.Time // the moment of the import
	ImportID       int64
	Sheet          string
	Row            incident.ImportRow
}

// InsertImportedCase stores an imported row: the case (closed, with its
// outcome), the step rows the sheet gives facts for (inventory for the
// personal data named, repair for cause and measures, the decision on the
// AP and the data subjects, the AP notification with its number), and its
// origin. The importer stands in as reporter, decider and recorder; the
// original reporter's name is kept as text with the origin.
func (q *Queries) InsertImportedCase(ctx context.Context, n NewImportedCase) (int64, error) {
	c := n.Row.Case
	org, by := n.OrganisationID, n.ImporterID
	var outcome *incident.Outcome
	if o := c.Outcome(); o != incident.OutcomeNone {
		outcome = &o
	}
	var id int64
	err := q.db.QueryRow(ctx, `
		INSERT INTO cases (organisation_id, year, seq, school_id, reporter_id, submission_key, status, reported_at,
			what_happened, occurred_from, systems, personal_data, ongoing, outcome, closed_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'closed', $7, $8, $7, $9, $10, 'unknown', $11, $12, $12)
		RETURNING id`,
		org, n.Number.Year, n.Number.Seq, c.SchoolID, by, n.SubmissionKey, c.Date,
		c.WhatHappened, c.Systems, c.PersonalData, outcome, n.At).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert imported case: %w", err)
	}
	if c.DataText != "" {
		if _, err := q.db.Exec(ctx, `
			INSERT INTO case_inventories (organisation_id, case_id, data_types, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5)`, org, id, []string{c.DataText}, n.At, by); err != nil {
			return 0, fmt.Errorf("insert imported inventory: %w", err)
		}
	}
	if c.Cause != "" || c.Measures != "" {
		if _, err := q.db.Exec(ctx, `
			INSERT INTO case_repairs (organisation_id, case_id, cause, technical_incidental, completed, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, true, $5, $6)`, org, id, c.Cause, c.Measures, n.At, by); err != nil {
			return 0, fmt.Errorf("insert imported repair: %w", err)
		}
	}
	if c.Decided() {
		channel := "none"
		if isTrue(c.SubjectsInformed) {
			channel = "individual"
		}
		// No facts were established and no advice given in Lekwacht: both
		// are empty objects.
		if _, err := q.db.Exec(ctx, `
			INSERT INTO case_assessments (organisation_id, case_id, facts, advice, breach, notify_authority, authority_reason,
				notify_subjects, subjects_reason, subjects_channel, decided_at, decided_by)
			VALUES ($1, $2, '{}', '{}', $3, $4, $5, $6, $7, $8, $9, $10)`,
			org, id, c.Outcome() == incident.OutcomeBreach, isTrue(c.APNotified), c.APReason,
			isTrue(c.SubjectsInformed), c.SubjectsReason, channel, c.Date, by); err != nil {
			return 0, fmt.Errorf("insert imported decision: %w", err)
		}
	}
	if isTrue(c.APNotified) {
		sent := c.Date
		if c.APDate != nil {
			sent = *c.APDate
		}
		if _, err := q.db.Exec(ctx, `
			INSERT INTO case_notifications (organisation_id, case_id, kind, number, sent_at, recorded_at, recorded_by)
			VALUES ($1, $2, 'initial', $3, $4, $5, $6)`, org, id, c.APNumber, sent, n.At, by); err != nil {
			return 0, fmt.Errorf("insert imported notification: %w", err)
		}
	}
	original, err := json.Marshal(n.Row.Original)
	if err != nil {
		return 0, fmt.Errorf("insert imported case: %w", err)
	}
	_, err = q.db.Exec(ctx, `
		INSERT INTO case_imports (organisation_id, case_id, import_id, sheet, row_number, row_key, original, reporter_name)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		org, id, n.ImportID, n.Sheet, n.Row.Number, n.Row.Key, original, c.ReporterName)
	if code, constraint := pgCode(err); code == codeUniqueViolation && constraint == "case_imports_organisation_id_row_key_key" {
		return 0, &apperr.Error{Kind: apperr.Conflict, Err: err,
			Message: fmt.Sprintf("Regel %d is intussen al geïmporteerd. Er is niets geïmporteerd; bekijk de controle opnieuw.", n.Row.Number)}
	}
	if err != nil {
		return 0, fmt.Errorf("insert case import: %w", err)
	}
	return id, nil
}

func isTrue(b *bool) bool { return b != nil && *b }

// CaseImportOf returns where an imported case came from; ok is false for a
// case that was not imported.
func (q *Queries) CaseImportOf(ctx context.Context, orgID, caseID int64) (incident.ImportOrigin, bool, error) {
	var o incident.ImportOrigin
	var original []byte
	err := q.db.QueryRow(ctx, `
		SELECT ci.import_id, ri.filename, ci.sheet, ci.row_number, ci.reporter_name, ci.original, coalesce(ri.imported_at, ri.uploaded_at)
		FROM case_imports ci JOIN register_imports ri ON ri.organisation_id = ci.organisation_id AND ri.id = ci.import_id
		WHERE ci.organisation_id = $1 AND ci.case_id = $2`, orgID, caseID).
		Scan(&o.ImportID, &o.Filename, &o.Sheet, &o.Row, &o.ReporterName, &original, &o.ImportedAt)
	if err == pgx.ErrNoRows {
		return o, false, nil
	}
	if err != nil {
		return o, false, fmt.Errorf("case import: %w", err)
	}
	if err := json.Unmarshal(original, &o.Original); err != nil {
		return o, false, fmt.Errorf("case import original: %w", err)
	}
	return o, true, nil
}
