package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// errMoved is returned when a guarded update finds the case no longer in the
// status the actor saw: someone else acted first.
var errMoved = apperr.Conflictf("Iemand anders heeft deze melding intussen bijgewerkt. Bekijk de melding opnieuw; wat u invulde is niet opgeslagen.")

// MoveCase changes a case's status, only if it is still in status from.
func (q *Queries) MoveCase(ctx context.Context, orgID, id int64, from, to incident.Status, at time.Time) error {
	tag, err := q.db.Exec(ctx, `
		UPDATE cases SET status = $4, updated_at = $5,
			closed_at = CASE WHEN $4 = 'closed' THEN $5 WHEN status = 'closed' THEN NULL ELSE closed_at END
		WHERE organisation_id = $1 AND id = $2 AND status = $3`, orgID, id, from, to, at)
	if err != nil {
		return fmt.Errorf("move case: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return errMoved
	}
	return nil
}

// TouchCase marks a change to a case that stays in its status; it fails when
// the status changed meanwhile, and it takes the row lock so that two changes
// to the same case are serialised.
func (q *Queries) TouchCase(ctx context.Context, orgID, id int64, status incident.Status, at time.Time) error {
	return q.MoveCase(ctx, orgID, id, status, status, at)
}

// CaseRelation tells how a user relates to a case beyond their roles.
func (q *Queries) CaseRelation(ctx context.Context, orgID, caseID, userID int64) (incident.Relation, error) {
	var rel incident.Relation
	err := q.db.QueryRow(ctx, `
		SELECT coalesce(c.technician_id = $3, false),
		       EXISTS (SELECT 1 FROM case_questions qu WHERE qu.organisation_id = $1 AND qu.case_id = $2
		               AND qu.addressee_id = $3 AND qu.answered_at IS NULL)
		FROM cases c WHERE c.organisation_id = $1 AND c.id = $2`, orgID, caseID, userID).
		Scan(&rel.AssignedTechnician, &rel.OpenQuestion)
	if err != nil {
		return rel, notFound(err, "case relation", "Deze melding bestaat niet.")
	}
	return rel, nil
}

// SetTechnician assigns a technician (a user of the organisation with that role).
func (q *Queries) SetTechnician(ctx context.Context, orgID, caseID, userID int64) error {
	tag, err := q.db.Exec(ctx, `
		UPDATE cases SET technician_id = $3
		WHERE organisation_id = $1 AND id = $2
		  AND EXISTS (SELECT 1 FROM user_roles r JOIN users u ON u.id = r.user_id
		              WHERE r.organisation_id = $1 AND r.user_id = $3 AND r.role = 'technician' AND u.active)`, orgID, caseID, userID)
	if err != nil {
		return fmt.Errorf("set technician: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return &apperr.Error{Kind: apperr.Invalid, Message: "Kies een technicus uit de lijst.",
			Fields: map[string]string{"technician": "Kies een technicus uit de lijst."}}
	}
	return nil
}

// UsersWithRole lists the active users of the organisation holding a role.
func (q *Queries) UsersWithRole(ctx context.Context, orgID int64, role access.Role) ([]access.Account, error) {
	rows, err := q.db.Query(ctx, `
		SELECT DISTINCT u.id, u.email, u.name, EXISTS (SELECT FROM people p WHERE p.id = u.person_id AND p.password_hash IS NOT NULL), u.active
		FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.organisation_id = $1 AND r.role = $2 AND u.active
		ORDER BY u.name, u.id`, orgID, role)
	if err != nil {
		return nil, fmt.Errorf("users with role: %w", err)
	}
	return pgx.CollectRows(rows, scanUserRow)
}

// SetOutcome records what the case turned out to be (the officer's decision).
func (q *Queries) SetOutcome(ctx context.Context, orgID, id int64, outcome incident.Outcome, reason string) error {
	_, err := q.db.Exec(ctx, `UPDATE cases SET outcome = nullif($3::text, ''), outcome_reason = $4 WHERE organisation_id = $1 AND id = $2`, orgID, id, string(outcome), reason)
	if err != nil {
		return fmt.Errorf("set outcome: %w", err)
	}
	return nil
}

// SetAwareness sets the moment of awareness with its reason.
func (q *Queries) SetAwareness(ctx context.Context, orgID, id int64, at time.Time, reason string) error {
	_, err := q.db.Exec(ctx, `UPDATE cases SET aware_at = $3, aware_reason = $4 WHERE organisation_id = $1 AND id = $2`, orgID, id, at, reason)
	if err != nil {
		return fmt.Errorf("set awareness: %w", err)
	}
	return nil
}

// SaveInventory stores the desk's facts of step 2; what they said before
// stays as an earlier version.
func (q *Queries) SaveInventory(ctx context.Context, orgID, caseID, by int64, inv incident.Inventory, at time.Time) error {
	if err := q.keepVersion(ctx, recordInventory, orgID, caseID); err != nil {
		return err
	}
	_, err := q.db.Exec(ctx, `
		INSERT INTO case_inventories (organisation_id, case_id, summary, sensitive, sensitive_note, period_from, period_until,
			nature, breach_suspected, subject_groups, subject_count, data_types, chain_shared, chain_note, updated_at, updated_by, cross_border)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		ON CONFLICT (organisation_id, case_id) DO UPDATE SET
			summary = EXCLUDED.summary, sensitive = EXCLUDED.sensitive, sensitive_note = EXCLUDED.sensitive_note,
			period_from = EXCLUDED.period_from, period_until = EXCLUDED.period_until, nature = EXCLUDED.nature,
			breach_suspected = EXCLUDED.breach_suspected, subject_groups = EXCLUDED.subject_groups,
			subject_count = EXCLUDED.subject_count, data_types = EXCLUDED.data_types, chain_shared = EXCLUDED.chain_shared,
			chain_note = EXCLUDED.chain_note, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by,
			cross_border = EXCLUDED.cross_border`,
		orgID, caseID, inv.Summary, inv.Sensitive, inv.SensitiveNote, inv.PeriodFrom, inv.PeriodUntil, inv.Nature,
		inv.BreachSuspected, inv.SubjectGroups, inv.SubjectCount, nonNil(inv.DataTypes), inv.ChainShared, inv.ChainNote, at, by, inv.CrossBorder)
	if err != nil {
		return fmt.Errorf("save inventory: %w", err)
	}
	return q.keepVersion(ctx, recordInventory, orgID, caseID)
}

// inventoryColumns are an inventory row i with its author u, as
// scanInventory reads them: the current row and its recorded versions alike.
const inventoryColumns = `i.summary, i.sensitive, i.sensitive_note, i.period_from, i.period_until, i.nature, i.breach_suspected,
	i.subject_groups, i.subject_count, i.data_types, i.chain_shared, i.chain_note, i.updated_at, u.name, i.cross_border`

func scanInventory(row pgx.Row) (incident.Inventory, error) {
	var inv incident.Inventory
	err := row.Scan(&inv.Summary, &inv.Sensitive, &inv.SensitiveNote, &inv.PeriodFrom, &inv.PeriodUntil, &inv.Nature,
		&inv.BreachSuspected, &inv.SubjectGroups, &inv.SubjectCount, &inv.DataTypes, &inv.ChainShared, &inv.ChainNote,
		&inv.UpdatedAt, &inv.UpdatedBy, &inv.CrossBorder)
	return inv, err
}

// Inventory loads the desk's facts of a case; ok is false when none were recorded.
func (q *Queries) Inventory(ctx context.Context, orgID, caseID int64) (incident.Inventory, bool, error) {
	inv, err := scanInventory(q.db.QueryRow(ctx, `
		SELECT `+inventoryColumns+`
		FROM case_inventories i JOIN users u ON u.id = i.updated_by
		WHERE i.organisation_id = $1 AND i.case_id = $2`, orgID, caseID))
	if err == pgx.ErrNoRows {
		return inv, false, nil
	}
	if err != nil {
		return inv, false, fmt.Errorf("inventory: %w", err)
	}
	return inv, true, nil
}

// AddQuestion stores a question of the desk to a user of the organisation.
func (q *Queries) AddQuestion(ctx context.Context, orgID, caseID, askedBy, addressee int64, text string, at time.Time) (int64, error) {
	var id int64
	err := q.db.QueryRow(ctx, `
		INSERT INTO case_questions (organisation_id, case_id, asked_by, addressee_id, question, asked_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, orgID, caseID, askedBy, addressee, text, at).Scan(&id)
	if code, _ := pgCode(err); code == codeForeignKeyViolation {
		return 0, &apperr.Error{Kind: apperr.Invalid, Message: "Kies aan wie de vraag is.",
			Fields: map[string]string{"addressee": "Kies aan wie de vraag is."}, Err: err}
	}
	if err != nil {
		return 0, fmt.Errorf("add question: %w", err)
	}
	return id, nil
}

// AnswerQuestion stores the answer of the addressee; Conflict when it was
// answered already.
func (q *Queries) AnswerQuestion(ctx context.Context, orgID, caseID, questionID, addressee int64, answer string, at time.Time) error {
	tag, err := q.db.Exec(ctx, `
		UPDATE case_questions SET answer = $5, answered_at = $6
		WHERE organisation_id = $1 AND case_id = $2 AND id = $3 AND addressee_id = $4 AND answered_at IS NULL`,
		orgID, caseID, questionID, addressee, answer, at)
	if err != nil {
		return fmt.Errorf("answer question: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.Conflictf("Deze vraag is al beantwoord, of is niet aan u gesteld.")
	}
	return nil
}

// Questions lists the questions on a case, oldest first.
func (q *Queries) Questions(ctx context.Context, orgID, caseID int64) ([]incident.Question, error) {
	rows, err := q.db.Query(ctx, `
		SELECT qu.id, a.name, qu.addressee_id, b.name, qu.question, qu.asked_at, coalesce(qu.answer, ''), qu.answered_at
		FROM case_questions qu JOIN users a ON a.id = qu.asked_by JOIN users b ON b.id = qu.addressee_id
		WHERE qu.organisation_id = $1 AND qu.case_id = $2 ORDER BY qu.asked_at, qu.id`, orgID, caseID)
	if err != nil {
		return nil, fmt.Errorf("questions: %w", err)
	}
	return pgx.CollectRows(rows, scanQuestion)
}

func scanQuestion(r pgx.CollectableRow) (incident.Question, error) {
	var qu incident.Question
	err := r.Scan(&qu.ID, &qu.AskedBy, &qu.AddresseeID, &qu.AddresseeName, &qu.Question, &qu.AskedAt, &qu.Answer, &qu.AnsweredAt)
	return qu, err
}

// OpenQuestionsFor lists the unanswered questions addressed to a user.
func (q *Queries) OpenQuestionsFor(ctx context.Context, orgID, userID int64) ([]incident.OpenQuestion, error) {
	rows, err := q.db.Query(ctx, `
		SELECT qu.id, a.name, qu.addressee_id, b.name, qu.question, qu.asked_at, '', qu.answered_at, c.id, c.year, c.seq
		FROM case_questions qu JOIN users a ON a.id = qu.asked_by JOIN users b ON b.id = qu.addressee_id
		JOIN cases c ON c.id = qu.case_id
		WHERE qu.organisation_id = $1 AND qu.addressee_id = $2 AND qu.answered_at IS NULL AND c.status <> 'closed'
		ORDER BY qu.asked_at`, orgID, userID)
	if err != nil {
		return nil, fmt.Errorf("open questions: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.OpenQuestion, error) {
		var o incident.OpenQuestion
		err := r.Scan(&o.ID, &o.AskedBy, &o.AddresseeID, &o.AddresseeName, &o.Question.Question, &o.AskedAt, &o.Answer,
			&o.AnsweredAt, &o.CaseID, &o.CaseNumber.Year, &o.CaseNumber.Seq)
		return o, err
	})
}
