package service

import (
	"context"
	"fmt"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// notifyTechnician: the technician assigned to a case hears of it in the app
// and by mail (step 4), unless they assigned themselves.
func (d Deps) notifyTechnician(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case, tech access.Account) error {
	id := c.ID
	return d.notify(ctx, q, a.OrganisationID, []access.Account{tech}, a.UserID, notice{Kind: "technician_assigned",
		Key: fmt.Sprintf("technician:%d:%d:%d", id, tech.ID, d.Now().UnixNano()), CaseID: &id,
		Subject: "Toegewezen als technicus: melding " + c.Number.String() + where(c.SchoolName),
		Paragraphs: []string{"Het meldpunt heeft u toegewezen aan melding " + c.Number.String() + where(c.SchoolName) + " (stap 4, repareren).",
			"Zoek de oorzaak, neem maatregelen om het incident te stoppen en herhaling te voorkomen, en leg beide vast in Lekwacht. De FG gebruikt dat bij de beoordeling."},
		Path: casePath(id), LinkText: "Bekijk de melding"})
}
