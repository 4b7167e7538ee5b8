package service

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// A processor's private report link (issue 12): made and revoked by who
// manages processors (the officer and the administrator); the processor
// reports through it without an account, and the report is linked to the
// processor from the start, so the agreement's delivery time runs at once.

// Audit actions of processor links.
const (
	AuditProcessorLinkCreated = "processor_link_created"
	AuditProcessorLinkRevoked = "processor_link_revoked"
)

// NewProcessorLink makes a new private link for a processor and returns its
// address, to be shown once; only its hash is kept. A link in force before
// is revoked.
func (s *Processors) NewProcessorLink(ctx context.Context, a *access.Actor, processorID int64) (string, error) {
	ctx = scoped(ctx, a)
	if err := s.MayManage(a); err != nil {
		return "", err
	}
	token := incident.NewProcessorToken()
	now := s.d.Now()
	err := transact(ctx, s.d.Store, func(q *store.Queries) error {
		if _, err := q.Processor(ctx, a.OrganisationID, processorID); err != nil {
			return err
		}
		if err := q.NewProcessorLink(ctx, a.OrganisationID, processorID, a.UserID, incident.HashProcessorToken(token), now); err != nil {
			return err
		}
		return q.Audit(ctx, a.OrganisationID, now, &a.UserID, AuditProcessorLinkCreated, processorID, nil)
	})
	if err != nil {
		return "", err
	}
	return s.d.BaseURL + "/verwerker-melden/" + token, nil
}

// RevokeProcessorLink revokes the processor's link in force: it answers "not
// found" from then on.
func (s *Processors) RevokeProcessorLink(ctx context.Context, a *access.Actor, processorID int64) error {
	ctx = scoped(ctx, a)
	if err := s.MayManage(a); err != nil {
		return err
	}
	now := s.d.Now()
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		if _, err := q.Processor(ctx, a.OrganisationID, processorID); err != nil {
			return err
		}
		if err := q.RevokeProcessorLink(ctx, a.OrganisationID, processorID, a.UserID, now); err != nil {
			return err
		}
		return q.Audit(ctx, a.OrganisationID, now, &a.UserID, AuditProcessorLinkRevoked, processorID, nil)
	})
}

// ProcessorLinkSince says since when the processor's link is in force (nil: no link).
func (s *Processors) ProcessorLinkSince(ctx context.Context, a *access.Actor, processorID int64) (*time.Time, error) {
	ctx = scoped(ctx, a)
	if err := s.mayView(a); err != nil {
		return nil, err
	}
	return s.d.Store.ProcessorLinkSince(ctx, a.OrganisationID, processorID)
}

// ProcessorPageView is what the processor's report form shows.
type ProcessorPageView struct {
	OrganisationName string
	Processor        incident.Processor
	Schools          []access.School
}

// byLink resolves a token to its organisation and processor; a revoked or
// unknown token is refused as not found.
func (s *Outside) byLink(ctx context.Context, q *store.Queries, token string) (store.Organisation, incident.Processor, error) {
	refused := apperr.NotFoundf("Deze link werkt niet (meer). Vraag de school om een nieuwe link.")
	if _, ok := incident.ParseProcessorToken(token); !ok {
		return store.Organisation{}, incident.Processor{}, refused
	}
	// The token names the organisation: only this lookup sees every
	// organisation (store.System; inside a transaction, the transaction's
	// organisation holds, which is the link's); the rest sees only its own.
	orgID, pid, err := q.ProcessorByLink(store.System(ctx), incident.HashProcessorToken(token))
	if apperr.Is(err, apperr.NotFound) {
		return store.Organisation{}, incident.Processor{}, refused
	}
	if err != nil {
		return store.Organisation{}, incident.Processor{}, err
	}
	ctx = store.InOrganisation(ctx, orgID)
	p, err := q.Processor(ctx, orgID, pid)
	if err != nil {
		return store.Organisation{}, incident.Processor{}, err
	}
	name, err := q.OrganisationName(ctx, orgID)
	return store.Organisation{ID: orgID, Name: name}, p, err
}

// ProcessorPage loads the report form of a processor's link.
func (s *Outside) ProcessorPage(ctx context.Context, token string) (ProcessorPageView, error) {
	org, p, err := s.byLink(ctx, s.d.Store.Queries, token)
	if err != nil {
		return ProcessorPageView{}, err
	}
	ctx = store.InOrganisation(ctx, org.ID)
	schools, err := s.d.Store.Schools(ctx, org.ID)
	if err != nil {
		return ProcessorPageView{}, err
	}
	return ProcessorPageView{OrganisationName: org.Name, Processor: p, Schools: schools}, nil
}

// ProcessorReport stores a processor's report through its link: a new case
// linked to the processor from the start, informed now, so the agreement's
// delivery time runs; in one transaction with the timeline and the notices.
func (s *Outside) ProcessorReport(ctx context.Context, token string, f incident.ProcessorReportForm) (Reported, error) {
	org, p, err := s.byLink(ctx, s.d.Store.Queries, token)
	if err != nil {
		return Reported{}, err
	}
	ctx = store.InOrganisation(ctx, org.ID)
	schools, err := s.d.Store.Schools(ctx, org.ID)
	if err != nil {
		return Reported{}, err
	}
	now := s.d.Now()
	report, src, err := f.Parse(now, s.d.Location, schoolIDs(schools))
	if err != nil {
		return Reported{}, err
	}
	src.Name = src.Name + " (" + p.Name + ")"
	key, err := uuid.Parse(f.SubmissionKey)
	if err != nil {
		key = uuid.New()
	}
	var out Reported
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		out = Reported{}
		// The link is checked again inside the transaction: revoked meanwhile, refused.
		if _, _, err := s.byLink(ctx, q, token); err != nil {
			return err
		}
		standIn, err := q.StandInUser(ctx, org.ID)
		if err != nil {
			return err
		}
		if id, n, err := q.CaseBySubmission(ctx, org.ID, standIn, key.String()); err == nil {
			out = Reported{ID: id, Number: n, Again: true}
			return nil
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		sent, first, err := q.ProcessorLinkReports(ctx, org.ID, p.ID, standIn, now.Add(-PublicWindow))
		if err != nil {
			return err
		}
		if sent >= ProcessorLinkPerHour {
			return s.tooMany(first, "Via deze link zijn het afgelopen uur al veel meldingen verstuurd. Probeer het opnieuw na %s. Is het dringend? Bel dan de school.")
		}
		id, n, err := s.d.insertSourcedCase(ctx, q, org.ID, standIn, standIn, key.String(), report, src, nil,
			"Melding van verwerker "+p.Name+" via de eigen link (stap 1, Ontdekken)")
		if err != nil {
			return err
		}
		if err := q.LinkProcessor(ctx, org.ID, id, p.ID, standIn, now, now); err != nil {
			return err
		}
		cp := incident.CaseProcessor{Processor: p, InformedAt: now}
		loc := s.d.Location
		if err := q.AddEvent(ctx, store.NewEvent{OrganisationID: org.ID, CaseID: id, At: now, ActorID: &standIn,
			Kind: string(incident.ActLinkProcessor), Summary: "Verwerker " + p.Name + " gekoppeld (meldde zelf); informatie uiterlijk " +
				cp.DeliveryDue().In(loc).Format("02-01-2006 15:04"),
			Details: map[string]any{"processor_id": p.ID, "informed_at": now, "due_at": cp.DeliveryDue()}}); err != nil {
			return err
		}
		out = Reported{ID: id, Number: n}
		return nil
	})
	if errors.Is(err, store.ErrDuplicateSubmission) {
		return Reported{Again: true}, nil
	}
	return out, err
}
