package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// SaveRepair stores the technician's findings of step 4; what they said
// before stays as an earlier version.
func (q *Queries) SaveRepair(ctx context.Context, orgID, caseID, by int64, r incident.Repair, at time.Time) error {
	if err := q.keepVersion(ctx, recordRepair, orgID, caseID); err != nil {
		return err
	}
	_, err := q.db.Exec(ctx, `
		INSERT INTO case_repairs (organisation_id, case_id, cause, technical_incidental, technical_structural,
			organisational_incidental, organisational_structural, unintelligible, unintelligible_how, completed, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (organisation_id, case_id) DO UPDATE SET
			cause = EXCLUDED.cause, technical_incidental = EXCLUDED.technical_incidental,
			technical_structural = EXCLUDED.technical_structural, organisational_incidental = EXCLUDED.organisational_incidental,
			organisational_structural = EXCLUDED.organisational_structural, unintelligible = EXCLUDED.unintelligible,
			unintelligible_how = EXCLUDED.unintelligible_how, completed = EXCLUDED.completed,
			updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
		orgID, caseID, r.Cause, r.TechnicalIncidental, r.TechnicalStructural, r.OrganisationalIncidental,
		r.OrganisationalStructural, r.Unintelligible, r.UnintelligibleHow, r.Completed, at, by)
	if err != nil {
		return fmt.Errorf("save repair: %w", err)
	}
	return q.keepVersion(ctx, recordRepair, orgID, caseID)
}

// repairColumns are a repair row p with its author u, as scanRepair reads
// them: the current row and its recorded versions alike.
const repairColumns = `p.cause, p.technical_incidental, p.technical_structural, p.organisational_incidental,
	p.organisational_structural, p.unintelligible, p.unintelligible_how, p.completed, p.updated_at, u.name`

func scanRepair(row pgx.Row) (incident.Repair, error) {
	var r incident.Repair
	err := row.Scan(&r.Cause, &r.TechnicalIncidental, &r.TechnicalStructural, &r.OrganisationalIncidental,
		&r.OrganisationalStructural, &r.Unintelligible, &r.UnintelligibleHow, &r.Completed, &r.UpdatedAt, &r.UpdatedBy)
	return r, err
}

// Repair loads the technician's findings; ok is false when none were recorded.
func (q *Queries) Repair(ctx context.Context, orgID, caseID int64) (incident.Repair, bool, error) {
	r, err := scanRepair(q.db.QueryRow(ctx, `
		SELECT `+repairColumns+`
		FROM case_repairs p JOIN users u ON u.id = p.updated_by
		WHERE p.organisation_id = $1 AND p.case_id = $2`, orgID, caseID))
	if err == pgx.ErrNoRows {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("repair: %w", err)
	}
	return r, true, nil
}
