package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// AnalysisCases loads what the half-year analysis reads of every case of
// the organisation within scope reported in [from, until): one query, the
// inventory, repair, initial AP notification and notice to data subjects
// joined in.
func (q *Queries) AnalysisCases(ctx context.Context, orgID int64, scope access.Scope, from, until time.Time) ([]incident.AnalysisCase, error) {
	if scope.None() {
		return nil, nil
	}
	rows, err := q.db.Query(ctx, `
		SELECT c.id, c.year, c.seq, c.school_id, coalesce(s.name, ''), c.reported_at, c.discovered_at,
			c.clock_start, coalesce(c.outcome, ''), coalesce(i.nature, ''),
			CASE WHEN cardinality(coalesce(i.data_types, '{}')) > 0 THEN i.data_types ELSE c.data_kinds END,
			coalesce(p.cause, ''), coalesce(p.technical_incidental, ''), coalesce(p.technical_structural, ''),
			coalesce(p.organisational_incidental, ''), coalesce(p.organisational_structural, ''),
			n.sent_at, sn.sent_at,
			EXISTS (SELECT 1 FROM case_imports ci WHERE ci.organisation_id = c.organisation_id AND ci.case_id = c.id),
			coalesce(a.notify_subjects, false),
			EXISTS (SELECT 1 FROM case_sources cs WHERE cs.organisation_id = c.organisation_id AND cs.case_id = c.id AND cs.kind IN ('public', 'processor'))
		FROM cases c
		LEFT JOIN schools s ON s.organisation_id = c.organisation_id AND s.id = c.school_id
		LEFT JOIN case_inventories i ON i.organisation_id = c.organisation_id AND i.case_id = c.id
		LEFT JOIN case_repairs p ON p.organisation_id = c.organisation_id AND p.case_id = c.id
		LEFT JOIN case_notifications n ON n.organisation_id = c.organisation_id AND n.case_id = c.id AND n.kind = 'initial'
		LEFT JOIN case_subject_notices sn ON sn.organisation_id = c.organisation_id AND sn.case_id = c.id
		LEFT JOIN case_assessments a ON a.organisation_id = c.organisation_id AND a.case_id = c.id
		WHERE c.organisation_id = $1
		  AND ($2 OR c.school_id = ANY($3))
		  AND c.reported_at >= $4 AND c.reported_at < $5
		ORDER BY c.reported_at, c.id`,
		orgID, scope.All, scope.Schools, from, until)
	if err != nil {
		return nil, fmt.Errorf("analysis cases: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.AnalysisCase, error) {
		var c incident.AnalysisCase
		var ti, ts, oi, os string
		err := r.Scan(&c.ID, &c.Number.Year, &c.Number.Seq, &c.SchoolID, &c.SchoolName, &c.ReportedAt, &c.DiscoveredAt,
			&c.AwareAt, &c.Outcome, &c.Nature, &c.DataKinds, &c.Cause, &ti, &ts, &oi, &os, &c.APNotifiedAt, &c.SubjectsSentAt, &c.Imported, &c.SubjectsInformed, &c.Outside)
		for _, m := range []incident.Measure{{Kind: "Technisch, direct", Text: ti}, {Kind: "Technisch, structureel", Text: ts},
			{Kind: "Organisatorisch, direct", Text: oi}, {Kind: "Organisatorisch, structureel", Text: os}} {
			if m.Text != "" {
				c.Measures = append(c.Measures, m)
			}
		}
		return c, err
	})
}

// InsertAnalysisReport stores a new draft and returns its id.
func (q *Queries) InsertAnalysisReport(ctx context.Context, r incident.AnalysisReport, at time.Time) (int64, error) {
	figs, err := json.Marshal(r.Figures)
	if err != nil {
		return 0, fmt.Errorf("insert analysis: %w", err)
	}
	var id int64
	err = q.db.QueryRow(ctx, `
		INSERT INTO analysis_reports (organisation_id, year, half, scope_all, scope_schools, figures, conclusions, proposals,
			status, author_id, created_at, saved_at, saved_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $10, $9)
		RETURNING id`,
		r.OrganisationID, r.Period.Year, r.Period.Half, r.Scope.All, nonNilIDs(r.Scope.Schools), figs,
		r.Conclusions, r.Proposals, r.AuthorID, at).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert analysis: %w", err)
	}
	return id, nil
}

// AnalysisChange is a change to a draft: its texts, and new figures when
// they were computed again (nil keeps the saved ones).
type AnalysisChange struct {
	Conclusions, Proposals string
	Figures                *incident.AnalysisFigures
}

func (c AnalysisChange) figures() ([]byte, error) {
	if c.Figures == nil {
		return nil, nil
	}
	return json.Marshal(c.Figures)
}

// UpdateAnalysis changes a draft; Conflict when it was shared meanwhile.
func (q *Queries) UpdateAnalysis(ctx context.Context, orgID, id, by int64, c AnalysisChange, at time.Time) error {
	figs, err := c.figures()
	if err != nil {
		return fmt.Errorf("update analysis: %w", err)
	}
	tag, err := q.db.Exec(ctx, `
		UPDATE analysis_reports SET conclusions = $3, proposals = $4, saved_at = $5, saved_by = $6, figures = coalesce($7, figures)
		WHERE organisation_id = $1 AND id = $2 AND status = 'draft'`, orgID, id, c.Conclusions, c.Proposals, at, by, figs)
	if err != nil {
		return fmt.Errorf("update analysis: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.Conflictf("Deze analyse is intussen vastgesteld en kan niet meer worden gewijzigd.")
	}
	return nil
}

// ShareAnalysis marks a draft shared with the board, with the change;
// Conflict when it was shared meanwhile.
func (q *Queries) ShareAnalysis(ctx context.Context, orgID, id, by int64, c AnalysisChange, at time.Time) error {
	figs, err := c.figures()
	if err != nil {
		return fmt.Errorf("share analysis: %w", err)
	}
	tag, err := q.db.Exec(ctx, `
		UPDATE analysis_reports SET conclusions = $3, proposals = $4, saved_at = $5, saved_by = $6, figures = coalesce($7, figures),
			status = 'shared', shared_at = $5, shared_by = $6
		WHERE organisation_id = $1 AND id = $2 AND status = 'draft'`, orgID, id, c.Conclusions, c.Proposals, at, by, figs)
	if err != nil {
		return fmt.Errorf("share analysis: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.Conflictf("Deze analyse is al vastgesteld en gedeeld met het bestuur.")
	}
	return nil
}

const analysisColumns = `r.id, r.organisation_id, r.year, r.half, r.scope_all, r.scope_schools, r.figures,
	r.conclusions, r.proposals, r.status, r.author_id, a.name, r.saved_at, sv.name, r.shared_at, coalesce(sh.name, '')`

const analysisFrom = `FROM analysis_reports r
	JOIN users a ON a.organisation_id = r.organisation_id AND a.id = r.author_id
	JOIN users sv ON sv.organisation_id = r.organisation_id AND sv.id = r.saved_by
	LEFT JOIN users sh ON sh.organisation_id = r.organisation_id AND sh.id = r.shared_by`

func scanAnalysis(r pgx.Row) (incident.AnalysisReport, error) {
	var a incident.AnalysisReport
	var figs []byte
	err := r.Scan(&a.ID, &a.OrganisationID, &a.Period.Year, &a.Period.Half, &a.Scope.All, &a.Scope.Schools, &figs,
		&a.Conclusions, &a.Proposals, &a.Status, &a.AuthorID, &a.AuthorName, &a.SavedAt, &a.SavedByName, &a.SharedAt, &a.SharedByName)
	if err != nil {
		return a, err
	}
	if err := json.Unmarshal(figs, &a.Figures); err != nil {
		return a, fmt.Errorf("analysis figures: %w", err)
	}
	return a, nil
}

// AnalysisReport loads one saved analysis of the organisation.
func (q *Queries) AnalysisReport(ctx context.Context, orgID, id int64) (incident.AnalysisReport, error) {
	a, err := scanAnalysis(q.db.QueryRow(ctx, `SELECT `+analysisColumns+` `+analysisFrom+`
		WHERE r.organisation_id = $1 AND r.id = $2`, orgID, id))
	if err != nil {
		return a, notFound(err, "analysis report", "Deze analyse bestaat niet.")
	}
	return a, nil
}

// AnalysisReports lists the organisation's saved analyses, newest period
// first; sharedOnly leaves out drafts. The caller filters by scope.
func (q *Queries) AnalysisReports(ctx context.Context, orgID int64, sharedOnly bool) ([]incident.AnalysisReport, error) {
	rows, err := q.db.Query(ctx, `SELECT `+analysisColumns+` `+analysisFrom+`
		WHERE r.organisation_id = $1 AND (NOT $2 OR r.status = 'shared')
		ORDER BY r.year DESC, r.half DESC, r.id DESC LIMIT 200`, orgID, sharedOnly)
	if err != nil {
		return nil, fmt.Errorf("analysis reports: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (incident.AnalysisReport, error) { return scanAnalysis(r) })
}

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// BoardReaders lists the active board members of the organisation whose
// board role covers every school of scope (incident.CanReadAnalysis for the
// board): those told when an analysis is shared. Their grants are not
// loaded: notify needs only the account.
func (q *Queries) BoardReaders(ctx context.Context, orgID int64, scope access.Scope) ([]access.Account, error) {
	rows, err := q.db.Query(ctx, `
		SELECT u.id, u.email, u.name, EXISTS (SELECT FROM people p WHERE p.id = u.person_id AND p.password_hash IS NOT NULL), u.active FROM users u
		WHERE u.organisation_id = $1 AND u.active
		  AND (EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.organisation_id = $1
		               AND r.role = 'board' AND r.school_id IS NULL)
		       OR (NOT $2 AND cardinality($3::bigint[]) > 0 AND $3::bigint[] <@ ARRAY(
		           SELECT r.school_id FROM user_roles r WHERE r.user_id = u.id AND r.organisation_id = $1
		           AND r.role = 'board' AND r.school_id IS NOT NULL)))
		ORDER BY u.id`, orgID, scope.All, nonNilIDs(scope.Schools))
	if err != nil {
		return nil, fmt.Errorf("board readers: %w", err)
	}
	return pgx.CollectRows(rows, scanUserRow)
}
