package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	notifymail "github.com/lekwacht/lekwacht/internal/mail"
	passwordpolicy "github.com/lekwacht/lekwacht/internal/password"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Accounts signs users in and lets administrators manage users, roles and schools.
type Accounts struct {
	d    Deps
	gate *hashGate
}

// Sign-in throttling, counted in the database so that every app server
// sees the same counts. Failures are counted three ways:
//   - per account and address: after pairFree failures within
//     throttleWindow, each further attempt from that address for that
//     account must wait twice as long as the previous one, up to maxWait.
//     Someone else's failures, from another address, never lock the owner out.
//   - per address, over all accounts: after addrFree failures the address
//     waits the same way (one address trying many accounts).
//   - per account, over all addresses: from accountSlow failures on, every
//     attempt for the account is slowed (accountDelay, growing to
//     accountMaxDelay) but still checked, so the right password gets in;
//     at accountNotify failures the owner is told by mail (once an hour).
const (
	pairFree        = 5
	addrFree        = 30
	accountSlow     = 10
	accountNotify   = 10
	accountDelay    = time.Second
	accountMaxDelay = 5 * time.Second
	throttleWindow  = 15 * time.Minute
	firstWait       = 15 * time.Second
	maxWait         = 15 * time.Minute
	linkLifetime    = 7 * 24 * time.Hour
)

var errSignin = &apperr.Error{Kind: apperr.Unauthenticated,
	Message: "Dit e-mailadres en wachtwoord horen niet bij elkaar. Kijk ze na en probeer het opnieuw."}

func normaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// throttleKey hashes what a failure is counted by: the address is personal
// data and is not stored as such.
func throttleKey(parts ...string) []byte {
	h := sha256.Sum256([]byte("lekwacht-signin:" + strings.Join(parts, "\x00")))
	return h[:]
}

// SignIn is SignInFrom without a known address (the command line, tests).
func (s *Accounts) SignIn(ctx context.Context, email, password string) (SignInResult, error) {
	return s.SignInFrom(ctx, email, password, "")
}

// SignInFrom checks email and password for a request from addr (the
// client's IP address). The error never tells whether the email exists;
// repeated failures are slowed down as the constants above say. A right
// password signs in only a user without a second factor whose roles do not
// require one; the result says which step comes next.
func (s *Accounts) SignInFrom(ctx context.Context, email, password, addr string) (SignInResult, error) {
	ctx = store.System(ctx) // sign-in: the user is found by address, before the organisation is known (docs/security.md)
	now := s.d.Now()
	email = normaliseEmail(email)
	pairKey, addrKey, accountKey := throttleKey("pair", email, addr), throttleKey("addr", addr), throttleKey("account", email)
	if err := s.throttled(ctx, pairKey, pairFree, now); err != nil {
		return SignInResult{}, err
	}
	if addr != "" {
		if err := s.throttled(ctx, addrKey, addrFree, now); err != nil {
			return SignInResult{}, err
		}
	}
	accountFailures, _, err := s.d.Store.SigninFailures(ctx, accountKey, now.Add(-throttleWindow))
	if err != nil {
		return SignInResult{}, err
	}
	if accountFailures >= accountSlow {
		// Slowed, not locked: the attempt is still checked after the delay.
		delay := min(accountDelay*time.Duration(1+(accountFailures-accountSlow)/accountSlow), accountMaxDelay)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return SignInResult{}, ctx.Err()
		case <-t.C:
		}
	}
	u, err := s.d.Store.UserByEmail(ctx, email)
	hash := dummyHash()
	if err == nil && u.Active && u.PasswordHash != "" {
		hash = u.PasswordHash
	} else if err != nil && !apperr.Is(err, apperr.NotFound) {
		return SignInResult{}, err
	}
	var ok bool
	var cerr error
	if gerr := s.gate.do(ctx, func() { ok, cerr = checkPassword(hash, password) }); gerr != nil {
		return SignInResult{}, gerr
	}
	if cerr != nil {
		return SignInResult{}, fmt.Errorf("sign in: %w", cerr)
	}
	if !ok || err != nil || !u.Active || u.PasswordHash == "" {
		keys := [][]byte{pairKey, accountKey}
		if addr != "" {
			keys = append(keys, addrKey)
		}
		for _, k := range keys {
			if rerr := s.d.Store.RecordSigninFailure(ctx, k, now); rerr != nil {
				return SignInResult{}, rerr
			}
		}
		if err == nil {
			// A failed sign-in to a known account is a security event of its
			// organisation (subject: the account; actor: unknown). Unknown
			// addresses belong to no organisation: only the throttle counts them.
			if aerr := s.d.Store.AddAuditEntry(ctx, store.AuditEntry{OrganisationID: u.OrganisationID, At: now,
				Action: AuditSignInFailed, SubjectID: u.ID, Address: addr}); aerr != nil {
				return SignInResult{}, aerr
			}
		}
		if err == nil && u.Active && accountFailures+1 >= accountNotify {
			if merr := s.mailSigninFailures(ctx, u, accountFailures+1, now); merr != nil {
				s.d.Logger.Warn("mail about failed sign-ins not queued", "user_id", u.ID, "err", merr)
			}
		}
		return SignInResult{}, errSignin
	}
	for _, k := range [][]byte{pairKey, accountKey} {
		if err := s.d.Store.ClearSigninFailures(ctx, k, now.Add(-24*time.Hour)); err != nil {
			return SignInResult{}, err
		}
	}
	// An organisation that requires single sign-on refuses passwords, but
	// for its break-glass administrator. A person of several organisations
	// (issue 11.3) is then signed in to one that takes their password.
	if err := s.passwordAllowed(ctx, u); err != nil {
		if !apperr.Is(err, apperr.Unauthenticated) {
			return SignInResult{}, err
		}
		others, oerr := s.d.Store.PersonMemberships(ctx, u.ID)
		if oerr != nil {
			return SignInResult{}, oerr
		}
		found := false
		for _, o := range others {
			if s.passwordAllowed(ctx, o) == nil {
				u, found = o, true
				break
			}
		}
		if !found {
			return SignInResult{}, err
		}
	}
	res, err := s.nextStep(ctx, u.ID)
	if err == nil && res.Step == SignedIn {
		if addr != "" && access.AddressFrom(ctx) == "" {
			ctx = access.WithAddress(ctx, addr)
		}
		if err := s.eventSignedIn(ctx, res.Actor, "password"); err != nil {
			return SignInResult{}, err
		}
	}
	return res, err
}

// SignedOut records that a signed out (the session itself is ended by the
// caller).
func (s *Accounts) SignedOut(ctx context.Context, a *access.Actor) error {
	ctx = scoped(ctx, a)
	if a == nil {
		return nil
	}
	return s.d.Store.AddAuditEntry(ctx, store.AuditEntry{OrganisationID: a.OrganisationID, At: s.d.Now(),
		ActorID: &a.UserID, Action: AuditSignedOut, SubjectID: a.UserID, Address: access.AddressFrom(ctx)})
}

// throttled refuses an attempt when key has free or more failures within
// the window and the doubling wait since the last one has not passed.
func (s *Accounts) throttled(ctx context.Context, key []byte, free int, now time.Time) error {
	return s.throttledMsg(ctx, key, free, now, "Er is te vaak een verkeerd wachtwoord ingevuld. Wacht %s en probeer het dan opnieuw.")
}

// throttledMsg is throttled with the refusal's words (a %s for the wait).
func (s *Accounts) throttledMsg(ctx context.Context, key []byte, free int, now time.Time, msg string) error {
	n, last, err := s.d.Store.SigninFailures(ctx, key, now.Add(-throttleWindow))
	if err != nil {
		return err
	}
	if n < free {
		return nil
	}
	wait := firstWait * time.Duration(math.Pow(2, float64(min(n-free, 30))))
	if wait > maxWait || wait <= 0 {
		wait = maxWait
	}
	left := last.Add(wait).Sub(now)
	if left <= 0 {
		return nil
	}
	return &apperr.Error{Kind: apperr.TooManyRequests, RetryAfter: left,
		Message: fmt.Sprintf(msg, waitText(left))}
}

// mailSigninFailures tells the owner of an account that someone keeps
// trying wrong passwords, at most once an hour (the outbox key).
func (s *Accounts) mailSigninFailures(ctx context.Context, u store.User, n int, now time.Time) error {
	subject := "Mislukte pogingen om in te loggen op uw account in Lekwacht"
	c := notifymail.Content{
		Greeting: "Beste " + u.Name + ",",
		Paragraphs: []string{
			fmt.Sprintf("In het afgelopen kwartier is %d keer geprobeerd met een verkeerd wachtwoord in te loggen op uw account in Lekwacht (%s).", n, u.Email),
			"Was u dat zelf? Dan hoeft u niets te doen. Uw account is niet geblokkeerd: met het juiste wachtwoord komt u gewoon binnen.",
			"Was u het niet? Vraag dan de beheerder van uw organisatie om een nieuwe link voor uw wachtwoord, en kies een nieuw wachtwoord dat u nergens anders gebruikt.",
		},
		Footer: "U krijgt dit bericht van Lekwacht omdat het over de beveiliging van uw account gaat.",
	}
	key := fmt.Sprintf("signin_failures:%d:%s", u.ID, now.UTC().Truncate(time.Hour).Format(time.RFC3339))
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		return s.d.mailAccount(ctx, q, u.OrganisationID, u.ID, u.Email, "signin_failures", key, subject, c)
	})
}

func waitText(d time.Duration) string {
	if d < time.Minute {
		return strconv.Itoa(int(math.Ceil(d.Seconds()))) + " seconden"
	}
	m := int(math.Ceil(d.Minutes()))
	if m == 1 {
		return "1 minuut"
	}
	return strconv.Itoa(m) + " minuten"
}

// Actor loads the signed-in user for a request, with the current roles and
// the auth version the session must match.
func (s *Accounts) Actor(ctx context.Context, userID int64) (*access.Actor, int, error) {
	ctx = store.System(ctx) // the session names the user, not the organisation (docs/security.md)
	return s.d.Store.Actor(ctx, userID)
}

// SignedIn is Actor for the user of a session, with the number of their
// unread messages, in one query (every page view pays for it).
//
// on says whether the session sessionID ("Mijn sessies") is still on: one
// ended there, or by an administrator, is signed out at its next request.
func (s *Accounts) SignedIn(ctx context.Context, userID int64, sessionID string) (a *access.Actor, authVersion, unread int, on bool, err error) {
	ctx = store.System(ctx) // the session names the user, not the organisation (docs/security.md)
	if len(sessionID) != 32 {
		sessionID = ""
	}
	return s.d.Store.SignedIn(ctx, userID, sessionID, s.d.Now())
}

// SessionEpoch is the user's session epoch (see store.SessionEpoch).
func (s *Accounts) SessionEpoch(ctx context.Context, userID int64) (int, error) {
	ctx = store.System(ctx) // the session names the user, not the organisation (docs/security.md)
	return s.d.Store.SessionEpoch(ctx, userID)
}

// PasswordLink describes an account waiting for its password.
type PasswordLink struct {
	Name, Email string
}

// CheckPasswordLink tells who a one-time link is for, or NotFound.
func (s *Accounts) CheckPasswordLink(ctx context.Context, token string) (PasswordLink, error) {
	ctx = store.System(ctx) // the one-time link names the user, not the organisation (docs/security.md)
	u, err := s.d.Store.PasswordTokenUser(ctx, tokenHash(token), s.d.Now())
	return PasswordLink{Name: u.Name, Email: u.Email}, err
}

// SetPassword uses a one-time link to set the password, and signs the user
// in (or says which step is still needed).
func (s *Accounts) SetPassword(ctx context.Context, token, password, repeat string) (SignInResult, error) {
	ctx = store.System(ctx) // the one-time link names the user, not the organisation (docs/security.md)
	now := s.d.Now()
	h := tokenHash(token)
	u, err := s.d.Store.PasswordTokenUser(ctx, h, now)
	if err != nil {
		return SignInResult{}, err
	}
	errs := apperr.FieldErrors{}
	// The policy of issue 11: length, the shipped list of common passwords,
	// never the e-mail address.
	if why := passwordpolicy.Check(password, u.Email); why != "" {
		errs.Add("password", why)
	}
	if password != repeat {
		errs.Add("repeat", "De twee wachtwoorden zijn niet gelijk.")
	}
	if err := errs.Err(); err != nil {
		return SignInResult{}, err
	}
	var hash string
	if gerr := s.gate.do(ctx, func() { hash, err = hashPassword(password) }); gerr != nil {
		return SignInResult{}, gerr
	}
	if err != nil {
		return SignInResult{}, err
	}
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		if err := q.UsePasswordToken(ctx, h, now); err != nil {
			return err
		}
		if err := q.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		return audit(ctx, q, u.OrganisationID, now, &u.ID, AuditPasswordSet, u.ID, nil)
	})
	if err != nil {
		return SignInResult{}, err
	}
	// The link proves the mailbox, not the second factor: a user who has
	// or needs one still goes through that step.
	return s.nextStep(ctx, u.ID)
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// newPasswordLink creates a one-time link for a user inside a transaction.
func (s *Accounts) newPasswordLink(ctx context.Context, q *store.Queries, userID int64, now time.Time) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("password link: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	if err := q.CreatePasswordToken(ctx, userID, tokenHash(token), now.Add(linkLifetime)); err != nil {
		return "", err
	}
	return s.d.BaseURL + "/wachtwoord/" + token, nil
}

// mailPasswordLink mails a one-time link to the account's owner, in q's
// transaction: the mail exists exactly when the link does. first says
// whether the account is new.
func (s *Accounts) mailPasswordLink(ctx context.Context, q *store.Queries, orgID, userID int64, email, name, link string, first bool) error {
	subject := "Nieuwe link om uw wachtwoord in te stellen voor Lekwacht"
	intro := "Er is een nieuwe link voor u gemaakt om uw wachtwoord voor Lekwacht in te stellen. Eerdere links werken niet meer zodra u deze gebruikt."
	if first {
		subject = "Uw account voor Lekwacht"
		intro = "Er is een account voor u aangemaakt in Lekwacht, waarmee uw school beveiligingsincidenten en datalekken meldt en afhandelt."
	}
	// Keyed by the link itself (its hash): each new link is a new mail.
	return s.d.mailAccount(ctx, q, orgID, userID, email, "password_link", fmt.Sprintf("password_link:%x", tokenHash(link)[:12]), subject,
		notifymail.Content{
			Greeting: "Beste " + name + ",",
			Paragraphs: []string{intro,
				"Stel met de link hieronder zelf uw wachtwoord in. De link werkt één keer en is 7 dagen geldig.",
				"Hebt u dit niet verwacht? Dan kunt u deze e-mail negeren; er gebeurt niets zonder dat u de link gebruikt."},
			LinkText: "Wachtwoord instellen",
			Link:     link,
			Footer:   "U krijgt dit bericht van Lekwacht omdat de beheerder van uw organisatie een account voor u beheert.",
		})
}

// UserForm is the administrator's form for an account.
type UserForm struct {
	Email  string
	Name   string
	Active bool
	// Roles maps each role to "" (not held), "all" (every school) or "schools".
	Roles map[access.Role]string
	// Schools maps each role to the school ids it is limited to when Roles says "schools".
	Schools map[access.Role][]string
}

// grants turns the form's roles into grants, validating the schools.
func (f UserForm) grants(schools []store.School, errs apperr.FieldErrors) []access.Grant {
	var out []access.Grant
	for _, r := range access.Roles {
		switch f.Roles[r] {
		case "":
		case "all":
			out = append(out, access.Grant{Role: r})
		case "schools":
			if r == access.Admin {
				errs.Add("role_"+string(r), "Een beheerder beheert de hele organisatie; deze rol kan niet tot scholen worden beperkt.")
				continue
			}
			var ids []int64
			for _, v := range f.Schools[r] {
				id, err := strconv.ParseInt(v, 10, 64)
				if err != nil || !slices.ContainsFunc(schools, func(s store.School) bool { return s.ID == id }) {
					errs.Add("role_"+string(r), "Kies alleen scholen uit de lijst.")
					continue
				}
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
			if len(ids) == 0 {
				errs.Add("role_"+string(r), "Kies minstens één school, of kies ‘alle scholen’.")
				continue
			}
			slices.Sort(ids)
			out = append(out, access.Grant{Role: r, Schools: ids})
		default:
			errs.Add("role_"+string(r), "Kies geen rol, alle scholen of bepaalde scholen.")
		}
	}
	return out
}

func validName(errs apperr.FieldErrors, name string) string {
	name = strings.TrimSpace(name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		errs.Add("name", "Vul een naam in.")
	case n > 200:
		errs.Add("name", "Deze naam is te lang (meer dan 200 tekens).")
	}
	return name
}

func validEmail(errs apperr.FieldErrors, email string) string {
	email = normaliseEmail(email)
	if email == "" {
		errs.Add("email", "Vul een e-mailadres in.")
		return email
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.Index(email, "@")+1:], ".") || len(email) > 254 {
		errs.Add("email", "Dit is geen geldig e-mailadres. Gebruik de vorm naam@school.nl.")
	}
	return email
}

func (s *Accounts) authorize(a *access.Actor, act incident.Action) error {
	if !incident.Can(a, act) {
		return apperr.Forbiddenf("Alleen een beheerder van uw organisatie mag dit doen.")
	}
	return nil
}

// Users lists the organisation's accounts (administrators only).
func (s *Accounts) Users(ctx context.Context, a *access.Actor) ([]access.Account, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return nil, err
	}
	return s.d.Store.Users(ctx, a.OrganisationID)
}

// User loads one account of the organisation (administrators only).
func (s *Accounts) User(ctx context.Context, a *access.Actor, id int64) (access.Account, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return access.Account{}, err
	}
	return s.d.Store.UserInOrg(ctx, a.OrganisationID, id)
}

// CreateUser adds an account with roles and returns its one-time password
// link; for a person who already has an account elsewhere, it adds them as a
// member and returns no link ("").
func (s *Accounts) CreateUser(ctx context.Context, a *access.Actor, f UserForm) (int64, string, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return 0, "", err
	}
	schools, err := s.d.Store.Schools(ctx, a.OrganisationID)
	if err != nil {
		return 0, "", err
	}
	errs := apperr.FieldErrors{}
	email := validEmail(errs, f.Email)
	name := validName(errs, f.Name)
	grants := f.grants(schools, errs)
	if err := errs.Err(); err != nil {
		return 0, "", err
	}
	// A person who already has an account (in another organisation, issue
	// 11.3) becomes a member here: one address, one password, one second
	// factor. Their other memberships stay out of sight; they get no
	// password link from this organisation, only a mail that they were added.
	personID, err := s.d.Store.PersonByEmail(store.System(ctx), email) // user add: the address may be a person's of another organisation (docs/security.md)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return 0, "", err
	}
	now := s.d.Now()
	var id int64
	var link string
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		var err error
		if id, err = newMember(ctx, q, a.OrganisationID, personID, email, name); err != nil {
			return err
		}
		if err = q.SetGrants(ctx, a.OrganisationID, id, grants); err != nil {
			return err
		}
		if personID != 0 {
			if err = s.mailMembership(ctx, q, a, id, email, name); err != nil {
				return err
			}
			return audit(ctx, q, a.OrganisationID, now, &a.UserID, AuditMemberAdded, id, map[string]any{"roles": grantsDetail(grants)})
		}
		if link, err = s.newPasswordLink(ctx, q, id, now); err != nil {
			return err
		}
		if err = s.mailPasswordLink(ctx, q, a.OrganisationID, id, email, name, link, true); err != nil {
			return err
		}
		return audit(ctx, q, a.OrganisationID, now, &a.UserID, "user_created", id, map[string]any{"roles": grantsDetail(grants)})
	})
	if err != nil {
		return 0, "", err
	}
	if link == "" {
		return id, "", nil
	}
	// The link is a credential: it goes by mail, never to the log.
	s.d.Logger.Info("password link created", "user_id", id)
	return id, link, nil
}

// UpdateUser changes name, active state and roles of an account.
func (s *Accounts) UpdateUser(ctx context.Context, a *access.Actor, id int64, f UserForm) error {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return err
	}
	schools, err := s.d.Store.Schools(ctx, a.OrganisationID)
	if err != nil {
		return err
	}
	errs := apperr.FieldErrors{}
	name := validName(errs, f.Name)
	grants := f.grants(schools, errs)
	if id == a.UserID {
		if !f.Active {
			errs.Add("active", "U kunt uw eigen account niet uitschakelen.")
		}
		if f.Roles[access.Admin] != "all" {
			errs.Add("role_admin", "U kunt uw eigen beheerrechten niet intrekken; laat dat een andere beheerder doen.")
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	now := s.d.Now()
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		if err := q.UpdateUser(ctx, a.OrganisationID, id, name, f.Active); err != nil {
			return err
		}
		if err := q.SetGrants(ctx, a.OrganisationID, id, grants); err != nil {
			return err
		}
		return audit(ctx, q, a.OrganisationID, now, &a.UserID, AuditUserUpdated, id,
			map[string]any{"active": f.Active, "roles": grantsDetail(grants)})
	})
}

// NewPasswordLink makes a fresh one-time link for an account (a forgotten
// password, or a link that expired).
func (s *Accounts) NewPasswordLink(ctx context.Context, a *access.Actor, id int64) (string, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return "", err
	}
	now := s.d.Now()
	var link string
	err := transact(ctx, s.d.Store, func(q *store.Queries) error {
		u, err := q.UserInOrg(ctx, a.OrganisationID, id)
		if err != nil {
			return err
		}
		if u.HomeElsewhere {
			return errManagedElsewhere
		}
		if link, err = s.newPasswordLink(ctx, q, id, now); err != nil {
			return err
		}
		if err = s.mailPasswordLink(ctx, q, a.OrganisationID, id, u.Email, u.Name, link, false); err != nil {
			return err
		}
		return audit(ctx, q, a.OrganisationID, now, &a.UserID, "password_link_created", id, nil)
	})
	if err != nil {
		return "", err
	}
	s.d.Logger.Info("password link created", "user_id", id)
	return link, nil
}

func grantsDetail(gs []access.Grant) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		if len(g.Schools) == 0 {
			out = append(out, string(g.Role))
			continue
		}
		ids := make([]string, len(g.Schools))
		for i, id := range g.Schools {
			ids[i] = strconv.FormatInt(id, 10)
		}
		out = append(out, string(g.Role)+":"+strings.Join(ids, ","))
	}
	return out
}

// Schools lists the schools of the actor's organisation; every user may see
// them (the report form asks which school).
func (s *Accounts) Schools(ctx context.Context, a *access.Actor) ([]access.School, error) {
	ctx = scoped(ctx, a)
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	return s.d.Store.Schools(ctx, a.OrganisationID)
}

// SaveSchool adds a school (id 0) or renames one (administrators only).
func (s *Accounts) SaveSchool(ctx context.Context, a *access.Actor, id int64, name string) (int64, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageSchools); err != nil {
		return 0, err
	}
	errs := apperr.FieldErrors{}
	name = validName(errs, name)
	if err := errs.Err(); err != nil {
		return 0, err
	}
	now := s.d.Now()
	err := transact(ctx, s.d.Store, func(q *store.Queries) error {
		action := "school_renamed"
		if id == 0 {
			action = "school_created"
			var err error
			if id, err = q.CreateSchool(ctx, a.OrganisationID, name); err != nil {
				return err
			}
		} else if err := q.RenameSchool(ctx, a.OrganisationID, id, name); err != nil {
			return err
		}
		return audit(ctx, q, a.OrganisationID, now, &a.UserID, action, id, nil)
	})
	return id, err
}

// newMember adds email to organisation orgID: as a membership of person
// personID when it is not 0 (someone who has an account already, issue
// 11.3), else as a new person with their first membership.
func newMember(ctx context.Context, q *store.Queries, orgID, personID int64, email, name string) (int64, error) {
	if personID != 0 {
		return q.AddMembership(ctx, orgID, personID, email, name)
	}
	return q.CreateUser(ctx, orgID, email, name)
}

// AddAdministrator creates an administrator from the command line (the first
// account of a production installation), creating the organisation when it
// does not exist. It returns the one-time password link, or "" when the
// address is a person's who has an account already: they become an
// administrator of the organisation and sign in as before.
func (s *Accounts) AddAdministrator(ctx context.Context, orgName, email, name string) (string, bool, error) {
	ctx = store.System(ctx) // user add: finds or creates the organisation by name (docs/security.md)
	errs := apperr.FieldErrors{}
	email = validEmail(errs, email)
	name = validName(errs, name)
	orgName = strings.TrimSpace(orgName)
	if orgName == "" || utf8.RuneCountInString(orgName) > 200 {
		errs.Add("org", "Geef de naam van de organisatie (het schoolbestuur), hoogstens 200 tekens.")
	}
	if err := errs.Err(); err != nil {
		return "", false, err
	}
	now := s.d.Now()
	var link string
	var created bool
	err := transact(ctx, s.d.Store, func(q *store.Queries) error {
		org, err := q.OrganisationByName(ctx, orgName)
		if apperr.Is(err, apperr.NotFound) {
			created = true
			org.ID, err = q.CreateOrganisation(ctx, orgName)
		}
		if err != nil {
			return err
		}
		// A person who has an account already becomes a member of the
		// organisation (issue 11.3), signing in as before: no link.
		personID, err := q.PersonByEmail(ctx, email)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		id, err := newMember(ctx, q, org.ID, personID, email, name)
		if err != nil {
			return err
		}
		if err := q.SetGrants(ctx, org.ID, id, []access.Grant{{Role: access.Admin}}); err != nil {
			return err
		}
		if personID != 0 {
			return audit(ctx, q, org.ID, now, nil, AuditMemberAdded, id, map[string]any{"roles": []string{"admin"}, "via": "command line"})
		}
		if link, err = s.newPasswordLink(ctx, q, id, now); err != nil {
			return err
		}
		return audit(ctx, q, org.ID, now, nil, "user_created", id, map[string]any{"roles": []string{"admin"}, "via": "command line"})
	})
	if err != nil {
		return "", false, err
	}
	return link, created, nil
}

// SchoolsToManage lists the schools for the administrator's schools page.
func (s *Accounts) SchoolsToManage(ctx context.Context, a *access.Actor) ([]access.School, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageSchools); err != nil {
		return nil, err
	}
	return s.d.Store.Schools(ctx, a.OrganisationID)
}

// SchoolsForUserForm lists the schools an administrator can limit roles to.
func (s *Accounts) SchoolsForUserForm(ctx context.Context, a *access.Actor) ([]access.School, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return nil, err
	}
	return s.d.Store.Schools(ctx, a.OrganisationID)
}

// NewPasswordLinkForTest makes a one-time link without an acting
// administrator; for test fixtures and the command line only.
func (s *Accounts) NewPasswordLinkForTest(ctx context.Context, userID int64) (string, error) {
	ctx = store.System(ctx) // tests only: by user id (docs/security.md)
	var link string
	err := transact(ctx, s.d.Store, func(q *store.Queries) error {
		var err error
		link, err = s.newPasswordLink(ctx, q, userID, s.d.Now())
		return err
	})
	return link, err
}

// ExceptionReviewMonths is the organisation's period between reviews of an
// exception used not to inform the data subjects (administrators only).
func (s *Accounts) ExceptionReviewMonths(ctx context.Context, a *access.Actor) (int, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageSchools); err != nil {
		return 0, err
	}
	return s.d.Store.ExceptionReviewMonths(ctx, a.OrganisationID)
}

// SetExceptionReviewMonths sets that period from the form: a whole number
// of months, 1 to 60 (administrators only). Reviews already planned keep
// their date; the period counts from the next one on.
func (s *Accounts) SetExceptionReviewMonths(ctx context.Context, a *access.Actor, typed string) error {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageSchools); err != nil {
		return err
	}
	errs := apperr.FieldErrors{}
	months, err := strconv.Atoi(strings.TrimSpace(typed))
	switch {
	case strings.TrimSpace(typed) == "":
		errs.Add("review_months", "Vul het aantal maanden in, bijvoorbeeld 12.")
	case err != nil:
		errs.Add("review_months", "Vul een heel aantal maanden in, zonder letters, bijvoorbeeld 12.")
	case months < incident.MinReviewMonths || months > incident.MaxReviewMonths:
		errs.Add("review_months", fmt.Sprintf("Kies een periode van %d tot en met %d maanden.", incident.MinReviewMonths, incident.MaxReviewMonths))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		if err := q.SetExceptionReviewMonths(ctx, a.OrganisationID, months); err != nil {
			return err
		}
		return audit(ctx, q, a.OrganisationID, s.d.Now(), &a.UserID, "exception_review_months", a.OrganisationID, map[string]any{"months": months})
	})
}
