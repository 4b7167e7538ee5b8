package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// caseAction runs a workflow action from a small form on the case page: on
// success back to the case with a flash, on invalid input the case page again
// with the messages and what was typed.
func (s *Server) caseAction(fields []string, do func(r *http.Request, a *access.Actor, id int64) (string, error)) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := caseID(r)
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
		}
		msg, err := do(r, access.ActorFrom(r.Context()), id)
		if errs, status, ok := refusal(r.Context(), err); ok {
			// Refused, or someone acted first: the case as it is now, with
			// the message and everything typed, so nothing is lost.
			typed := map[string]string{}
			for _, f := range fields {
				typed[f] = r.PostForm.Get(f)
			}
			return s.renderCase(w, r, status, errs, typed)
		}
		if err != nil {
			return err
		}
		s.flash(r, msg)
		back := "/meldingen/" + strconv.FormatInt(id, 10)
		if b := r.PostForm.Get("back"); b == "/" {
			back = b
		}
		return seeOther(w, r, back)
	}
}

func (s *Server) caseStartInventory(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction(nil, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "U hebt de melding opgepakt.", s.svc.Incidents.StartInventory(r.Context(), a, id)
	})(w, r)
}

func (s *Server) caseAsk(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"addressee", "question"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		f := service.QuestionForm{Addressee: r.PostForm.Get("addressee"), Question: r.PostForm.Get("question")}
		return "Uw vraag is verstuurd.", s.svc.Incidents.AskQuestion(r.Context(), a, id, f)
	})(w, r)
}

func (s *Server) caseAnswer(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"answer"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		qid, err := strconv.ParseInt(chi.URLParam(r, "qid"), 10, 64)
		if err != nil {
			return "", apperr.NotFoundf("Deze vraag bestaat niet.")
		}
		return "Dank u, uw antwoord is verstuurd.", s.svc.Incidents.AnswerQuestion(r.Context(), a, id, qid, r.PostForm.Get("answer"))
	})(w, r)
}

func (s *Server) caseAssignTechnician(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"technician"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "De technicus is toegewezen.", s.svc.Incidents.AssignTechnician(r.Context(), a, id, r.PostForm.Get("technician"))
	})(w, r)
}

func (s *Server) caseCloseNoBreach(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"outcome", "reason"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		f := service.CloseForm{Outcome: r.PostForm.Get("outcome"), Reason: r.PostForm.Get("reason")}
		return "Vastgelegd met de reden. Gaf de melder aan dat er (mogelijk) persoonsgegevens bij betrokken zijn, dan wacht de melding nu op bevestiging van de FG; anders is zij afgesloten.", s.svc.Incidents.CloseNoBreach(r.Context(), a, id, f)
	})(w, r)
}

func (s *Server) caseSendToOfficer(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction(nil, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "De melding ligt nu bij de FG voor beoordeling.", s.svc.Incidents.SendToOfficer(r.Context(), a, id)
	})(w, r)
}

func (s *Server) inventoryForm(w http.ResponseWriter, r *http.Request) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Incidents.StepPage(r.Context(), access.ActorFrom(r.Context()), id, incident.ActRecordInventory,
		"Alleen het meldpunt legt de feiten vast.")
	if err != nil {
		return err
	}
	f := incident.InventoryFormFrom(v.Case, v.Inventory, s.loc)
	s.render(w, r, http.StatusOK, web.InventoryPage(s.page(r, "Inventarisatie"), v.Case, f, nil))
	return nil
}

func (s *Server) inventorySave(w http.ResponseWriter, r *http.Request) error {
	id, err := caseForm(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	f := incident.InventoryForm{Summary: v.Get("summary"), Sensitive: v.Get("sensitive"), SensitiveNote: v.Get("sensitive_note"),
		PeriodFrom: v.Get("period_from"), PeriodUntil: v.Get("period_until"), Nature: v.Get("nature"),
		BreachSuspected: v.Get("breach_suspected"), SubjectGroups: v.Get("subject_groups"), SubjectCount: v.Get("subject_count"),
		DataTypes: v["data_types"], ChainShared: v.Get("chain_shared"), ChainNote: v.Get("chain_note"),
		CrossBorder: v.Get("cross_border")}
	a := access.ActorFrom(r.Context())
	err = s.svc.Incidents.RecordInventory(r.Context(), a, id, f)
	if errs, status, ok := refusal(r.Context(), err); ok {
		cv, cerr := s.svc.Incidents.Case(r.Context(), a, id)
		if cerr != nil {
			return cerr
		}
		s.render(w, r, status, web.InventoryPage(s.page(r, "Inventarisatie"), cv.Case, f, errs))
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "De inventarisatie is opgeslagen.")
	return seeOther(w, r, "/meldingen/"+strconv.FormatInt(id, 10))
}
