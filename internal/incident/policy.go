package incident

import "github.com/lekwacht/lekwacht/internal/access"

// Action is something an actor may want to do; the policies below decide.
// Services check them; pages use the same predicates to hide what would be
// refused anyway.
type Action string

// Actions of the foundation.
const (
	ActReport        Action = "report"         // submit a report (any user)
	ActViewOwn       Action = "view_own"       // Mijn meldingen
	ActViewInbox     Action = "view_inbox"     // the desk inbox
	ActViewCase      Action = "view_case"      // open one case
	ActManageUsers   Action = "manage_users"   // accounts and roles
	ActManageSchools Action = "manage_schools" // schools of the organisation
)

// caseReaders are the roles that may read every case in their scope.
var caseReaders = []access.Role{access.Desk, access.Officer, access.Board}

// Can reports whether the actor may perform an action that does not concern
// one particular case.
func Can(a *access.Actor, act Action) bool {
	if a == nil || a.UserID == 0 {
		return false
	}
	switch act {
	case ActReport, ActViewOwn:
		return true
	case ActViewInbox:
		return a.Has(access.Desk)
	case ActManageUsers, ActManageSchools:
		return a.HasOrgWide(access.Admin)
	}
	return false
}

// CanView reports whether the actor may read case c: its reporter always; the
// desk, officer and board of the same organisation when their role covers
// the case's school. Administrators manage accounts, not cases.
func CanView(a *access.Actor, c *Case) bool { return CanViewWith(a, c, Relation{}) }

// CanViewWith is CanView for an actor who may also relate to the case as its
// assigned technician or as the addressee of an open question.
func CanViewWith(a *access.Actor, c *Case, rel Relation) bool {
	if a == nil || c == nil || a.OrganisationID != c.OrganisationID {
		return false
	}
	if c.ReportedBy(a.UserID) || rel.OpenQuestion || (rel.AssignedTechnician && a.Has(access.Technician)) {
		return true
	}
	for _, r := range caseReaders {
		if a.ScopeFor(r).Covers(c.SchoolID) {
			return true
		}
	}
	return false
}

// ReadScope is the union of the actor's scopes over the roles that read
// cases: what an overview of the organisation's cases may show them.
func ReadScope(a *access.Actor) access.Scope {
	var s access.Scope
	for _, r := range caseReaders {
		rs := a.ScopeFor(r)
		if rs.All {
			return rs
		}
		s.Schools = append(s.Schools, rs.Schools...)
	}
	return s
}
