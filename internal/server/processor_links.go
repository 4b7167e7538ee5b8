package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/web"
)

// A processor's private report link (issue 12): made and revoked on the
// processor's page; the processor reports through it without an account.

const (
	keyProcessorLink = "processor_link" // the new link, shown once
	keyProcessorDone = "processor_done" // "token\nnumber" after a report
)

func (s *Server) processorLinkNew(w http.ResponseWriter, r *http.Request) error {
	id, err := processorID(r)
	if err != nil {
		return err
	}
	link, err := s.svc.Processors.NewProcessorLink(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), keyProcessorLink, link)
	s.flash(r, "Er is een nieuwe meldlink gemaakt; een eerdere link werkt niet meer.")
	return seeOther(w, r, "/verwerkers/"+strconv.FormatInt(id, 10))
}

func (s *Server) processorLinkRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := processorID(r)
	if err != nil {
		return err
	}
	if err := s.svc.Processors.RevokeProcessorLink(r.Context(), access.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	s.flash(r, "De meldlink is ingetrokken: hij werkt niet meer.")
	return seeOther(w, r, "/verwerkers/"+strconv.FormatInt(id, 10))
}

func (s *Server) processorReportForm(w http.ResponseWriter, r *http.Request) error {
	f := incident.ProcessorReportForm{SubmissionKey: s.svc.Outside.NewSubmissionKey(),
		DiscoveredAt: s.now().In(s.loc).Format(incident.DateTimeLayout)}
	return s.renderProcessorReport(w, r, http.StatusOK, f, nil)
}

func (s *Server) renderProcessorReport(w http.ResponseWriter, r *http.Request, status int, f incident.ProcessorReportForm, errs web.Errors) error {
	token := chi.URLParam(r, "token")
	v, err := s.svc.Outside.ProcessorPage(r.Context(), token)
	if err != nil {
		return err
	}
	s.render(w, r, status, web.ProcessorReportPage(s.publicPageData(r, "Datalek melden · "+v.OrganisationName),
		web.ProcessorReportProps{Token: token, OrganisationName: v.OrganisationName, ProcessorName: v.Processor.Name,
			Schools: v.Schools, Form: f, Errors: errs}))
	return nil
}

func (s *Server) processorReport(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	if err := parsePublicForm(w, r); err != nil {
		if _, perr := s.svc.Outside.ProcessorPage(r.Context(), token); perr != nil {
			return perr
		}
		return err
	}
	v := r.PostForm
	f := incident.ProcessorReportForm{SubmissionKey: v.Get("submission_key"), WhatHappened: v.Get("what_happened"),
		OccurredFrom: v.Get("occurred_from"), DiscoveredAt: v.Get("discovered_at"), School: v.Get("school"),
		DataKinds: v["data_kinds"], SubjectsEstimate: v.Get("subjects_estimate"), SubjectGroups: v["subject_groups"],
		ActionsTaken: v.Get("actions_taken"), Name: v.Get("name"), Email: v.Get("email"), Phone: v.Get("contact_phone")}
	res, err := s.svc.Outside.ProcessorReport(r.Context(), token, f)
	if e, ok := apperr.As(err); ok && e.Kind == apperr.TooManyRequests {
		setRetryAfter(w, e)
		return s.renderProcessorReport(w, r, http.StatusTooManyRequests, f, web.Errors{"form": e.Message})
	}
	if errs, ok := fieldErrors(r.Context(), err); ok {
		return s.renderProcessorReport(w, r, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), keyProcessorDone, res.Number.String())
	return seeOther(w, r, "/verwerker-melden/"+token+"/ontvangen")
}

func (s *Server) processorReportDone(w http.ResponseWriter, r *http.Request) error {
	v, err := s.svc.Outside.ProcessorPage(r.Context(), chi.URLParam(r, "token"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.ProcessorReportDonePage(s.publicPageData(r, "Melding ontvangen"), v.OrganisationName,
		s.sessions.PopString(r.Context(), keyProcessorDone)))
	return nil
}
