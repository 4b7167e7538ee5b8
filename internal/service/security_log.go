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
	ctx = scoped(ctx, a)
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
	// Attachment is the file downloaded (its id and, while it exists, its
	// name), for ReadAttachment.
	Attachment int64
	Filename   string
	Address    string
}

// CaseReadsView is who read a case, for its "Ingezien door".
type CaseReadsView struct {
	Case  incident.Case
	Reads []CaseRead
	// More is true when limit cut the list short.
	More bool
}

// CaseReads returns who read case id, newest first, at most limit (0: all):
// for the FG of the case's school only, at every step.
func (s *Incidents) CaseReads(ctx context.Context, a *access.Actor, id int64, limit int) (CaseReadsView, error) {
	ctx = scoped(ctx, a)
	if a == nil {
		return CaseReadsView{}, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	c, err := s.d.Store.Case(ctx, a.OrganisationID, id)
	if err != nil {
		return CaseReadsView{}, err
	}
	if !incident.CanViewReads(a, &c) {
		if !incident.CanViewDossier(a, &c) {
			return CaseReadsView{}, apperr.NotFoundf("Deze melding bestaat niet, of u mag haar niet inzien.")
		}
		return CaseReadsView{}, apperr.Forbiddenf("Wie een melding heeft ingezien, ziet alleen de FG.")
	}
	ask := limit + 1
	if limit <= 0 {
		ask = 1 << 30
	}
	actions := make([]string, len(incident.CaseReads))
	for i, r := range incident.CaseReads {
		actions[i] = string(r)
	}
	rows, err := s.d.Store.CaseReads(ctx, a.OrganisationID, id, actions, ask)
	if err != nil {
		return CaseReadsView{}, err
	}
	v := CaseReadsView{Case: c}
	if limit > 0 && len(rows) > limit {
		rows, v.More = rows[:limit], true
	}
	v.Reads = make([]CaseRead, len(rows))
	for i, r := range rows {
		v.Reads[i] = CaseRead{At: r.At, UserID: r.UserID, UserName: r.UserName, What: incident.Read(r.Action), Address: r.Address}
		if v.Reads[i].What == incident.ReadAttachment {
			v.Reads[i].Attachment, v.Reads[i].Filename = r.SubjectID, r.Filename
		}
	}
	return v, nil
}

// AuditSecurityLogExported is the export of the security log itself: it
// holds addresses, so reading it is recorded too.
const AuditSecurityLogExported = "security_log_exported"

// SecurityLogLimit is how many events the page shows; the export has all.
const SecurityLogLimit = 200

// securityLabels are the Dutch names of the security log's actions.
var securityLabels = map[string]string{
	AuditSignedIn:             "Ingelogd",
	AuditSignInFailed:         "Inloggen mislukt",
	AuditSignedOut:            "Uitgelogd",
	AuditPasswordSet:          "Wachtwoord ingesteld",
	"password_link_created":   "Eenmalige wachtwoordlink gemaakt",
	"user_created":            "Account aangemaakt",
	AuditUserUpdated:          "Account of rollen gewijzigd",
	"retention_changed":       "Bewaartermijn gewijzigd",
	"exception_review_months": "Termijn voor herbeoordeling gewijzigd",
	AuditProcessorCreated:     "Verwerker toegevoegd",
	AuditProcessorUpdated:     "Verwerker gewijzigd",
	AuditAnalysisCreate:       "Halfjaaranalyse gemaakt",
	AuditAnalysisUpdate:       "Halfjaaranalyse gewijzigd",
	AuditAnalysisShare:        "Halfjaaranalyse gedeeld met het bestuur",
	AuditSecurityLogExported:  "Beveiligingslog geëxporteerd",
	AuditOrganisationContact:  "Contactgegevens van de organisatie gewijzigd",
	AuditSchoolContact:        "Contactgegevens van een school gewijzigd",
}

// SecurityLabel is the Dutch name of a security log action.
func SecurityLabel(action string) string {
	if l, ok := securityLabels[action]; ok {
		return l
	}
	if r := incident.Read(action); r.Label() != action {
		return r.Label()
	}
	return action
}

// SecurityLog calls fn for the organisation's security log, newest first,
// at most limit events (0: all, for the export, which is itself recorded):
// for an organisation-wide FG or administrator only.
func (s *Accounts) SecurityLog(ctx context.Context, a *access.Actor, limit int, fn func(store.SecurityEvent) error) error {
	ctx = scoped(ctx, a)
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	if !incident.CanViewSecurityLog(a) {
		return apperr.Forbiddenf("Het beveiligingslog is er alleen voor de FG en de beheerder van de hele organisatie.")
	}
	if limit <= 0 {
		if err := s.d.Store.RecordRead(ctx, store.AuditEntry{OrganisationID: a.OrganisationID, At: s.d.Now(), ActorID: &a.UserID,
			Action: AuditSecurityLogExported, SubjectID: a.OrganisationID, Address: access.AddressFrom(ctx)}); err != nil {
			return err
		}
	}
	return s.d.Store.EachSecurityEvent(ctx, a.OrganisationID, limit, fn)
}
