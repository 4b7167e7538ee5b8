package server

import (
	"net/http"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

func caseProps(v service.CaseView, a *access.Actor) web.CaseProps {
	var decision *web.DecisionView
	if d := v.Decision; d != nil {
		decision = &web.DecisionView{Decision: d.Decision, Reasons: d.Reasons, Advice: d.Advice, DecidedBy: d.DecidedBy}
	}
	// Four eyes: the drafter approving their own notice is asked why.
	v.Subjects.OwnDraft = v.Subjects.Notice != nil && v.Subjects.Notice.DraftedByID == a.UserID
	return web.CaseProps{Deadlines: v.Deadlines, WaitingOn: v.WaitingOn, Decision: decision, Notices: v.Notifications, Case: v.Case, Events: v.Events, Full: v.Full, Inventory: v.Inventory, Repair: v.Repair, Questions: v.Questions, BoardNotes: v.BoardNotes, ClosingGaps: v.ClosingGaps, NeedsConfirmationReason: v.NeedsConfirmationReason, ExceptionReview: v.ExceptionReview, Subjects: v.Subjects,
		Actions: v.Actions, Technicians: v.Technicians, Me: a.UserID,
		Attachments: v.Attachments, CanUpload: len(v.AttachmentKinds) > 0,
		CanDossier: incident.CanViewDossier(a, &v.Case), CanReads: incident.CanViewReads(a, &v.Case), Import: v.Import,
		Inspectorate: v.Inspectorate, AsksInspectorate: v.AsksInspectorate,
		Processor: web.CaseProcessorProps{CaseID: v.Case.ID, Processor: v.Processor, Due: v.ProcessorDue, Choices: v.Processors,
			CanDeliver: incident.CanRecordProcessorDelivery(a, &v.Case)}}
}

func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderCase(w, r, http.StatusOK, nil, nil)
}

// renderCase shows the case page; after a refused form, with its messages
// and what was typed, and status 422.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, status int, errs web.Errors, typed map[string]string) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	a := access.ActorFrom(r.Context())
	v, err := s.svc.Incidents.CasePage(r.Context(), a, id)
	if apperr.Is(err, apperr.NotFound) && len(a.Memberships) > 1 && r.Method == http.MethodGet {
		// A link from a mail of another board the person belongs to
		// (issue 11.3): offer to switch there, as a form (it changes the session).
		if m, ok, merr := s.svc.Incidents.CaseElsewhere(r.Context(), a, id); merr != nil {
			return merr
		} else if ok {
			s.render(w, r, http.StatusNotFound, web.CaseElsewherePage(s.page(r, "Melding van een andere organisatie"), m, "/meldingen/"+strconv.FormatInt(id, 10)))
			return nil
		}
	}
	if err != nil {
		return err
	}
	props := caseProps(v, a)
	props.Errors, props.Typed = errs, typed
	if r := v.ExceptionReview; r != nil {
		props.ExceptionReviewDue = r.DueAt.In(s.loc).Format("02-01-2006")
	}
	s.render(w, r, status, web.CasePage(s.page(r, "Melding "+v.Case.Number.String()), props))
	return nil
}
