package server

import (
	"net/http"

	"github.com/lekwacht/lekwacht/internal/access"
)

// Issue 9.4: the officer confirms the desk's "no breach" or takes the case
// into step 3; the board records its view during step 3.

func (s *Server) caseConfirmNoBreach(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction(nil, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "Bevestigd: geen datalek. De melding is afgesloten.", s.svc.Incidents.ConfirmNoBreach(r.Context(), a, id)
	})(w, r)
}

func (s *Server) caseAssessAfterAll(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"assess_reason"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "De melding ligt nu bij u ter beoordeling (stap 3).", s.svc.Incidents.AssessAfterAll(r.Context(), a, id, r.PostForm.Get("assess_reason"))
	})(w, r)
}

func (s *Server) caseBoardView(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"board_view"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "De zienswijze van het bestuur is vastgelegd. De FG ziet haar bij het besluit.", s.svc.Incidents.RecordBoardView(r.Context(), a, id, r.PostForm.Get("board_view"))
	})(w, r)
}
