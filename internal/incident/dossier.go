package incident

import "github.com/lekwacht/lekwacht/internal/access"

// ActViewDossier is reading the dossier of one case: everything recorded
// about it in every step, as the officer shows it to the AP or the board.
const ActViewDossier Action = "view_dossier"

// CanViewDossier reports whether the actor may read the whole dossier of
// case c, in any status: the desk, officer and board of the case's
// organisation whose role covers the case's school (the readers of the
// register, see CanViewRegister and ReadScope). The reporter, an assigned
// technician and someone asked a question see their part of the case page,
// not the dossier. An administrator manages accounts and schools, not cases:
// the register is closed to them, and the dossier is a read of everything in
// it, so it is closed to them as well (unless they also hold a reading role).
func CanViewDossier(a *access.Actor, c *Case) bool {
	if a == nil || c == nil || a.UserID == 0 || a.OrganisationID != c.OrganisationID {
		return false
	}
	return ReadScope(a).Covers(c.SchoolID)
}
