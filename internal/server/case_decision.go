package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/assessment"
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
		RecipientDeleted: on("recipient_deleted"), WellKnown: on("well_known"), OutageHarmless: on("outage_harmless"),
		Breach: v.Get("breach"), BreachReason: v.Get("breach_reason"), NotifyAuthority: v.Get("notify_authority"),
		AuthorityReason: v.Get("authority_reason"), NotifySubjects: v.Get("notify_subjects"),
		SubjectsReason: v.Get("subjects_reason"), SubjectsChannel: v.Get("subjects_channel"),
		SubjectsException: v.Get("subjects_exception"),
		Effects:           v.Get("effects"), NoticePlan: v.Get("notice_plan"),
		Version: v.Get("version"), ChangeReason: v.Get("change_reason"),
	}
}

// renderDecision shows step 3's page; a form and its advice replace the
// draft, stored or prefilled ones when the officer typed something.
func (s *Server) renderDecision(w http.ResponseWriter, r *http.Request, status int, typed *incident.DecisionForm,
	advice *assessment.Advice, errs web.Errors, aware [2]string) error {
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
		AwareAt: aware[0], AwareReason: aware[1], BoardViews: pg.BoardViews, DraftSavedAt: pg.DraftSavedAt}
	if d := pg.View.Decision; d != nil {
		props.Previous, props.PreviousReasons, props.PreviousBy = &d.Decision, &d.Reasons, d.DecidedBy
	}
	if props.AwareAt == "" {
		props.AwareAt = pg.View.Case.AwareAt.In(s.loc).Format(incident.DateTimeLayout)
	}
	if typed != nil {
		props.Form = *typed
	}
	if advice != nil {
		props.Advice, props.AdviceShown = *advice, true
	}
	s.render(w, r, status, web.DecisionPage(s.page(r, "Beoordelen"), props))
	return nil
}

func (s *Server) decisionPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDecision(w, r, http.StatusOK, nil, nil, nil, [2]string{})
}

// adoptSteps are the buttons "Advies overnemen", one per question.
var adoptSteps = map[string]string{
	"adopt_breach":    incident.QuestionBreach,
	"adopt_authority": incident.QuestionAuthority,
	"adopt_subjects":  incident.QuestionSubjects,
}

func (s *Server) decisionPost(w http.ResponseWriter, r *http.Request) error {
	id, err := caseForm(r)
	if err != nil {
		return err
	}
	f := decisionFormFrom(r.PostForm)
	a := access.ActorFrom(r.Context())
	if step := r.PostForm.Get("step"); step != "decide" {
		// "Advies berekenen" and "Advies overnemen": the draft is saved and
		// the page comes back with the advice on the facts as typed; no
		// decision is recorded.
		saved, advice, err := s.svc.Incidents.SaveDecisionDraft(r.Context(), a, id, f, adoptSteps[step])
		if errs, status, ok := refusal(r.Context(), err); ok {
			if status == http.StatusConflict {
				return s.renderCase(w, r, status, errs, nil)
			}
			return s.renderDecision(w, r, status, &saved, &advice, errs, [2]string{})
		}
		if err != nil {
			return err
		}
		return s.renderDecision(w, r, http.StatusOK, &saved, &advice, nil, [2]string{})
	}
	err = s.svc.Incidents.Decide(r.Context(), a, id, f)
	if errs, status, ok := refusal(r.Context(), err); ok {
		if status == http.StatusConflict {
			// The case left step 3 meanwhile: the case page says where it is.
			return s.renderCase(w, r, status, errs, nil)
		}
		var advice *assessment.Advice
		if facts, ferrs := f.Facts(); len(ferrs) == 0 {
			adv := assessment.Assess(facts)
			advice = &adv
		}
		return s.renderDecision(w, r, status, &f, advice, errs, [2]string{})
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
	if errs, status, ok := refusal(r.Context(), err); ok {
		return s.renderDecision(w, r, status, nil, nil, errs, [2]string{at, reason})
	}
	if err != nil {
		return err
	}
	s.flash(r, "Het moment van kennisname is vastgelegd; de termijn van 72 uur loopt vanaf dat moment.")
	return seeOther(w, r, "/meldingen/"+strconv.FormatInt(id, 10)+"/besluit")
}
