package server

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/export"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/web"
)

// who names the actor of a security event; a failed sign-in has none.
func who(e store.SecurityEvent) string {
	switch {
	case e.ActorName != "":
		return e.ActorName
	case e.ActorID == 0 && e.Action == service.AuditSignInFailed:
		return "(onbekend)"
	}
	return "Lekwacht"
}

// securityLog shows the organisation's security log (FG, administrator).
func (s *Server) securityLog(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "Beveiligingslog")
	var props web.SecurityLogProps
	err := s.svc.Accounts.SecurityLog(r.Context(), access.ActorFrom(r.Context()), service.SecurityLogLimit+1, func(e store.SecurityEvent) error {
		if len(props.Events) == service.SecurityLogLimit {
			props.More = true
			return nil
		}
		props.Events = append(props.Events, web.SecurityLogRow{When: p.DateTime(e.At), ISO: p.ISO(e.At), Who: who(e),
			What: service.SecurityLabel(e.Action), Case: e.CaseNumber, Address: e.Address})
		return nil
	})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.SecurityLogPage(p, props))
	return nil
}

// securityLogCSV streams the whole security log as a CSV for Dutch Excel.
// The service authorises before the first byte; a failure after it aborts
// the connection, so that a cut-off file never looks complete.
func (s *Server) securityLogCSV(w http.ResponseWriter, r *http.Request) error {
	a := access.ActorFrom(r.Context())
	started := false
	var cw *csv.Writer
	err := s.svc.Accounts.SecurityLog(r.Context(), a, 0, func(e store.SecurityEvent) error {
		if !started {
			started = true
			h := w.Header()
			h.Set("Content-Type", export.CSVContentType)
			h.Set("Content-Disposition", contentDisposition("beveiligingslog-"+s.now().In(s.loc).Format("2006-01-02-1504")+".csv"))
			h.Set("X-Content-Type-Options", "nosniff")
			w.WriteHeader(http.StatusOK)
			cw = securityCSVHeader(w)
		}
		cw.Write(export.SafeRow([]string{strconv.FormatInt(e.Seq, 10), e.At.In(s.loc).Format("02-01-2006 15:04:05"), who(e),
			strconv.FormatInt(e.ActorID, 10), service.SecurityLabel(e.Action), e.Action, strconv.FormatInt(e.SubjectID, 10),
			e.CaseNumber, e.Address}))
		return cw.Error()
	})
	if err != nil {
		if started {
			s.log.Error("security log export failed", "err", err)
			panic(http.ErrAbortHandler)
		}
		return err
	}
	if !started { // never happens: the export itself is the first row
		h := w.Header()
		h.Set("Content-Type", export.CSVContentType)
		w.WriteHeader(http.StatusOK)
		cw = securityCSVHeader(w)
	}
	cw.Flush()
	return nil
}

func securityCSVHeader(w io.Writer) *csv.Writer {
	cw := export.NewCSVWriter(w)
	cw.Write([]string{"Regel", "Datum en tijd", "Gebruiker", "Gebruikersnummer", "Gebeurtenis", "Code", "Onderwerp (nummer)", "Melding", "IP-adres"})
	return cw
}
