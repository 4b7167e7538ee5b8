package service

import (
	"context"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// DossierView is everything recorded about one case, for the dossier page
// and its PDF: the case page's read of the case (Case), with what a print
// adds.
type DossierView struct {
	CaseView
	// Organisation is the controller (school board) the case belongs to.
	Organisation string
	// AuthorityDue is the latest moment to notify the AP: 72 hours after
	// awareness; the dossier shows whether the notification was late.
	AuthorityDue time.Time
	// PrintedAt is the moment the dossier was made.
	PrintedAt time.Time
	// DecisionVersions are every recorded version of the officer's
	// decision, the first first (the last is Decision).
	DecisionVersions []store.StoredDecision
	// The recorded versions of the inventory, the repair and the notice to
	// the data subjects, the first first (the last is the current one).
	InventoryVersions []incident.Inventory
	RepairVersions    []incident.Repair
	NoticeVersions    []incident.SubjectsNotice
	// Timeline and Security are the heads of the organisation's hash chains
	// (migration 00036) when the dossier was made, this read included: a
	// printed dossier is a witness that `lekwacht audit verify` can be held
	// against later.
	Timeline, Security store.ChainHead
}

// Dossier loads the whole dossier of a case, through the same read as the
// case page (Case), so the two never disagree and nothing is queried twice.
// Whoever may not see the case at all gets not found (its existence is not
// revealed); whoever sees only a part of it (the reporter, the assigned
// technician, the addressee of a question) is refused.
func (s *Incidents) Dossier(ctx context.Context, a *access.Actor, id int64) (DossierView, error) {
	ctx = scoped(ctx, a)
	return s.dossier(ctx, a, id, incident.ReadDossier)
}

// DossierPDF is Dossier for the PDF download (recorded as such).
func (s *Incidents) DossierPDF(ctx context.Context, a *access.Actor, id int64) (DossierView, error) {
	ctx = scoped(ctx, a)
	return s.dossier(ctx, a, id, incident.ReadDossierPDF)
}

// dossier loads the dossier and records its read in the security log
// before reading the chains' heads, so the head it shows includes that read.
func (s *Incidents) dossier(ctx context.Context, a *access.Actor, id int64, read incident.Read) (DossierView, error) {
	v, err := s.Case(ctx, a, id)
	if err != nil {
		return DossierView{}, err
	}
	if !incident.CanViewDossier(a, &v.Case) || !v.Full {
		return DossierView{}, apperr.Forbiddenf("Het dossier is er alleen voor het meldpunt, de FG en het bestuur van deze school.")
	}
	if err := s.recordRead(ctx, a, read, &id, id, nil); err != nil {
		return DossierView{}, err
	}
	dv := DossierView{CaseView: v, Organisation: a.Organisation,
		AuthorityDue: s.d.Calendar.Authority(v.Case.AwareAt), PrintedAt: s.d.Now()}
	q := s.d.Store
	if dv.Timeline, dv.Security, err = q.ChainHeads(ctx, a.OrganisationID); err != nil {
		return DossierView{}, err
	}
	if v.Decision != nil {
		if dv.DecisionVersions, err = q.DecisionVersions(ctx, a.OrganisationID, id); err != nil {
			return DossierView{}, err
		}
	}
	if dv.InventoryVersions, err = q.InventoryVersions(ctx, a.OrganisationID, id); err != nil {
		return DossierView{}, err
	}
	if dv.RepairVersions, err = q.RepairVersions(ctx, a.OrganisationID, id); err != nil {
		return DossierView{}, err
	}
	if dv.NoticeVersions, err = q.SubjectsNoticeVersions(ctx, a.OrganisationID, id); err != nil {
		return DossierView{}, err
	}
	return dv, nil
}
