package server

import (
	"net/http"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// registerQuery reads the register's filter from the URL (a plain GET form).
func registerQuery(r *http.Request) service.RegisterQuery {
	q := r.URL.Query()
	return service.RegisterQuery{From: q.Get("from"), To: q.Get("to"), School: q.Get("school"), Breach: q.Get("breach"),
		Notified: q.Get("ap"), Status: q.Get("status"), Deadlines: q.Get("termijn"), Exception: q.Get("uitzondering"),
		Text: q.Get("q"), Sort: q.Get("sort"), Dir: q.Get("dir"), Cursor: q.Get("na")}
}

// register shows the datalekregister; the filter is a plain GET form.
func (s *Server) register(w http.ResponseWriter, r *http.Request) error {
	rq := registerQuery(r)
	v, err := s.svc.Incidents.Register(r.Context(), access.ActorFrom(r.Context()), rq)
	if err != nil {
		return err
	}
	props := web.RegisterProps{Filter: web.RegisterFilter{From: rq.From, To: rq.To, School: rq.School, Breach: rq.Breach,
		Notified: rq.Notified, Status: rq.Status, Deadlines: rq.Deadlines, Exception: rq.Exception, Text: rq.Text, Sort: rq.Sort, Dir: rq.Dir},
		Paged: rq.Cursor != "", Schools: v.Schools, Statuses: service.RegisterStatuses, Sorts: service.RegisterSorts,
		Entries: v.Entries, Errors: web.Errors(v.Errors), Loc: s.loc, CanImport: incident.CanImport(access.ActorFrom(r.Context()))}
	if v.Next != "" {
		props.NextURL = props.Filter.URL("/register", v.Next)
	}
	page := s.page(r, "Datalekregister")
	page.Wide = true // a table: the screen's width, not the reading width
	s.render(w, r, http.StatusOK, web.RegisterPage(page, props))
	return nil
}
