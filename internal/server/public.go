package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// The public report page of an organisation and the reporter's status page
// (issue 12). Nobody is signed in: the service resolves the organisation
// from the slug. The session holds only the code shown once after sending
// and, once a follow-up code was typed, which case the status page shows.

// maxPublicBody bounds a public form far below the staff forms' limit.
const maxPublicBody = 64 << 10

const (
	keyPublicDone = "public_done" // "slug\nnumber\ncode\nmailed"
	keyPublicMsg  = "public_message"
)

func keyPublicCase(slug string) string { return "public_case:" + slug }

func (s *Server) publicForm(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	f := incident.PublicReportForm{SubmissionKey: s.svc.Outside.NewSubmissionKey()}
	return s.renderPublicForm(w, r, http.StatusOK, slug, f, nil, "")
}

func (s *Server) renderPublicForm(w http.ResponseWriter, r *http.Request, status int, slug string, f incident.PublicReportForm, errs web.Errors, msg string) error {
	v, err := s.svc.Outside.Page(r.Context(), slug)
	if err != nil {
		return err
	}
	s.render(w, r, status, web.PublicReportPage(s.publicPageData(r, "Datalek melden · "+v.OrganisationName),
		web.PublicReportProps{Slug: v.Slug, OrganisationName: v.OrganisationName, Schools: v.Schools, Form: f, Errors: errs, Message: msg}))
	return nil
}

// publicPageData is the layout data of a public page: no menu, whoever is signed in.
func (s *Server) publicPageData(r *http.Request, title string) web.Page {
	return web.Page{Title: title, Loc: s.loc, Now: s.now()}
}

func publicFormFrom(r *http.Request) incident.PublicReportForm {
	v := r.PostForm
	return incident.PublicReportForm{
		SubmissionKey: v.Get("submission_key"),
		WhatHappened:  v.Get("what_happened"),
		OccurredFrom:  v.Get("occurred_from"),
		School:        v.Get("school"),
		DataKinds:     v["data_kinds"],
		SubjectGroups: v["subject_groups"],
		Role:          v.Get("role"),
		WantsContact:  v.Get("wants_contact"),
		Anonymous:     v.Get("anonymous") == "yes",
		Name:          v.Get("name"),
		Email:         v.Get("email"),
		Phone:         v.Get("phone"),
		Website:       v.Get("website"),
	}
}

// parsePublicForm reads a public form, refusing one larger than maxPublicBody.
func parsePublicForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxPublicBody)
	if err := r.ParseForm(); err != nil {
		return &apperr.Error{Kind: apperr.Invalid, Message: "Uw melding is te lang om te versturen. Houd het bij de hoofdzaken (hooguit 5.000 tekens)."}
	}
	return nil
}

func (s *Server) publicReport(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	if err := parsePublicForm(w, r); err != nil {
		// The page must exist before its refusals say anything.
		if _, perr := s.svc.Outside.Page(r.Context(), slug); perr != nil {
			return perr
		}
		return err
	}
	f := publicFormFrom(r)
	res, err := s.svc.Outside.Report(r.Context(), slug, s.clientAddr(r), f)
	if e, ok := apperr.As(err); ok && e.Kind == apperr.TooManyRequests {
		setRetryAfter(w, e)
		return s.renderPublicForm(w, r, http.StatusTooManyRequests, slug, f, nil, e.Message)
	}
	if errs, ok := fieldErrors(r.Context(), err); ok {
		e, _ := apperr.As(err)
		return s.renderPublicForm(w, r, http.StatusUnprocessableEntity, slug, f, errs, e.Message)
	}
	if err != nil {
		return err
	}
	mailed, number := "0", ""
	if f.Email != "" && !f.Anonymous && !res.Again {
		mailed = "1"
	}
	if res.Number.Year != 0 {
		number = res.Number.String()
	}
	// Sent twice (back button, double click): one case, its code shown the first time only.
	s.sessions.Put(r.Context(), keyPublicDone, strings.Join([]string{slug, number, res.Code, mailed}, "\n"))
	return seeOther(w, r, "/melden/"+slug+"/ontvangen")
}

func (s *Server) publicDone(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	v, err := s.svc.Outside.Page(r.Context(), slug)
	if err != nil {
		return err
	}
	d := web.PublicDoneProps{Slug: v.Slug, OrganisationName: v.OrganisationName}
	// Shown once: the code leaves the session as it is shown.
	if parts := strings.Split(s.sessions.PopString(r.Context(), keyPublicDone), "\n"); len(parts) == 4 && parts[0] == slug {
		d.Number, d.Code, d.Mailed = parts[1], parts[2], parts[3] == "1"
	}
	s.render(w, r, http.StatusOK, web.PublicDonePage(s.publicPageData(r, "Melding ontvangen"), d))
	return nil
}

func (s *Server) publicFollowForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderFollow(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderFollow(w http.ResponseWriter, r *http.Request, status int, code string, errs web.Errors) error {
	slug := chi.URLParam(r, "slug")
	v, err := s.svc.Outside.Page(r.Context(), slug)
	if err != nil {
		return err
	}
	s.render(w, r, status, web.PublicFollowPage(s.publicPageData(r, "Melding volgen"),
		web.PublicFollowProps{Slug: v.Slug, OrganisationName: v.OrganisationName, Code: code, Errors: errs}))
	return nil
}

func (s *Server) publicFollow(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	if err := parsePublicForm(w, r); err != nil {
		return err
	}
	code := r.PostForm.Get("code")
	id, err := s.svc.Outside.FollowUp(r.Context(), slug, s.clientAddr(r), code)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		return s.renderFollow(w, r, http.StatusUnprocessableEntity, code, errs)
	}
	if e, ok := apperr.As(err); ok && e.Kind == apperr.TooManyRequests {
		setRetryAfter(w, e)
		return s.renderFollow(w, r, http.StatusTooManyRequests, code, web.Errors{"code": e.Message})
	}
	if err != nil {
		return err
	}
	// A fresh session token: the status page is opened with a secret.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), keyPublicCase(slug), id)
	return seeOther(w, r, "/melden/"+slug+"/status")
}

func (s *Server) publicStatus(w http.ResponseWriter, r *http.Request) error {
	return s.renderStatus(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, errs web.Errors, typed map[string]string) error {
	slug := chi.URLParam(r, "slug")
	id := s.sessions.GetInt64(r.Context(), keyPublicCase(slug))
	if id == 0 {
		if _, err := s.svc.Outside.Page(r.Context(), slug); err != nil {
			return err
		}
		return seeOther(w, r, "/melden/"+slug+"/volgen")
	}
	st, err := s.svc.Outside.Status(r.Context(), slug, id)
	if err != nil {
		return err
	}
	props := web.PublicStatusProps{Slug: slug, Number: st.Number.String(), Step: st.Step, Closed: st.Closed,
		Errors: errs, Typed: typed, Message: s.sessions.PopString(r.Context(), keyPublicMsg)}
	for _, q := range st.Questions {
		props.Questions = append(props.Questions, web.PublicQuestion{ID: q.ID, Question: q.Question, Answer: q.Answer, Answered: q.AnsweredAt != nil})
	}
	s.render(w, r, status, web.PublicStatusPage(s.publicPageData(r, "Uw melding "+props.Number), props))
	return nil
}

func (s *Server) publicAnswer(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	id := s.sessions.GetInt64(r.Context(), keyPublicCase(slug))
	if id == 0 {
		return apperr.NotFoundf("Open de statuspagina opnieuw met uw volgcode.")
	}
	qid, err := strconv.ParseInt(chi.URLParam(r, "qid"), 10, 64)
	if err != nil || qid <= 0 {
		return apperr.NotFoundf("Deze vraag bestaat niet.")
	}
	if err := parsePublicForm(w, r); err != nil {
		return err
	}
	field := "answer_" + strconv.FormatInt(qid, 10)
	answer := r.PostForm.Get("answer")
	if answer == "" {
		answer = r.PostForm.Get(field)
	}
	err = s.svc.Outside.Answer(r.Context(), slug, id, qid, answer)
	if errs, status, ok := refusal(r.Context(), err); ok {
		return s.renderStatus(w, r, status, errs, map[string]string{field: answer})
	}
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), keyPublicMsg, "Dank u wel. Uw antwoord is naar het meldpunt gestuurd.")
	return seeOther(w, r, "/melden/"+slug+"/status")
}

func (s *Server) publicStatusClose(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	if _, err := s.svc.Outside.Page(r.Context(), slug); err != nil {
		return err
	}
	s.sessions.Remove(r.Context(), keyPublicCase(slug))
	return seeOther(w, r, "/melden/"+slug+"/volgen")
}

// The administrator's settings of the public page, with its link and QR code.

func (s *Server) pageSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.svc.Outside.Settings(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.PublicPageSettingsPage(s.page(r, "Meldpagina"), pageSettingsProps(st, nil)))
	return nil
}

func pageSettingsProps(st service.PageSettings, errs web.Errors) web.PublicPageSettingsProps {
	return web.PublicPageSettingsProps{Slug: st.Slug, Enabled: st.Enabled, Configured: st.Configured, URL: st.URL, Errors: errs}
}

func (s *Server) pageSettingsSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	a := access.ActorFrom(r.Context())
	slug, enabled := r.PostForm.Get("slug"), r.PostForm.Get("enabled") == "yes"
	err := s.svc.Outside.SaveSettings(r.Context(), a, slug, enabled)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		st, serr := s.svc.Outside.Settings(r.Context(), a)
		if serr != nil {
			return serr
		}
		st.Slug, st.Enabled = slug, enabled
		s.render(w, r, http.StatusUnprocessableEntity, web.PublicPageSettingsPage(s.page(r, "Meldpagina"), pageSettingsProps(st, errs)))
		return nil
	}
	if err != nil {
		return err
	}
	if enabled {
		s.flash(r, "De meldpagina is opgeslagen en staat aan.")
	} else {
		s.flash(r, "De meldpagina is opgeslagen en staat uit: het adres geeft nu ‘niet gevonden’.")
	}
	return seeOther(w, r, "/beheer/meldpagina")
}

func (s *Server) pageQR(w http.ResponseWriter, r *http.Request) error {
	st, err := s.svc.Outside.Settings(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	if !st.Configured {
		return apperr.NotFoundf("Stel eerst het adres van de meldpagina in.")
	}
	png, err := qrcode.Encode(st.URL, qrcode.Medium, 512)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(png)
	return nil
}

// The desk's report on someone's behalf, and closing an outside report as spam.

func (s *Server) onBehalfForm(w http.ResponseWriter, r *http.Request) error {
	a := access.ActorFrom(r.Context())
	if !a.Has(access.Desk) {
		return apperr.Forbiddenf("Alleen het meldpunt voert een melding in namens iemand anders.")
	}
	f := incident.ReportForm{SubmissionKey: s.svc.Incidents.NewSubmissionKey(), DiscoveredAt: s.now().In(s.loc).Format(incident.DateTimeLayout)}
	return s.renderOnBehalf(w, r, http.StatusOK, f, incident.OnBehalfForm{Channel: "phone"}, nil)
}

func (s *Server) renderOnBehalf(w http.ResponseWriter, r *http.Request, status int, f incident.ReportForm, b incident.OnBehalfForm, errs web.Errors) error {
	a := access.ActorFrom(r.Context())
	schools, err := s.svc.Accounts.Schools(r.Context(), a)
	if err != nil {
		return err
	}
	s.render(w, r, status, web.ReportFormPage(s.page(r, "Melding invoeren namens iemand anders"),
		web.ReportFormProps{Form: f, Errors: errs, Schools: schools, OnBehalf: true, Caller: b}))
	return nil
}

func (s *Server) onBehalfReport(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen. Is de tekst erg lang?")
	}
	f := reportFormFrom(r)
	v := r.PostForm
	b := incident.OnBehalfForm{Role: v.Get("caller_role"), Name: v.Get("caller_name"), Email: v.Get("caller_email"),
		Phone: v.Get("caller_phone"), Channel: v.Get("channel")}
	res, err := s.svc.Incidents.ReportOnBehalf(r.Context(), access.ActorFrom(r.Context()), f, b)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		return s.renderOnBehalf(w, r, http.StatusUnprocessableEntity, f, b, errs)
	}
	if err != nil {
		return err
	}
	if res.Again {
		s.flash(r, "Deze melding had u al ingevoerd; er is geen tweede melding gemaakt.")
		return seeOther(w, r, "/meldpunt")
	}
	s.flash(r, "Melding "+res.Number.String()+" is ingevoerd namens "+strings.TrimSpace(b.Name)+".")
	return seeOther(w, r, "/meldingen/"+strconv.FormatInt(res.ID, 10))
}

func (s *Server) caseMarkSpam(w http.ResponseWriter, r *http.Request) error {
	id, err := caseForm(r)
	if err != nil {
		return err
	}
	reason := r.PostForm.Get("spam_reason")
	err = s.svc.Incidents.MarkSpam(r.Context(), access.ActorFrom(r.Context()), id, reason)
	if errs, status, ok := refusal(r.Context(), err); ok {
		return s.renderCase(w, r, status, errs, map[string]string{"spam_reason": reason})
	}
	if err != nil {
		return err
	}
	s.flash(r, "De melding is afgesloten als spam; ze blijft met die reden in het register.")
	return seeOther(w, r, "/meldingen/"+strconv.FormatInt(id, 10))
}
