package service

import (
	"context"
	"strconv"
	"strings"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Analyses is the half-year analysis of seed 000 "Monitoring": the desk and
// the officer compute the figures of a half year beside the one before,
// write conclusions and proposed measures, save that as a report and share
// it with the board.
type Analyses struct{ d Deps }

// Audit actions of the analysis.
const (
	AuditAnalysisCreate = "analysis_create"
	AuditAnalysisUpdate = "analysis_update"
	AuditAnalysisShare  = "analysis_share"
)

// AnalysisOverview is the analysis start page.
type AnalysisOverview struct {
	// CanAnalyse is false for the board: they see the shared reports only.
	CanAnalyse bool
	Period     incident.HalfYear
	// Periods are the half years to choose from, newest first.
	Periods []incident.HalfYear
	Figures incident.AnalysisFigures
	Reports []incident.AnalysisReport
}

func signedIn(a *access.Actor) error {
	if a == nil || a.UserID == 0 {
		return apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	return nil
}

// DefaultPeriod is the last half year that has ended: the one analysed
// when the desk sits down with the officer.
func (s *Analyses) DefaultPeriod() incident.HalfYear {
	return incident.HalfYearOf(s.d.Now(), s.d.Location).Previous()
}

// period reads "2026-1"; empty means the default.
func (s *Analyses) period(v string) (incident.HalfYear, error) {
	if strings.TrimSpace(v) == "" {
		return s.DefaultPeriod(), nil
	}
	h, ok := incident.ParseHalfYear(v)
	if !ok || h.Start(s.d.Location).After(s.d.Now()) {
		return h, &apperr.Error{Kind: apperr.Invalid, Message: "Kies een halfjaar uit de lijst.",
			Fields: map[string]string{"period": "Kies een halfjaar uit de lijst."}}
	}
	return h, nil
}

// Periods lists the half years from the current one back five years.
func (s *Analyses) Periods() []incident.HalfYear {
	h := incident.HalfYearOf(s.d.Now(), s.d.Location)
	out := make([]incident.HalfYear, 0, 10)
	for range 10 {
		out = append(out, h)
		h = h.Previous()
	}
	return out
}

// Overview is the start page: for the desk and officer the live figures of
// the chosen half year and every report they may read; for the board the
// shared reports.
func (s *Analyses) Overview(ctx context.Context, a *access.Actor, period string) (AnalysisOverview, error) {
	ctx = scoped(ctx, a)
	var v AnalysisOverview
	if err := signedIn(a); err != nil {
		return v, err
	}
	if !incident.CanReadAnalyses(a) {
		return v, apperr.Forbiddenf("Alleen het meldpunt, de FG en het bestuur zien de halfjaaranalyse.")
	}
	v.CanAnalyse = incident.CanAnalyse(a)
	v.Periods = s.Periods()
	if v.CanAnalyse {
		figs, h, err := s.Figures(ctx, a, period)
		if err != nil {
			return v, err
		}
		v.Period, v.Figures = h, figs
	}
	all, err := s.d.Store.AnalysisReports(ctx, a.OrganisationID, !v.CanAnalyse)
	if err != nil {
		return v, err
	}
	for i := range all {
		if incident.CanReadAnalysis(a, &all[i]) {
			v.Reports = append(v.Reports, all[i])
		}
	}
	return v, nil
}

// Figures computes the analysis of a half year ("2026-1"; empty: the last
// one ended) over the cases of the actor's schools, from the database.
func (s *Analyses) Figures(ctx context.Context, a *access.Actor, period string) (incident.AnalysisFigures, incident.HalfYear, error) {
	ctx = scoped(ctx, a)
	if err := signedIn(a); err != nil {
		return incident.AnalysisFigures{}, incident.HalfYear{}, err
	}
	if !incident.CanAnalyse(a) {
		return incident.AnalysisFigures{}, incident.HalfYear{}, apperr.Forbiddenf("Alleen het meldpunt en de FG maken de halfjaaranalyse.")
	}
	h, err := s.period(period)
	if err != nil {
		return incident.AnalysisFigures{}, h, err
	}
	figs, err := s.compute(ctx, s.d.Store.Queries, a, incident.AnalysisScope(a), h)
	return figs, h, err
}

func (s *Analyses) compute(ctx context.Context, q *store.Queries, a *access.Actor, scope access.Scope, h incident.HalfYear) (incident.AnalysisFigures, error) {
	loc := s.d.Location
	cases, err := q.AnalysisCases(ctx, a.OrganisationID, scope, h.Previous().Start(loc), h.End(loc))
	if err != nil {
		return incident.AnalysisFigures{}, err
	}
	desc, err := s.scopeLabel(ctx, q, a.OrganisationID, scope)
	if err != nil {
		return incident.AnalysisFigures{}, err
	}
	return incident.Analyse(cases, h, loc, desc), nil
}

func (s *Analyses) scopeLabel(ctx context.Context, q *store.Queries, orgID int64, scope access.Scope) (string, error) {
	if scope.All {
		return "alle scholen", nil
	}
	schools, err := q.Schools(ctx, orgID)
	if err != nil {
		return "", err
	}
	var names []string
	for _, sc := range schools {
		if scope.Covers(&sc.ID) {
			names = append(names, sc.Name)
		}
	}
	return strings.Join(names, ", "), nil
}

// Create saves a new draft: the figures of the period as they are now,
// with the texts typed so far.
func (s *Analyses) Create(ctx context.Context, a *access.Actor, t incident.AnalysisTexts) (int64, error) {
	ctx = scoped(ctx, a)
	if err := signedIn(a); err != nil {
		return 0, err
	}
	if !incident.CanAnalyse(a) {
		return 0, apperr.Forbiddenf("Alleen het meldpunt en de FG maken de halfjaaranalyse.")
	}
	h, perr := s.period(t.Period)
	t, err := t.Validate(false)
	if perr != nil {
		errs := apperr.FieldErrors{"period": "Kies een halfjaar uit de lijst."}
		if e, ok := apperr.As(err); ok {
			for k, v := range e.Fields {
				errs[k] = v
			}
		}
		return 0, errs.Err()
	}
	if err != nil {
		return 0, err
	}
	now := s.d.Now()
	scope := incident.AnalysisScope(a)
	var id int64
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		figs, err := s.compute(ctx, q, a, scope, h)
		if err != nil {
			return err
		}
		r := incident.AnalysisReport{OrganisationID: a.OrganisationID, Period: h, Scope: scope, Figures: figs,
			Conclusions: t.Conclusions, Proposals: t.Proposals, AuthorID: a.UserID}
		if id, err = q.InsertAnalysisReport(ctx, r, now); err != nil {
			return err
		}
		return audit(ctx, q, a.OrganisationID, now, &a.UserID, AuditAnalysisCreate, id, map[string]any{"period": h.String()})
	})
	if err != nil {
		return 0, err
	}
	s.d.Logger.Info("analysis saved", "analysis_id", id, "period", h.String())
	return id, nil
}

// Report loads a saved analysis the actor may read.
func (s *Analyses) Report(ctx context.Context, a *access.Actor, id int64) (incident.AnalysisReport, error) {
	ctx = scoped(ctx, a)
	if err := signedIn(a); err != nil {
		return incident.AnalysisReport{}, err
	}
	if !incident.CanReadAnalyses(a) {
		return incident.AnalysisReport{}, apperr.Forbiddenf("Alleen het meldpunt, de FG en het bestuur zien de halfjaaranalyse.")
	}
	r, err := s.d.Store.AnalysisReport(ctx, a.OrganisationID, id)
	if err != nil {
		return r, err
	}
	if !incident.CanReadAnalysis(a, &r) {
		if r.Status == incident.AnalysisDraft && !incident.CanAnalyse(a) {
			return incident.AnalysisReport{}, apperr.Forbiddenf("Deze analyse is nog een concept; het bestuur ziet haar zodra ze is vastgesteld.")
		}
		return incident.AnalysisReport{}, apperr.Forbiddenf("Deze analyse telt scholen buiten uw rol; u kunt haar niet inzien.")
	}
	return r, nil
}

// Update saves a draft's texts; the figures stay as they were saved unless
// t.Refresh asks to count them again from the cases as they are now.
func (s *Analyses) Update(ctx context.Context, a *access.Actor, id int64, t incident.AnalysisTexts) error {
	ctx = scoped(ctx, a)
	return s.change(ctx, a, id, t, false)
}

// Share saves the texts and makes the draft the final report, visible to
// the board (vaststellen en delen met het bestuur).
func (s *Analyses) Share(ctx context.Context, a *access.Actor, id int64, t incident.AnalysisTexts) error {
	ctx = scoped(ctx, a)
	return s.change(ctx, a, id, t, true)
}

func (s *Analyses) change(ctx context.Context, a *access.Actor, id int64, t incident.AnalysisTexts, share bool) error {
	r, err := s.Report(ctx, a, id)
	if err != nil {
		return err
	}
	if !incident.CanEditAnalysis(a, &r) {
		if r.Status == incident.AnalysisShared && incident.CanAnalyse(a) {
			return apperr.Conflictf("Deze analyse is al vastgesteld en gedeeld met het bestuur; zij verandert niet meer.")
		}
		return apperr.Forbiddenf("Alleen het meldpunt en de FG bewerken de halfjaaranalyse.")
	}
	t, err = t.Validate(share)
	if err != nil {
		return err
	}
	now := s.d.Now()
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		c := store.AnalysisChange{Conclusions: t.Conclusions, Proposals: t.Proposals}
		if t.Refresh {
			// Counted again over the schools the draft counted before.
			figs, err := s.compute(ctx, q, a, r.Scope, r.Period)
			if err != nil {
				return err
			}
			c.Figures = &figs
		}
		action := AuditAnalysisUpdate
		if share {
			action = AuditAnalysisShare
			if err := q.ShareAnalysis(ctx, a.OrganisationID, id, a.UserID, c, now); err != nil {
				return err
			}
			// Seed 000: the board is informed of the outcome.
			to, err := q.BoardReaders(ctx, a.OrganisationID, r.Scope)
			if err != nil {
				return err
			}
			// In the app and by mail, through the outbox of this transaction.
			path := "/analyse/" + strconv.FormatInt(id, 10)
			if err := s.d.notify(ctx, q, a.OrganisationID, to, 0, notice{Kind: "analysis_shared",
				Key:     "analysis_shared:" + strconv.FormatInt(id, 10),
				Subject: "Halfjaaranalyse " + r.Period.Short() + " gedeeld met het bestuur",
				Paragraphs: []string{"Het meldpunt en de FG hebben de halfjaaranalyse van het " + r.Period.Label() +
					" vastgesteld, met hun conclusies en de maatregelen die zij het bestuur voorstellen.",
					"U leest haar in Lekwacht onder Analyse (" + path + ") en kunt haar als PDF downloaden."},
				Path: path, LinkText: "Lees de analyse"}); err != nil {
				return err
			}
		} else if err := q.UpdateAnalysis(ctx, a.OrganisationID, id, a.UserID, c, now); err != nil {
			return err
		}
		return audit(ctx, q, a.OrganisationID, now, &a.UserID, action, id,
			map[string]any{"period": r.Period.String(), "figures_refreshed": t.Refresh})
	})
}
