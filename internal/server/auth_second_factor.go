package server

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"net/http"
	"time"

	"github.com/pquerna/otp"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// The second step of signing in (issue 11). A right password for a user
// with, or needing, a second factor leaves only the user's id in the session
// (pending), never a signed-in user: the code step or setting up the app
// finishes the sign-in. A pending sign-in lasts pendingLifetime.
const pendingLifetime = 10 * time.Minute

const (
	pathCode  = "/inloggen/code"
	pathEnrol = "/inloggen/tweestaps-instellen"
)

// afterPassword continues a sign-in whose first factor was right.
func (s *Server) afterPassword(w http.ResponseWriter, r *http.Request, res service.SignInResult, next string) error {
	ctx := r.Context()
	switch res.Step {
	case service.SignedIn:
		if err := s.startSession(w, r, res.UserID, res.Version, "password"); err != nil {
			return err
		}
		return seeOther(w, r, landing(res.Actor, next))
	case service.NeedsCode, service.NeedsEnrolment:
		if err := s.sessions.RenewToken(ctx); err != nil {
			return err
		}
		s.sessions.Put(ctx, keyPendingUser, res.UserID)
		s.sessions.Put(ctx, keyPendingAt, s.now().Unix())
		s.sessions.Put(ctx, keyPendingNext, safeNext(next))
		if res.Step == service.NeedsCode {
			return seeOther(w, r, pathCode)
		}
		return seeOther(w, r, pathEnrol)
	}
	return apperr.New(apperr.Internal, "unknown sign-in step")
}

// pendingUser is the user halfway a sign-in, or 0 (none, or it took too long).
func (s *Server) pendingUser(r *http.Request) int64 {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, keyPendingUser)
	if id == 0 {
		return 0
	}
	if at := time.Unix(s.sessions.GetInt64(ctx, keyPendingAt), 0); s.now().Sub(at) > pendingLifetime {
		s.sessions.Remove(ctx, keyPendingUser)
		return 0
	}
	return id
}

// noPending sends a visitor without a pending sign-in back to the start.
func (s *Server) noPending(w http.ResponseWriter, r *http.Request) error {
	s.flash(r, "Log opnieuw in: het inloggen duurde te lang of is niet begonnen.")
	return seeOther(w, r, "/inloggen")
}

// finishSignIn turns the pending sign-in into a signed-in session.
func (s *Server) finishSignIn(w http.ResponseWriter, r *http.Request, a *access.Actor, version int) (string, error) {
	ctx := r.Context()
	next := s.sessions.PopString(ctx, keyPendingNext)
	s.sessions.Remove(ctx, keyPendingUser)
	s.sessions.Remove(ctx, keyPendingAt)
	return landing(a, next), s.startSession(w, r, a.UserID, version, "password+totp")
}

func (s *Server) codeForm(w http.ResponseWriter, r *http.Request) error {
	if s.pendingUser(r) == 0 {
		return s.noPending(w, r)
	}
	s.render(w, r, http.StatusOK, web.CodePage(s.page(r, "Code invullen"), nil))
	return nil
}

func (s *Server) code(w http.ResponseWriter, r *http.Request) error {
	uid := s.pendingUser(r)
	if uid == 0 {
		return s.noPending(w, r)
	}
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	a, version, err := s.svc.Accounts.SignInCode(r.Context(), uid, r.PostForm.Get("code"), s.clientAddr(r))
	if err != nil {
		status, e, ok := refusedAs(err, apperr.Invalid, apperr.Unauthenticated, apperr.TooManyRequests)
		if !ok {
			return err
		}
		setRetryAfter(w, e)
		errs := web.Errors{"form": e.Message, "code": e.Message}
		if f := e.Fields["code"]; f != "" {
			errs["code"] = f
		}
		s.log.Info("second factor refused", "status", status)
		s.render(w, r, status, web.CodePage(s.page(r, "Code invullen"), errs))
		return nil
	}
	next, err := s.finishSignIn(w, r, a, version)
	if err != nil {
		return err
	}
	return seeOther(w, r, next)
}

// qrDataURL draws the otpauth:// URL as a QR code, inline as a PNG (no
// JavaScript, no request for an image that would carry the secret).
func qrDataURL(otpauth string) (string, error) {
	key, err := otp.NewKeyFromURL(otpauth)
	if err != nil {
		return "", err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// enrolPage shows the QR code and the secret for userID.
func (s *Server) enrolPage(w http.ResponseWriter, r *http.Request, userID int64, action string, status int, errs web.Errors) error {
	e, err := s.svc.Accounts.BeginEnrolment(r.Context(), userID)
	if err != nil {
		return err
	}
	qr, err := qrDataURL(e.URL)
	if err != nil {
		return err
	}
	s.render(w, r, status, web.EnrolPage(s.page(r, "Tweestapsverificatie instellen"), web.Enrolment{
		Secret: web.GroupSecret(e.Secret), QR: qr, Action: action, Required: action == pathEnrol}, errs))
	return nil
}

func (s *Server) enrolForm(w http.ResponseWriter, r *http.Request) error {
	uid := s.pendingUser(r)
	if uid == 0 {
		return s.noPending(w, r)
	}
	return s.enrolPage(w, r, uid, pathEnrol, http.StatusOK, nil)
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request) error {
	uid := s.pendingUser(r)
	if uid == 0 {
		return s.noPending(w, r)
	}
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	codes, a, version, err := s.svc.Accounts.ConfirmEnrolmentAtSignIn(r.Context(), uid, r.PostForm.Get("code"))
	if errs, ok := fieldErrors(r.Context(), err); ok {
		return s.enrolPage(w, r, uid, pathEnrol, http.StatusUnprocessableEntity, errs)
	}
	if err != nil {
		return err
	}
	next, err := s.finishSignIn(w, r, a, version)
	if err != nil {
		return err
	}
	// Shown once, in the answer to this POST: the codes are in no page that
	// can be opened again.
	s.render(w, r, http.StatusOK, web.RecoveryCodesPage(s.pageAs(r, a, "Uw herstelcodes"), codes, next))
	return nil
}

// Signed in: the account page's own setting up, and new recovery codes.

func (s *Server) accountEnrolForm(w http.ResponseWriter, r *http.Request) error {
	return s.enrolPage(w, r, access.ActorFrom(r.Context()).UserID, "/account/tweestaps", http.StatusOK, nil)
}

func (s *Server) accountEnrol(w http.ResponseWriter, r *http.Request) error {
	a := access.ActorFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "Het formulier kon niet worden gelezen.")
	}
	codes, err := s.svc.Accounts.ConfirmEnrolment(r.Context(), a.UserID, r.PostForm.Get("code"))
	if errs, ok := fieldErrors(r.Context(), err); ok {
		return s.enrolPage(w, r, a.UserID, "/account/tweestaps", http.StatusUnprocessableEntity, errs)
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.RecoveryCodesPage(s.page(r, "Uw herstelcodes"), codes, "/account"))
	return nil
}

func (s *Server) accountRecoveryCodes(w http.ResponseWriter, r *http.Request) error {
	codes, err := s.svc.Accounts.NewRecoveryCodes(r.Context(), access.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.RecoveryCodesPage(s.page(r, "Uw herstelcodes"), codes, "/account"))
	return nil
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	a := access.ActorFrom(r.Context())
	sf, err := s.svc.Accounts.SecondFactorOf(r.Context(), a)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.AccountPage(s.page(r, "Mijn account"), web.AccountView{
		TwoStep: sf.Enabled, TwoStepRequired: sf.Required, RecoveryLeft: sf.RecoveryLeft}))
	return nil
}

// pageAs is page for a user who signed in during this very request (the
// context does not hold them yet).
func (s *Server) pageAs(r *http.Request, a *access.Actor, title string) web.Page {
	return s.page(r.WithContext(access.WithActor(r.Context(), a)), title)
}
