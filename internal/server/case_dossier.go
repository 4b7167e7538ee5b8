package server

import (
	"bytes"
	"encoding/hex"
	"net/http"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// dossierProps turns the service's read of a case into the dossier's props.
func dossierProps(v service.DossierView) web.DossierProps {
	p := web.DossierProps{Case: v.Case, Organisation: v.Organisation, PrintedAt: v.PrintedAt, AuthorityDue: v.AuthorityDue,
		Inventory: v.Inventory, Questions: v.Questions, Repair: v.Repair, BoardNotes: v.BoardNotes,
		Notifications: v.Notifications, Subjects: v.Subjects, Attachments: v.Attachments, Events: v.Events,
		Processor: v.Processor, Import: v.Import,
		InventoryVersions: v.InventoryVersions, RepairVersions: v.RepairVersions, NoticeVersions: v.NoticeVersions,
		Chains: []web.ChainHead{
			{Label: "Tijdlijn van de organisatie", Rows: v.Timeline.Rows, Hash: hex.EncodeToString(v.Timeline.Hash)},
			{Label: "Beveiligingslog van de organisatie", Rows: v.Security.Rows, Hash: hex.EncodeToString(v.Security.Hash)},
		}}
	if d := v.Decision; d != nil {
		p.Decision = &web.DecisionView{Decision: d.Decision, Reasons: d.Reasons, Advice: d.Advice, DecidedBy: d.DecidedBy}
		p.Facts = &d.Facts
	}
	for _, d := range v.DecisionVersions {
		p.DecisionVersions = append(p.DecisionVersions, web.DecisionView{Decision: d.Decision, Reasons: d.Reasons, Advice: d.Advice, DecidedBy: d.DecidedBy})
	}
	return p
}

func (s *Server) dossier(r *http.Request, pdf bool) (service.DossierView, error) {
	id, err := caseID(r)
	if err != nil {
		return service.DossierView{}, err
	}
	if pdf {
		return s.svc.Incidents.DossierPDF(r.Context(), access.ActorFrom(r.Context()), id)
	}
	return s.svc.Incidents.Dossier(r.Context(), access.ActorFrom(r.Context()), id)
}

// caseDossier shows the whole dossier of a case (desk, officer, board).
func (s *Server) caseDossier(w http.ResponseWriter, r *http.Request) error {
	v, err := s.dossier(r, false)
	if err != nil {
		return err
	}
	p := s.page(r, "Dossier melding "+v.Case.Number.String())
	s.render(w, r, http.StatusOK, web.DossierPage(p, v.Case.ID, web.BuildDossier(p, dossierProps(v))))
	return nil
}

// caseDossierPDF sends the same dossier as an A4 PDF download.
func (s *Server) caseDossierPDF(w http.ResponseWriter, r *http.Request) error {
	v, err := s.dossier(r, true)
	if err != nil {
		return err
	}
	// Not s.page: a download must not consume the flash message meant for the next page.
	p := web.Page{Loc: s.loc, Now: s.now()}
	var buf bytes.Buffer
	if err := web.WriteDossierPDF(&buf, web.BuildDossier(p, dossierProps(v)), v.PrintedAt); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", contentDisposition("dossier-"+v.Case.Number.String()+".pdf"))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
	return nil
}
