package service

import (
	"context"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// RecordRepair stores the assigned technician's cause and measures (step 4).
// It runs alongside inventory, assessment and notification.
func (s *Incidents) RecordRepair(ctx context.Context, a *access.Actor, id int64, f incident.RepairForm) error {
	ctx = scoped(ctx, a)
	r, err := f.Parse()
	if err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActRecordRepair, func(q *store.Queries, c *incident.Case) (change, error) {
		_, had, err := q.Repair(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		if err := q.SaveRepair(ctx, a.OrganisationID, id, a.UserID, r, s.d.Now()); err != nil {
			return change{}, err
		}
		summary := "Oorzaak en maatregelen bijgewerkt (stap 4, Repareren)"
		if !had {
			summary = "Oorzaak en maatregelen vastgelegd (stap 4, Repareren)"
		}
		if r.Completed {
			summary += "; herstel afgerond"
			if err := q.MessagesDone(ctx, a.OrganisationID, id, []string{"technician_assigned"}, s.d.Now()); err != nil {
				return change{}, err
			}
		}
		return change{Summary: summary, Details: map[string]any{"completed": r.Completed, "unintelligible": string(r.Unintelligible)}}, nil
	})
}
