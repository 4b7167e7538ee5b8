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

func (s *Server) reportForm(w http.ResponseWriter, r *http.Request) error {
	f := incident.ReportForm{
		SubmissionKey: s.svc.Incidents.NewSubmissionKey(),
		DiscoveredAt:  s.now().In(s.loc).Format(incident.DateTimeLayout),
	}
	// A report posted after the session ran out comes back as it was typed,
	// with its own submission key, so sending it twice still makes one case.
	if v, ok := s.popStash(r); ok {
		r.PostForm = v
		f = reportFormFrom(r)
	}
	return s.renderReportForm(w, r, http.StatusOK, f, nil, "")
}

func (s *Server) renderReportForm(w http.ResponseWriter, r *http.Request, status int, f incident.ReportForm, errs web.Errors, msg string) error {
	a := access.ActorFrom(r.Context())
	schools, err := s.svc.Accounts.Schools(r.Context(), a)
	if err != nil && status == http.StatusOK {
		return err
	}
	// When the database is down the form still comes back, without the
	// school list but with everything typed, so nothing is lost.
	s.render(w, r, status, web.ReportFormPage(s.page(r, "Incident melden"),
		web.ReportFormProps{Form: f, Errors: errs, Message: msg, Schools: schools}))
	return nil
}

func reportFormFrom(r *http.Request) incident.ReportForm {
	v := r.PostForm
	return incident.ReportForm{
		SubmissionKey:    v.Get("submission_key"),
		WhatHappened:     v.Get("what_happened"),
		OccurredFrom:     v.Get("occurred_from"),
		OccurredUntil:    v.Get("occurred_until"),
		DiscoveredAt:     v.Get("discovered_at"),
		School:           v.Get("school"),
		Carriers:         v["carriers"],
		Systems:          v.Get("systems"),
		PersonalData:     v.Get("personal_data"),
		DataKinds:        v["data_kinds"],
		SubjectsEstimate: v.Get("subjects_estimate"),
		SubjectGroups:    v["subject_groups"],
		Ongoing:          v.Get("ongoing"),
		ActionsTaken:     v.Get("actions_taken"),
		ContactPhone:     v.Get("contact_phone"),
		ContactNote:      v.Get("contact_note"),
	}
}

func (s *Server) report(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen. Is de tekst erg lang?")
	}
	f := reportFormFrom(r)
	res, err := s.svc.Incidents.Report(r.Context(), access.ActorFrom(r.Context()), f)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		return s.renderReportForm(w, r, http.StatusUnprocessableEntity, f, errs, "")
	}
	if err != nil && apperr.KindOf(err) == apperr.Internal {
		ref := newRef()
		s.log.Error("report not stored", "ref", ref, "err", err)
		return s.renderReportForm(w, r, http.StatusServiceUnavailable, f, nil,
			"Uw melding is nog niet opgeslagen door een storing aan onze kant (referentie "+ref+"). "+
				"Alles wat u invulde staat er nog. Probeer het over een minuut opnieuw met ‘Melding versturen’; "+
				"u maakt daarmee geen dubbele melding.")
	}
	if err != nil {
		return err
	}
	if res.Again {
		s.flash(r, "Deze melding had u al verstuurd; er is geen tweede melding gemaakt.")
	}
	return seeOther(w, r, "/meldingen/"+strconv.FormatInt(res.ID, 10)+"/ontvangen")
}

// caseForm reads the case id of the route and the posted form.
func caseForm(r *http.Request) (int64, error) {
	id, err := caseID(r)
	if err != nil {
		return 0, err
	}
	if err := r.ParseForm(); err != nil {
		return 0, apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	return id, nil
}

func caseID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFoundf("Deze melding bestaat niet.")
	}
	return id, nil
}

func (s *Server) reportDone(w http.ResponseWriter, r *http.Request) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Incidents.Case(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.ReportDonePage(s.page(r, "Melding ontvangen"), v.Case.ID, v.Case.Number.String()))
	return nil
}

func (s *Server) mine(w http.ResponseWriter, r *http.Request) error {
	cases, err := s.svc.Incidents.Mine(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.MinePage(s.page(r, "Mijn meldingen"), cases))
	return nil
}

func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	cases, err := s.svc.Incidents.Inbox(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.InboxPage(s.page(r, "Meldpunt"), cases))
	return nil
}
