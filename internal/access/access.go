// Package access knows who is acting: the roles a user holds in an
// organisation, the schools a role is limited to, and the Actor that every
// service call receives. It holds no policy about cases; that lives in
// package incident.
package access

import (
	"context"
	"slices"
)

// Role is a responsibility a user holds in an organisation. Every user is a
// reporter; that is not a role that is granted.
type Role string

// The roles of the protocols (seed 000) plus the administrator.
const (
	Desk       Role = "desk"       // Meldpunt: the servicedesk
	Officer    Role = "officer"    // Melder: FG or privacy officer
	Technician Role = "technician" // Technicus: security officer / ICT
	Board      Role = "board"      // directie / bestuurder
	Admin      Role = "admin"      // beheerder of accounts and schools
)

// Roles lists every grantable role in display order.
var Roles = []Role{Desk, Officer, Technician, Board, Admin}

// Label is the Dutch name shown in the interface.
func (r Role) Label() string {
	switch r {
	case Desk:
		return "Meldpunt"
	case Officer:
		return "FG / privacy officer"
	case Technician:
		return "Technicus"
	case Board:
		return "Directie / bestuur"
	case Admin:
		return "Beheerder"
	}
	return string(r)
}

// Grant is one role, either for the whole organisation (Schools empty) or
// limited to the listed schools.
type Grant struct {
	Role    Role
	Schools []int64 // empty: all schools of the organisation
}

// Actor is the signed-in user on whose behalf a service acts.
type Actor struct {
	UserID         int64 // the membership (users.id) the person acts as
	PersonID       int64 // the person (people.id), the same in every organisation
	OrganisationID int64
	Organisation   string
	Name           string
	Email          string
	Grants         []Grant
	// Memberships are the person's active memberships, this one included,
	// ordered by organisation name (issue 11.3): the menu offers to switch
	// when there is more than one. Filled for the signed-in actor only.
	Memberships []Membership
}

// Membership is a person's account in one organisation.
type Membership struct {
	UserID         int64  `json:"user"`
	OrganisationID int64  `json:"org"`
	Organisation   string `json:"name"`
	Officer        bool   `json:"officer"` // the person is FG there
}

// OfficerOfSeveral reports whether the actor is FG in more than one of
// their organisations: their start page is then "Al mijn organisaties".
func (a *Actor) OfficerOfSeveral() bool {
	if a == nil {
		return false
	}
	n := 0
	for _, m := range a.Memberships {
		if m.Officer {
			n++
		}
	}
	return n > 1
}

// Has reports whether the actor holds role r for at least some schools.
func (a *Actor) Has(r Role) bool {
	if a == nil {
		return false
	}
	for _, g := range a.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// HasOrgWide reports whether the actor holds role r for every school.
func (a *Actor) HasOrgWide(r Role) bool {
	if a == nil {
		return false
	}
	for _, g := range a.Grants {
		if g.Role == r && len(g.Schools) == 0 {
			return true
		}
	}
	return false
}

// Scope is the set of schools for which the actor holds role r: All is true
// when the role is not limited; otherwise Schools lists them. A zero Scope
// means the actor does not hold the role.
type Scope struct {
	All     bool
	Schools []int64
}

// None reports whether the scope covers nothing.
func (s Scope) None() bool { return !s.All && len(s.Schools) == 0 }

// Covers reports whether the scope includes a case of the given school.
// Cases without a school (the board's office, or unknown) are covered only by
// an organisation-wide role.
func (s Scope) Covers(schoolID *int64) bool {
	if s.All {
		return true
	}
	if schoolID == nil {
		return false
	}
	return slices.Contains(s.Schools, *schoolID)
}

// ScopeFor returns where the actor holds role r.
func (a *Actor) ScopeFor(r Role) Scope {
	var s Scope
	if a == nil {
		return s
	}
	for _, g := range a.Grants {
		if g.Role != r {
			continue
		}
		if len(g.Schools) == 0 {
			return Scope{All: true}
		}
		for _, id := range g.Schools {
			if !slices.Contains(s.Schools, id) {
				s.Schools = append(s.Schools, id)
			}
		}
	}
	return s
}

// RoleList returns the roles the actor holds, in display order.
func (a *Actor) RoleList() []Role {
	var out []Role
	for _, r := range Roles {
		if a.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

type ctxKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

// ActorFrom returns the actor in ctx, or nil when nobody is signed in.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(ctxKey{}).(*Actor)
	return a
}

// School is one school of an organisation.
type School struct {
	ID             int64
	OrganisationID int64
	Name           string
}

// Account is a user as administrators see it.
type Account struct {
	ID          int64
	Email       string
	Name        string
	HasPassword bool
	Active      bool
	Grants      []Grant
	// HomeElsewhere: the person was added from another organisation, which
	// manages their password and second factor (issue 11.3).
	HomeElsewhere bool
}

type addrKey struct{}

// WithAddress returns a context carrying the address (IP) the request came
// from, for the security log.
func WithAddress(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, addrKey{}, addr)
}

// AddressFrom returns the request's address, or "" outside a request (the
// command line, jobs).
func AddressFrom(ctx context.Context) string {
	s, _ := ctx.Value(addrKey{}).(string)
	return s
}

// SecondFactorRoles are the roles that see every breach of a school or
// board, or manage who may: whoever holds one and signs in with a password
// must use a second factor (issue 11).
var SecondFactorRoles = []Role{Desk, Officer, Board, Admin}

// RequiresSecondFactor reports whether grants hold a role of SecondFactorRoles.
func RequiresSecondFactor(grants []Grant) bool {
	for _, g := range grants {
		if slices.Contains(SecondFactorRoles, g.Role) {
			return true
		}
	}
	return false
}
