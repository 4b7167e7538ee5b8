package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Retention: a closed case keeps its register entry for good, but the
// personal data in it (names, contact details, free text about people,
// attachments, the recipients of the notice) are removed once the
// organisation's retention period has passed since closing. The periodic
// retention job (jobs.go) does it, one case per transaction with its
// timeline row, and removes import uploads never imported after a day.
// docs/security.md ("Bewaartermijn") lists the columns.

// Retention limits for an organisation's period, in years.
const (
	MinRetentionYears     = 1
	MaxRetentionYears     = 30
	DefaultRetentionYears = 5
	// EventAnonymised is the timeline kind of a removal.
	EventAnonymised = "anonymised"
	retentionBatch  = 100
)

// RetentionResult says what one run removed.
type RetentionResult struct {
	Cases   int
	Imports int64
}

// Retention removes the personal data of every closed case past its
// organisation's retention period and the unused import uploads older than
// ImportRetention. Running it again changes nothing.
func (s *Services) Retention(ctx context.Context) (RetentionResult, error) {
	ctx = store.System(ctx) // the retention job of every organisation (docs/security.md)
	var res RetentionResult
	now := s.d.Now()
	for {
		expired, err := s.d.Store.ExpiredCases(ctx, now, retentionBatch)
		if err != nil {
			return res, err
		}
		done := 0
		for _, e := range expired {
			var ok bool
			err := transact(ctx, s.d.Store, func(q *store.Queries) error {
				n, changed, err := q.AnonymiseCase(ctx, e.OrganisationID, e.CaseID, now)
				if err != nil || !changed {
					ok = false
					return err
				}
				ok = true
				return q.AddEvent(ctx, store.NewEvent{OrganisationID: e.OrganisationID, CaseID: e.CaseID, At: now,
					Kind: EventAnonymised, Summary: anonymisedSummary(e.RetentionYears, n),
					Details: map[string]any{"retention_years": e.RetentionYears, "attachments": n.Attachments,
						"recipients": n.Recipients, "questions": n.Questions, "mails": n.Mails}})
			})
			if err != nil {
				return res, fmt.Errorf("retention of case %d: %w", e.CaseID, err)
			}
			if ok {
				res.Cases++
				done++
			}
		}
		if len(expired) < retentionBatch || done == 0 {
			break
		}
	}
	n, err := s.d.Store.DeleteUnusedImports(ctx, now.Add(-ImportRetention))
	if err != nil {
		return res, err
	}
	res.Imports = n
	if res.Cases > 0 || res.Imports > 0 {
		s.d.Logger.Info("retention", "cases_anonymised", res.Cases, "imports_deleted", res.Imports)
	}
	return res, nil
}

func anonymisedSummary(years int, n store.Anonymised) string {
	parts := []string{"Persoonsgegevens verwijderd na de bewaartermijn van " + strconv.Itoa(years) + " jaar: namen, contactgegevens en vrije tekst"}
	if n.Attachments > 0 {
		parts = append(parts, strconv.FormatInt(n.Attachments, 10)+" bijlage(n)")
	}
	if n.Recipients > 0 {
		parts = append(parts, strconv.FormatInt(n.Recipients, 10)+" ontvanger(s) van het bericht aan betrokkenen")
	}
	return strings.Join(parts, ", ") + ". De registratie blijft bewaard."
}

// RetentionYears returns the organisation's retention period (administrators).
func (s *Accounts) RetentionYears(ctx context.Context, a *access.Actor) (int, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageSchools); err != nil {
		return 0, err
	}
	return s.d.Store.RetentionYears(ctx, a.OrganisationID)
}

// SetRetentionYears validates and stores the organisation's retention
// period, with an audit row (administrators).
func (s *Accounts) SetRetentionYears(ctx context.Context, a *access.Actor, value string) error {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageSchools); err != nil {
		return err
	}
	years, err := strconv.Atoi(strings.TrimSpace(value))
	switch {
	case strings.TrimSpace(value) == "":
		return apperr.FieldErrors{"retention_years": "Vul het aantal jaren in."}.Err()
	case err != nil:
		return apperr.FieldErrors{"retention_years": "Vul een heel aantal jaren in, bijvoorbeeld 5."}.Err()
	case years < MinRetentionYears || years > MaxRetentionYears:
		return apperr.FieldErrors{"retention_years": fmt.Sprintf("Kies een bewaartermijn van %d tot en met %d jaar.", MinRetentionYears, MaxRetentionYears)}.Err()
	}
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		old, err := q.RetentionYears(ctx, a.OrganisationID)
		if err != nil {
			return err
		}
		if err := q.SetRetentionYears(ctx, a.OrganisationID, years); err != nil {
			return err
		}
		uid := a.UserID
		return audit(ctx, q, a.OrganisationID, s.d.Now(), &uid, "retention_changed", a.OrganisationID,
			map[string]any{"from": old, "to": years})
	})
}
