package service

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Single sign-on with OpenID Connect (issue 11), per organisation: the
// administrator configures providers (issuer, client id, client secret,
// e-mail domains); the sign-in page sends an address of such a domain to its
// provider (authorisation code flow with PKCE, state and nonce); the ID
// token's signature, issuer, audience, expiry and nonce are checked by
// go-oidc; a first sign-in of an unknown address of the domain creates an
// account without roles. Roles stay managed in Lekwacht.

// SSOCallbackPath is where providers send the browser back; the redirect
// URL to register is BaseURL + SSOCallbackPath.
const SSOCallbackPath = "/inloggen/sso/terug"

// ssoTimeout bounds every call to a provider (discovery, token, keys).
const ssoTimeout = 10 * time.Second

// errNoSecretKey refuses configuring a provider without LEKWACHT_SECRET_KEY.
var errNoSecretKey = apperr.New(apperr.Conflict,
	"Single sign-on kan nog niet worden ingesteld: de beheerder van de server moet eerst LEKWACHT_SECRET_KEY instellen (zie de README).")

// seal encrypts a client secret with the key from the environment; the
// organisation is bound in as additional data, so a sealed secret copied to
// another organisation's row does not open.
func seal(key []byte, orgID int64, plain string) ([]byte, error) {
	if len(key) != 32 {
		return nil, errNoSecretKey
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return gcm.Seal(nonce, nonce, []byte(plain), []byte("sso:"+strconv.FormatInt(orgID, 10))), nil
}

func unseal(key []byte, orgID int64, sealed []byte) (string, error) {
	if len(key) != 32 {
		return "", errNoSecretKey
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	if len(sealed) < gcm.NonceSize() {
		return "", errors.New("sealed secret too short")
	}
	plain, err := gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], []byte("sso:"+strconv.FormatInt(orgID, 10)))
	if err != nil {
		return "", errors.New("client secret cannot be opened with LEKWACHT_SECRET_KEY")
	}
	return string(plain), nil
}

// SSOProviderView is a provider as the administrator sees it: never the secret.
type SSOProviderView struct {
	ID                     int64
	Name, Issuer, ClientID string
	Domains                []string
}

// SSOProviderForm is the administrator's form; ClientSecret "" keeps the stored one.
type SSOProviderForm struct {
	Name, Issuer, ClientID, ClientSecret, Domains string
}

// SSOSettings is the administrator's page: providers, policy, the redirect
// URL to register, and the administrators who can be the break-glass account.
type SSOSettings struct {
	Providers    []SSOProviderView
	Policy       store.SSOPolicy
	RedirectURL  string
	Admins       []access.Account
	KeyAvailable bool
}

func (s *Accounts) ssoClient(ctx context.Context) context.Context {
	c := s.d.HTTPClient
	if c == nil {
		c = &http.Client{Timeout: ssoTimeout}
	}
	return oidc.ClientContext(ctx, c)
}

// SSOSettings loads the single sign-on page (administrators only).
func (s *Accounts) SSOSettings(ctx context.Context, a *access.Actor) (SSOSettings, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return SSOSettings{}, err
	}
	ps, err := s.d.Store.SSOProviders(ctx, a.OrganisationID)
	if err != nil {
		return SSOSettings{}, err
	}
	pol, err := s.d.Store.SSOPolicy(ctx, a.OrganisationID)
	if err != nil {
		return SSOSettings{}, err
	}
	users, err := s.d.Store.Users(ctx, a.OrganisationID)
	if err != nil {
		return SSOSettings{}, err
	}
	out := SSOSettings{Policy: pol, RedirectURL: s.d.BaseURL + SSOCallbackPath, KeyAvailable: len(s.d.SecretKey) == 32}
	for _, p := range ps {
		out.Providers = append(out.Providers, SSOProviderView{ID: p.ID, Name: p.Name, Issuer: p.Issuer, ClientID: p.ClientID, Domains: p.Domains})
	}
	for _, u := range users {
		if u.Active && slices.ContainsFunc(u.Grants, func(g access.Grant) bool { return g.Role == access.Admin }) {
			out.Admins = append(out.Admins, u)
		}
	}
	return out, nil
}

// SSOProvider loads one provider for its edit form (never the secret).
func (s *Accounts) SSOProvider(ctx context.Context, a *access.Actor, id int64) (SSOProviderView, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return SSOProviderView{}, err
	}
	p, err := s.d.Store.SSOProvider(ctx, a.OrganisationID, id)
	return SSOProviderView{ID: p.ID, Name: p.Name, Issuer: p.Issuer, ClientID: p.ClientID, Domains: p.Domains}, err
}

// ParseDomains reads the e-mail domains typed by an administrator
// (separated by commas, spaces or lines; "@school.nl" and "school.nl" alike).
func ParseDomains(typed string) ([]string, bool) {
	var out []string
	ok := true
	for _, f := range strings.FieldsFunc(strings.ToLower(typed), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		d := strings.TrimPrefix(f, "@")
		if !validDomain(d) {
			ok = false
			continue
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out, ok && len(out) > 0 && len(out) <= 20
}

func validDomain(d string) bool {
	if len(d) < 3 || len(d) > 253 || !strings.Contains(d, ".") || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") || strings.Contains(d, "..") {
		return false
	}
	for _, r := range d {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// SaveSSOProvider adds (id 0) or changes a provider. The issuer must answer
// OpenID Connect discovery now, so a typo shows at once.
func (s *Accounts) SaveSSOProvider(ctx context.Context, a *access.Actor, id int64, f SSOProviderForm) (int64, error) {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return 0, err
	}
	if len(s.d.SecretKey) != 32 {
		return 0, errNoSecretKey
	}
	errs := apperr.FieldErrors{}
	name := strings.TrimSpace(f.Name)
	if n := utf8.RuneCountInString(name); n == 0 || n > 100 {
		errs.Add("name", "Geef de inlogdienst een naam van hoogstens 100 tekens, bijvoorbeeld ‘Microsoft Entra ID’.")
	}
	issuer := strings.TrimRight(strings.TrimSpace(f.Issuer), "/")
	if u, err := url.Parse(issuer); err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) || len(issuer) > 500 {
		errs.Add("issuer", "Vul het adres (issuer) van de inlogdienst in, met https://, bijvoorbeeld https://login.microsoftonline.com/…/v2.0.")
	}
	clientID := strings.TrimSpace(f.ClientID)
	if clientID == "" || len(clientID) > 500 {
		errs.Add("client_id", "Vul de client-id in die de inlogdienst aan Lekwacht gaf.")
	}
	secret := strings.TrimSpace(f.ClientSecret)
	if id == 0 && secret == "" {
		errs.Add("client_secret", "Vul het clientgeheim in. Lekwacht bewaart het versleuteld en toont het nooit meer.")
	}
	if len(secret) > 1000 {
		errs.Add("client_secret", "Dit clientgeheim is te lang.")
	}
	domains, ok := ParseDomains(f.Domains)
	if !ok {
		errs.Add("domains", "Vul de e-maildomeinen in die deze inlogdienst bedient, gescheiden door komma's, bijvoorbeeld school.nl, bestuur.nl (hoogstens 20).")
	}
	if err := errs.Err(); err != nil {
		return 0, err
	}
	if _, err := oidc.NewProvider(s.ssoClient(ctx), issuer); err != nil {
		s.d.Logger.Info("sso discovery failed at save", "organisation_id", a.OrganisationID, "err", err)
		return 0, &apperr.Error{Kind: apperr.Invalid, Message: "Lekwacht kon de inlogdienst niet bereiken op dit adres.",
			Fields: map[string]string{"issuer": "Lekwacht kon op dit adres geen OpenID Connect-gegevens ophalen (" + issuer + "/.well-known/openid-configuration). Kijk het adres na; het moet precies het ‘issuer’ zijn dat de inlogdienst noemt."}}
	}
	p := store.SSOProvider{ID: id, OrganisationID: a.OrganisationID, Name: name, Issuer: issuer, ClientID: clientID, Domains: domains}
	if secret != "" {
		sealed, err := seal(s.d.SecretKey, a.OrganisationID, secret)
		if err != nil {
			return 0, err
		}
		p.ClientSecret = sealed
	}
	now := s.d.Now()
	err := transact(ctx, s.d.Store, func(q *store.Queries) error {
		var err error
		if id, err = q.SaveSSOProvider(ctx, p, now); err != nil {
			return err
		}
		// The secret is in no audit row and no log.
		return s.eventSSOProviderSaved(ctx, q, a, id, domains, now)
	})
	return id, err
}

// DeleteSSOProvider removes a provider; refused while single sign-on is
// required and it is the last one.
func (s *Accounts) DeleteSSOProvider(ctx context.Context, a *access.Actor, id int64) error {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return err
	}
	now := s.d.Now()
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		pol, err := q.SSOPolicy(ctx, a.OrganisationID)
		if err != nil {
			return err
		}
		ps, err := q.SSOProviders(ctx, a.OrganisationID)
		if err != nil {
			return err
		}
		if pol.Required && len(ps) == 1 {
			return apperr.New(apperr.Conflict, "Dit is de laatste inlogdienst terwijl single sign-on verplicht is. Zet eerst ‘verplicht’ uit.")
		}
		if err := q.DeleteSSOProvider(ctx, a.OrganisationID, id); err != nil {
			return err
		}
		return q.Audit(ctx, a.OrganisationID, now, &a.UserID, "sso_provider_deleted", id, nil)
	})
}

// SetSSOPolicy requires single sign-on for the organisation (or not), with
// one administrator who may still sign in with a password.
func (s *Accounts) SetSSOPolicy(ctx context.Context, a *access.Actor, required bool, breakGlass string) error {
	ctx = scoped(ctx, a)
	if err := s.authorize(a, incident.ActManageUsers); err != nil {
		return err
	}
	pol := store.SSOPolicy{Required: required}
	errs := apperr.FieldErrors{}
	if breakGlass != "" {
		id, err := strconv.ParseInt(breakGlass, 10, 64)
		if err != nil {
			errs.Add("break_glass", "Kies een beheerder uit de lijst.")
		}
		pol.BreakGlass = id
	}
	if required && pol.BreakGlass == 0 {
		errs.Add("break_glass", "Kies de beheerder die met een wachtwoord mag blijven inloggen, voor als de inlogdienst niet werkt.")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	now := s.d.Now()
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		if pol.BreakGlass != 0 {
			u, err := q.UserInOrg(ctx, a.OrganisationID, pol.BreakGlass)
			if err != nil || !u.Active || !slices.ContainsFunc(u.Grants, func(g access.Grant) bool { return g.Role == access.Admin }) {
				return &apperr.Error{Kind: apperr.Invalid, Message: "Kies een actieve beheerder van uw organisatie.",
					Fields: map[string]string{"break_glass": "Kies een actieve beheerder van uw organisatie."}}
			}
		}
		if required {
			ps, err := q.SSOProviders(ctx, a.OrganisationID)
			if err != nil {
				return err
			}
			if len(ps) == 0 {
				return &apperr.Error{Kind: apperr.Invalid, Message: "Stel eerst een inlogdienst in.",
					Fields: map[string]string{"required": "Stel eerst een inlogdienst in; anders kan niemand meer inloggen."}}
			}
		}
		if err := q.SetSSOPolicy(ctx, a.OrganisationID, pol); err != nil {
			return err
		}
		return q.Audit(ctx, a.OrganisationID, now, &a.UserID, "sso_policy", a.OrganisationID,
			map[string]any{"required": required, "break_glass": pol.BreakGlass})
	})
}

func isLoopback(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}

// SSORoute tells the sign-in page where an address signs in: the id of its
// domain's provider, or 0 for a password. An address of an account in
// another organisation than the domain's signs in with its password.
func (s *Accounts) SSORoute(ctx context.Context, email string) (int64, error) {
	ctx = store.System(ctx) // sign-in: the address names the provider and so the organisation (docs/security.md)
	email = normaliseEmail(email)
	_, domain, ok := strings.Cut(email, "@")
	if !ok || !validDomain(domain) {
		return 0, nil
	}
	p, err := s.d.Store.SSOProviderForDomain(ctx, domain)
	if apperr.Is(err, apperr.NotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	// A person with an account, but none in the domain's organisation, signs
	// in with their password (issue 11.3: one person, several organisations).
	if _, err := s.d.Store.PersonByEmail(ctx, email); err == nil {
		if _, err := s.d.Store.UserByEmailIn(ctx, email, p.OrganisationID); apperr.Is(err, apperr.NotFound) {
			return 0, nil
		} else if err != nil {
			return 0, err
		}
	} else if !apperr.Is(err, apperr.NotFound) {
		return 0, err
	}
	return p.ID, nil
}

// SSOStart is what the browser needs to go to the provider, and what the
// caller keeps (in the server-side session) to check the way back.
type SSOStart struct {
	ProviderID             int64
	AuthURL                string
	State, Nonce, Verifier string
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// errSSOProviderDown is the page for a provider that does not answer.
func errSSOProviderDown(name string) error {
	return apperr.Newf(apperr.Unavailable, "De inlogdienst van uw school (%s) is op dit moment niet bereikbaar. Probeer het over een paar minuten opnieuw. Lukt het dan nog niet, neem contact op met de ICT-afdeling of de beheerder van Lekwacht in uw organisatie.", name)
}

// BeginSSO prepares the redirect to a provider: fresh state, nonce and PKCE
// verifier; loginHint (an e-mail address or "") is passed on.
func (s *Accounts) BeginSSO(ctx context.Context, providerID int64, loginHint string) (SSOStart, error) {
	ctx = store.System(ctx) // sign-in: the provider of the address, before the organisation is known (docs/security.md)
	p, err := s.d.Store.SSOProviderByID(ctx, providerID)
	if err != nil {
		return SSOStart{}, err
	}
	op, err := oidc.NewProvider(s.ssoClient(ctx), p.Issuer)
	if err != nil {
		s.d.Logger.Warn("sso discovery failed", "provider_id", p.ID, "err", err)
		return SSOStart{}, errSSOProviderDown(p.Name)
	}
	st := SSOStart{ProviderID: p.ID, State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier()}
	conf := s.oauthConfig(p, op, "")
	opts := []oauth2.AuthCodeOption{oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier)}
	if loginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", normaliseEmail(loginHint)))
	}
	st.AuthURL = conf.AuthCodeURL(st.State, opts...)
	return st, nil
}

func (s *Accounts) oauthConfig(p store.SSOProvider, op *oidc.Provider, secret string) *oauth2.Config {
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: secret, Endpoint: op.Endpoint(),
		RedirectURL: s.d.BaseURL + SSOCallbackPath, Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// SSOCallback is what came back from the provider, and what the session
// kept from BeginSSO.
type SSOCallback struct {
	ProviderID                int64
	WantState, State          string
	Nonce, Verifier           string
	Code, Error, ErrorMessage string
}

var errSSOState = apperr.New(apperr.Invalid,
	"Deze inlogpoging is verlopen of al gebruikt. Ga terug naar de inlogpagina en probeer het opnieuw.")

// CompleteSSO finishes a sign-in at the provider: the state must be the one
// this browser was sent with (the caller removes it, so it works once); the
// code is exchanged with the PKCE verifier; the ID token's signature,
// issuer, audience (the client id), expiry and nonce are checked; the
// address must be of one of the provider's domains and verified when the
// provider says. An unknown address gets an account without roles.
func (s *Accounts) CompleteSSO(ctx context.Context, cb SSOCallback) (SignInResult, error) {
	ctx = store.System(ctx) // sign-in: the provider's answer names the organisation (docs/security.md)
	if cb.WantState == "" || subtle.ConstantTimeCompare([]byte(cb.WantState), []byte(cb.State)) != 1 {
		return SignInResult{}, errSSOState
	}
	p, err := s.d.Store.SSOProviderByID(ctx, cb.ProviderID)
	if err != nil {
		return SignInResult{}, err
	}
	if cb.Error != "" {
		s.d.Logger.Info("sso refused by provider", "provider_id", p.ID, "error", safeCode(cb.Error))
		return SignInResult{}, apperr.Newf(apperr.Unauthenticated, "De inlogdienst van uw school (%s) heeft het inloggen niet toegestaan. Probeer het opnieuw; lukt het niet, vraag de ICT-afdeling of uw account Lekwacht mag gebruiken.", p.Name)
	}
	if cb.Code == "" || len(cb.Code) > 4096 {
		return SignInResult{}, errSSOState
	}
	cctx, cancel := context.WithTimeout(s.ssoClient(ctx), ssoTimeout)
	defer cancel()
	op, err := oidc.NewProvider(cctx, p.Issuer)
	if err != nil {
		s.d.Logger.Warn("sso discovery failed", "provider_id", p.ID, "err", err)
		return SignInResult{}, errSSOProviderDown(p.Name)
	}
	secret, err := unseal(s.d.SecretKey, p.OrganisationID, p.ClientSecret)
	if err != nil {
		return SignInResult{}, fmt.Errorf("sso provider %d: %w", p.ID, err)
	}
	tok, err := s.oauthConfig(p, op, secret).Exchange(cctx, cb.Code, oauth2.VerifierOption(cb.Verifier))
	if err != nil {
		// Never the error text: a provider may echo what it was sent.
		code := ""
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			code = safeCode(re.ErrorCode)
		}
		s.d.Logger.Warn("sso token exchange failed", "provider_id", p.ID, "error_code", code)
		return SignInResult{}, errSSOFailed(p.Name)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		s.d.Logger.Warn("sso answer without id_token", "provider_id", p.ID)
		return SignInResult{}, errSSOFailed(p.Name)
	}
	idt, err := op.Verifier(&oidc.Config{ClientID: p.ClientID, Now: s.d.Now}).Verify(cctx, raw)
	if err != nil {
		s.d.Logger.Warn("sso id token refused", "provider_id", p.ID, "reason", verifyReason(err))
		return SignInResult{}, errSSOFailed(p.Name)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(cb.Nonce)) != 1 || cb.Nonce == "" {
		s.d.Logger.Warn("sso id token refused", "provider_id", p.ID, "reason", "nonce")
		return SignInResult{}, errSSOFailed(p.Name)
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
		Name          string `json:"name"`
		Preferred     string `json:"preferred_username"`
	}
	if err := idt.Claims(&claims); err != nil {
		return SignInResult{}, errSSOFailed(p.Name)
	}
	email := normaliseEmail(claims.Email)
	if email == "" && strings.Contains(claims.Preferred, "@") {
		// Entra ID names the account in preferred_username when no mail is set.
		email = normaliseEmail(claims.Preferred)
	}
	_, domain, _ := strings.Cut(email, "@")
	if email == "" || !slices.Contains(p.Domains, domain) || (claims.EmailVerified != nil && !*claims.EmailVerified) {
		s.d.Logger.Info("sso address refused", "provider_id", p.ID, "reason", "domain or unverified")
		return SignInResult{}, apperr.Newf(apperr.Forbidden,
			"Met dit account kunt u niet via %s inloggen: het e-mailadres hoort niet bij een domein dat uw organisatie voor deze inlogdienst heeft ingesteld. Log in met het account van uw school, of vraag de beheerder van Lekwacht het domein toe te voegen.", p.Name)
	}
	return s.ssoAccount(ctx, p, email, claims.Name)
}

func errSSOFailed(name string) error {
	return apperr.Newf(apperr.Unauthenticated, "Inloggen via %s is niet gelukt: Lekwacht kon het antwoord van de inlogdienst niet controleren. Probeer het opnieuw vanaf de inlogpagina. Gebeurt dit steeds, meld het dan aan de beheerder van Lekwacht in uw organisatie.", name)
}

// verifyReason names why go-oidc refused a token, without its content.
func verifyReason(err error) string {
	var exp *oidc.TokenExpiredError
	switch m := err.Error(); {
	case errors.As(err, &exp):
		return "expired"
	case strings.Contains(m, "audience"):
		return "audience"
	case strings.Contains(m, "signature"):
		return "signature"
	case strings.Contains(m, "issuer") || strings.Contains(m, "issued by"):
		return "issuer"
	case strings.Contains(m, "malformed"):
		return "malformed"
	}
	return "other"
}

// safeCode keeps an OAuth error code only when it looks like one.
func safeCode(c string) string {
	if len(c) > 40 {
		return "(long)"
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r == '_') {
			return "(other)"
		}
	}
	return c
}

// ssoAccount signs in (or first creates) the account of a checked address.
func (s *Accounts) ssoAccount(ctx context.Context, p store.SSOProvider, email, name string) (SignInResult, error) {
	refuse := func(id int64) (SignInResult, error) {
		s.d.Logger.Info("sso account refused", "provider_id", p.ID, "user_id", id, "reason", "other organisation or inactive")
		return SignInResult{}, apperr.New(apperr.Forbidden, "Dit account kan niet via deze inlogdienst inloggen. Vraag de beheerder van Lekwacht in uw organisatie om hulp.")
	}
	u, err := s.d.Store.UserByEmailIn(ctx, email, p.OrganisationID)
	switch {
	case apperr.Is(err, apperr.NotFound):
		// A person of another organisation is made a member here by an
		// administrator, not by a sign-in (issue 11.3).
		if other, err := s.d.Store.UserByEmail(ctx, email); err == nil {
			return refuse(other.ID)
		} else if !apperr.Is(err, apperr.NotFound) {
			return SignInResult{}, err
		}
		name = strings.TrimSpace(name)
		if n := utf8.RuneCountInString(name); n == 0 || n > 200 {
			name, _, _ = strings.Cut(email, "@")
		}
		now := s.d.Now()
		err = transact(ctx, s.d.Store, func(q *store.Queries) error {
			var err error
			if u.ID, err = q.CreateUser(ctx, p.OrganisationID, email, name); err != nil {
				return err
			}
			return s.eventSSOAccountCreated(ctx, q, p, u.ID, now)
		})
		if err != nil {
			return SignInResult{}, err
		}
	case err != nil:
		return SignInResult{}, err
	case !u.Active:
		return refuse(u.ID)
	}
	a, version, err := s.d.Store.Actor(ctx, u.ID)
	if err != nil {
		return SignInResult{}, err
	}
	if err := s.eventSignedIn(ctx, a, "sso"); err != nil {
		return SignInResult{}, err
	}
	return SignInResult{Step: SignedIn, UserID: a.UserID, Actor: a, Version: version}, nil
}

// passwordAllowed refuses a password sign-in for an organisation that
// requires single sign-on, except for its break-glass administrator.
func (s *Accounts) passwordAllowed(ctx context.Context, u store.User) error {
	pol, err := s.d.Store.SSOPolicy(ctx, u.OrganisationID)
	if err != nil {
		return err
	}
	if pol.Required && pol.BreakGlass != u.ID {
		return apperr.New(apperr.Unauthenticated, "Uw organisatie logt in via de inlogdienst van uw school, niet met een wachtwoord van Lekwacht. Vul op de inlogpagina alleen uw e-mailadres in en kies ‘Verder’.")
	}
	return nil
}

// DemoSSODomain is the e-mail domain of the demo organisation's demo
// provider (make run).
const DemoSSODomain = "sso.demo.lekwacht.nl"

// SeedDemoSSO configures the demo provider (issuer, client id, secret) for
// DemoSSODomain in the demo organisation, or moves it to a new issuer (the
// demo provider's port changes each run). For `lekwacht demo` only.
func (s *Services) SeedDemoSSO(ctx context.Context, issuer, clientID, secret string) error {
	ctx = store.System(ctx) // demo seeding (docs/security.md)
	d := s.d
	org, err := d.Store.OrganisationByName(ctx, DemoOrganisation)
	if err != nil {
		return err
	}
	sealed, err := seal(d.SecretKey, org.ID, secret)
	if err != nil {
		return err
	}
	p := store.SSOProvider{OrganisationID: org.ID, Name: "Demo-inlogdienst", Issuer: issuer, ClientID: clientID,
		ClientSecret: sealed, Domains: []string{DemoSSODomain}}
	if old, err := d.Store.SSOProviderForDomain(ctx, DemoSSODomain); err == nil && old.OrganisationID == org.ID {
		p.ID = old.ID
	}
	return transact(ctx, d.Store, func(q *store.Queries) error {
		_, err := q.SaveSSOProvider(ctx, p, d.Now())
		return err
	})
}
