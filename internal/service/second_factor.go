package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// The second factor (issue 11): TOTP codes (RFC 6238: 6 digits, 30 s, SHA-1,
// what every authenticator app speaks) with a code of the previous and the
// next 30 s accepted for clocks that drift, and ten recovery codes.
const (
	totpPeriod     = 30
	totpSkew       = 1
	recoveryCount  = 10
	codePairFree   = 5  // wrong codes from one address for one account before waits begin
	codeUserFree   = 10 // wrong codes for one account from all addresses before waits begin
	totpIssuer     = "Lekwacht"
	recoveryLength = 10 // characters of base32: 50 random bits
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// SignInStep says what a sign-in still needs once the password was right.
type SignInStep int

// The steps of a sign-in.
const (
	// SignedIn: nothing more is needed; Actor is set.
	SignedIn SignInStep = iota
	// NeedsCode: the user has an authenticator and must type its code.
	NeedsCode
	// NeedsEnrolment: the user's roles require a second factor that is not
	// set up yet; it must be set up before the user gets in.
	NeedsEnrolment
)

// SignInResult is the outcome of a right password. Only SignedIn carries an
// Actor: for the other steps the caller keeps UserID (in the server's
// session, which lives in PostgreSQL) for the next step and nothing else.
type SignInResult struct {
	Step    SignInStep
	UserID  int64
	Actor   *access.Actor
	Version int
}

// nextStep decides what a user whose password (or single sign-on) was right
// still needs.
func (s *Accounts) nextStep(ctx context.Context, userID int64) (SignInResult, error) {
	a, version, err := s.d.Store.Actor(ctx, userID)
	if err != nil {
		return SignInResult{}, err
	}
	t, err := s.d.Store.TOTP(ctx, userID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return SignInResult{}, err
	}
	confirmed := err == nil && t.Confirmed
	// The roles of every organisation the person belongs to count: who is a
	// teacher here and the FG of another board sets up the second factor
	// too, so switching there needs no new sign-in (issue 11.3).
	var roles []access.Grant
	if !confirmed {
		if roles, err = s.d.Store.PersonRoles(ctx, userID); err != nil {
			return SignInResult{}, err
		}
	}
	switch {
	case confirmed:
		return SignInResult{Step: NeedsCode, UserID: userID}, nil
	case access.RequiresSecondFactor(roles):
		return SignInResult{Step: NeedsEnrolment, UserID: userID}, nil
	}
	return SignInResult{Step: SignedIn, UserID: userID, Actor: a, Version: version}, nil
}

// CodeKind is what a typed second-factor code looks like.
type CodeKind int

// The kinds of code.
const (
	CodeInvalid CodeKind = iota
	CodeTOTP
	CodeRecovery
)

// recoveryAlphabet is lower-case base32 without padding: no 0/1/8/9, so no
// O/I/B/g confusion when typed from paper.
const recoveryAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

// ParseCode reads what a user typed at the code step: six digits from the
// app (spaces allowed, "123 456"), or a recovery code (dashes, spaces and
// case do not matter, "ab3de-fg7hk"). It returns the code in its plain form.
func ParseCode(typed string) (CodeKind, string) {
	if len(typed) > 64 {
		return CodeInvalid, ""
	}
	var b strings.Builder
	for _, r := range typed {
		switch {
		case r == ' ' || r == '-' || r == '\t' || r == '\u00a0':
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
		default:
			return CodeInvalid, ""
		}
	}
	c := b.String()
	if len(c) == 6 && strings.Trim(c, "0123456789") == "" {
		return CodeTOTP, c
	}
	if len(c) == recoveryLength && strings.Trim(c, recoveryAlphabet) == "" {
		return CodeRecovery, c
	}
	return CodeInvalid, ""
}

// totpStep returns the time step whose code equals code, within the skew
// around now, or 0. Every candidate is compared, in constant time.
func totpStep(secret, code string, now time.Time) int64 {
	var found int64
	for off := -totpSkew; off <= totpSkew; off++ {
		at := now.Add(time.Duration(off*totpPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, totpOpts)
		if err != nil {
			return 0
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			found = at.Unix() / totpPeriod
		}
	}
	return found
}

func recoveryHash(code string) []byte {
	h := sha256.Sum256([]byte("lekwacht-recovery:" + code))
	return h[:]
}

// newRecoveryCodes makes the codes to show once, and their hashes to keep.
func newRecoveryCodes() ([]string, [][]byte, error) {
	codes := make([]string, recoveryCount)
	hashes := make([][]byte, recoveryCount)
	enc := base32.NewEncoding(recoveryAlphabet).WithPadding(base32.NoPadding)
	for i := range codes {
		b := make([]byte, 7)
		if _, err := rand.Read(b); err != nil {
			return nil, nil, fmt.Errorf("recovery codes: %w", err)
		}
		c := enc.EncodeToString(b)[:recoveryLength]
		hashes[i] = recoveryHash(c)
		codes[i] = c[:5] + "-" + c[5:]
	}
	return codes, hashes, nil
}

var errCode = &apperr.Error{Kind: apperr.Unauthenticated,
	Message: "Deze code klopt niet. Typ de zes cijfers die uw app nu toont, of een herstelcode die u nog niet gebruikte.",
	Fields:  map[string]string{"code": "Deze code klopt niet. Typ de zes cijfers die uw app nu toont, of een herstelcode die u nog niet gebruikte."}}

var errCodeForm = &apperr.Error{Kind: apperr.Invalid,
	Message: "Vul de zes cijfers uit uw app in, of een herstelcode van tien tekens.",
	Fields:  map[string]string{"code": "Vul de zes cijfers uit uw app in (bijvoorbeeld 123456), of een herstelcode van tien tekens (bijvoorbeeld abcde-fgh23)."}}

const tooManyCodes = "Er is te vaak een verkeerde code ingevuld. Wacht %s en probeer het dan opnieuw."

// SignInCode is the second step of a sign-in for userID, whose password
// SignInFrom just accepted with NeedsCode: a code from the app or a
// recovery code. Wrong codes are counted like wrong passwords: after
// codePairFree from one address, or codeUserFree from all, each further try
// waits twice as long as the one before.
func (s *Accounts) SignInCode(ctx context.Context, userID int64, typed, addr string) (*access.Actor, int, error) {
	ctx = store.System(ctx) // sign-in: the second step knows the user, not yet the actor (docs/security.md)
	now := s.d.Now()
	uid := fmt.Sprint(userID)
	pairKey, userKey := throttleKey("code-pair", uid, addr), throttleKey("code-user", uid)
	if err := s.throttledMsg(ctx, pairKey, codePairFree, now, tooManyCodes); err != nil {
		return nil, 0, err
	}
	if err := s.throttledMsg(ctx, userKey, codeUserFree, now, tooManyCodes); err != nil {
		return nil, 0, err
	}
	kind, code := ParseCode(typed)
	if kind == CodeInvalid {
		return nil, 0, errCodeForm
	}
	t, err := s.d.Store.TOTP(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	ok := false
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		var err error
		switch kind {
		case CodeTOTP:
			if step := totpStep(t.Secret, code, now); step > 0 && t.Confirmed {
				ok, err = q.UseTOTPStep(ctx, userID, step)
			}
		case CodeRecovery:
			ok, err = q.UseRecoveryCode(ctx, userID, recoveryHash(code), now)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		for _, k := range [][]byte{pairKey, userKey} {
			if err := s.d.Store.RecordSigninFailure(ctx, k, now); err != nil {
				return nil, 0, err
			}
		}
		s.eventSecondFactorFailed(ctx, userID)
		return nil, 0, errCode
	}
	if err := s.d.Store.ClearSigninFailures(ctx, pairKey, now.Add(-24*time.Hour)); err != nil {
		return nil, 0, err
	}
	if err := s.d.Store.ClearSigninFailures(ctx, userKey, now.Add(-24*time.Hour)); err != nil {
		return nil, 0, err
	}
	a, version, err := s.d.Store.Actor(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	if kind == CodeRecovery {
		s.eventRecoveryCodeUsed(ctx, a)
	}
	if err := s.eventSignedIn(ctx, a, "password+totp"); err != nil {
		return nil, 0, err
	}
	return a, version, nil
}

// Enrolment is an authenticator being set up: the secret as text (to type
// into the app) and as an otpauth:// URL (for the QR code).
type Enrolment struct {
	Secret string
	URL    string
}

// BeginEnrolment starts (or, when one is being set up, continues) setting up
// an authenticator for the user: the same secret until it is confirmed, so
// that reloading the page does not change the QR code. Who may: the user
// themself, signed in, or halfway a sign-in (the caller's session says which).
func (s *Accounts) BeginEnrolment(ctx context.Context, userID int64) (Enrolment, error) {
	ctx = store.System(ctx) // sign-in: the second step knows the user, not yet the actor (docs/security.md)
	t, err := s.d.Store.TOTP(ctx, userID)
	if err == nil && t.Confirmed {
		return Enrolment{}, apperr.New(apperr.Conflict, "De tweestapsverificatie is al ingesteld.")
	}
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return Enrolment{}, err
	}
	a, _, err := s.d.Store.Actor(ctx, userID)
	if err != nil {
		return Enrolment{}, err
	}
	secret := t.Secret
	if secret == "" {
		key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: a.Email, Period: totpPeriod,
			Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return Enrolment{}, fmt.Errorf("totp secret: %w", err)
		}
		secret = key.Secret()
		if err := s.d.Store.SavePendingTOTP(ctx, userID, secret, s.d.Now()); err != nil {
			return Enrolment{}, err
		}
	}
	return Enrolment{Secret: secret, URL: otpauthURL(a.Email, secret)}, nil
}

// otpauthURL is the Key URI that authenticator apps read from the QR code.
func otpauthURL(email, secret string) string {
	v := url.Values{}
	v.Set("issuer", totpIssuer)
	v.Set("secret", secret)
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("period", "30")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + totpIssuer + ":" + email, RawQuery: v.Encode()}
	return u.String()
}

// ConfirmEnrolment checks a first code from the app being set up; when it
// is right the authenticator counts from now on and the ten recovery codes
// are returned, to be shown once (only their hashes are kept).
func (s *Accounts) ConfirmEnrolment(ctx context.Context, userID int64, typed string) ([]string, error) {
	ctx = store.System(ctx) // sign-in: the second step knows the user, not yet the actor (docs/security.md)
	now := s.d.Now()
	t, err := s.d.Store.TOTP(ctx, userID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.Conflict, "Het instellen is niet begonnen of verlopen. Begin opnieuw.")
	}
	if err != nil {
		return nil, err
	}
	if t.Confirmed {
		return nil, apperr.New(apperr.Conflict, "De tweestapsverificatie is al ingesteld.")
	}
	kind, code := ParseCode(typed)
	if kind != CodeTOTP {
		return nil, &apperr.Error{Kind: apperr.Invalid, Message: "Vul de zes cijfers in die uw app toont.",
			Fields: map[string]string{"code": "Vul de zes cijfers in die uw app toont, bijvoorbeeld 123456."}}
	}
	step := totpStep(t.Secret, code, now)
	if step == 0 {
		return nil, &apperr.Error{Kind: apperr.Invalid, Message: "Deze code klopt niet.",
			Fields: map[string]string{"code": "Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat, en typ de code die de app nu toont."}}
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	a, _, err := s.d.Store.Actor(ctx, userID)
	if err != nil {
		return nil, err
	}
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		if err := q.ConfirmTOTP(ctx, userID, step, now); err != nil {
			return err
		}
		if err := q.ReplaceRecoveryCodes(ctx, userID, hashes); err != nil {
			return err
		}
		return s.eventSecondFactorEnrolled(ctx, q, a, now)
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// ConfirmEnrolmentAtSignIn is ConfirmEnrolment for a user half-way through
// signing in (password typed, app being set up): the confirmed code
// completes the sign-in, which is recorded as a security event. It returns
// the recovery codes and the signed-in actor.
func (s *Accounts) ConfirmEnrolmentAtSignIn(ctx context.Context, userID int64, typed string) ([]string, *access.Actor, int, error) {
	ctx = store.System(ctx) // sign-in: the second step knows the user, not yet the actor (docs/security.md)
	codes, err := s.ConfirmEnrolment(ctx, userID, typed)
	if err != nil {
		return nil, nil, 0, err
	}
	a, version, err := s.d.Store.Actor(ctx, userID)
	if err != nil {
		return nil, nil, 0, err
	}
	if err := s.eventSignedIn(ctx, a, "password+totp-setup"); err != nil {
		return nil, nil, 0, err
	}
	return codes, a, version, nil
}

// NewRecoveryCodes replaces the actor's recovery codes with ten new ones,
// returned to be shown once.
func (s *Accounts) NewRecoveryCodes(ctx context.Context, a *access.Actor) ([]string, error) {
	ctx = scoped(ctx, a)
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	t, err := s.d.Store.TOTP(ctx, a.UserID)
	if err != nil || !t.Confirmed {
		return nil, apperr.New(apperr.Conflict, "Stel eerst de tweestapsverificatie in.")
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	now := s.d.Now()
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		if err := q.ReplaceRecoveryCodes(ctx, a.UserID, hashes); err != nil {
			return err
		}
		return s.eventRecoveryCodesRenewed(ctx, q, a, now)
	})
	return codes, err
}

// SecondFactor is what a user's account page says about the second factor.
type SecondFactor struct {
	Enabled      bool
	Required     bool
	RecoveryLeft int
}

// SecondFactorOf tells the actor about their own second factor.
func (s *Accounts) SecondFactorOf(ctx context.Context, a *access.Actor) (SecondFactor, error) {
	ctx = scoped(ctx, a)
	if a == nil {
		return SecondFactor{}, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	return s.secondFactor(ctx, a.UserID, a.Grants)
}

func (s *Accounts) secondFactor(ctx context.Context, userID int64, grants []access.Grant) (SecondFactor, error) {
	sf := SecondFactor{Required: access.RequiresSecondFactor(grants)}
	t, err := s.d.Store.TOTP(ctx, userID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return sf, err
	}
	sf.Enabled = err == nil && t.Confirmed
	if sf.Enabled {
		if sf.RecoveryLeft, err = s.d.Store.RecoveryCodesLeft(ctx, userID); err != nil {
			return sf, err
		}
	}
	return sf, nil
}

// UserSecondFactor tells an administrator whether an account of the
// organisation has a second factor.
func (s *Accounts) UserSecondFactor(ctx context.Context, a *access.Actor, userID int64) (SecondFactor, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return SecondFactor{}, err
	}
	u, err := s.d.Store.UserInOrg(ctx, a.OrganisationID, userID)
	if err != nil {
		return SecondFactor{}, err
	}
	return s.secondFactor(ctx, u.ID, u.Grants)
}

// ResetSecondFactor removes the authenticator and recovery codes of an
// account of the administrator's organisation (a lost phone). Its next
// sign-in sets up a new one when the roles require it. The account's
// sessions get a fresh token.
func (s *Accounts) ResetSecondFactor(ctx context.Context, a *access.Actor, userID int64) error {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return err
	}
	now := s.d.Now()
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		u, err := q.UserInOrg(ctx, a.OrganisationID, userID)
		if err != nil {
			return err
		}
		if u.HomeElsewhere {
			return errManagedElsewhere
		}
		if err := q.DeleteSecondFactor(ctx, userID); err != nil {
			return err
		}
		return s.eventSecondFactorReset(ctx, q, a, userID, now)
	})
}
