package service

import (
	"context"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// NotificationView is the step-5 page: everything collected in the order of
// the AP's form, the notifications sent so far, and the deadline.
type NotificationView struct {
	Case          incident.Case
	Sections      []incident.APSection
	Missing       int
	Notifications []incident.Notification
	BoardInformed bool
	Due           incident.Due
	CanRecord     bool // the first notification can be recorded now
	CanAmend      bool // a supplement or withdrawal can be recorded now
	// Confirmations are the AP's confirmations kept with the case.
	Confirmations []incident.Attachment
}

// Notification gathers the step-5 page for the officer of the case's school.
func (s *Incidents) Notification(ctx context.Context, a *access.Actor, id int64) (NotificationView, error) {
	ctx = scoped(ctx, a)
	v, err := s.Case(ctx, a, id)
	if err != nil {
		return NotificationView{}, err
	}
	if !a.ScopeFor(access.Officer).Covers(v.Case.SchoolID) {
		return NotificationView{}, apperr.Forbiddenf("Alleen de FG meldt een datalek bij de Autoriteit Persoonsgegevens.")
	}
	out := NotificationView{Case: v.Case, CanRecord: v.Can(incident.ActRecordNotice), CanAmend: v.Can(incident.ActAmendNotice)}
	for _, at := range v.Attachments {
		if at.Kind == incident.AttachAPConfirmation {
			out.Confirmations = append(out.Confirmations, at)
		}
	}
	// The officer reads the whole case: Case loaded the decision, the
	// notifications and the board's notes already.
	out.Notifications, out.BoardInformed = v.Notifications, len(v.BoardNotes) > 0
	// The organisation's details and its FG's as the administrator keeps
	// them (issue 10.3): what is empty is marked, not filled in with the
	// officer who happens to look.
	org, err := s.d.Store.OrganisationContact(ctx, a.OrganisationID)
	if err != nil {
		return NotificationView{}, err
	}
	in := incident.APFormInput{Case: v.Case, Contact: org, Inventory: v.Inventory, Repair: v.Repair, Location: s.d.Location}
	if v.Decision != nil {
		in.Decision = &v.Decision.Decision
	}
	for i := range out.Notifications {
		if out.Notifications[i].Kind == incident.NoticeInitial {
			in.Notification = &out.Notifications[i]
		}
	}
	out.CanAmend = out.CanAmend && in.Notification != nil
	out.Sections = incident.APForm(in)
	out.Missing = incident.Missing(out.Sections)
	out.Due = s.authorityDue(&v.Case)
	return out, nil
}

// RecordNotification records the notification the officer made in the AP's
// online form: when, the meldingsnummer, and, when late, the reasons for the
// delay. The board must have been informed first, or the officer says why
// not. The case moves on to informing the data subjects, or to the desk.
func (s *Incidents) RecordNotification(ctx context.Context, a *access.Actor, id int64, f incident.NotificationForm) error {
	ctx = scoped(ctx, a)
	return s.perform(ctx, a, id, incident.ActRecordNotice, func(q *store.Queries, c *incident.Case) (change, error) {
		informed, err := q.BoardInformed(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		earliest := c.ReportedAt
		if c.AwareAt.Before(earliest) {
			earliest = c.AwareAt
		}
		due := s.d.Calendar.Authority(c.AwareAt)
		n, err := f.Parse(s.d.Now(), s.d.Location, earliest, due, informed)
		if err != nil {
			return change{}, err
		}
		dec, decided, err := q.Decision(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		if !decided {
			return change{}, apperr.Conflictf("Er is nog geen besluit van de FG vastgelegd (stap 3).")
		}
		if err := q.AddNotification(ctx, a.OrganisationID, id, a.UserID, n, s.d.Now()); err != nil {
			return change{}, err
		}
		to := incident.StatusRecording
		if dec.NotifySubjects {
			to = incident.StatusInforming
		}
		summary := "Gemeld bij de Autoriteit Persoonsgegevens, meldingsnummer " + n.Number
		late := n.SentAt.After(due)
		if late {
			summary += " (na de termijn van 72 uur; redenen vastgelegd)"
		}
		return change{Summary: summary, To: to, Details: map[string]any{"number": n.Number, "late": late,
			"sent_at": n.SentAt, "board_informed": informed}}, nil
	})
}

// AmendNotification records a supplement to, or the withdrawal of, the
// notification, under the same meldingsnummer.
func (s *Incidents) AmendNotification(ctx context.Context, a *access.Actor, id int64, f incident.AmendForm) error {
	ctx = scoped(ctx, a)
	return s.perform(ctx, a, id, incident.ActAmendNotice, func(q *store.Queries, c *incident.Case) (change, error) {
		list, err := q.Notifications(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		var initial *incident.Notification
		for i := range list {
			if list[i].Kind == incident.NoticeInitial {
				initial = &list[i]
			}
			if list[i].Kind == incident.NoticeWithdrawal {
				return change{}, apperr.Conflictf("Deze melding is al ingetrokken.")
			}
		}
		if initial == nil {
			return change{}, apperr.Conflictf("Er is nog geen melding aan de AP vastgelegd om aan te vullen of in te trekken.")
		}
		n, err := f.Parse(s.d.Now(), s.d.Location, initial.SentAt)
		if err != nil {
			return change{}, err
		}
		n.Number = initial.Number
		if err := q.AddNotification(ctx, a.OrganisationID, id, a.UserID, n, s.d.Now()); err != nil {
			return change{}, err
		}
		return change{Summary: incident.NoticeKindLabel(n.Kind) + " van de melding " + n.Number + " vastgelegd",
			Details: map[string]any{"number": n.Number, "kind": n.Kind}}, nil
	})
}
