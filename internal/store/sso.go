package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// SSOProvider is an OpenID Connect provider of an organisation (issue 11).
// ClientSecret is the sealed (encrypted) secret, never the secret itself.
type SSOProvider struct {
	ID             int64
	OrganisationID int64
	Name           string
	Issuer         string
	ClientID       string
	ClientSecret   []byte
	Domains        []string
}

const ssoProviderColumns = `p.id, p.organisation_id, p.name, p.issuer, p.client_id, p.client_secret,
	coalesce((SELECT array_agg(d.domain ORDER BY d.domain) FROM sso_domains d WHERE d.provider_id = p.id), '{}')`

func scanSSOProvider(r pgx.CollectableRow) (SSOProvider, error) {
	var p SSOProvider
	err := r.Scan(&p.ID, &p.OrganisationID, &p.Name, &p.Issuer, &p.ClientID, &p.ClientSecret, &p.Domains)
	return p, err
}

// SSOProviders lists an organisation's providers.
func (q *Queries) SSOProviders(ctx context.Context, orgID int64) ([]SSOProvider, error) {
	rows, err := q.db.Query(ctx, `SELECT `+ssoProviderColumns+` FROM sso_providers p WHERE p.organisation_id = $1 ORDER BY lower(p.name), p.id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("sso providers: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanSSOProvider)
	if err != nil {
		return nil, fmt.Errorf("sso providers: %w", err)
	}
	return out, nil
}

// SSOProvider loads one provider of the organisation.
func (q *Queries) SSOProvider(ctx context.Context, orgID, id int64) (SSOProvider, error) {
	rows, err := q.db.Query(ctx, `SELECT `+ssoProviderColumns+` FROM sso_providers p WHERE p.organisation_id = $1 AND p.id = $2`, orgID, id)
	if err != nil {
		return SSOProvider{}, fmt.Errorf("sso provider: %w", err)
	}
	p, err := pgx.CollectExactlyOneRow(rows, scanSSOProvider)
	if err != nil {
		return p, notFound(err, "sso provider", "Deze inlogdienst bestaat niet.")
	}
	return p, nil
}

// SSOProviderByID loads a provider by id alone: the sign-in, which happens
// before anyone's organisation is known.
func (q *Queries) SSOProviderByID(ctx context.Context, id int64) (SSOProvider, error) {
	rows, err := q.db.Query(ctx, `SELECT `+ssoProviderColumns+` FROM sso_providers p WHERE p.id = $1`, id)
	if err != nil {
		return SSOProvider{}, fmt.Errorf("sso provider: %w", err)
	}
	p, err := pgx.CollectExactlyOneRow(rows, scanSSOProvider)
	if err != nil {
		return p, notFound(err, "sso provider", "Deze inlogdienst bestaat niet (meer).")
	}
	return p, nil
}

// SSOProviderForDomain finds the provider that serves an e-mail domain, in
// any organisation; NotFound when none does.
func (q *Queries) SSOProviderForDomain(ctx context.Context, domain string) (SSOProvider, error) {
	rows, err := q.db.Query(ctx, `SELECT `+ssoProviderColumns+` FROM sso_providers p JOIN sso_domains d0 ON d0.provider_id = p.id WHERE d0.domain = $1`, domain)
	if err != nil {
		return SSOProvider{}, fmt.Errorf("sso provider for domain: %w", err)
	}
	p, err := pgx.CollectExactlyOneRow(rows, scanSSOProvider)
	if err != nil {
		return p, notFound(err, "sso provider for domain", "Voor dit domein is geen inlogdienst ingesteld.")
	}
	return p, nil
}

// SaveSSOProvider creates (ID 0) or changes a provider with its domains.
// A nil ClientSecret keeps the stored one. A domain of another provider is
// refused (Invalid, on the field "domains").
func (q *Queries) SaveSSOProvider(ctx context.Context, p SSOProvider, now time.Time) (int64, error) {
	var err error
	if p.ID == 0 {
		err = q.db.QueryRow(ctx, `
			INSERT INTO sso_providers (organisation_id, name, issuer, client_id, client_secret, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, p.OrganisationID, p.Name, p.Issuer, p.ClientID, p.ClientSecret, now).Scan(&p.ID)
	} else {
		var tag interface{ RowsAffected() int64 }
		tag, err = q.db.Exec(ctx, `
			UPDATE sso_providers SET name = $3, issuer = $4, client_id = $5, client_secret = coalesce($6, client_secret), updated_at = $7
			WHERE organisation_id = $1 AND id = $2`, p.OrganisationID, p.ID, p.Name, p.Issuer, p.ClientID, p.ClientSecret, now)
		if err == nil && tag.RowsAffected() == 0 {
			return 0, apperr.NotFoundf("Deze inlogdienst bestaat niet.")
		}
	}
	if err != nil {
		return 0, fmt.Errorf("save sso provider: %w", err)
	}
	if _, err := q.db.Exec(ctx, `DELETE FROM sso_domains WHERE provider_id = $1`, p.ID); err != nil {
		return 0, fmt.Errorf("save sso provider: %w", err)
	}
	_, err = q.db.Exec(ctx, `INSERT INTO sso_domains (domain, organisation_id, provider_id) SELECT d, $2, $3 FROM unnest($1::text[]) AS d`,
		p.Domains, p.OrganisationID, p.ID)
	if code, _ := pgCode(err); code == codeUniqueViolation {
		return 0, &apperr.Error{Kind: apperr.Invalid, Message: "Een van deze domeinen is al in gebruik.",
			Fields: map[string]string{"domains": "Een van deze domeinen hoort al bij een andere inlogdienst, van uw of van een andere organisatie. Een domein kan maar bij één inlogdienst horen."}}
	}
	if err != nil {
		return 0, fmt.Errorf("save sso provider: %w", err)
	}
	return p.ID, nil
}

// DeleteSSOProvider removes a provider of the organisation and its domains.
func (q *Queries) DeleteSSOProvider(ctx context.Context, orgID, id int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM sso_providers WHERE organisation_id = $1 AND id = $2`, orgID, id)
	if err != nil {
		return fmt.Errorf("delete sso provider: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.NotFoundf("Deze inlogdienst bestaat niet.")
	}
	return nil
}

// SSOPolicy is whether an organisation requires single sign-on, and who may
// still use a password.
type SSOPolicy struct {
	Required   bool
	BreakGlass int64 // 0: none chosen
}

// SSOPolicy loads the organisation's single sign-on policy.
func (q *Queries) SSOPolicy(ctx context.Context, orgID int64) (SSOPolicy, error) {
	var p SSOPolicy
	var bg *int64
	if err := q.db.QueryRow(ctx, `SELECT sso_required, sso_break_glass_id FROM organisations WHERE id = $1`, orgID).Scan(&p.Required, &bg); err != nil {
		return p, notFound(err, "sso policy", "Deze organisatie bestaat niet.")
	}
	if bg != nil {
		p.BreakGlass = *bg
	}
	return p, nil
}

// SetSSOPolicy stores the organisation's single sign-on policy.
func (q *Queries) SetSSOPolicy(ctx context.Context, orgID int64, p SSOPolicy) error {
	var bg *int64
	if p.BreakGlass != 0 {
		bg = &p.BreakGlass
	}
	_, err := q.db.Exec(ctx, `UPDATE organisations SET sso_required = $2, sso_break_glass_id = $3 WHERE id = $1`, orgID, p.Required, bg)
	if code, _ := pgCode(err); code == codeForeignKeyViolation || code == codeCheckViolation {
		return &apperr.Error{Kind: apperr.Invalid, Message: "Kies een beheerder van uw organisatie als noodaccount.",
			Fields: map[string]string{"break_glass": "Kies een beheerder van uw organisatie die met een wachtwoord mag blijven inloggen."}}
	}
	if err != nil {
		return fmt.Errorf("set sso policy: %w", err)
	}
	return nil
}
