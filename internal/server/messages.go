package server

import (
	"net/http"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/web"
)

// messages lists the user's notifications: what Lekwacht mailed them, and
// the summary of measures, so that nothing depends on mail alone.
func (s *Server) messages(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Incidents.AllMessages(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.MessagesPage(s.page(r, "Berichten"), list))
	return nil
}
