package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/web"
)

// "Mijn sessies" (issue 11): where and when the user is signed in; end one
// or all others.

func (s *Server) mySessions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list, err := s.svc.Accounts.MySessions(ctx, access.ActorFrom(ctx), s.sessions.GetString(ctx, keySessionID))
	if err != nil {
		return err
	}
	rows := make([]web.SessionRow, len(list))
	for i, x := range list {
		rows[i] = web.SessionRow{ID: x.ID, Method: x.Method, Device: x.Device, Network: x.Network,
			SignedInAt: x.SignedInAt, LastSeenAt: x.LastSeenAt, Current: x.Current}
	}
	s.render(w, r, http.StatusOK, web.SessionsPage(s.page(r, "Mijn sessies"), rows))
	return nil
}

func (s *Server) endMySession(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sid := chi.URLParam(r, "sid")
	if err := s.svc.Accounts.EndSession(ctx, access.ActorFrom(ctx), sid); err != nil {
		return err
	}
	if sid == s.sessions.GetString(ctx, keySessionID) {
		return s.signOut(w, r)
	}
	s.flash(r, "De sessie is beëindigd. Wie daar nog was, is bij de volgende klik uitgelogd.")
	return seeOther(w, r, "/account/sessies")
}

func (s *Server) endOtherSessions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	n, err := s.svc.Accounts.EndOtherSessions(ctx, access.ActorFrom(ctx), s.sessions.GetString(ctx, keySessionID))
	if err != nil {
		return err
	}
	msg := "Er waren geen andere sessies."
	switch {
	case n == 1:
		msg = "1 andere sessie is beëindigd."
	case n > 1:
		msg = strconv.Itoa(n) + " andere sessies zijn beëindigd."
	}
	s.flash(r, msg)
	return seeOther(w, r, "/account/sessies")
}

func (s *Server) userEndSessions(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	n, err := s.svc.Accounts.EndUserSessions(r.Context(), access.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.flash(r, "Alle sessies van deze gebruiker zijn beëindigd ("+strconv.Itoa(n)+").")
	return seeOther(w, r, "/beheer/gebruikers/"+strconv.FormatInt(id, 10))
}
