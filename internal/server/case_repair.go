package server

import (
	"net/http"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/web"
)

func (s *Server) repairForm(w http.ResponseWriter, r *http.Request) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Incidents.StepPage(r.Context(), access.ActorFrom(r.Context()), id, incident.ActRecordRepair,
		"Alleen de toegewezen technicus legt oorzaak en maatregelen vast.")
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.RepairPage(s.page(r, "Herstel"), v.Case, incident.RepairFormFrom(v.Repair), nil))
	return nil
}

func (s *Server) repairSave(w http.ResponseWriter, r *http.Request) error {
	id, err := caseForm(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	f := incident.RepairForm{Cause: v.Get("cause"), TechnicalIncidental: v.Get("technical_incidental"),
		TechnicalStructural: v.Get("technical_structural"), OrganisationalIncidental: v.Get("organisational_incidental"),
		OrganisationalStructural: v.Get("organisational_structural"), Unintelligible: v.Get("unintelligible"),
		UnintelligibleHow: v.Get("unintelligible_how"), Completed: v.Get("completed") != ""}
	a := access.ActorFrom(r.Context())
	err = s.svc.Incidents.RecordRepair(r.Context(), a, id, f)
	if errs, status, ok := refusal(r.Context(), err); ok {
		cv, cerr := s.svc.Incidents.Case(r.Context(), a, id)
		if cerr != nil {
			return cerr
		}
		s.render(w, r, status, web.RepairPage(s.page(r, "Herstel"), cv.Case, f, errs))
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "Oorzaak en maatregelen zijn opgeslagen.")
	return seeOther(w, r, "/meldingen/"+strconv.FormatInt(id, 10))
}
