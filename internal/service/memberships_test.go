package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
)

// memberOfBoth makes the person fg@example.nl of organisation A (officer
// there) a member of B too, the way an administrator of B does it: by
// address, with roles. It returns the membership of B.
func (e *env) memberOfBoth(grantsB ...access.Grant) int64 {
	e.t.Helper()
	f := service.UserForm{Email: "officer@example.nl", Name: "FG van beide", Active: true,
		Roles: map[access.Role]string{}, Schools: map[access.Role][]string{}}
	for _, g := range grantsB {
		f.Roles[g.Role] = "all"
	}
	id, link, err := e.svc.Accounts.CreateUser(e.ctx, e.actors["admin_b"], f)
	if err != nil {
		e.t.Fatal(err)
	}
	if link != "" {
		e.t.Fatalf("adding an existing person gave a password link %q; the person already has a password", link)
	}
	return id
}

// Issue 11.3: one person, several organisations. An administrator of B adds
// the address of a person of A: one person, two memberships, each with its
// own roles; the address is unique per person, not per organisation.
func TestOnePersonTwoMemberships(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officerA := e.actors["officer"]
	idB := e.memberOfBoth(access.Grant{Role: access.Officer}, access.Grant{Role: access.Desk})
	if idB == officerA.UserID {
		t.Fatal("the membership of B is the membership of A")
	}
	if n := e.count(`SELECT count(*) FROM people WHERE email = 'officer@example.nl'`); n != 1 {
		t.Fatalf("%d people with the address, want 1", n)
	}
	if n := e.count(`SELECT count(DISTINCT person_id) FROM users WHERE email = 'officer@example.nl'`); n != 1 {
		t.Fatalf("the two memberships belong to %d people, want 1", n)
	}
	// The mail to the person names the organisation that added them; no link.
	if n := e.count(`SELECT count(*) FROM mail_messages WHERE kind = 'member_added' AND recipient = 'officer@example.nl'
		AND subject LIKE '%Bestuur B%' AND text_body NOT LIKE '%/wachtwoord/%'`); n != 1 {
		t.Errorf("%d mails about the new membership naming Bestuur B without a password link, want 1", n)
	}
	// Adding the same address twice to B is refused beside the field.
	f := service.UserForm{Email: "officer@example.nl", Name: "Nog eens", Active: true, Roles: map[access.Role]string{}, Schools: map[access.Role][]string{}}
	_, _, err := e.svc.Accounts.CreateUser(e.ctx, e.actors["admin_b"], f)
	if fe, ok := apperr.As(err); !ok || fe.Kind != apperr.Invalid || fe.Fields["email"] == "" {
		t.Errorf("the same address twice in B: %v, want a message beside the e-mail field", err)
	}

	// Each membership has its own roles; the actor lists both organisations.
	a, _, err := e.svc.Accounts.Actor(e.ctx, officerA.UserID)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := e.svc.Accounts.Actor(e.ctx, idB)
	if err != nil {
		t.Fatal(err)
	}
	if a.OrganisationID != e.orgA || b.OrganisationID != e.orgB || a.PersonID != b.PersonID || a.PersonID == 0 {
		t.Fatalf("memberships: A %+v, B %+v", a, b)
	}
	if a.Has(access.Desk) || !b.Has(access.Desk) || !b.Has(access.Officer) {
		t.Errorf("roles leak between memberships: A %v, B %v", a.Grants, b.Grants)
	}
	if len(a.Memberships) != 2 || len(b.Memberships) != 2 || !a.OfficerOfSeveral() {
		t.Errorf("memberships listed: A %v, B %v", a.Memberships, b.Memberships)
	}

	// B's administrator sees the member, not their other membership, and
	// may not take over how they sign in.
	users, err := e.svc.Accounts.Users(e.ctx, e.actors["admin_b"])
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, u := range users {
		if u.ID == idB {
			found = true
			if !u.HomeElsewhere {
				t.Errorf("B's list shows the member as %+v, want managed elsewhere", u)
			}
		}
		if u.ID == officerA.UserID {
			t.Error("B's administrator sees the membership of A")
		}
	}
	if !found {
		t.Error("B's administrator does not see the new member")
	}
	if _, err := e.svc.Accounts.NewPasswordLink(e.ctx, e.actors["admin_b"], idB); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("B's administrator made a password link for a person of A: %v", err)
	}
	if err := e.svc.Accounts.ResetSecondFactor(e.ctx, e.actors["admin_b"], idB); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("B's administrator reset the second factor of a person of A: %v", err)
	}
	if _, err := e.svc.Accounts.User(e.ctx, e.actors["admin_b"], officerA.UserID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("B's administrator opened the membership of A: %v", err)
	}
	// A's administrator still may.
	if _, err := e.svc.Accounts.NewPasswordLink(e.ctx, e.actors["admin"], officerA.UserID); err != nil {
		t.Errorf("A's administrator cannot make a password link for their own person: %v", err)
	}
}

// Switching: only to a membership of the same person that is active; the
// next sign-in lands where the person worked last; a role that needs a
// second factor is not reached after a password alone.
func TestSwitchOrganisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	idB := e.memberOfBoth(access.Grant{Role: access.Officer})
	a, _, err := e.svc.Accounts.Actor(e.ctx, e.actors["officer"].UserID)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := e.svc.Accounts.SwitchOrganisation(e.ctx, a, idB, "password+totp")
	if err != nil {
		t.Fatal(err)
	}
	if b.OrganisationID != e.orgB || b.UserID != idB {
		t.Fatalf("switched to %+v, want the membership of B", b)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE organisation_id = $1 AND action = 'organisation_switched' AND subject_id = $2`, e.orgB, idB); n != 1 {
		t.Errorf("%d security-log rows of the switch in B, want 1", n)
	}
	// Someone else's membership, or one of another person: not found.
	for _, other := range []int64{e.actors["desk_b"].UserID, e.actors["admin"].UserID, 999999} {
		if _, _, err := e.svc.Accounts.SwitchOrganisation(e.ctx, a, other, "password+totp"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("switch to membership %d of someone else: %v, want NotFound", other, err)
		}
	}
	// A forged actor whose memberships list another person's: the store's
	// check of the person refuses it all the same.
	forged := *a
	forged.Memberships = append(forged.Memberships, access.Membership{UserID: e.actors["desk_b"].UserID, OrganisationID: e.orgB})
	if _, _, err := e.svc.Accounts.SwitchOrganisation(e.ctx, &forged, e.actors["desk_b"].UserID, "password+totp"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("a forged membership list let a person switch into someone else's account: %v", err)
	}
	// The next sign-in lands in B, where the person worked last.
	u, err := e.store.UserByEmail(e.sys, "officer@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != idB {
		t.Errorf("the next sign-in lands in membership %d, want B's %d", u.ID, idB)
	}
	// A session that signed in with a password alone does not reach an FG role.
	if _, _, err := e.svc.Accounts.SwitchOrganisation(e.ctx, a, idB, "password"); !apperr.Is(err, apperr.Forbidden) ||
		!strings.Contains(err.Error(), "tweestapsverificatie") {
		t.Errorf("a password-only session switched to an FG role: %v", err)
	}
	// A membership switched off in B cannot be switched to.
	bAdmin := e.actors["admin_b"]
	if err := e.svc.Accounts.UpdateUser(e.ctx, bAdmin, idB, service.UserForm{Name: "FG van beide", Active: false,
		Roles: map[access.Role]string{}, Schools: map[access.Role][]string{}}); err != nil {
		t.Fatal(err)
	}
	a, _, err = e.svc.Accounts.Actor(e.ctx, e.actors["officer"].UserID)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Memberships) != 1 {
		t.Errorf("after B switched the membership off the person still lists %v", a.Memberships)
	}
	if _, _, err := e.svc.Accounts.SwitchOrganisation(e.ctx, a, idB, "password+totp"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("switch to a membership switched off: %v", err)
	}
	// A's membership still signs in, and now lands in A again.
	if u, err := e.store.UserByEmail(e.sys, "officer@example.nl"); err != nil || u.ID != e.actors["officer"].UserID {
		t.Errorf("after B switched the membership off, sign-in lands in %d (%v), want A's", u.ID, err)
	}
}

// "Al mijn organisaties": every open case of every board where the person
// is FG, the nearest deadline first, each named; nothing of a board where
// they are a member without being FG.
func TestAllMyOrganisationsListsOnlyBoardsWhereFG(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	idB := e.memberOfBoth(access.Grant{Role: access.Officer})
	// A third organisation where the person is only desk.
	orgC := must(e.store.CreateOrganisation(e.sys, "Bestuur C"))
	must(e.store.CreateSchool(e.sys, orgC, "School C1"))
	adminC := e.user("admin_c", orgC, access.Grant{Role: access.Admin})
	staffC := e.user("staff_c", orgC)
	f := service.UserForm{Email: "officer@example.nl", Name: "Alleen meldpunt", Active: true,
		Roles: map[access.Role]string{access.Desk: "all"}, Schools: map[access.Role][]string{}}
	if _, _, err := e.svc.Accounts.CreateUser(e.ctx, adminC, f); err != nil {
		t.Fatal(err)
	}
	// A case in each: B's one reported an hour earlier (its 72 hours end first).
	caseB := must(e.svc.Incidents.Report(e.ctx, e.actors["desk_b"], e.form("Laptop gestolen bij B", 0))).ID
	e.clock.Add(time.Hour)
	caseA := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("USB-stick kwijt bij A", 0))).ID
	must(e.svc.Incidents.Report(e.ctx, staffC, e.form("Mail verkeerd verstuurd bij C", 0)))

	a, _, err := e.svc.Accounts.Actor(e.ctx, e.actors["officer"].UserID)
	if err != nil {
		t.Fatal(err)
	}
	w, err := e.svc.Incidents.AllMyOrganisations(e.ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Boards) != 2 || w.Boards[0].Organisation != "Bestuur A" || w.Boards[1].Organisation != "Bestuur B" {
		t.Fatalf("boards %+v, want A and B only (not C, where the person is desk)", w.Boards)
	}
	if len(w.Cases) != 2 {
		t.Fatalf("%d cases, want 2 (A's and B's): %+v", len(w.Cases), w.Cases)
	}
	if w.Cases[0].ID != caseB || w.Cases[0].Organisation != "Bestuur B" || w.Cases[0].MemberID != idB ||
		w.Cases[1].ID != caseA || w.Cases[1].Organisation != "Bestuur A" || w.Cases[1].MemberID != a.UserID {
		t.Errorf("cases in the wrong order or with the wrong board: %+v", w.Cases)
	}
	if len(w.Cases[0].Deadlines) == 0 {
		t.Error("no running deadline on a new case")
	}
	// Closed cases are not open: they leave the list.
	for _, c := range w.Cases {
		for _, m := range a.Memberships {
			if m.UserID == c.MemberID && m.Organisation != c.Organisation {
				t.Errorf("case %d named %s but opens as the membership of %s", c.ID, c.Organisation, m.Organisation)
			}
		}
	}
	// A person who is FG in one organisation only has no such page to land on.
	if e.actors["officer"].OfficerOfSeveral() {
		t.Error("the actor loaded before the person joined B counts as FG of several")
	}
}

// Mails name their organisation (issue 11.3): a person of several boards
// sees which one a mail is about, in the subject and in the footer.
func TestMailsNameTheOrganisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("USB-stick kwijt", 0)))
	n := e.count(`SELECT count(*) FROM mail_messages WHERE kind = 'case_reported'`)
	named := e.count(`SELECT count(*) FROM mail_messages WHERE kind = 'case_reported' AND subject LIKE '% · Bestuur A' AND text_body LIKE '%Organisatie: Bestuur A.%'`)
	if n == 0 || named != n {
		t.Errorf("%d of %d mails about a new report name Bestuur A in subject and footer", named, n)
	}
}

// A person of two boards signs in with a password to one that takes it when
// the board they worked in last requires single sign-on (issue 11.3); when
// neither takes it, the password is refused with the SSO message.
func TestPasswordSignInLandsWhereAPasswordIsTaken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff := e.actors["staff"]
	if _, _, err := e.svc.Accounts.CreateUser(e.ctx, e.actors["admin_b"], service.UserForm{Email: "staff@example.nl", Name: "Staf in B",
		Active: true, Roles: map[access.Role]string{}, Schools: map[access.Role][]string{}}); err != nil {
		t.Fatal(err)
	}
	link := must(e.svc.Accounts.NewPasswordLink(e.ctx, e.actors["admin"], staff.UserID))
	const pw = "een lange zin als wachtwoord"
	if _, err := e.svc.Accounts.SetPassword(e.ctx, tokenOf(link), pw, pw); err != nil {
		t.Fatal(err)
	}
	if res, err := e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", pw); err != nil || res.Actor == nil || res.Actor.OrganisationID != e.orgA {
		t.Fatalf("before any policy the sign-in lands in %+v (%v), want A", res.Actor, err)
	}
	require := func(org, breakGlass int64) {
		t.Helper()
		if _, err := e.owner.Exec(e.ctx, `UPDATE organisations SET sso_required = true, sso_break_glass_id = $2 WHERE id = $1`, org, breakGlass); err != nil {
			t.Fatal(err)
		}
	}
	require(e.orgA, e.actors["admin"].UserID)
	res, err := e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", pw)
	if err != nil || res.Actor == nil || res.Actor.OrganisationID != e.orgB {
		t.Fatalf("A requires single sign-on: the password signs in to %+v (%v), want B", res.Actor, err)
	}
	require(e.orgB, e.actors["admin_b"].UserID)
	if _, err := e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", pw); !apperr.Is(err, apperr.Unauthenticated) || !strings.Contains(err.Error(), "inlogdienst") {
		t.Errorf("both require single sign-on: %v, want the password refused with the SSO message", err)
	}
}
