package service

import (
	"context"
	"slices"
	"strings"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Processors keeps the organisation's processors (verwerkers) and the breach
// agreements made with each (seed 000 "Afspraken met leveranciers"). The
// officer and the administrator manage them; the desk and the board read
// them. Every change writes an audit_log row in its transaction.
type Processors struct{ d Deps }

// Audit actions of processors.
const (
	AuditProcessorCreated = "processor_created"
	AuditProcessorUpdated = "processor_updated"
)

// ProcessorsView is the list page.
type ProcessorsView struct {
	Processors []incident.Processor
	CanManage  bool
}

// List returns the organisation's processors.
func (s *Processors) List(ctx context.Context, a *access.Actor) (ProcessorsView, error) {
	ctx = scoped(ctx, a)
	if err := s.mayView(a); err != nil {
		return ProcessorsView{}, err
	}
	list, err := s.d.Store.Processors(ctx, a.OrganisationID)
	if err != nil {
		return ProcessorsView{}, err
	}
	return ProcessorsView{Processors: list, CanManage: incident.CanManageProcessors(a)}, nil
}

// Get returns one processor of the organisation; another organisation's is
// not found.
func (s *Processors) Get(ctx context.Context, a *access.Actor, id int64) (incident.Processor, error) {
	ctx = scoped(ctx, a)
	if err := s.mayView(a); err != nil {
		return incident.Processor{}, err
	}
	return s.d.Store.Processor(ctx, a.OrganisationID, id)
}

// MayManage refuses whoever may not add or edit processors.
func (s *Processors) MayManage(a *access.Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if !incident.CanManageProcessors(a) {
		return apperr.Forbiddenf("Alleen de FG en de beheerder leggen verwerkers en de afspraken met hen vast.")
	}
	return nil
}

func (s *Processors) mayView(a *access.Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if !incident.CanViewProcessors(a) {
		return apperr.Forbiddenf("Alleen het meldpunt, de FG, het bestuur en de beheerder zien de verwerkers.")
	}
	return nil
}

// Create stores a new processor with its agreements.
func (s *Processors) Create(ctx context.Context, a *access.Actor, f incident.ProcessorForm) (int64, error) {
	ctx = scoped(ctx, a)
	if err := s.MayManage(a); err != nil {
		return 0, err
	}
	p, err := f.Parse()
	if err != nil {
		return 0, err
	}
	now := s.d.Now()
	var id int64
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		var err error
		if id, err = q.InsertProcessor(ctx, a.OrganisationID, a.UserID, p, now); err != nil {
			return err
		}
		return audit(ctx, q, a.OrganisationID, now, &a.UserID, AuditProcessorCreated, id, map[string]any{"delivery_hours": p.DeliveryHours})
	})
	if err != nil {
		return 0, err
	}
	s.d.Logger.Info("processor created", "organisation_id", a.OrganisationID, "processor_id", id)
	return id, nil
}

// Update changes a processor's details and agreements; the audit row names
// the fields that changed (not their contents: contacts may name people).
func (s *Processors) Update(ctx context.Context, a *access.Actor, id int64, f incident.ProcessorForm) error {
	ctx = scoped(ctx, a)
	if err := s.MayManage(a); err != nil {
		return err
	}
	p, err := f.Parse()
	if err != nil {
		return err
	}
	now := s.d.Now()
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		old, err := q.Processor(ctx, a.OrganisationID, id)
		if err != nil {
			return err
		}
		if err := q.UpdateProcessor(ctx, a.OrganisationID, id, a.UserID, p, now); err != nil {
			return err
		}
		return audit(ctx, q, a.OrganisationID, now, &a.UserID, AuditProcessorUpdated, id, map[string]any{"fields": changedFields(old, p)})
	})
}

func changedFields(old, p incident.Processor) []string {
	var out []string
	for name, changed := range map[string]bool{
		"name": old.Name != p.Name, "processes": old.Processes != p.Processes, "breach_contact": old.BreachContact != p.BreachContact,
		"how_inform": old.HowInform != p.HowInform, "off_hours": old.OffHours != p.OffHours, "ap_notifier": old.APNotifier != p.APNotifier,
		"information": old.Information != p.Information, "delivery_hours": old.DeliveryHours != p.DeliveryHours,
		"communicator": old.Communicator != p.Communicator,
	} {
		if changed {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// LinkProcessor records that a case's breach happened at a processor, and
// when the processor was informed (the desk in step 2, the officer in step
// 3), in one transaction with its timeline entry. Linking again replaces the
// link (another processor, or a corrected moment).
func (s *Incidents) LinkProcessor(ctx context.Context, a *access.Actor, id int64, f incident.ProcessorLinkForm) error {
	ctx = scoped(ctx, a)
	pid, informedAt, err := f.Parse(s.d.Now(), s.d.Location)
	if err != nil {
		return err
	}
	return s.performIf(ctx, a, id, incident.ActLinkProcessor, func(c *incident.Case, _ incident.Relation) error {
		if incident.CanLinkProcessor(a, c) {
			return nil
		}
		if !incident.ProcessorLinkOpen(c.Status) {
			return apperr.Conflictf("Een verwerker koppelen kan alleen tijdens de inventarisatie of de beoordeling; de melding staat nu op ‘%s’.", c.Status.Label())
		}
		return apperr.Forbiddenf("Alleen het meldpunt (stap 2) of de FG (stap 3) van deze school koppelt een verwerker.")
	}, func(q *store.Queries, c *incident.Case) (change, error) {
		p, err := q.Processor(ctx, a.OrganisationID, pid)
		if apperr.Is(err, apperr.NotFound) {
			return change{}, &apperr.Error{Kind: apperr.Invalid, Message: "Kies een verwerker uit de lijst.",
				Fields: map[string]string{"processor": "Kies een verwerker uit de lijst."}}
		}
		if err != nil {
			return change{}, err
		}
		if err := q.LinkProcessor(ctx, a.OrganisationID, id, pid, a.UserID, informedAt, s.d.Now()); err != nil {
			return change{}, err
		}
		cp := incident.CaseProcessor{Processor: p, InformedAt: informedAt}
		loc := s.d.Location
		return change{Summary: "Verwerker " + p.Name + " gekoppeld; geïnformeerd op " + informedAt.In(loc).Format("02-01-2006 15:04") +
			", informatie uiterlijk " + cp.DeliveryDue().In(loc).Format("02-01-2006 15:04"),
			Details: map[string]any{"processor_id": pid, "informed_at": informedAt, "due_at": cp.DeliveryDue()}}, nil
	})
}

// RecordProcessorDelivery records that the processor's information came in,
// which stops its deadline.
func (s *Incidents) RecordProcessorDelivery(ctx context.Context, a *access.Actor, id int64) error {
	ctx = scoped(ctx, a)
	return s.performIf(ctx, a, id, incident.ActProcessorDeliver, func(c *incident.Case, _ incident.Relation) error {
		if incident.CanRecordProcessorDelivery(a, c) {
			return nil
		}
		if c.Status == incident.StatusClosed {
			return apperr.Conflictf("De melding is afgesloten.")
		}
		return apperr.Forbiddenf("Alleen het meldpunt of de FG van deze school legt dit vast.")
	}, func(q *store.Queries, c *incident.Case) (change, error) {
		if err := q.MarkProcessorDelivered(ctx, a.OrganisationID, id, a.UserID, s.d.Now()); err != nil {
			return change{}, err
		}
		return change{Summary: "Informatie van de verwerker ontvangen"}, nil
	})
}

// processorDeadline is the processor's delivery deadline as it stands now,
// while its information is awaited.
func (s *Incidents) processorDeadline(cp *incident.CaseProcessor) *incident.Due {
	if cp == nil || !cp.Awaited() {
		return nil
	}
	d := incident.NewDue(incident.DueProcessor, processorDueLabel(cp.Processor.Name), cp.DeliveryDue().In(s.d.Location), s.d.Now())
	return &d
}

func processorDueLabel(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return "de informatie van de verwerker binnen"
	}
	return "de informatie van " + name + " binnen (afspraak met de verwerker)"
}
