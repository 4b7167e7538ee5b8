package service

import (
	"context"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/assessment"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// RecordInspectorate records whether the school informed the Inspectie van
// het Onderwijs of a breach of test or exam results, and when, or why that
// was not needed (issue 10.4). The officer of the case's school records it,
// from the AP step on (also on a closed case, so that the register can be
// completed); a new record replaces the old one, which stays in the
// timeline.
func (s *Incidents) RecordInspectorate(ctx context.Context, a *access.Actor, id int64, f incident.InspectorateForm) error {
	ctx = scoped(ctx, a)
	r, err := f.Parse(s.d.Now(), s.d.Location)
	if err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActRecordInspectorate, func(q *store.Queries, c *incident.Case) (change, error) {
		if err := q.SetInspectorate(ctx, a.OrganisationID, id, a.UserID, r, s.d.Now()); err != nil {
			return change{}, err
		}
		details := map[string]any{"informed": r.Informed, "reason": r.Reason}
		if r.Informed {
			details["informed_on"] = r.InformedOn.Format("2006-01-02")
		}
		return change{Summary: "Inspectie van het Onderwijs: " + r.Text(), Details: details}, nil
	})
}

// concernsResults reports whether the decision's facts include test or exam
// results (performance data): then the case page asks about the Inspectie.
func concernsResults(d *store.StoredDecision) bool {
	if d == nil {
		return false
	}
	for _, t := range d.Facts.Data {
		if t == assessment.DataPerformance {
			return true
		}
	}
	return false
}
