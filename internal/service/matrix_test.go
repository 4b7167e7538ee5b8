package service_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

// caseIn makes a case at school A2, reported by "staff", with everything the
// later steps look for (inventory, decision, an open question to the
// reporter, the technician assigned, a notification), and puts it in status.
func (e *env) caseIn(status incident.Status) int64 {
	e.t.Helper()
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("matrix", e.a2))).ID
	exec := func(sql string, args ...any) {
		e.t.Helper()
		if _, err := e.owner.Exec(e.ctx, sql, args...); err != nil {
			e.t.Fatal(err)
		}
	}
	org, now := e.orgA, e.clock.Now()
	exec(`UPDATE cases SET technician_id = $2 WHERE id = $1`, id, e.actors["technician"].UserID)
	exec(`INSERT INTO case_inventories (organisation_id, case_id, summary, updated_at, updated_by) VALUES ($1, $2, 'feiten', $3, $4)`,
		org, id, now, e.actors["desk"].UserID)
	exec(`INSERT INTO case_assessments (organisation_id, case_id, facts, advice, consequences, breach, notify_authority, notify_subjects,
		subjects_channel, notice_plan, decided_at, decided_by) VALUES ($1, $2, '{}', '{}', 'gevolgen', true, true, true, 'individual', 'brief', $3, $4)`,
		org, id, now, e.actors["officer"].UserID)
	exec(`INSERT INTO case_questions (organisation_id, case_id, asked_by, addressee_id, question, asked_at) VALUES ($1, $2, $3, $4, 'Vraag?', $5)`,
		org, id, e.actors["desk"].UserID, e.actors["staff"].UserID, now)
	if slices.Contains([]incident.Status{incident.StatusInforming, incident.StatusRecording, incident.StatusClosed}, status) {
		exec(`INSERT INTO case_notifications (organisation_id, case_id, kind, number, sent_at, recorded_at, recorded_by)
			VALUES ($1, $2, 'initial', 'M-1', $3, $3, $4)`, org, id, now, e.actors["officer"].UserID)
	}
	if status != incident.StatusNew {
		must(0, e.store.MoveCase(e.sys, org, id, incident.StatusNew, status, now))
	}
	return id
}

// TestWorkflowMatrixThroughTheService runs every workflow action as every
// kind of actor in every status, through the service, and checks that the
// service lets through exactly what the transition table allows: the right
// role for the case's school (or the assigned technician, or the person asked
// a question), in the right status. "Let through" means the action got past
// the checks of role, organisation, school and step: it succeeded, or was
// refused only for its content.
func TestWorkflowMatrixThroughTheService(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer_a1", e.orgA, access.Grant{Role: access.Officer, Schools: []int64{e.a1}})
	tech := strconv.FormatInt(e.actors["technician"].UserID, 10)
	past := e.clock.Now().Add(-1).In(amsterdam).Format(incident.DateTimeLayout)
	questionOf := func(id int64) int64 {
		var q int64
		if err := e.owner.QueryRow(e.ctx, `SELECT id FROM case_questions WHERE case_id = $1`, id).Scan(&q); err != nil {
			t.Fatal(err)
		}
		return q
	}
	inv := goodInventory()
	inv.PeriodFrom = ""
	decision := classList()
	decision.Breach, decision.NotifyAuthority, decision.NotifySubjects, decision.SubjectsChannel = "yes", "yes", "yes", "individual"
	decision.Effects, decision.NoticePlan = "Adressen op straat.", "Melding en brief."
	run := map[incident.Action]func(a *access.Actor, id int64) error{
		incident.ActStartInventory:  func(a *access.Actor, id int64) error { return e.svc.Incidents.StartInventory(e.ctx, a, id) },
		incident.ActRecordInventory: func(a *access.Actor, id int64) error { return e.svc.Incidents.RecordInventory(e.ctx, a, id, inv) },
		incident.ActAskQuestion: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.AskQuestion(e.ctx, a, id, service.QuestionForm{Addressee: "reporter", Question: "Nog iets?"})
		},
		incident.ActAnswerQuestion: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.AnswerQuestion(e.ctx, a, id, questionOf(id), "Antwoord")
		},
		incident.ActAssignTechnician: func(a *access.Actor, id int64) error { return e.svc.Incidents.AssignTechnician(e.ctx, a, id, tech) },
		incident.ActCloseNoIncident: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.CloseNoBreach(e.ctx, a, id, service.CloseForm{Outcome: "no_incident", Reason: "Alleen een dreiging."})
		},
		incident.ActMarkSpam:        func(a *access.Actor, id int64) error { return e.svc.Incidents.MarkSpam(e.ctx, a, id, "Reclame") },
		incident.ActSendToOfficer:   func(a *access.Actor, id int64) error { return e.svc.Incidents.SendToOfficer(e.ctx, a, id) },
		incident.ActConfirmNoBreach: func(a *access.Actor, id int64) error { return e.svc.Incidents.ConfirmNoBreach(e.ctx, a, id) },
		incident.ActAssessAfterAll: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.AssessAfterAll(e.ctx, a, id, "Er stonden toch namen in.")
		},
		incident.ActRecordBoardView: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.RecordBoardView(e.ctx, a, id, "Wij adviseren te melden.")
		},
		incident.ActRecordRepair: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.RecordRepair(e.ctx, a, id, incident.RepairForm{Cause: "oorzaak", Unintelligible: "no"})
		},
		incident.ActSetAwareness: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.SetAwareAt(e.ctx, a, id, past, "Toen stond het vast.")
		},
		incident.ActAssess:      func(a *access.Actor, id int64) error { return e.svc.Incidents.Decide(e.ctx, a, id, decision) },
		incident.ActInformBoard: func(a *access.Actor, id int64) error { return e.svc.Incidents.InformBoard(e.ctx, a, id, "Akkoord") },
		incident.ActRecordNotice: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.RecordNotification(e.ctx, a, id, incident.NotificationForm{SentAt: past, Number: "M-2",
				BoardReason: "Bestuur onbereikbaar in het weekend."})
		},
		incident.ActAmendNotice: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.AmendNotification(e.ctx, a, id, incident.AmendForm{Kind: "supplement", SentAt: past, Content: "Aanvulling op de melding."})
		},
		incident.ActDraftSubjects: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.DraftSubjectsNotice(e.ctx, a, id, goodSubjectsForm())
		},
		incident.ActApproveSubjects: func(a *access.Actor, id int64) error { return e.svc.Incidents.ApproveSubjectsNotice(e.ctx, a, id, "") },
		incident.ActRecordSubjects:  func(a *access.Actor, id int64) error { return e.svc.Incidents.RecordSubjectsSent(e.ctx, a, id, past) },
		incident.ActClose:           func(a *access.Actor, id int64) error { return e.svc.Incidents.Close(e.ctx, a, id) },
		incident.ActReopen: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.Reopen(e.ctx, a, id, "Nieuwe feiten bekend.")
		},
		incident.ActExceptionHolds: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.ExceptionHolds(e.ctx, a, id, "")
		},
		incident.ActExceptionLapsed: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.ExceptionLapsed(e.ctx, a, id, "De versleuteling is gekraakt.")
		},
		incident.ActRecordInspectorate: func(a *access.Actor, id int64) error {
			return e.svc.Incidents.RecordInspectorate(e.ctx, a, id, incident.InspectorateForm{Informed: "no", Reason: "Geen examen."})
		},
	}
	// Who performs what for a case at school A2 (the technician is assigned,
	// the reporter has an open question). desk_a1 and officer_a1 are limited
	// to school A1; desk_b is another organisation; admin manages accounts.
	performs := map[string]incident.Performer{"desk": incident.ByDesk, "officer": incident.ByOfficer, "board": incident.ByBoard,
		"technician": incident.ByTechnician, "staff": incident.ByAddressee}
	actors := []string{"staff", "staff2", "desk", "desk_a1", "officer", "officer_a1", "board", "technician", "admin", "desk_b"}

	for _, tr := range incident.Workflow {
		if run[tr.Action] == nil {
			t.Errorf("action %s is not in this test: add it", tr.Action)
			continue
		}
		for _, st := range incident.Statuses {
			id := e.caseIn(st)
			if tr.Action == incident.ActMarkSpam {
				// Only a report from outside can be spam (issue 12).
				if _, err := e.owner.Exec(e.ctx, `INSERT INTO case_sources (organisation_id, case_id, kind) VALUES ($1, $2, 'public')`, e.orgA, id); err != nil {
					t.Fatal(err)
				}
			}
			for _, name := range actors {
				want := slices.Contains(tr.From, st) && slices.Contains(tr.By, performs[name])
				err := run[tr.Action](e.actors[name], id)
				passed := err == nil || apperr.Is(err, apperr.Invalid) ||
					(apperr.Is(err, apperr.Conflict) && !strings.Contains(err.Error(), "niet (meer) in deze stap"))
				if passed != want {
					t.Errorf("%s by %s in %s: %v, want allowed=%v", tr.Action, name, st, describe(err), want)
				}
				if err == nil {
					id = e.caseIn(st) // the action changed the case; the next actor gets a fresh one
				}
			}
		}
	}
}

func describe(err error) string {
	if err == nil {
		return "allowed"
	}
	return fmt.Sprintf("%q", err.Error())
}
