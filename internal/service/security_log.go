package service

import (
	"context"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Security events written to the audit log besides the changes of accounts
// and settings (issue 15.4). The reads of sensitive data are incident.Read.
const (
	AuditSignedIn     = "signed_in"
	AuditSignInFailed = "signin_failed"
	AuditSignedOut    = "signed_out"
	AuditPasswordSet  = "password_set"
	AuditUserUpdated  = "user_updated" // name, active and roles; details hold the roles
)

// audit writes one row of the security log in the transaction of q, with
// the address of the request in ctx.
func audit(ctx context.Context, q *store.Queries, orgID int64, at time.Time, actorID *int64, action string, subjectID int64, details map[string]any) error {
	return q.AddAuditEntry(ctx, store.AuditEntry{OrganisationID: orgID, At: at, ActorID: actorID, Action: action,
		SubjectID: subjectID, Address: access.AddressFrom(ctx), Details: details})
}

// recordRead writes a's read of sensitive data to the security log, in one
// round trip and without waiting for the disk (store.RecordRead). The read
// has been authorised; if it cannot be recorded the page is not shown.
func (s *Incidents) recordRead(ctx context.Context, a *access.Actor, r incident.Read, caseID *int64, subjectID int64, details map[string]any) error {
	return s.d.Store.RecordRead(ctx, store.AuditEntry{OrganisationID: a.OrganisationID, At: s.d.Now(), ActorID: &a.UserID,
		Action: string(r), SubjectID: subjectID, CaseID: caseID, Address: access.AddressFrom(ctx), Details: details})
}

// CasePage is Case for the case page itself: the read is recorded in the
// security log (who, from where, when), for the FG's "Ingezien door". With
// it, for the FG, who read the case before.
func (s *Incidents) CasePage(ctx context.Context, a *access.Actor, id int64) (CaseView, error) {
	v, err := s.Case(ctx, a, id)
	if err != nil {
		return v, err
	}
	if err := s.recordRead(ctx, a, incident.ReadCasePage, &id, id, nil); err != nil {
		return CaseView{}, err
	}
	return v, nil
}

// CaseReadsLimit is how many reads the case page lists; the export has all.
const CaseReadsLimit = 200

// CaseRead is one read of a case, as the FG sees it.
type CaseRead struct {
	At       time.Time
	UserID   int64
	UserName string
	What     incident.Read
	// Attachment is the file downloaded (its id), for ReadAttachment.
	Attachment int64
	Address    string
}

// CaseReads returns who read case id, newest first, at most limit (0: all):
// for the FG of the case's school only, at every step.
func (s *Incidents) CaseReads(ctx context.Context, a *access.Actor, id int64, limit int) ([]CaseRead, error) {
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	c, err := s.d.Store.Case(ctx, a.OrganisationID, id)
	if err != nil {
		return nil, err
	}
	if !incident.CanViewReads(a, &c) {
		if !incident.CanViewDossier(a, &c) {
			return nil, apperr.NotFoundf("Deze melding bestaat niet, of u mag haar niet inzien.")
		}
		return nil, apperr.Forbiddenf("Wie een melding heeft ingezien, ziet alleen de FG.")
	}
	if limit <= 0 {
		limit = 1 << 30
	}
	actions := make([]string, len(incident.CaseReads))
	for i, r := range incident.CaseReads {
		actions[i] = string(r)
	}
	rows, err := s.d.Store.CaseReads(ctx, a.OrganisationID, id, actions, limit)
	if err != nil {
		return nil, err
	}
	out := make([]CaseRead, len(rows))
	for i, r := range rows {
		out[i] = CaseRead{At: r.At, UserID: r.UserID, UserName: r.UserName, What: incident.Read(r.Action), Address: r.Address}
		if out[i].What == incident.ReadAttachment {
			out[i].Attachment = r.SubjectID
		}
	}
	return out, nil
}
