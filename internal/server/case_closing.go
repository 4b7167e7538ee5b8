package server

import (
	"net/http"

	"github.com/lekwacht/lekwacht/internal/access"
)

func (s *Server) caseInformBoard(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"view"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "Vastgelegd dat het bestuur is geïnformeerd.", s.svc.Incidents.InformBoard(r.Context(), a, id, r.PostForm.Get("view"))
	})(w, r)
}

func (s *Server) caseClose(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction(nil, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "De melding is vastgelegd in het register en afgesloten. De melder heeft een samenvatting gekregen.", s.svc.Incidents.Close(r.Context(), a, id)
	})(w, r)
}

func (s *Server) caseReopen(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"reopen_reason"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "De melding is heropend en ligt weer bij de FG.", s.svc.Incidents.Reopen(r.Context(), a, id, r.PostForm.Get("reopen_reason"))
	})(w, r)
}
