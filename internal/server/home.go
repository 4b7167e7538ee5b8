package server

import (
	"net/http"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	a := access.ActorFrom(r.Context())
	questions, err := s.svc.Incidents.OpenQuestions(r.Context(), a)
	if err != nil {
		return err
	}
	// One cursor per list in the address (/?fg=n…); see service.WorklistAt.
	cursors := map[string]string{}
	for _, k := range []string{service.WorkOfficer, service.WorkDesk, service.WorkTechnician, service.WorkBoard, service.WorkBoardApprove} {
		if v := r.URL.Query().Get(k); v != "" {
			cursors[k] = v
		}
	}
	work, err := s.svc.Incidents.WorklistAt(r.Context(), a, cursors)
	if err != nil {
		return err
	}
	msgs, err := s.svc.Incidents.Messages(r.Context(), a)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.HomePage(s.page(r, "Start"), questions,
		web.Work{Officer: work.Officer, Desk: work.Desk, Technician: work.Technician, Board: work.Board, BoardApprove: work.BoardApprove, Messages: msgs,
			Paging: work.Paging, Cursors: cursors}))
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if err := s.db.Ping(r.Context()); err != nil {
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return nil
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
	return nil
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return apperr.NotFoundf("Deze pagina bestaat niet.")
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) error {
	s.log.Info("request refused", "method", r.Method, "route", routeOf(r), "status", http.StatusMethodNotAllowed)
	s.render(w, r, http.StatusMethodNotAllowed, web.ErrorPage(s.page(r, "Foutmelding"), http.StatusMethodNotAllowed,
		"Dit kan zo niet. Gebruik de knoppen en formulieren op de pagina’s.", ""))
	return nil
}
