package server

import (
	"net/http"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// register shows the datalekregister; the filter is a plain GET form.
func (s *Server) register(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	rq := service.RegisterQuery{From: q.Get("from"), To: q.Get("to"), School: q.Get("school"), Breach: q.Get("breach"),
		Status: q.Get("status"), Text: q.Get("q"), Cursor: q.Get("na")}
	v, err := s.svc.Incidents.Register(r.Context(), access.ActorFrom(r.Context()), rq)
	if err != nil {
		return err
	}
	props := web.RegisterProps{From: rq.From, To: rq.To, School: rq.School, Breach: rq.Breach, Status: rq.Status, Text: rq.Text,
		Schools: v.Schools, Statuses: service.RegisterStatuses, Entries: v.Entries, Errors: web.Errors(v.Errors),
		CanImport: incident.CanImport(access.ActorFrom(r.Context()))}
	if v.Next != "" {
		props.NextURL = web.RegisterNextURL(props, v.Next)
	}
	s.render(w, r, http.StatusOK, web.RegisterPage(s.page(r, "Datalekregister"), props))
	return nil
}
