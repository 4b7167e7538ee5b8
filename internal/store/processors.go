package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

const processorColumns = `p.id, p.organisation_id, p.name, p.processes, p.breach_contact, p.how_inform, p.off_hours,
	p.ap_notifier, p.information, p.delivery_hours, p.communicator, p.updated_at, u.name`

func scanProcessor(r pgx.Row) (incident.Processor, error) {
	var p incident.Processor
	err := r.Scan(&p.ID, &p.OrganisationID, &p.Name, &p.Processes, &p.BreachContact, &p.HowInform, &p.OffHours,
		&p.APNotifier, &p.Information, &p.DeliveryHours, &p.Communicator, &p.UpdatedAt, &p.UpdatedBy)
	return p, err
}

var errProcessorName = &apperr.Error{Kind: apperr.Invalid, Message: "Er is al een verwerker met deze naam.",
	Fields: map[string]string{"name": "Er is al een verwerker met deze naam."}}

// Processors lists the organisation's processors by name.
func (q *Queries) Processors(ctx context.Context, orgID int64) ([]incident.Processor, error) {
	rows, err := q.db.Query(ctx, `SELECT `+processorColumns+` FROM processors p JOIN users u ON u.id = p.updated_by
		WHERE p.organisation_id = $1 ORDER BY lower(p.name), p.id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("processors: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.Processor, error) { return scanProcessor(r) })
}

// Processor loads one processor of the organisation.
func (q *Queries) Processor(ctx context.Context, orgID, id int64) (incident.Processor, error) {
	p, err := scanProcessor(q.db.QueryRow(ctx, `SELECT `+processorColumns+` FROM processors p JOIN users u ON u.id = p.updated_by
		WHERE p.organisation_id = $1 AND p.id = $2`, orgID, id))
	if err != nil {
		return p, notFound(err, "processor", "Deze verwerker bestaat niet.")
	}
	return p, nil
}

// InsertProcessor stores a new processor.
func (q *Queries) InsertProcessor(ctx context.Context, orgID, by int64, p incident.Processor, at time.Time) (int64, error) {
	var id int64
	err := q.db.QueryRow(ctx, `
		INSERT INTO processors (organisation_id, name, processes, breach_contact, how_inform, off_hours, ap_notifier,
			information, delivery_hours, communicator, created_at, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) RETURNING id`,
		orgID, p.Name, p.Processes, p.BreachContact, p.HowInform, p.OffHours, p.APNotifier, p.Information,
		p.DeliveryHours, p.Communicator, at, by).Scan(&id)
	if code, _ := pgCode(err); code == codeUniqueViolation {
		return 0, errProcessorName
	}
	if err != nil {
		return 0, fmt.Errorf("insert processor: %w", err)
	}
	return id, nil
}

// UpdateProcessor changes a processor of the organisation.
func (q *Queries) UpdateProcessor(ctx context.Context, orgID, id, by int64, p incident.Processor, at time.Time) error {
	tag, err := q.db.Exec(ctx, `
		UPDATE processors SET name = $3, processes = $4, breach_contact = $5, how_inform = $6, off_hours = $7,
			ap_notifier = $8, information = $9, delivery_hours = $10, communicator = $11, updated_at = $12, updated_by = $13
		WHERE organisation_id = $1 AND id = $2`,
		orgID, id, p.Name, p.Processes, p.BreachContact, p.HowInform, p.OffHours, p.APNotifier, p.Information,
		p.DeliveryHours, p.Communicator, at, by)
	if code, _ := pgCode(err); code == codeUniqueViolation {
		return errProcessorName
	}
	if err != nil {
		return fmt.Errorf("update processor: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.NotFoundf("Deze verwerker bestaat niet.")
	}
	return nil
}

// LinkProcessor records the processor where a case's breach happened and
// when it was informed, replacing an earlier link. A processor of another
// organisation is refused by the composite foreign key.
func (q *Queries) LinkProcessor(ctx context.Context, orgID, caseID, processorID, by int64, informedAt, at time.Time) error {
	_, err := q.db.Exec(ctx, `
		INSERT INTO case_processors (organisation_id, case_id, processor_id, informed_at, linked_at, linked_by)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (organisation_id, case_id) DO UPDATE SET processor_id = EXCLUDED.processor_id,
			informed_at = EXCLUDED.informed_at, linked_at = EXCLUDED.linked_at, linked_by = EXCLUDED.linked_by,
			delivered_at = NULL, delivered_by = NULL`,
		orgID, caseID, processorID, informedAt, at, by)
	if code, _ := pgCode(err); code == codeForeignKeyViolation {
		return &apperr.Error{Kind: apperr.Invalid, Message: "Kies een verwerker uit de lijst.",
			Fields: map[string]string{"processor": "Kies een verwerker uit de lijst."}, Err: err}
	}
	if err != nil {
		return fmt.Errorf("link processor: %w", err)
	}
	return nil
}

// MarkProcessorDelivered records that the processor delivered its
// information; Conflict when there is no link or it was recorded already.
func (q *Queries) MarkProcessorDelivered(ctx context.Context, orgID, caseID, by int64, at time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE case_processors SET delivered_at = $4, delivered_by = $3
		WHERE organisation_id = $1 AND case_id = $2 AND delivered_at IS NULL`, orgID, caseID, by, at)
	if err != nil {
		return fmt.Errorf("processor delivered: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.Conflictf("Er wacht geen informatie van een verwerker, of die is al als ontvangen vastgelegd.")
	}
	return nil
}

// CaseProcessor loads the processor linked to a case; ok is false without one.
func (q *Queries) CaseProcessor(ctx context.Context, orgID, caseID int64) (incident.CaseProcessor, bool, error) {
	var cp incident.CaseProcessor
	p := &cp.Processor
	err := q.db.QueryRow(ctx, `
		SELECT `+processorColumns+`, cp.informed_at, cp.linked_at, l.name, cp.delivered_at
		FROM case_processors cp
		JOIN processors p ON p.organisation_id = cp.organisation_id AND p.id = cp.processor_id
		JOIN users u ON u.id = p.updated_by
		JOIN users l ON l.id = cp.linked_by
		WHERE cp.organisation_id = $1 AND cp.case_id = $2`, orgID, caseID).
		Scan(&p.ID, &p.OrganisationID, &p.Name, &p.Processes, &p.BreachContact, &p.HowInform, &p.OffHours,
			&p.APNotifier, &p.Information, &p.DeliveryHours, &p.Communicator, &p.UpdatedAt, &p.UpdatedBy,
			&cp.InformedAt, &cp.LinkedAt, &cp.LinkedBy, &cp.DeliveredAt)
	if err == pgx.ErrNoRows {
		return cp, false, nil
	}
	if err != nil {
		return cp, false, fmt.Errorf("case processor: %w", err)
	}
	return cp, true, nil
}

// OverdueDelivery is an open case whose processor has not delivered its
// information in the agreed time (informed_at + delivery_hours has passed and
// no delivery is recorded).
type OverdueDelivery struct {
	OrganisationID int64
	CaseID         int64
	CaseNumber     incident.Number
	ProcessorID    int64
	ProcessorName  string
	InformedAt     time.Time
	DueAt          time.Time
}

// OverdueProcessorDeliveries lists, over every organisation, the open cases
// whose processor's delivery deadline passed before now, oldest deadline
// first. It is for a background job (a reminder by mail), not for a user:
// it carries ids and numbers only, and each row its organisation, so that
// whatever acts on it stays within that organisation.
func (q *Queries) OverdueProcessorDeliveries(ctx context.Context, now time.Time) ([]OverdueDelivery, error) {
	rows, err := q.db.Query(ctx, `
		SELECT cp.organisation_id, cp.case_id, c.year, c.seq, p.id, p.name, cp.informed_at,
		       cp.informed_at + make_interval(hours => p.delivery_hours) AS due_at
		FROM case_processors cp
		JOIN cases c ON c.organisation_id = cp.organisation_id AND c.id = cp.case_id
		JOIN processors p ON p.organisation_id = cp.organisation_id AND p.id = cp.processor_id
		WHERE cp.delivered_at IS NULL AND c.status <> 'closed'
		  AND cp.informed_at + make_interval(hours => p.delivery_hours) < $1
		ORDER BY due_at, cp.case_id LIMIT 1000`, now)
	if err != nil {
		return nil, fmt.Errorf("overdue processor deliveries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (OverdueDelivery, error) {
		var o OverdueDelivery
		err := r.Scan(&o.OrganisationID, &o.CaseID, &o.CaseNumber.Year, &o.CaseNumber.Seq, &o.ProcessorID, &o.ProcessorName, &o.InformedAt, &o.DueAt)
		return o, err
	})
}
