package service

import (
	"context"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/contact"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Changes of contact details in the audit log (issue 10.3). Their details
// hold the fields that changed, as they were ("from") and became ("to"):
// addresses and numbers of the organisation and its schools, and the FG's
// business contact details, which the organisation publishes anyway (AVG
// article 37 lid 7). Never anything from a case.
const (
	AuditOrganisationContact = "organisation_contact_changed"
	AuditSchoolContact       = "school_contact_changed"
)

// OrganisationContact reads the organisation's contact details for the
// administrator's form.
func (s *Accounts) OrganisationContact(ctx context.Context, a *access.Actor) (contact.Organisation, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageSchools); err != nil {
		return contact.Organisation{}, err
	}
	return s.d.Store.OrganisationContact(ctx, a.OrganisationID)
}

// SetOrganisationContact checks and stores the organisation's contact
// details and the FG's (administrators only), with the audit entry of what
// changed in the same transaction. It returns the details as stored; on
// bad input, an Invalid error with a message per field.
func (s *Accounts) SetOrganisationContact(ctx context.Context, a *access.Actor, in contact.Organisation) (contact.Organisation, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageSchools); err != nil {
		return contact.Organisation{}, err
	}
	checked, err := in.Check()
	if err != nil {
		return contact.Organisation{}, err
	}
	now := s.d.Now()
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		old, err := q.SetOrganisationContact(ctx, a.OrganisationID, checked)
		if err != nil {
			return err
		}
		checked.Name = old.Name
		from, to := contact.Changes(old.Values(), checked.Values())
		if len(to) == 0 {
			return nil
		}
		return audit(ctx, q, a.OrganisationID, now, &a.UserID, AuditOrganisationContact, a.OrganisationID,
			map[string]any{"from": from, "to": to})
	})
	if err != nil {
		return contact.Organisation{}, err
	}
	return checked, nil
}

// SchoolContact reads a school's contact details for the administrator's
// form; a school of another organisation is NotFound.
func (s *Accounts) SchoolContact(ctx context.Context, a *access.Actor, schoolID int64) (contact.School, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageSchools); err != nil {
		return contact.School{}, err
	}
	return s.d.Store.SchoolContact(ctx, a.OrganisationID, schoolID)
}

// SetSchoolContact is SetOrganisationContact for one school of the
// administrator's organisation.
func (s *Accounts) SetSchoolContact(ctx context.Context, a *access.Actor, schoolID int64, in contact.School) (contact.School, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageSchools); err != nil {
		return contact.School{}, err
	}
	checked, err := in.Check()
	if err != nil {
		return contact.School{}, err
	}
	now := s.d.Now()
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		old, err := q.SetSchoolContact(ctx, a.OrganisationID, schoolID, checked)
		if err != nil {
			return err
		}
		checked.ID, checked.Name = old.ID, old.Name
		from, to := contact.Changes(old.Values(), checked.Values())
		if len(to) == 0 {
			return nil
		}
		return audit(ctx, q, a.OrganisationID, now, &a.UserID, AuditSchoolContact, schoolID,
			map[string]any{"from": from, "to": to})
	})
	if err != nil {
		return contact.School{}, err
	}
	return checked, nil
}

// Letterhead is the head of a letter about case id: the details of the
// case's school, where empty the organisation's (contact.LetterheadOf), and
// the FG's, with the fields still missing named. For whoever may view the
// case; for anyone else the case does not exist.
func (s *Incidents) Letterhead(ctx context.Context, a *access.Actor, id int64) (contact.Letterhead, error) {
	ctx = scoped(ctx, a)
	if a == nil {
		return contact.Letterhead{}, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	org := a.OrganisationID
	var c incident.Case
	var rel incident.Relation
	err := s.d.Store.Gather(ctx,
		func(q *store.Queries) (err error) { c, err = q.Case(ctx, org, id); return err },
		func(q *store.Queries) (err error) { rel, err = q.CaseRelation(ctx, org, id, a.UserID); return err })
	if err != nil {
		return contact.Letterhead{}, err
	}
	if !incident.CanViewWith(a, &c, rel) {
		return contact.Letterhead{}, apperr.NotFoundf("Deze melding bestaat niet, of u mag haar niet inzien.")
	}
	return caseLetterhead(ctx, s.d.Store.Queries, org, &c)
}
