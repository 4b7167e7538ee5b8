package server

import (
	"net/http"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// registerExportForm is the page from which whoever may export the register
// does so (the administrator has no register page to find the links on): the
// register's filter in one GET form, a button per format. A filter in the URL
// is shown back, so the page can be linked with one.
func (s *Server) registerExportForm(w http.ResponseWriter, r *http.Request) error {
	schools, err := s.svc.Incidents.RegisterExportSchools(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	rq := registerQuery(r)
	props := web.RegisterExportProps{Filter: web.RegisterFilter{From: rq.From, To: rq.To, School: rq.School, Breach: rq.Breach,
		Notified: rq.Notified, Status: rq.Status, Deadlines: rq.Deadlines, Exception: rq.Exception, Text: rq.Text, Sort: rq.Sort, Dir: rq.Dir},
		Schools: schools, Statuses: service.RegisterStatuses, Sorts: service.RegisterSorts, PDFLimit: service.RegisterPDFLimit}
	s.render(w, r, http.StatusOK, web.RegisterExportPage(s.page(r, "Register exporteren"), props))
	return nil
}
