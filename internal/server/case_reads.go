package server

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/export"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// readWhat is what was read, in the words of the page.
func readWhat(r service.CaseRead) string {
	what := r.What.Label()
	if r.What == incident.ReadAttachment {
		if r.Filename != "" {
			return what + ": " + r.Filename
		}
		return what + " (nr. " + strconv.FormatInt(r.Attachment, 10) + ", inmiddels verwijderd)"
	}
	return what
}

// caseReads shows the FG who viewed a case ("Ingezien door").
func (s *Server) caseReads(w http.ResponseWriter, r *http.Request) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Incidents.CaseReads(r.Context(), access.ActorFrom(r.Context()), id, service.CaseReadsLimit)
	if err != nil {
		return err
	}
	p := s.page(r, "Ingezien door: melding "+v.Case.Number.String())
	props := web.CaseReadsProps{Case: v.Case, More: v.More}
	for _, rd := range v.Reads {
		props.Reads = append(props.Reads, web.CaseReadRow{When: p.DateTime(rd.At), ISO: p.ISO(rd.At), Who: rd.UserName,
			What: readWhat(rd), Address: rd.Address})
	}
	s.render(w, r, http.StatusOK, web.CaseReadsPage(p, props))
	return nil
}

// caseReadsCSV sends every read of a case as a CSV that Dutch Excel opens.
func (s *Server) caseReadsCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Incidents.CaseReads(r.Context(), access.ActorFrom(r.Context()), id, 0)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(v.Reads))
	for _, rd := range v.Reads {
		rows = append(rows, []string{rd.At.In(s.loc).Format("02-01-2006 15:04:05"), rd.UserName,
			strconv.FormatInt(rd.UserID, 10), readWhat(rd), rd.Address})
	}
	var buf bytes.Buffer
	if err := export.TableCSV(&buf, []string{"Datum en tijd", "Gebruiker", "Gebruikersnummer", "Wat ingezien", "IP-adres"}, rows); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", export.CSVContentType)
	h.Set("Content-Disposition", contentDisposition("ingezien-"+v.Case.Number.String()+".csv"))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
	return nil
}
