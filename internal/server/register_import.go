package server

import (
	"io"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// The import of an Excel register (issue 4): upload, mapping, preview,
// import. Each step is its own request; the upload and the chosen mapping
// live in PostgreSQL, so any app server can serve the next step.

// maxImportBody caps the upload request: the file and the multipart framing.
const maxImportBody = incident.MaxImportSize + 64<<10

func importID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "iid"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFoundf("Dit bestand bestaat niet (meer). Upload het opnieuw.")
	}
	return id, nil
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Incidents.ImportForm(r.Context(), access.ActorFrom(r.Context())); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.ImportUploadPage(s.page(r, "Excel-register importeren"), nil))
	return nil
}

func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBody)
	defer func() { _, _ = io.Copy(io.Discard, r.Body) }()
	up, err := readImportUpload(r)
	if err != nil {
		return err
	}
	id, err := s.svc.Incidents.UploadImport(r.Context(), access.ActorFrom(r.Context()), up)
	if errs, ok := fieldErrors(r.Context(), err); ok {
		status := http.StatusUnprocessableEntity
		if up.TooLarge {
			status = http.StatusRequestEntityTooLarge
		}
		s.render(w, r, status, web.ImportUploadPage(s.page(r, "Excel-register importeren"), errs))
		return nil
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/register/import/"+strconv.FormatInt(id, 10))
}

// readImportUpload streams the multipart form's file, up to one byte over
// the limit; the Content-Type the browser claims is ignored.
func readImportUpload(r *http.Request) (service.ImportUpload, error) {
	var up service.ImportUpload
	unreadable := apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen. Kies het bestand opnieuw en probeer het nog eens.")
	mr, err := r.MultipartReader()
	if err != nil {
		return up, unreadable
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return up, nil
		}
		if tooLarge(err) {
			up.TooLarge = true
			return up, nil
		}
		if err != nil {
			return up, unreadable
		}
		if p.FormName() == "file" && up.Filename == "" && up.Data == nil {
			up.Filename = p.FileName()
			up.Data, up.TooLarge, err = readFilePart(p, incident.MaxImportSize)
			if up.TooLarge {
				return up, nil
			}
			if err != nil {
				return up, apperr.New(apperr.Invalid, "Het bestand kon niet helemaal worden ontvangen. Probeer het nog eens.")
			}
		}
		_ = p.Close()
	}
}

func mappingProps(v service.ImportSheet, chosen []string, errs web.Errors) web.ImportMappingProps {
	if chosen == nil {
		for _, f := range v.Mapping {
			chosen = append(chosen, string(f))
		}
	}
	return web.ImportMappingProps{ImportID: v.Import.ID, Filename: v.Import.Filename, Sheets: v.Sheets, Sheet: v.Sheet,
		Headers: v.Headers, Samples: v.Samples, Chosen: chosen, Rows: v.Rows, Errors: errs}
}

func (s *Server) importMapping(w http.ResponseWriter, r *http.Request) error {
	id, err := importID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Incidents.ImportSheet(r.Context(), access.ActorFrom(r.Context()), id, r.URL.Query().Get("blad"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.ImportMappingPage(s.page(r, "Kolommen kiezen"), mappingProps(v, nil, nil)))
	return nil
}

func (s *Server) importMappingSave(w http.ResponseWriter, r *http.Request) error {
	id, err := importID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen. Probeer het nog eens.")
	}
	a := access.ActorFrom(r.Context())
	sheet := r.PostForm.Get("sheet")
	v, err := s.svc.Incidents.ImportSheet(r.Context(), a, id, sheet)
	if err != nil {
		return err
	}
	fields := make([]string, len(v.Headers))
	for i := range fields {
		fields[i] = r.PostForm.Get("col" + strconv.Itoa(i))
	}
	err = s.svc.Incidents.SaveImportMapping(r.Context(), a, id, sheet, fields)
	if errs, _, ok := refusal(r.Context(), err); ok {
		s.render(w, r, http.StatusUnprocessableEntity, web.ImportMappingPage(s.page(r, "Kolommen kiezen"), mappingProps(v, fields, errs)))
		return nil
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/register/import/"+strconv.FormatInt(id, 10)+"/controle")
}

func previewProps(p service.ImportPreview, msg string) web.ImportPreviewProps {
	return web.ImportPreviewProps{ImportID: p.Import.ID, Filename: p.Import.Filename, Sheet: p.Sheet, Headers: p.Headers,
		Mapping: p.Mapping, Rows: p.Rows, New: p.New, Problems: p.Problems, Duplicates: p.Duplicates, CanRun: p.CanRun(), Error: msg}
}

func (s *Server) importPreview(w http.ResponseWriter, r *http.Request) error {
	id, err := importID(r)
	if err != nil {
		return err
	}
	p, err := s.svc.Incidents.ImportPreview(r.Context(), access.ActorFrom(r.Context()), id)
	if err == service.ErrImportNotMapped {
		return seeOther(w, r, "/register/import/"+strconv.FormatInt(id, 10))
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.ImportPreviewPage(s.page(r, "Controleren voor het importeren"), previewProps(p, "")))
	return nil
}

func (s *Server) importRun(w http.ResponseWriter, r *http.Request) error {
	id, err := importID(r)
	if err != nil {
		return err
	}
	a := access.ActorFrom(r.Context())
	res, err := s.svc.Incidents.RunImport(r.Context(), a, id)
	if apperr.Is(err, apperr.Invalid) {
		// Rows with problems: the preview again, with the refusal on top.
		p, perr := s.svc.Incidents.ImportPreview(r.Context(), a, id)
		if perr != nil {
			return perr
		}
		e, _ := apperr.As(err)
		s.render(w, r, http.StatusUnprocessableEntity, web.ImportPreviewPage(s.page(r, "Controleren voor het importeren"), previewProps(p, e.Message)))
		return nil
	}
	if err != nil {
		return err
	}
	msg := strconv.Itoa(res.Created) + " meldingen geïmporteerd uit " + res.Filename + "."
	if res.Created == 1 {
		msg = "1 melding geïmporteerd uit " + res.Filename + "."
	}
	switch {
	case res.Skipped == 1:
		msg += " 1 regel is overgeslagen: die was al eerder geïmporteerd of stond dubbel in het blad."
	case res.Skipped > 1:
		msg += " " + strconv.Itoa(res.Skipped) + " regels zijn overgeslagen: die waren al eerder geïmporteerd of stonden dubbel in het blad."
	}
	s.flash(r, msg)
	return seeOther(w, r, "/register")
}
