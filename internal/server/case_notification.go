package server

import (
	"net/http"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/web"
)

func (s *Server) notificationPage(w http.ResponseWriter, r *http.Request) error {
	f := incident.NotificationForm{SentAt: s.now().In(s.loc).Format(incident.DateTimeLayout)}
	a := incident.AmendForm{SentAt: f.SentAt}
	return s.renderNotification(w, r, http.StatusOK, f, a, nil)
}

func (s *Server) renderNotification(w http.ResponseWriter, r *http.Request, status int, f incident.NotificationForm, amend incident.AmendForm, errs web.Errors) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Incidents.Notification(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.render(w, r, status, web.NotificationPage(s.page(r, "Melden aan de AP"), web.NotificationProps{
		Case: v.Case, Sections: v.Sections, Missing: v.Missing, Notifications: v.Notifications, BoardInformed: v.BoardInformed,
		Due: v.Due, CanRecord: v.CanRecord, CanAmend: v.CanAmend, Confirmations: v.Confirmations, Form: f, Amend: amend, Errors: errs}))
	return nil
}

// notificationResult re-renders the page with messages after a refused form,
// or redirects to the case.
func (s *Server) notificationResult(w http.ResponseWriter, r *http.Request, err error, f incident.NotificationForm, amend incident.AmendForm, ok string) error {
	if errs, status, ok := refusal(r.Context(), err); ok {
		return s.renderNotification(w, r, status, f, amend, errs)
	}
	if err != nil {
		return err
	}
	id, _ := caseID(r)
	s.flash(r, ok)
	return seeOther(w, r, "/meldingen/"+strconv.FormatInt(id, 10))
}

func (s *Server) notificationRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := caseForm(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	f := incident.NotificationForm{SentAt: v.Get("sent_at"), Number: v.Get("number"), LateReason: v.Get("late_reason"), BoardReason: v.Get("board_reason")}
	err = s.svc.Incidents.RecordNotification(r.Context(), access.ActorFrom(r.Context()), id, f)
	return s.notificationResult(w, r, err, f, incident.AmendForm{SentAt: f.SentAt}, "De melding aan de AP is vastgelegd. Bewaar de bevestiging van de AP bij de bijlagen.")
}

func (s *Server) notificationAmend(w http.ResponseWriter, r *http.Request) error {
	id, err := caseForm(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	a := incident.AmendForm{Kind: v.Get("amend_kind"), SentAt: v.Get("amend_sent_at"), Content: v.Get("amend_content")}
	err = s.svc.Incidents.AmendNotification(r.Context(), access.ActorFrom(r.Context()), id, a)
	return s.notificationResult(w, r, err, incident.NotificationForm{}, a, "De wijziging van de melding is vastgelegd.")
}
