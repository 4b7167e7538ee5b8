package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// A step record that keeps its versions (case_record_versions, migration
// 00021): what was once recorded and then changed stays readable in the
// dossier. Each names the step's table and the columns that say who saved it
// when or how it went on (approval, sending), which alone make no new version.
type stepRecord struct {
	name, table string
	bookkeeping []string
}

var (
	recordInventory = stepRecord{"inventory", "case_inventories", []string{"updated_at", "updated_by"}}
	recordRepair    = stepRecord{"repair", "case_repairs", []string{"updated_at", "updated_by"}}
	recordNotice    = stepRecord{"subjects_notice", "case_subject_notices",
		[]string{"drafted_at", "drafted_by", "approved_at", "approved_by", "sent_at", "sent_by"}}
)

// keepVersion adds the record's current row as its next version, unless the
// latest version already says the same. A save calls it before its change
// (a row written without it, as an import does, is kept first) and after.
func (q *Queries) keepVersion(ctx context.Context, r stepRecord, orgID, caseID int64) error {
	_, err := q.db.Exec(ctx, `
		WITH latest AS (
			SELECT version, data FROM case_record_versions
			WHERE organisation_id = $1 AND case_id = $2 AND record = $3
			ORDER BY version DESC LIMIT 1)
		INSERT INTO case_record_versions (organisation_id, case_id, record, version, data)
		SELECT $1, $2, $3, coalesce((SELECT version FROM latest), 0) + 1, to_jsonb(cur)
		FROM `+r.table+` cur
		WHERE cur.organisation_id = $1 AND cur.case_id = $2
		  AND NOT EXISTS (SELECT 1 FROM latest WHERE latest.data - $4::text[] = to_jsonb(cur) - $4::text[])`,
		orgID, caseID, r.name, r.bookkeeping)
	if code, constraint := pgCode(err); code == codeUniqueViolation && constraint == "case_record_versions_pkey" {
		return errMoved
	}
	if err != nil {
		return fmt.Errorf("keep %s version: %w", r.name, err)
	}
	return nil
}

// versionsFrom is the FROM of a record's versions, each read back as a row of
// the step's table under alias (so a version reads like the current row).
func versionsFrom(r stepRecord, alias string) string {
	return `case_record_versions v CROSS JOIN LATERAL jsonb_populate_record(NULL::` + r.table + `, v.data) ` + alias
}

// InventoryVersions lists every recorded version of the desk's facts of a
// case, the first first; the last is the current one.
func (q *Queries) InventoryVersions(ctx context.Context, orgID, caseID int64) ([]incident.Inventory, error) {
	rows, err := q.db.Query(ctx, `
		SELECT `+inventoryColumns+`
		FROM `+versionsFrom(recordInventory, "i")+`
		JOIN users u ON u.organisation_id = v.organisation_id AND u.id = i.updated_by
		WHERE v.organisation_id = $1 AND v.case_id = $2 AND v.record = 'inventory'
		ORDER BY v.version`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("inventory versions: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.Inventory, error) { return scanInventory(r) })
}

// RepairVersions lists every recorded version of the technician's findings,
// the first first; the last is the current one.
func (q *Queries) RepairVersions(ctx context.Context, orgID, caseID int64) ([]incident.Repair, error) {
	rows, err := q.db.Query(ctx, `
		SELECT `+repairColumns+`
		FROM `+versionsFrom(recordRepair, "p")+`
		JOIN users u ON u.organisation_id = v.organisation_id AND u.id = p.updated_by
		WHERE v.organisation_id = $1 AND v.case_id = $2 AND v.record = 'repair'
		ORDER BY v.version`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("repair versions: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (incident.Repair, error) { return scanRepair(row) })
}

// SubjectsNoticeVersions lists every recorded draft of the notice to the
// data subjects, the first first; the last is the current one. Approval and
// sending belong to the current draft (and are in the timeline); a version
// holds what the draft said, who drafted it and when.
func (q *Queries) SubjectsNoticeVersions(ctx context.Context, orgID, caseID int64) ([]incident.SubjectsNotice, error) {
	rows, err := q.db.Query(ctx, `
		SELECT s.channel, s.public_reason, s.recipient_groups, s.recipients_count, s.subject, s.body, s.nature, s.consequences,
		       s.measures_taken, s.measures_recipient, s.officer_contact, s.school_contact, s.signature, s.drafted_at, d.name
		FROM `+versionsFrom(recordNotice, "s")+`
		JOIN users d ON d.organisation_id = v.organisation_id AND d.id = s.drafted_by
		WHERE v.organisation_id = $1 AND v.case_id = $2 AND v.record = 'subjects_notice'
		ORDER BY v.version`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("subjects notice versions: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.SubjectsNotice, error) {
		var n incident.SubjectsNotice
		err := r.Scan(&n.Channel, &n.PublicReason, &n.Groups, &n.RecipientsCount, &n.Subject, &n.Body, &n.Nature, &n.Consequences,
			&n.MeasuresTaken, &n.MeasuresRecipient, &n.OfficerContact, &n.SchoolContact, &n.Signature, &n.DraftedAt, &n.DraftedBy)
		return n, err
	})
}
