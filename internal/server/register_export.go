package server

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/export"
)

// exportWriteTime is how long an export may take to send: longer than the
// server's write timeout for pages, since a large register streams for a while.
const exportWriteTime = 10 * time.Minute

// registerExport streams the register with the page's filter (without its
// page) in one format. The service authorises before anything is written;
// a failure after the first byte aborts the connection so that no truncated
// file looks complete.
func (s *Server) registerExport(ext, contentType string, write func(context.Context, io.Writer, export.Meta, export.Source) error, pdf bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		rq := registerQuery(r)
		rq.Format = ext
		x, err := s.svc.Incidents.RegisterExport(ctx, access.ActorFrom(ctx), rq)
		if err != nil {
			return err
		}
		if pdf {
			if err := x.CheckPDF(ctx); err != nil {
				return err
			}
		}
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportWriteTime))
		m := export.Meta{Organisation: x.Organisation, Filter: x.Filter, PrintedAt: x.PrintedAt, Location: x.Location}
		h := w.Header()
		h.Set("Content-Type", contentType)
		h.Set("Content-Disposition", contentDisposition(export.Filename(m, ext)))
		h.Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		if err := write(ctx, w, m, x); err != nil {
			s.log.Error("register export failed", "route", routeOf(r), "format", ext, "err", err)
			panic(http.ErrAbortHandler)
		}
		return nil
	}
}
