package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// Inspectorate returns what the officer recorded about informing the
// Inspectie van het Onderwijs (issue 10.4); ok is false when nothing is.
func (q *Queries) Inspectorate(ctx context.Context, orgID, caseID int64) (r incident.Inspectorate, ok bool, err error) {
	var on *time.Time
	err = q.db.QueryRow(ctx, `
		SELECT i.informed, i.informed_on, i.reason, coalesce(u.name, ''), i.recorded_at
		FROM case_inspectorate i
		LEFT JOIN users u ON u.organisation_id = i.organisation_id AND u.id = i.recorded_by
		WHERE i.organisation_id = $1 AND i.case_id = $2`, orgID, caseID).
		Scan(&r.Informed, &on, &r.Reason, &r.RecordedBy, &r.RecordedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("inspectorate: %w", err)
	}
	if on != nil {
		r.InformedOn = *on
	}
	return r, true, nil
}

// SetInspectorate records (or replaces) the officer's answer; the earlier
// one stays in the case's timeline.
func (q *Queries) SetInspectorate(ctx context.Context, orgID, caseID, userID int64, r incident.Inspectorate, now time.Time) error {
	var on *time.Time
	if r.Informed {
		on = &r.InformedOn
	}
	_, err := q.db.Exec(ctx, `
		INSERT INTO case_inspectorate (organisation_id, case_id, informed, informed_on, reason, recorded_by, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (organisation_id, case_id) DO UPDATE SET informed = EXCLUDED.informed,
			informed_on = EXCLUDED.informed_on, reason = EXCLUDED.reason,
			recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at`,
		orgID, caseID, r.Informed, on, r.Reason, userID, now)
	if err != nil {
		return fmt.Errorf("set inspectorate: %w", err)
	}
	return nil
}
