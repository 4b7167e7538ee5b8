package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/web"
)

// Processors (verwerkers) and their breach agreements: listed for the desk,
// officer, board and administrator; added and edited by the officer and the
// administrator (the service decides).

func processorID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFoundf("Deze verwerker bestaat niet.")
	}
	return id, nil
}

func processorForm(v url.Values) incident.ProcessorForm {
	return incident.ProcessorForm{Name: v.Get("name"), Processes: v.Get("processes"), BreachContact: v.Get("breach_contact"),
		HowInform: v.Get("how_inform"), OffHours: v.Get("off_hours"), APNotifier: v.Get("ap_notifier"),
		Information: v.Get("information"), DeliveryHours: v.Get("delivery_hours"), Communicator: v.Get("communicator")}
}

func (s *Server) processors(w http.ResponseWriter, r *http.Request) error {
	v, err := s.svc.Processors.List(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.ProcessorsPage(s.page(r, "Verwerkers"), web.ProcessorsProps{Processors: v.Processors, CanManage: v.CanManage}))
	return nil
}

func (s *Server) processorShow(w http.ResponseWriter, r *http.Request) error {
	id, err := processorID(r)
	if err != nil {
		return err
	}
	a := access.ActorFrom(r.Context())
	pr, err := s.svc.Processors.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	link := web.ProcessorLinkProps{New: s.sessions.PopString(r.Context(), keyProcessorLink)}
	if link.Since, err = s.svc.Processors.ProcessorLinkSince(r.Context(), a, id); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.ProcessorPage(s.page(r, "Verwerker "+pr.Name), pr, incident.CanManageProcessors(a), link))
	return nil
}

func (s *Server) processorNewForm(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Processors.MayManage(access.ActorFrom(r.Context())); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.ProcessorFormPage(s.page(r, "Verwerker toevoegen"),
		web.ProcessorFormProps{Form: incident.ProcessorForm{APNotifier: incident.PartySchool, Communicator: incident.PartySchool}}))
	return nil
}

func (s *Server) processorCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	f := processorForm(r.PostForm)
	id, err := s.svc.Processors.Create(r.Context(), access.ActorFrom(r.Context()), f)
	if errs, status, ok := refusal(r.Context(), err); ok {
		s.render(w, r, status, web.ProcessorFormPage(s.page(r, "Verwerker toevoegen"), web.ProcessorFormProps{Form: f, Errors: errs}))
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "De verwerker is toegevoegd.")
	return seeOther(w, r, "/verwerkers/"+strconv.FormatInt(id, 10))
}

func (s *Server) processorEditForm(w http.ResponseWriter, r *http.Request) error {
	id, err := processorID(r)
	if err != nil {
		return err
	}
	a := access.ActorFrom(r.Context())
	if err := s.svc.Processors.MayManage(a); err != nil {
		return err
	}
	pr, err := s.svc.Processors.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.ProcessorFormPage(s.page(r, "Verwerker wijzigen"),
		web.ProcessorFormProps{ID: id, Form: incident.ProcessorFormFrom(pr)}))
	return nil
}

func (s *Server) processorUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := processorID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	f := processorForm(r.PostForm)
	err = s.svc.Processors.Update(r.Context(), access.ActorFrom(r.Context()), id, f)
	if errs, status, ok := refusal(r.Context(), err); ok {
		s.render(w, r, status, web.ProcessorFormPage(s.page(r, "Verwerker wijzigen"), web.ProcessorFormProps{ID: id, Form: f, Errors: errs}))
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "De verwerker is gewijzigd.")
	return seeOther(w, r, "/verwerkers/"+strconv.FormatInt(id, 10))
}

// caseLinkProcessor links a case to the processor where it happened.
func (s *Server) caseLinkProcessor(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"processor", "informed_at"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "De verwerker is gekoppeld; de termijn voor de informatie loopt.", s.svc.Incidents.LinkProcessor(r.Context(), a, id,
			incident.ProcessorLinkForm{ProcessorID: r.PostForm.Get("processor"), InformedAt: r.PostForm.Get("informed_at")})
	})(w, r)
}

// caseProcessorDelivered records that the processor's information came in.
func (s *Server) caseProcessorDelivered(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction(nil, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "Vastgelegd dat de informatie van de verwerker is ontvangen.", s.svc.Incidents.RecordProcessorDelivery(r.Context(), a, id)
	})(w, r)
}
