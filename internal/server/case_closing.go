package server

import (
	"net/http"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

func (s *Server) caseInformBoard(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"view"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "Vastgelegd dat het bestuur is geïnformeerd.", s.svc.Incidents.InformBoard(r.Context(), a, id, r.PostForm.Get("view"))
	})(w, r)
}

func (s *Server) caseClose(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"no_confirmation_reason"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		f := service.CloseCaseForm{NoConfirmationReason: r.PostForm.Get("no_confirmation_reason")}
		return "De melding is vastgelegd in het register en afgesloten. De melder heeft een samenvatting gekregen.", s.svc.Incidents.CloseWith(r.Context(), a, id, f)
	})(w, r)
}

func (s *Server) caseExceptionHolds(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"exception_note"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "Vastgelegd dat de uitzondering nog geldt. De volgende herbeoordeling staat gepland.",
			s.svc.Incidents.ExceptionHolds(r.Context(), a, id, r.PostForm.Get("exception_note"))
	})(w, r)
}

func (s *Server) caseExceptionLapsed(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"lapse_reason"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "Vastgelegd dat de uitzondering niet meer geldt. De melding ligt weer bij de FG voor een nieuw besluit.",
			s.svc.Incidents.ExceptionLapsed(r.Context(), a, id, r.PostForm.Get("lapse_reason"))
	})(w, r)
}

func (s *Server) caseInspectorate(w http.ResponseWriter, r *http.Request) error {
	fields := []string{"inspectorate_informed", "inspectorate_on", "inspectorate_reason"}
	return s.caseAction(fields, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		f := incident.InspectorateForm{Informed: r.PostForm.Get(fields[0]), InformedOn: r.PostForm.Get(fields[1]), Reason: r.PostForm.Get(fields[2])}
		return "Vastgelegd of de Inspectie van het Onderwijs is geïnformeerd.", s.svc.Incidents.RecordInspectorate(r.Context(), a, id, f)
	})(w, r)
}

func (s *Server) caseReopen(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"reopen_reason"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "De melding is heropend en ligt weer bij de FG.", s.svc.Incidents.Reopen(r.Context(), a, id, r.PostForm.Get("reopen_reason"))
	})(w, r)
}
