package server

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/analysispdf"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/chart"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/web"
)

// The half-year analysis (seed 000 "Monitoring"): the start page with the
// live figures and the saved reports, one saved report, its PDF and the
// chart images. The service decides who may do what.

func analysisID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFoundf("Deze analyse bestaat niet.")
	}
	return id, nil
}

func analysisTexts(r *http.Request) (incident.AnalysisTexts, error) {
	if err := r.ParseForm(); err != nil {
		return incident.AnalysisTexts{}, apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	return incident.AnalysisTexts{Period: r.PostForm.Get("periode"), Conclusions: r.PostForm.Get("conclusions"),
		Proposals: r.PostForm.Get("proposals"), Refresh: r.PostForm.Get("refresh") == "1"}, nil
}

// analysisIndex shows the figures of the chosen half year and the reports.
func (s *Server) analysisIndex(w http.ResponseWriter, r *http.Request) error {
	err := s.renderAnalysisIndex(w, r, http.StatusOK, r.URL.Query().Get("periode"), incident.AnalysisTexts{}, nil)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		// A period that does not exist: the default one, with the message.
		return s.renderAnalysisIndex(w, r, http.StatusUnprocessableEntity, "", incident.AnalysisTexts{}, errs)
	}
	return err
}

func (s *Server) renderAnalysisIndex(w http.ResponseWriter, r *http.Request, status int, period string, t incident.AnalysisTexts, errs web.Errors) error {
	v, err := s.svc.Analyses.Overview(r.Context(), access.ActorFrom(r.Context()), period)
	if err != nil {
		return err
	}
	props := web.AnalysisIndexProps{CanAnalyse: v.CanAnalyse, Period: v.Period, Periods: v.Periods, Figures: v.Figures,
		Reports: v.Reports, Conclusions: t.Conclusions, Proposals: t.Proposals, Errors: errs}
	s.render(w, r, status, web.AnalysisIndexPage(s.page(r, "Halfjaaranalyse"), props))
	return nil
}

// analysisCreate saves the figures of a half year with the texts as a draft.
func (s *Server) analysisCreate(w http.ResponseWriter, r *http.Request) error {
	t, err := analysisTexts(r)
	if err != nil {
		return err
	}
	id, err := s.svc.Analyses.Create(r.Context(), access.ActorFrom(r.Context()), t)
	if errs, status, ok := refusal(r.Context(), err); ok {
		period := t.Period
		if errs["period"] != "" {
			period = ""
		}
		return s.renderAnalysisIndex(w, r, status, period, t, errs)
	}
	if err != nil {
		return err
	}
	s.flash(r, "De analyse is opgeslagen als concept.")
	return seeOther(w, r, "/analyse/"+strconv.FormatInt(id, 10))
}

// analysisShow shows a saved report; the desk and officer edit a draft here.
func (s *Server) analysisShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderAnalysisReport(w, r, http.StatusOK, nil, nil)
}

// analysisReport loads the saved report of the URL for the signed-in actor.
func (s *Server) analysisReport(r *http.Request) (incident.AnalysisReport, *access.Actor, error) {
	a := access.ActorFrom(r.Context())
	id, err := analysisID(r)
	if err != nil {
		return incident.AnalysisReport{}, a, err
	}
	rep, err := s.svc.Analyses.Report(r.Context(), a, id)
	return rep, a, err
}

func (s *Server) renderAnalysisReport(w http.ResponseWriter, r *http.Request, status int, typed *incident.AnalysisTexts, errs web.Errors) error {
	rep, a, err := s.analysisReport(r)
	if err != nil {
		return err
	}
	props := web.AnalysisReportProps{Report: rep, CanEdit: incident.CanEditAnalysis(a, &rep),
		Conclusions: rep.Conclusions, Proposals: rep.Proposals, Errors: errs}
	if typed != nil {
		props.Conclusions, props.Proposals, props.Refresh = typed.Conclusions, typed.Proposals, typed.Refresh
	}
	s.render(w, r, status, web.AnalysisReportPage(s.page(r, "Halfjaaranalyse "+rep.Period.Short()), props))
	return nil
}

// analysisUpdate saves a draft's texts.
func (s *Server) analysisUpdate(w http.ResponseWriter, r *http.Request) error {
	return s.analysisChange(w, r, false)
}

// analysisShare saves the texts and shares the report with the board.
func (s *Server) analysisShare(w http.ResponseWriter, r *http.Request) error {
	return s.analysisChange(w, r, true)
}

func (s *Server) analysisChange(w http.ResponseWriter, r *http.Request, share bool) error {
	id, err := analysisID(r)
	if err != nil {
		return err
	}
	t, err := analysisTexts(r)
	if err != nil {
		return err
	}
	a := access.ActorFrom(r.Context())
	msg := "De analyse is opgeslagen."
	if share {
		err = s.svc.Analyses.Share(r.Context(), a, id, t)
		msg = "De analyse is vastgesteld en gedeeld met het bestuur."
	} else {
		err = s.svc.Analyses.Update(r.Context(), a, id, t)
	}
	if errs, status, ok := refusal(r.Context(), err); ok {
		return s.renderAnalysisReport(w, r, status, &t, errs)
	}
	if err != nil {
		return err
	}
	s.flash(r, msg)
	return seeOther(w, r, "/analyse/"+strconv.FormatInt(id, 10))
}

// analysisPDF downloads a saved report as PDF.
func (s *Server) analysisPDF(w http.ResponseWriter, r *http.Request) error {
	rep, a, err := s.analysisReport(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := analysispdf.Write(&buf, rep, a.Organisation, s.loc); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", contentDisposition("halfjaaranalyse-"+rep.Period.String()+".pdf"))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
	return nil
}

// analysisLiveChart is a chart of the live figures of ?periode=.
func (s *Server) analysisLiveChart(w http.ResponseWriter, r *http.Request) error {
	f, _, err := s.svc.Analyses.Figures(r.Context(), access.ActorFrom(r.Context()), r.URL.Query().Get("periode"))
	if err != nil {
		return err
	}
	return writeChart(w, f, chi.URLParam(r, "name"))
}

// analysisReportChart is a chart of a saved report's figures.
func (s *Server) analysisReportChart(w http.ResponseWriter, r *http.Request) error {
	rep, _, err := s.analysisReport(r)
	if err != nil {
		return err
	}
	return writeChart(w, rep.Figures, chi.URLParam(r, "name"))
}

// writeChart serves a chart as SVG. Its own CSP: gonum writes style
// attributes, and an SVG may never run scripts.
func writeChart(w http.ResponseWriter, f incident.AnalysisFigures, name string) error {
	p, wd, ht, ok := chart.Plot(f, name)
	if !ok {
		return apperr.NotFoundf("Deze grafiek bestaat niet.")
	}
	svg, err := chart.SVG(p, wd, ht)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Content-Length", strconv.Itoa(len(svg)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(svg)
	return nil
}
