package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/web"
)

func decisionFormFrom(v url.Values) incident.DecisionForm {
	on := func(k string) bool { return v.Get(k) != "" }
	return incident.DecisionForm{
		Incident: on("incident"), PersonalData: on("personal_data"), Confidentiality: on("confidentiality"),
		Integrity: on("integrity"), Availability: v.Get("availability"), UnavailableHours: v.Get("unavailable_hours"),
		Excluded: v.Get("excluded"), Subjects: v.Get("subjects"), Data: v["data"], Children: on("children"),
		DirectIdentifiable: on("direct_identifiable"), Unintelligible: on("unintelligible"), Backup: on("backup"),
		Malicious: on("malicious"), Recipient: v.Get("recipient"), Mitigated: on("mitigated"),
		DisproportionateEffort: on("disproportionate_effort"), Consequences: v["consequences"],
		Breach: v.Get("breach"), BreachReason: v.Get("breach_reason"), NotifyAuthority: v.Get("notify_authority"),
		AuthorityReason: v.Get("authority_reason"), NotifySubjects: v.Get("notify_subjects"),
		SubjectsReason: v.Get("subjects_reason"), SubjectsChannel: v.Get("subjects_channel"),
		SubjectsException: v.Get("subjects_exception"),
		Effects:           v.Get("effects"), NoticePlan: v.Get("notice_plan"),
		Version: v.Get("version"), ChangeReason: v.Get("change_reason"),
	}
}

// renderDecision shows step 3's page; form and advice replace the stored or
// prefilled ones when the officer typed something.
func (s *Server) renderDecision(w http.ResponseWriter, r *http.Request, status int, typed *incident.DecisionForm,
	errs web.Errors, aware [2]string) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	a := access.ActorFrom(r.Context())
	pg, err := s.svc.Incidents.DecisionPageFor(r.Context(), a, id)
	if err != nil {
		return err
	}
	props := web.DecisionProps{Case: pg.View.Case, Inventory: pg.View.Inventory, Form: pg.Form, Advice: pg.Advice,
		Due: pg.Due, CanDecide: pg.CanDecide, CanSetAwareness: pg.CanSetAwareness, Errors: errs,
		AwareAt: aware[0], AwareReason: aware[1], BoardViews: pg.BoardViews}
	if d := pg.View.Decision; d != nil {
		props.Previous, props.PreviousBy = &d.Decision, d.DecidedBy
	}
	if props.AwareAt == "" {
		props.AwareAt = pg.View.Case.AwareAt.In(s.loc).Format(incident.DateTimeLayout)
	}
	if typed != nil {
		props.Form = *typed
		if advice, err := s.svc.Incidents.DecisionAdvice(r.Context(), a, id, *typed); err == nil {
			props.Advice, props.AdviceShown = advice, true
		}
	}
	s.render(w, r, status, web.DecisionPage(s.page(r, "Beoordelen"), props))
	return nil
}

func (s *Server) decisionPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDecision(w, r, http.StatusOK, nil, nil, [2]string{})
}

func (s *Server) decisionPost(w http.ResponseWriter, r *http.Request) error {
	id, err := caseForm(r)
	if err != nil {
		return err
	}
	f := decisionFormFrom(r.PostForm)
	a := access.ActorFrom(r.Context())
	if r.PostForm.Get("step") != "decide" {
		// "Advies berekenen": the page again with the advice on the facts as typed.
		if _, err := s.svc.Incidents.DecisionAdvice(r.Context(), a, id, f); err != nil {
			if errs, status, ok := refusal(err); ok {
				return s.renderDecision(w, r, status, &f, errs, [2]string{})
			}
			return err
		}
		return s.renderDecision(w, r, http.StatusOK, &f, nil, [2]string{})
	}
	err = s.svc.Incidents.Decide(r.Context(), a, id, f)
	if errs, status, ok := refusal(err); ok {
		if status == http.StatusConflict {
			// The case left step 3 meanwhile: the case page says where it is.
			return s.renderCase(w, r, status, errs, nil)
		}
		return s.renderDecision(w, r, status, &f, errs, [2]string{})
	}
	if err != nil {
		return err
	}
	s.flash(r, "Het besluit is vastgelegd.")
	return seeOther(w, r, "/meldingen/"+strconv.FormatInt(id, 10))
}

func (s *Server) awarenessPost(w http.ResponseWriter, r *http.Request) error {
	id, err := caseForm(r)
	if err != nil {
		return err
	}
	at, reason := r.PostForm.Get("aware_at"), r.PostForm.Get("aware_reason")
	err = s.svc.Incidents.SetAwareAt(r.Context(), access.ActorFrom(r.Context()), id, at, reason)
	if errs, status, ok := refusal(err); ok {
		return s.renderDecision(w, r, status, nil, errs, [2]string{at, reason})
	}
	if err != nil {
		return err
	}
	s.flash(r, "Het moment van kennisname is vastgelegd; de termijn van 72 uur loopt vanaf dat moment.")
	return seeOther(w, r, "/meldingen/"+strconv.FormatInt(id, 10)+"/besluit")
}
