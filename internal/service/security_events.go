package service

import (
	"context"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Security events of signing in (issue 11): one function per event, so that
// a security log can be attached here in one place. Each writes only ids and
// kinds: never an address, e-mail, code, secret or token. The ones that
// change an account run inside that change's transaction and write the
// audit row there.

// eventSignedIn: a user got in; method is "password", "password+totp" or "sso".
func (s *Accounts) eventSignedIn(ctx context.Context, a *access.Actor, method string) error {
	s.d.Logger.Info("signed in", "user_id", a.UserID, "organisation_id", a.OrganisationID, "method", method)
	return s.d.Store.AddAuditEntry(ctx, store.AuditEntry{OrganisationID: a.OrganisationID, At: s.d.Now(),
		ActorID: &a.UserID, Action: AuditSignedIn, SubjectID: a.UserID, Address: access.AddressFrom(ctx),
		Details: map[string]any{"method": method}})
}

// eventSecondFactorFailed: a wrong code at the second step.
func (s *Accounts) eventSecondFactorFailed(_ context.Context, userID int64) {
	s.d.Logger.Info("second factor refused", "user_id", userID)
}

// eventRecoveryCodeUsed: a recovery code let a user in (one fewer left).
func (s *Accounts) eventRecoveryCodeUsed(_ context.Context, a *access.Actor) {
	s.d.Logger.Info("recovery code used", "user_id", a.UserID, "organisation_id", a.OrganisationID)
}

// eventSecondFactorEnrolled: a user set up an authenticator.
func (s *Accounts) eventSecondFactorEnrolled(ctx context.Context, q *store.Queries, a *access.Actor, now time.Time) error {
	s.d.Logger.Info("second factor set up", "user_id", a.UserID)
	return q.Audit(ctx, a.OrganisationID, now, &a.UserID, "second_factor_enrolled", a.UserID, nil)
}

// eventRecoveryCodesRenewed: a user replaced their recovery codes.
func (s *Accounts) eventRecoveryCodesRenewed(ctx context.Context, q *store.Queries, a *access.Actor, now time.Time) error {
	s.d.Logger.Info("recovery codes renewed", "user_id", a.UserID)
	return q.Audit(ctx, a.OrganisationID, now, &a.UserID, "recovery_codes_renewed", a.UserID, nil)
}

// eventSecondFactorReset: an administrator removed a user's second factor.
func (s *Accounts) eventSecondFactorReset(ctx context.Context, q *store.Queries, a *access.Actor, userID int64, now time.Time) error {
	s.d.Logger.Info("second factor reset", "user_id", userID, "by", a.UserID)
	return q.Audit(ctx, a.OrganisationID, now, &a.UserID, "second_factor_reset", userID, nil)
}

// eventSessionsEnded: n sessions of userID were ended by a (the user or an administrator).
func (s *Accounts) eventSessionsEnded(_ context.Context, a *access.Actor, userID int64, n int) {
	s.d.Logger.Info("sessions ended", "user_id", userID, "by", a.UserID, "sessions", n)
}

// eventSSOAccountCreated: a first sign-in through a provider created an account without roles.
func (s *Accounts) eventSSOAccountCreated(ctx context.Context, q *store.Queries, p store.SSOProvider, userID int64, now time.Time) error {
	s.d.Logger.Info("account created by single sign-on", "user_id", userID, "provider_id", p.ID)
	return q.Audit(ctx, p.OrganisationID, now, nil, "user_created", userID, map[string]any{"roles": []string{}, "via": "sso", "provider_id": p.ID})
}

// eventSSOProviderSaved: an administrator added or changed a provider (never its secret).
func (s *Accounts) eventSSOProviderSaved(ctx context.Context, q *store.Queries, a *access.Actor, id int64, domains []string, now time.Time) error {
	s.d.Logger.Info("sso provider saved", "provider_id", id, "by", a.UserID)
	return q.Audit(ctx, a.OrganisationID, now, &a.UserID, "sso_provider_saved", id, map[string]any{"domains": domains})
}
