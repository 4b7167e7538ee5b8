package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// Reports from outside (issue 12): the public page of an organisation, the
// stand-in reporter account, where a case came from, the rate limits.

// StandInName is the name of an organisation's stand-in reporter account.
const StandInName = "Melder van buiten"

// StandInUser returns the organisation's stand-in reporter account, creating
// it the first time: never active, no password, no roles.
func (q *Queries) StandInUser(ctx context.Context, orgID int64) (int64, error) {
	_, err := q.db.Exec(ctx, `
		INSERT INTO users (organisation_id, email, name, active, stand_in)
		VALUES ($1::bigint, 'melder-van-buiten-' || $1::bigint::text || '@lekwacht.invalid', $2, false, true)
		ON CONFLICT DO NOTHING`, orgID, StandInName)
	if err != nil {
		return 0, fmt.Errorf("stand-in user: %w", err)
	}
	var id int64
	if err := q.db.QueryRow(ctx, `SELECT id FROM users WHERE organisation_id = $1 AND stand_in`, orgID).Scan(&id); err != nil {
		return 0, fmt.Errorf("stand-in user: %w", err)
	}
	return id, nil
}

// PublicPage is an organisation's public report page.
type PublicPage struct {
	OrganisationID   int64
	OrganisationName string
	Slug             string
	Enabled          bool
}

// PublicPageBySlug finds the page of a slug, on or off.
func (q *Queries) PublicPageBySlug(ctx context.Context, slug string) (PublicPage, error) {
	var p PublicPage
	err := q.db.QueryRow(ctx, `
		SELECT p.organisation_id, o.name, p.slug, p.enabled
		FROM public_pages p JOIN organisations o ON o.id = p.organisation_id WHERE p.slug = $1`, slug).
		Scan(&p.OrganisationID, &p.OrganisationName, &p.Slug, &p.Enabled)
	if err != nil {
		return p, notFound(err, "public page", "Deze pagina bestaat niet.")
	}
	return p, nil
}

// PublicPageOf returns the organisation's page; ok is false when none was set up.
func (q *Queries) PublicPageOf(ctx context.Context, orgID int64) (PublicPage, bool, error) {
	p, err := q.PublicPageBySlugOrg(ctx, orgID)
	if apperr.Is(err, apperr.NotFound) {
		return PublicPage{OrganisationID: orgID}, false, nil
	}
	return p, err == nil, err
}

// PublicPageBySlugOrg loads the page of an organisation.
func (q *Queries) PublicPageBySlugOrg(ctx context.Context, orgID int64) (PublicPage, error) {
	var p PublicPage
	err := q.db.QueryRow(ctx, `
		SELECT p.organisation_id, o.name, p.slug, p.enabled
		FROM public_pages p JOIN organisations o ON o.id = p.organisation_id WHERE p.organisation_id = $1`, orgID).
		Scan(&p.OrganisationID, &p.OrganisationName, &p.Slug, &p.Enabled)
	if err != nil {
		return p, notFound(err, "public page of organisation", "Deze organisatie heeft geen meldpagina.")
	}
	return p, nil
}

// SavePublicPage sets an organisation's slug and whether the page is on.
func (q *Queries) SavePublicPage(ctx context.Context, orgID, by int64, slug string, enabled bool, at time.Time) error {
	_, err := q.db.Exec(ctx, `
		INSERT INTO public_pages (organisation_id, slug, enabled, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (organisation_id) DO UPDATE SET slug = $2, enabled = $3, updated_at = $4, updated_by = $5`,
		orgID, slug, enabled, at, by)
	if code, constraint := pgCode(err); code == codeUniqueViolation && constraint == "public_pages_slug_key" {
		return &apperr.Error{Kind: apperr.Invalid, Message: "Dit adres is al in gebruik.",
			Fields: map[string]string{"slug": "Een andere organisatie gebruikt dit adres al. Kies een ander."}, Err: err}
	}
	if err != nil {
		return fmt.Errorf("save public page: %w", err)
	}
	return nil
}

// InsertCaseSource records where a case came from; followUp is the hash of
// the follow-up code (nil: none).
func (q *Queries) InsertCaseSource(ctx context.Context, orgID, caseID int64, s incident.Source, followUp []byte) error {
	_, err := q.db.Exec(ctx, `
		INSERT INTO case_sources (organisation_id, case_id, kind, reporter_role, name, email, phone, anonymous,
			wants_contact, channel, entered_by, followup_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		orgID, caseID, s.Kind, s.Role, s.Name, s.Email, s.Phone, s.Anonymous, s.WantsContact, s.Channel, s.EnteredByID, followUp)
	if err != nil {
		return fmt.Errorf("insert case source: %w", err)
	}
	return nil
}

// CaseByFollowUp finds the case of a follow-up code's hash within one
// organisation: a code never opens a case of another.
func (q *Queries) CaseByFollowUp(ctx context.Context, orgID int64, hash []byte) (int64, error) {
	var id int64
	err := q.db.QueryRow(ctx, `
		SELECT case_id FROM case_sources WHERE organisation_id = $1 AND followup_hash = $2`, orgID, hash).Scan(&id)
	if err != nil {
		return 0, notFound(err, "case by follow-up code", "Deze code kennen we niet. Kijk of u hem goed hebt overgenomen.")
	}
	return id, nil
}

// PublicAttempts counts the reports sent through the organisation's page since
// a moment, in all and from one address, with the oldest of each in that window.
func (q *Queries) PublicAttempts(ctx context.Context, orgID int64, addrHash []byte, since time.Time) (org, addr int, orgFirst, addrFirst *time.Time, err error) {
	err = q.db.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE address_hash = $2), min(at), min(at) FILTER (WHERE address_hash = $2)
		FROM public_report_attempts WHERE organisation_id = $1 AND at > $3`, orgID, addrHash, since).
		Scan(&org, &addr, &orgFirst, &addrFirst)
	if err != nil {
		err = fmt.Errorf("public attempts: %w", err)
	}
	return
}

// AddPublicAttempt records a report sent through the page, and forgets
// those older than a day.
func (q *Queries) AddPublicAttempt(ctx context.Context, orgID int64, addrHash []byte, at time.Time) error {
	if _, err := q.db.Exec(ctx, `DELETE FROM public_report_attempts WHERE organisation_id = $1 AND at < $2`, orgID, at.Add(-24*time.Hour)); err != nil {
		return fmt.Errorf("prune public attempts: %w", err)
	}
	if _, err := q.db.Exec(ctx, `INSERT INTO public_report_attempts (organisation_id, address_hash, at) VALUES ($1, $2, $3)`, orgID, addrHash, at); err != nil {
		return fmt.Errorf("add public attempt: %w", err)
	}
	return nil
}

// LockPublicPage takes the page's row lock, so that concurrent reports are
// counted against the limits one after the other.
func (q *Queries) LockPublicPage(ctx context.Context, orgID int64) error {
	if _, err := q.db.Exec(ctx, `SELECT 1 FROM public_pages WHERE organisation_id = $1 FOR UPDATE`, orgID); err != nil {
		return fmt.Errorf("lock public page: %w", err)
	}
	return nil
}

// NewProcessorLink stores the hash of a processor's new private link and
// revokes the one in force, if any.
func (q *Queries) NewProcessorLink(ctx context.Context, orgID, processorID, by int64, hash []byte, at time.Time) error {
	if _, err := q.db.Exec(ctx, `UPDATE processor_links SET revoked_at = $4, revoked_by = $3
		WHERE organisation_id = $1 AND processor_id = $2 AND revoked_at IS NULL`, orgID, processorID, by, at); err != nil {
		return fmt.Errorf("revoke old processor link: %w", err)
	}
	_, err := q.db.Exec(ctx, `INSERT INTO processor_links (organisation_id, processor_id, token_hash, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5)`, orgID, processorID, hash, at, by)
	if code, _ := pgCode(err); code == codeForeignKeyViolation {
		return apperr.NotFoundf("Deze verwerker bestaat niet.")
	}
	if err != nil {
		return fmt.Errorf("new processor link: %w", err)
	}
	return nil
}

// RevokeProcessorLink revokes the processor's link in force.
func (q *Queries) RevokeProcessorLink(ctx context.Context, orgID, processorID, by int64, at time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE processor_links SET revoked_at = $4, revoked_by = $3
		WHERE organisation_id = $1 AND processor_id = $2 AND revoked_at IS NULL`, orgID, processorID, by, at)
	if err != nil {
		return fmt.Errorf("revoke processor link: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.Conflictf("Deze verwerker heeft geen link die nog geldt.")
	}
	return nil
}

// ProcessorLinkSince returns when the processor's link in force was made (nil: none).
func (q *Queries) ProcessorLinkSince(ctx context.Context, orgID, processorID int64) (*time.Time, error) {
	var at *time.Time
	err := q.db.QueryRow(ctx, `SELECT max(created_at) FROM processor_links
		WHERE organisation_id = $1 AND processor_id = $2 AND revoked_at IS NULL`, orgID, processorID).Scan(&at)
	if err != nil {
		return nil, fmt.Errorf("processor link: %w", err)
	}
	return at, nil
}

// ProcessorByLink finds the organisation and processor of a link in force.
func (q *Queries) ProcessorByLink(ctx context.Context, hash []byte) (orgID, processorID int64, err error) {
	err = q.db.QueryRow(ctx, `SELECT organisation_id, processor_id FROM processor_links
		WHERE token_hash = $1 AND revoked_at IS NULL`, hash).Scan(&orgID, &processorID)
	if err != nil {
		err = notFound(err, "processor by link", "Deze link werkt niet (meer). Vraag de school om een nieuwe.")
	}
	return
}

// ProcessorLinkReports locks the processor's link in force (reports through
// it are counted one at a time) and counts the cases it reported itself
// since a moment, with the oldest of them: linked by the stand-in account,
// as only a report through the link is.
func (q *Queries) ProcessorLinkReports(ctx context.Context, orgID, processorID, standIn int64, since time.Time) (n int, first *time.Time, err error) {
	if _, err = q.db.Exec(ctx, `SELECT 1 FROM processor_links WHERE organisation_id = $1 AND processor_id = $2 AND revoked_at IS NULL FOR UPDATE`,
		orgID, processorID); err != nil {
		return 0, nil, fmt.Errorf("lock processor link: %w", err)
	}
	err = q.db.QueryRow(ctx, `SELECT count(*), min(linked_at) FROM case_processors
		WHERE organisation_id = $1 AND processor_id = $2 AND linked_by = $3 AND linked_at > $4`,
		orgID, processorID, standIn, since).Scan(&n, &first)
	if err != nil {
		err = fmt.Errorf("processor link reports: %w", err)
	}
	return
}

// OrganisationName returns the name of an organisation.
func (q *Queries) OrganisationName(ctx context.Context, orgID int64) (string, error) {
	var name string
	if err := q.db.QueryRow(ctx, `SELECT name FROM organisations WHERE id = $1`, orgID).Scan(&name); err != nil {
		return "", notFound(err, "organisation name", "Deze organisatie bestaat niet.")
	}
	return name, nil
}
