package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	notifymail "github.com/lekwacht/lekwacht/internal/mail"
	"github.com/lekwacht/lekwacht/internal/store"
)

// One person, several organisations (issue 11.3). A person (people) has a
// membership (users) per organisation, each with its own roles; they act as
// one membership at a time, the one their session names, and every query
// stays within its organisation. Switching moves the session to another
// membership of the same person; the start page "Al mijn organisaties"
// gathers the open cases of every board they are FG of.

// Security-log actions of memberships.
const (
	AuditMemberAdded          = "member_added"          // an existing person became a member
	AuditOrganisationSwitched = "organisation_switched" // the person now works in this organisation
)

// errManagedElsewhere refuses what only the person's home organisation may
// do to their sign-in (a password link, resetting the second factor): an
// administrator of one board must not take over how the person signs in to
// another.
var errManagedElsewhere = apperr.New(apperr.Forbidden,
	"Deze persoon heeft een account via een andere organisatie; die beheert het wachtwoord en de tweestapsverificatie. De persoon kan zelf een nieuw wachtwoord aanvragen bij de beheerder daar.")

// mailMembership tells an existing person that they were added to a's
// organisation, in q's transaction.
func (s *Accounts) mailMembership(ctx context.Context, q *store.Queries, a *access.Actor, userID int64, email, name string) error {
	subject := "U bent toegevoegd aan " + a.Organisation + " in Lekwacht"
	return s.d.mailAccount(ctx, q, a.OrganisationID, userID, email, "member_added", fmt.Sprintf("member_added:%d", userID), subject,
		notifymail.Content{
			Greeting: "Beste " + name + ",",
			Paragraphs: []string{
				"De beheerder van " + a.Organisation + " heeft u toegevoegd aan deze organisatie in Lekwacht, waarmee scholen beveiligingsincidenten en datalekken melden en afhandelen.",
				"U logt in zoals u gewend bent, met hetzelfde e-mailadres, wachtwoord en dezelfde tweestapsverificatie. Bovenaan elke pagina kiest u in welke organisatie u werkt.",
				"Hebt u dit niet verwacht? Neem dan contact op met de beheerder van " + a.Organisation + ".",
			},
			LinkText: "Naar Lekwacht",
			Link:     s.d.BaseURL + "/",
			Footer:   "U krijgt dit bericht van Lekwacht omdat de beheerder van " + a.Organisation + " uw account in die organisatie beheert.",
		})
}

// memberActor loads the person's membership userID as an actor, in the
// system scope (a person's memberships span organisations, docs/security.md);
// NotFound when it is switched off or belongs to another person than personID.
func (d Deps) memberActor(ctx context.Context, personID, userID int64) (*access.Actor, int, error) {
	b, version, err := d.Store.Actor(store.System(ctx), userID)
	if err != nil {
		return nil, 0, err
	}
	if b.PersonID != personID {
		return nil, 0, apperr.NotFoundf("U bent geen lid van deze organisatie.")
	}
	return b, version, nil
}

// needsNewSignIn: a session that signed in with a password alone (method)
// may not reach a membership whose roles need a second factor.
func needsNewSignIn(method string, b *access.Actor) bool {
	return method == "password" && access.RequiresSecondFactor(b.Grants)
}

// workIn records, in b's organisation and one transaction, that the person
// works in membership b now: where the next sign-in lands, and the security
// log's row of the switch.
func (d Deps) workIn(ctx context.Context, b *access.Actor, details map[string]any) error {
	now := d.Now()
	return transact(scoped(ctx, b), d.Store, func(q *store.Queries) error {
		if err := q.WorkIn(ctx, b.UserID); err != nil {
			return err
		}
		return audit(ctx, q, b.OrganisationID, now, &b.UserID, AuditOrganisationSwitched, b.UserID, details)
	})
}

// SwitchOrganisation moves the person of a to their membership userID: the
// actor and auth version the session takes on. method is how the session
// signed in ("password", "password+totp", "sso"). A membership the person
// does not hold, or that was switched off, is NotFound.
func (s *Accounts) SwitchOrganisation(ctx context.Context, a *access.Actor, userID int64, method string) (*access.Actor, int, error) {
	if a == nil {
		return nil, 0, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	if !slices.ContainsFunc(a.Memberships, func(m access.Membership) bool { return m.UserID == userID }) {
		return nil, 0, apperr.NotFoundf("U bent geen lid van deze organisatie.")
	}
	b, version, err := s.d.memberActor(ctx, a.PersonID, userID)
	if err != nil {
		return nil, 0, err
	}
	if needsNewSignIn(method, b) {
		// The roles changed since the sign-in, which did not ask for a code.
		return nil, 0, apperr.New(apperr.Forbidden, "Voor uw rol bij "+b.Organisation+" is tweestapsverificatie nodig. Log uit en weer in; u stelt dan de app voor de code in.")
	}
	if err := s.d.workIn(ctx, b, nil); err != nil {
		return nil, 0, err
	}
	b.Memberships = a.Memberships
	return b, version, nil
}

// AllOrganisationsLimit is how many open cases of one organisation "Al mijn
// organisaties" lists at most.
const AllOrganisationsLimit = 200

// openStatuses are the steps of a case that is not closed.
var openStatuses = slices.DeleteFunc(slices.Clone(incident.Statuses), func(st incident.Status) bool { return st == incident.StatusClosed })

// AllMyOrganisations lists every open case of every organisation where the
// person of a is FG, ordered by the nearest deadline, each with its board
// (issue 11.3). Each organisation is read as the person's membership of it,
// in its own scope: the tenant filter holds per query. Organisations where
// the person is not FG are left out.
func (s *Incidents) AllMyOrganisations(ctx context.Context, a *access.Actor) (incident.OrganisationsWork, error) {
	var out incident.OrganisationsWork
	if a == nil {
		return out, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	now := s.d.Now()
	for _, m := range a.Memberships {
		if !m.Officer {
			continue
		}
		b, _, err := s.d.memberActor(ctx, a.PersonID, m.UserID)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return out, err
		}
		if !b.Has(access.Officer) {
			continue
		}
		bctx := scoped(ctx, b)
		pages, err := s.d.Store.WorkPages(bctx, b.OrganisationID, []store.WorkList{{
			Filter: store.WorkFilter{Scope: b.ScopeFor(access.Officer), Statuses: openStatuses},
			Limit:  AllOrganisationsLimit,
		}})
		if err != nil {
			return out, err
		}
		p := pages[0]
		out.Boards = append(out.Boards, incident.OrganisationCount{Organisation: b.Organisation, MemberID: b.UserID,
			Open: min(p.Total, store.WorkCountCap), More: p.Total > store.WorkCountCap, Shown: len(p.Items)})
		for _, it := range p.Items {
			s.fillDeadlines(&it, now)
			out.Cases = append(out.Cases, incident.OrganisationCase{WorkItem: it, Organisation: b.Organisation, MemberID: b.UserID})
		}
	}
	slices.SortStableFunc(out.Cases, func(x, y incident.OrganisationCase) int {
		if c := compareDeadlines(x.Deadlines, y.Deadlines); c != 0 {
			return c
		}
		return strings.Compare(x.Organisation, y.Organisation)
	})
	return out, nil
}

// CaseElsewhere finds, for a case that does not exist in the organisation a
// works in, another of the person's memberships in which they may open it
// (a link from a mail of another board, issue 11.3). ok is false when there
// is none: the case stays "not found", whether it exists or not.
func (s *Incidents) CaseElsewhere(ctx context.Context, a *access.Actor, caseID int64) (m access.Membership, ok bool, err error) {
	if a == nil {
		return m, false, nil
	}
	for _, m := range a.Memberships {
		if m.UserID == a.UserID {
			continue
		}
		b, _, err := s.d.memberActor(ctx, a.PersonID, m.UserID)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return m, false, err
		}
		_, err = s.Case(ctx, b, caseID)
		switch {
		case err == nil:
			return m, true, nil
		case apperr.Is(err, apperr.NotFound), apperr.Is(err, apperr.Forbidden):
			continue
		default:
			return m, false, err
		}
	}
	return m, false, nil
}

// FallBack moves a session whose membership userID was switched off (or
// removed) to another active membership of the same person, the one worked
// in last first (issue 11.3: removal from one board takes effect at the next
// request, and leaves the person's other boards as they were). method is how
// the session signed in: a membership whose roles need a second factor is
// not reached after a password alone. NotFound when there is none.
func (s *Accounts) FallBack(ctx context.Context, userID int64, method string) (*access.Actor, int, error) {
	ctx = store.System(ctx) // the session names a membership that is gone; the person's others span organisations (docs/security.md)
	others, err := s.d.Store.PersonMemberships(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	for _, o := range others {
		b, version, err := s.d.Store.Actor(ctx, o.ID)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		if needsNewSignIn(method, b) {
			continue
		}
		if err := s.d.workIn(ctx, b, map[string]any{"reason": "membership ended"}); err != nil {
			return nil, 0, err
		}
		return b, version, nil
	}
	return nil, 0, apperr.NotFoundf("Dit account bestaat niet of is uitgeschakeld.")
}
