package server

import (
	"net/http"
	"strconv"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/web"
)

// One person, several organisations (issue 11.3): switching the
// organisation a session works in, and "Al mijn organisaties".

// switchOrganisation moves the session to another membership of the same
// person (the form in the menu, or opening a case on "Al mijn
// organisaties"), then continues to the path in "naar".
func (s *Server) switchOrganisation(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PostForm.Get("lid"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.New(apperr.Invalid, "Kies een organisatie.")
	}
	b, version, err := s.svc.Accounts.SwitchOrganisation(ctx, access.ActorFrom(ctx), id, s.sessions.GetString(ctx, keyMethod))
	if err != nil {
		return err
	}
	// A fresh token with every change of who the session acts as.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, keyUserID, b.UserID)
	s.sessions.Put(ctx, keyAuthVersion, version)
	s.setMarker(w, b.UserID)
	s.flash(r, "U werkt nu in "+b.Organisation+".")
	return seeOther(w, r, safeNext(r.PostForm.Get("naar")))
}

// allOrganisations is "Al mijn organisaties".
func (s *Server) allOrganisations(w http.ResponseWriter, r *http.Request) error {
	work, err := s.svc.Incidents.AllMyOrganisations(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	p := s.page(r, "Al mijn organisaties")
	p.Wide = true
	s.render(w, r, http.StatusOK, web.AllOrganisationsPage(p, work))
	return nil
}

// landing is where a sign-in continues: next, or for an FG of several
// boards who asked for the start page, "Al mijn organisaties".
func landing(a *access.Actor, next string) string {
	next = safeNext(next)
	if next == "/" && a.OfficerOfSeveral() {
		return "/organisaties"
	}
	return next
}
