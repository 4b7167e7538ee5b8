package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/contact"
)

// Organisation is a school board (verwerkingsverantwoordelijke).
type Organisation struct {
	ID   int64
	Name string
}

// School is a school of an organisation.
type School = access.School

// CreateOrganisation inserts a school board.
func (q *Queries) CreateOrganisation(ctx context.Context, name string) (int64, error) {
	var id int64
	err := q.db.QueryRow(ctx, `INSERT INTO organisations (name) VALUES ($1) RETURNING id`, name).Scan(&id)
	if code, _ := pgCode(err); code == codeUniqueViolation {
		return 0, apperr.Conflictf("Er bestaat al een organisatie met de naam %q.", name)
	}
	if err != nil {
		return 0, fmt.Errorf("create organisation: %w", err)
	}
	return id, nil
}

// OrganisationByName finds a school board by name, case-insensitively.
func (q *Queries) OrganisationByName(ctx context.Context, name string) (Organisation, error) {
	var o Organisation
	err := q.db.QueryRow(ctx, `SELECT id, name FROM organisations WHERE lower(name) = lower($1)`, name).Scan(&o.ID, &o.Name)
	if err != nil {
		return o, notFound(err, "organisation by name", "Deze organisatie bestaat niet.")
	}
	return o, nil
}

// CreateSchool adds a school to an organisation.
func (q *Queries) CreateSchool(ctx context.Context, orgID int64, name string) (int64, error) {
	var id int64
	err := q.db.QueryRow(ctx, `INSERT INTO schools (organisation_id, name) VALUES ($1, $2) RETURNING id`, orgID, name).Scan(&id)
	if code, _ := pgCode(err); code == codeUniqueViolation {
		return 0, &apperr.Error{Kind: apperr.Invalid, Message: "Deze school bestaat al.",
			Fields: map[string]string{"name": "Er is al een school met deze naam."}}
	}
	if err != nil {
		return 0, fmt.Errorf("create school: %w", err)
	}
	return id, nil
}

// RenameSchool changes a school's name within the organisation.
func (q *Queries) RenameSchool(ctx context.Context, orgID, id int64, name string) error {
	tag, err := q.db.Exec(ctx, `UPDATE schools SET name = $3 WHERE organisation_id = $1 AND id = $2`, orgID, id, name)
	if code, _ := pgCode(err); code == codeUniqueViolation {
		return &apperr.Error{Kind: apperr.Invalid, Message: "Deze school bestaat al.",
			Fields: map[string]string{"name": "Er is al een school met deze naam."}}
	}
	if err != nil {
		return fmt.Errorf("rename school: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.NotFoundf("Deze school bestaat niet.")
	}
	return nil
}

// Schools lists the schools of an organisation by name.
func (q *Queries) Schools(ctx context.Context, orgID int64) ([]School, error) {
	rows, err := q.db.Query(ctx, `SELECT id, organisation_id, name FROM schools WHERE organisation_id = $1 ORDER BY lower(name), id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("schools: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (School, error) {
		var s School
		err := r.Scan(&s.ID, &s.OrganisationID, &s.Name)
		return s, err
	})
}

// Audit writes one entry of the account and school audit log; call it in
// the transaction of the change.
func (q *Queries) Audit(ctx context.Context, orgID int64, at time.Time, actorID *int64, action string, subjectID int64, details map[string]any) error {
	b := []byte("{}")
	if len(details) > 0 {
		var err error
		if b, err = json.Marshal(details); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
	}
	_, err := q.db.Exec(ctx, `INSERT INTO audit_log (organisation_id, at, actor_id, action, subject_id, details) VALUES ($1, $2, $3, $4, $5, $6)`,
		orgID, at, actorID, action, subjectID, b)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditCount counts audit entries of an action (for tests and the admin page).
func (q *Queries) AuditCount(ctx context.Context, orgID int64, action string, subjectID int64) (int, error) {
	var n int
	err := q.db.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE organisation_id = $1 AND action = $2 AND subject_id = $3`, orgID, action, subjectID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("audit count: %w", err)
	}
	return n, nil
}

// OrganisationContact reads the organisation's contact details (issue 10.3).
func (q *Queries) OrganisationContact(ctx context.Context, orgID int64) (contact.Organisation, error) {
	var o contact.Organisation
	err := q.db.QueryRow(ctx, `SELECT name, street, postcode, city, phone, email, website, kvk, fg_name, fg_email, fg_phone
		FROM organisations WHERE id = $1`, orgID).Scan(&o.Name, &o.Street, &o.Postcode, &o.City, &o.Phone, &o.Email, &o.Website,
		&o.KvK, &o.FGName, &o.FGEmail, &o.FGPhone)
	if err != nil {
		return o, notFound(err, "organisation contact", "Deze organisatie bestaat niet.")
	}
	return o, nil
}

// SetOrganisationContact stores the organisation's contact details (checked
// by contact.Organisation.Check; the name is not changed) and returns the
// details as they were, for the audit log, in one statement.
func (q *Queries) SetOrganisationContact(ctx context.Context, orgID int64, o contact.Organisation) (contact.Organisation, error) {
	var old contact.Organisation
	err := q.db.QueryRow(ctx, `
		UPDATE organisations n SET street = $2, postcode = $3, city = $4, phone = $5, email = $6, website = $7,
		       kvk = $8, fg_name = $9, fg_email = $10, fg_phone = $11
		FROM (SELECT id, name, street, postcode, city, phone, email, website, kvk, fg_name, fg_email, fg_phone
		      FROM organisations WHERE id = $1 FOR UPDATE) o
		WHERE n.id = o.id
		RETURNING o.name, o.street, o.postcode, o.city, o.phone, o.email, o.website, o.kvk, o.fg_name, o.fg_email, o.fg_phone`,
		orgID, o.Street, o.Postcode, o.City, o.Phone, o.Email, o.Website, o.KvK, o.FGName, o.FGEmail, o.FGPhone).
		Scan(&old.Name, &old.Street, &old.Postcode, &old.City, &old.Phone, &old.Email, &old.Website,
			&old.KvK, &old.FGName, &old.FGEmail, &old.FGPhone)
	if err != nil {
		return old, notFound(err, "set organisation contact", "Deze organisatie bestaat niet.")
	}
	return old, nil
}

// SchoolContact reads a school's contact details within the organisation;
// a school of another organisation does not exist.
func (q *Queries) SchoolContact(ctx context.Context, orgID, schoolID int64) (contact.School, error) {
	var s contact.School
	err := q.db.QueryRow(ctx, `SELECT id, name, street, postcode, city, phone, email, website, brin
		FROM schools WHERE organisation_id = $1 AND id = $2`, orgID, schoolID).Scan(&s.ID, &s.Name,
		&s.Street, &s.Postcode, &s.City, &s.Phone, &s.Email, &s.Website, &s.BRIN)
	if err != nil {
		return s, notFound(err, "school contact", "Deze school bestaat niet.")
	}
	return s, nil
}

// SetSchoolContact stores a school's contact details (the name is not
// changed) and returns them as they were.
func (q *Queries) SetSchoolContact(ctx context.Context, orgID, schoolID int64, s contact.School) (contact.School, error) {
	var old contact.School
	err := q.db.QueryRow(ctx, `
		UPDATE schools n SET street = $3, postcode = $4, city = $5, phone = $6, email = $7, website = $8, brin = $9
		FROM (SELECT id, name, street, postcode, city, phone, email, website, brin
		      FROM schools WHERE organisation_id = $1 AND id = $2 FOR UPDATE) o
		WHERE n.id = o.id
		RETURNING o.id, o.name, o.street, o.postcode, o.city, o.phone, o.email, o.website, o.brin`,
		orgID, schoolID, s.Street, s.Postcode, s.City, s.Phone, s.Email, s.Website, s.BRIN).
		Scan(&old.ID, &old.Name, &old.Street, &old.Postcode, &old.City, &old.Phone, &old.Email, &old.Website, &old.BRIN)
	if err != nil {
		return old, notFound(err, "set school contact", "Deze school bestaat niet.")
	}
	return old, nil
}
