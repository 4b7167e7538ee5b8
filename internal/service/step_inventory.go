package service

import (
	"context"
	"fmt"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// StartInventory: the desk picks up a new report (step 2 begins).
func (s *Incidents) StartInventory(ctx context.Context, a *access.Actor, id int64) error {
	ctx = scoped(ctx, a)
	return s.perform(ctx, a, id, incident.ActStartInventory, func(q *store.Queries, c *incident.Case) (change, error) {
		return change{Summary: "Opgepakt door het meldpunt (stap 2, Inventariseren)", To: incident.StatusInventory}, nil
	})
}

// RecordInventory stores the facts of step 2 (and picks the case up if it was new).
func (s *Incidents) RecordInventory(ctx context.Context, a *access.Actor, id int64, f incident.InventoryForm) error {
	ctx = scoped(ctx, a)
	inv, err := f.Parse(s.d.Now(), s.d.Location)
	if err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActRecordInventory, func(q *store.Queries, c *incident.Case) (change, error) {
		if err := q.SaveInventory(ctx, a.OrganisationID, id, a.UserID, inv, s.d.Now()); err != nil {
			return change{}, err
		}
		return change{Summary: "Feiten vastgelegd (inventarisatie)", To: incident.StatusInventory}, nil
	})
}

// QuestionForm is a follow-up question of the desk. Addressee is "reporter"
// or the id of a technician.
type QuestionForm struct {
	Addressee string
	Question  string
}

// AskQuestion puts a follow-up question to the reporter or a technician; it
// shows on their start page until they answer.
func (s *Incidents) AskQuestion(ctx context.Context, a *access.Actor, id int64, f QuestionForm) error {
	ctx = scoped(ctx, a)
	errs := apperr.FieldErrors{}
	question := text(errs, "question", f.Question, 1, 5000, "Schrijf uw vraag op.")
	if f.Addressee == "" {
		errs.Add("addressee", "Kies aan wie de vraag is.")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActAskQuestion, func(q *store.Queries, c *incident.Case) (change, error) {
		to := c.ReporterID
		name := c.ReporterName + " (melder)"
		if f.Addressee == "reporter" && c.Source.Kind != incident.SourceStaff && c.Source.Kind != incident.SourcePublic {
			// Someone who called the desk, or a processor, has no status page: the desk phones or mails them.
			return change{}, &apperr.Error{Kind: apperr.Invalid, Message: "Deze melder heeft geen account.",
				Fields: map[string]string{"addressee": "Deze melder heeft geen account en geen statuspagina: bel of mail hem of haar (zie ‘Contact melder’)."}}
		}
		if f.Addressee != "reporter" {
			techs, err := q.UsersWithRole(ctx, a.OrganisationID, access.Technician)
			if err != nil {
				return change{}, err
			}
			uid, _ := strconv.ParseInt(f.Addressee, 10, 64)
			to = 0
			for _, t := range techs {
				if t.ID == uid {
					to, name = t.ID, t.Name+" (technicus)"
				}
			}
			if to == 0 {
				return change{}, &apperr.Error{Kind: apperr.Invalid, Message: "Kies aan wie de vraag is.",
					Fields: map[string]string{"addressee": "Kies de melder of een technicus uit de lijst."}}
			}
		}
		qid, err := q.AddQuestion(ctx, a.OrganisationID, id, a.UserID, to, question, s.d.Now())
		if err != nil {
			return change{}, err
		}
		if err := s.d.notifyQuestion(ctx, q, a, c, qid, to); err != nil {
			return change{}, err
		}
		return change{Summary: "Vraag gesteld aan " + name}, nil
	})
}

// AnswerQuestion records the answer of the person asked.
func (s *Incidents) AnswerQuestion(ctx context.Context, a *access.Actor, id, questionID int64, answer string) error {
	ctx = scoped(ctx, a)
	errs := apperr.FieldErrors{}
	answer = text(errs, "answer", answer, 1, 10000, "Schrijf uw antwoord op.")
	if err := errs.Err(); err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActAnswerQuestion, func(q *store.Queries, c *incident.Case) (change, error) {
		if err := q.AnswerQuestion(ctx, a.OrganisationID, id, questionID, a.UserID, answer, s.d.Now()); err != nil {
			return change{}, err
		}
		if err := s.d.notifyAnswer(ctx, q, a, c, questionID); err != nil {
			return change{}, err
		}
		if err := q.MessagesDoneByRef(ctx, a.OrganisationID, id, fmt.Sprintf("question:%d", questionID), s.d.Now()); err != nil {
			return change{}, err
		}
		return change{Summary: "Vraag beantwoord"}, nil
	})
}

// AssignTechnician assigns the technician who finds the cause and repairs (step 4).
func (s *Incidents) AssignTechnician(ctx context.Context, a *access.Actor, id int64, technician string) error {
	ctx = scoped(ctx, a)
	uid, err := strconv.ParseInt(technician, 10, 64)
	if err != nil {
		return &apperr.Error{Kind: apperr.Invalid, Message: "Kies een technicus uit de lijst.",
			Fields: map[string]string{"technician": "Kies een technicus uit de lijst."}}
	}
	return s.perform(ctx, a, id, incident.ActAssignTechnician, func(q *store.Queries, c *incident.Case) (change, error) {
		if err := q.SetTechnician(ctx, a.OrganisationID, id, uid); err != nil {
			return change{}, err
		}
		u, err := q.UserInOrg(ctx, a.OrganisationID, uid)
		if err != nil {
			return change{}, err
		}
		if err := s.d.notifyTechnician(ctx, q, a, c, u); err != nil {
			return change{}, err
		}
		return change{Summary: "Technicus toegewezen: " + u.Name, Details: map[string]any{"technician_id": uid}}, nil
	})
}

// CloseForm closes a case in step 2 as no breach: no security incident, or
// an incident without personal data. It stays in the register with its reason.
type CloseForm struct {
	Outcome string
	Reason  string
}

// CloseNoBreach closes the case with the reason why it is no data breach.
func (s *Incidents) CloseNoBreach(ctx context.Context, a *access.Actor, id int64, f CloseForm) error {
	ctx = scoped(ctx, a)
	errs := apperr.FieldErrors{}
	outcome := incident.Outcome(f.Outcome)
	if outcome != incident.OutcomeNoIncident && outcome != incident.OutcomeNoPersonalData {
		errs.Add("outcome", "Kies of het geen beveiligingsincident was, of een incident zonder persoonsgegevens.")
	}
	reason := text(errs, "reason", f.Reason, 10, 5000, "Leg uit waarom (minstens een zin): het register moet de reden tonen.")
	if err := errs.Err(); err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActCloseNoIncident, func(q *store.Queries, c *incident.Case) (change, error) {
		if err := q.SetOutcome(ctx, a.OrganisationID, id, outcome, reason); err != nil {
			return change{}, err
		}
		// Only the officer decides that a report that may involve personal
		// data is no breach (seed 001): it waits for the officer's
		// confirmation. A report without personal data the desk closes, and
		// the officer is told.
		if c.Report.PersonalData != incident.No {
			if err := s.d.notifyConfirm(ctx, q, a, c, outcome, reason); err != nil {
				return change{}, err
			}
			return change{Summary: "Voorgesteld af te sluiten: " + outcome.Label() + "; wacht op bevestiging van de FG", To: incident.StatusConfirmation,
				Details: map[string]any{"outcome": string(outcome)}}, nil
		}
		if err := s.d.notifyClosedByDesk(ctx, q, a, c, outcome, reason); err != nil {
			return change{}, err
		}
		return change{Summary: "Afgesloten: " + outcome.Label(), To: incident.StatusClosed,
			Details: map[string]any{"outcome": string(outcome)}}, nil
	})
}

// ConfirmNoBreach: the officer confirms the desk's conclusion that the case
// is no breach; it closes with the desk's outcome and reason.
func (s *Incidents) ConfirmNoBreach(ctx context.Context, a *access.Actor, id int64) error {
	ctx = scoped(ctx, a)
	return s.perform(ctx, a, id, incident.ActConfirmNoBreach, func(q *store.Queries, c *incident.Case) (change, error) {
		return change{Summary: "Bevestigd door de FG: " + c.Outcome.Label() + "; afgesloten", To: incident.StatusClosed,
			Details: map[string]any{"outcome": string(c.Outcome)}}, nil
	})
}

// AssessAfterAll: the officer does not confirm the desk's conclusion and
// takes the case into step 3, with the reason. The desk's outcome is cleared.
func (s *Incidents) AssessAfterAll(ctx context.Context, a *access.Actor, id int64, reason string) error {
	ctx = scoped(ctx, a)
	errs := apperr.FieldErrors{}
	reason = text(errs, "assess_reason", reason, 10, 5000, "Leg uit waarom u de melding toch beoordeelt, bijvoorbeeld: ‘Er stonden wel leerlingnamen in de bijlage.’")
	if err := errs.Err(); err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActAssessAfterAll, func(q *store.Queries, c *incident.Case) (change, error) {
		if err := q.SetOutcome(ctx, a.OrganisationID, id, incident.OutcomeNone, ""); err != nil {
			return change{}, err
		}
		if err := s.d.notifyBoardAssessment(ctx, q, a, c); err != nil {
			return change{}, err
		}
		return change{Summary: "Niet bevestigd door de FG, toch beoordelen (stap 3): " + reason, To: incident.StatusAssessment,
			Details: map[string]any{"reason": reason, "desk_outcome": string(c.Outcome)}}, nil
	})
}

// SendToOfficer asks the officer to assess a suspected breach (step 3). The
// desk must have recorded the facts first.
func (s *Incidents) SendToOfficer(ctx context.Context, a *access.Actor, id int64) error {
	ctx = scoped(ctx, a)
	return s.perform(ctx, a, id, incident.ActSendToOfficer, func(q *store.Queries, c *incident.Case) (change, error) {
		if _, ok, err := q.Inventory(ctx, a.OrganisationID, id); err != nil {
			return change{}, err
		} else if !ok {
			return change{}, apperr.New(apperr.Invalid, "Leg eerst de feiten vast (inventarisatie) voordat de FG de melding beoordeelt.")
		}
		if err := s.d.notifyOfficer(ctx, q, a, c); err != nil {
			return change{}, err
		}
		if err := s.d.notifyBoardAssessment(ctx, q, a, c); err != nil {
			return change{}, err
		}
		return change{Summary: "Naar de FG gestuurd voor beoordeling (stap 3)", To: incident.StatusAssessment}, nil
	})
}

// OpenQuestions lists the questions waiting for the actor's answer.
func (s *Incidents) OpenQuestions(ctx context.Context, a *access.Actor) ([]incident.OpenQuestion, error) {
	ctx = scoped(ctx, a)
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	return s.d.Store.OpenQuestionsFor(ctx, a.OrganisationID, a.UserID)
}
