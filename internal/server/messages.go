package server

import (
	"net/http"
	"strconv"

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

// messagesRead marks the messages the user saw (up to the newest on the
// page, "tot") as read.
func (s *Server) messagesRead(w http.ResponseWriter, r *http.Request) error {
	upTo, _ := strconv.ParseInt(r.PostFormValue("tot"), 10, 64)
	if err := s.svc.Incidents.MarkMessagesRead(r.Context(), access.ActorFrom(r.Context()), upTo); err != nil {
		return err
	}
	s.flash(r, "De berichten zijn als gelezen gemarkeerd.")
	return seeOther(w, r, "/berichten")
}
