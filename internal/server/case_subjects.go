package server

import (
	"net/http"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/web"
)

// Step 7, Informeren betrokkenen: the officer drafts the notice on its own
// page; approving it and recording that it was sent are small forms on the
// case page.

func (s *Server) subjectsForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderSubjects(w, r, http.StatusOK, nil, nil)
}

// renderSubjects shows the drafting page: with the stored or first draft, or
// with what was typed (f) and, after a refusal, the messages.
func (s *Server) renderSubjects(w http.ResponseWriter, r *http.Request, status int, f *incident.SubjectsForm, errs web.Errors) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Incidents.SubjectsDraft(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	form := v.Form
	if f != nil {
		form = *f
	}
	subject, body := form.Preview(v.Letter)
	s.render(w, r, status, web.SubjectsPage(s.page(r, "Bericht aan betrokkenen"), web.SubjectsPageProps{
		Case: v.Case, Decision: v.Decision, Notice: v.Notice, Form: form,
		PreviewSubject: subject, PreviewBody: body, Errors: errs}))
	return nil
}

func (s *Server) subjectsSave(w http.ResponseWriter, r *http.Request) error {
	id, err := caseForm(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	f := incident.SubjectsForm{Channel: v.Get("channel"), PublicReason: v.Get("public_reason"), Groups: v["groups"],
		RecipientsCount: v.Get("recipients_count"), Subject: v.Get("subject"), Nature: v.Get("nature"),
		Consequences: v.Get("consequences"), MeasuresTaken: v.Get("measures_taken"), MeasuresRecipient: v.Get("measures_recipient"),
		OfficerContact: v.Get("officer_contact"), SchoolContact: v.Get("school_contact"), Signature: v.Get("signature")}
	if v.Get("preview") != "" {
		// Only show the letter as typed; nothing is stored.
		return s.renderSubjects(w, r, http.StatusOK, &f, nil)
	}
	err = s.svc.Incidents.DraftSubjectsNotice(r.Context(), access.ActorFrom(r.Context()), id, f)
	if errs, status, ok := refusal(r.Context(), err); ok {
		// Refused, or the case moved on meanwhile: the page again with
		// everything typed and the messages.
		if rerr := s.renderSubjects(w, r, status, &f, errs); rerr != nil {
			// The page itself is refused now (the case moved on): say why.
			return err
		}
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "Het bericht aan de betrokkenen is opgeslagen. Het bestuur of de FG kan het nu goedkeuren.")
	return seeOther(w, r, "/meldingen/"+strconv.FormatInt(id, 10))
}

func (s *Server) subjectsApprove(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"self_approval_reason"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "Het bericht aan de betrokkenen is goedgekeurd. De FG kan het nu versturen.",
			s.svc.Incidents.ApproveSubjectsNotice(r.Context(), a, id, r.PostForm.Get("self_approval_reason"))
	})(w, r)
}

func (s *Server) subjectsSent(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction([]string{"subjects_sent_at"}, func(r *http.Request, a *access.Actor, id int64) (string, error) {
		return "De verzending van het bericht aan de betrokkenen is vastgelegd. De melding gaat nu naar het meldpunt om vast te leggen en af te sluiten.",
			s.svc.Incidents.RecordSubjectsSent(r.Context(), a, id, r.PostForm.Get("subjects_sent_at"))
	})(w, r)
}
