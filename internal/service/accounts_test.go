package service_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
)

func tokenOf(link string) string { return link[strings.LastIndex(link, "/")+1:] }

func TestNewUserSetsPasswordAndSignsIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.actors["admin"]
	id, link, err := e.svc.Accounts.CreateUser(e.ctx, admin, service.UserForm{
		Email: "  Nieuwe.Collega@Example.NL ", Name: "Nieuwe Collega",
		Roles:   map[access.Role]string{access.Desk: "schools", access.Officer: "all"},
		Schools: map[access.Role][]string{access.Desk: {strconv.FormatInt(e.a2, 10)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(link, "http://lekwacht.test/wachtwoord/") || len(tokenOf(link)) < 40 {
		t.Fatalf("link = %q", link)
	}
	if _, err := e.svc.Accounts.SignIn(e.ctx, "nieuwe.collega@example.nl", ""); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("sign-in without a password set: %v", err)
	}
	if who, err := e.svc.Accounts.CheckPasswordLink(e.ctx, tokenOf(link)); err != nil || who.Email != "nieuwe.collega@example.nl" {
		t.Fatalf("link check = %+v, %v", who, err)
	}
	_, err = e.svc.Accounts.SetPassword(e.ctx, tokenOf(link), "kort", "kort")
	if ae, ok := apperr.As(err); !ok || ae.Fields["password"] == "" {
		t.Errorf("short password: %v", err)
	}
	_, err = e.svc.Accounts.SetPassword(e.ctx, tokenOf(link), "een lange zin als wachtwoord", "een andere zin als wachtwoord")
	if ae, ok := apperr.As(err); !ok || ae.Fields["repeat"] == "" {
		t.Errorf("different repeat: %v", err)
	}
	res, err := e.svc.Accounts.SetPassword(e.ctx, tokenOf(link), "een lange zin als wachtwoord", "een lange zin als wachtwoord")
	if err != nil || res.UserID != id || res.Step != service.NeedsEnrolment || res.Actor != nil {
		t.Fatalf("set password: %+v %v (the desk and FG must set up a second factor first)", res, err)
	}
	a := must3(e.svc.Accounts.Actor(e.ctx, id))
	if !a.Has(access.Desk) || a.HasOrgWide(access.Desk) || !a.ScopeFor(access.Desk).Covers(&e.a2) || !a.HasOrgWide(access.Officer) {
		t.Errorf("grants = %+v", a.Grants)
	}
	if _, err := e.svc.Accounts.SetPassword(e.ctx, tokenOf(link), "nog een lange zin hier", "nog een lange zin hier"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("second use of a link: %v, want NotFound", err)
	}
	if _, err := e.svc.Accounts.SignIn(e.ctx, "NIEUWE.collega@example.nl", "een lange zin als wachtwoord"); err != nil {
		t.Errorf("sign-in: %v", err)
	}
	if n := must(e.store.AuditCount(e.sys, e.orgA, "user_created", id)); n != 1 {
		t.Errorf("%d audit rows for user_created", n)
	}
}

func TestPasswordLinkExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	link := must(e.svc.Accounts.NewPasswordLink(e.ctx, e.actors["admin"], e.actors["staff"].UserID))
	e.clock.Add(7*24*time.Hour + time.Minute)
	if _, err := e.svc.Accounts.CheckPasswordLink(e.ctx, tokenOf(link)); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("expired link: %v", err)
	}
	if _, err := e.svc.Accounts.CheckPasswordLink(e.ctx, "verzonnen"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("made-up link: %v", err)
	}
}

func (e *env) withPassword(name, password string) {
	e.t.Helper()
	link := must(e.svc.Accounts.NewPasswordLink(e.ctx, e.actors["admin"], e.actors[name].UserID))
	if _, err := e.svc.Accounts.SetPassword(e.ctx, tokenOf(link), password, password); err != nil {
		e.t.Fatal(err)
	}
}

func TestSignInDoesNotRevealAccountsAndSlowsDownGuessing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.withPassword("staff", "het juiste lange wachtwoord")
	_, wrongPassword := e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", "fout")
	_, unknownEmail := e.svc.Accounts.SignIn(e.ctx, "niemand@example.nl", "fout")
	if !apperr.Is(wrongPassword, apperr.Unauthenticated) || wrongPassword.Error() != unknownEmail.Error() {
		t.Errorf("wrong password %q and unknown email %q must give the same message", wrongPassword, unknownEmail)
	}
	// Four more failures: five in all, then the sixth attempt must wait.
	for range 4 {
		e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", "fout")
	}
	_, err := e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", "het juiste lange wachtwoord")
	if !apperr.Is(err, apperr.TooManyRequests) || !strings.Contains(err.Error(), "Wacht") {
		t.Fatalf("after 5 failures: %v, want TooManyRequests", err)
	}
	// Other accounts are not affected.
	e.withPassword("staff2", "een ander lang wachtwoord")
	if _, err := e.svc.Accounts.SignIn(e.ctx, "staff2@example.nl", "een ander lang wachtwoord"); err != nil {
		t.Errorf("other account: %v", err)
	}
	e.clock.Add(16 * time.Second)
	if _, err := e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", "het juiste lange wachtwoord"); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
	// A good sign-in clears the count.
	for range 5 {
		e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", "fout")
	}
	if _, err := e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", "fout"); !apperr.Is(err, apperr.TooManyRequests) {
		t.Errorf("6th attempt after a clear: %v", err)
	}
	// A refused attempt does not count (so nobody can keep someone else locked
	// out), but each further wrong guess doubles the wait: 30 s after the 6th.
	e.clock.Add(16 * time.Second)
	if _, err := e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", "fout"); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("6th guess after the wait: %v, want a plain refusal", err)
	}
	e.clock.Add(20 * time.Second)
	if _, err := e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", "het juiste lange wachtwoord"); !apperr.Is(err, apperr.TooManyRequests) {
		t.Errorf("20 s after the 6th failure: %v, want still waiting", err)
	}
	e.clock.Add(11 * time.Second)
	if _, err := e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", "het juiste lange wachtwoord"); err != nil {
		t.Errorf("31 s after the 6th failure: %v", err)
	}
}

func TestDeactivatedAccountCannotSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.withPassword("staff", "het juiste lange wachtwoord")
	err := e.svc.Accounts.UpdateUser(e.ctx, e.actors["admin"], e.actors["staff"].UserID, service.UserForm{Name: "Weg", Active: false})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", "het juiste lange wachtwoord"); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("deactivated sign-in: %v", err)
	}
	if _, _, err := e.svc.Accounts.Actor(e.ctx, e.actors["staff"].UserID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("deactivated session load: %v, want NotFound so the session ends", err)
	}
}

func TestRoleChangeBumpsAuthVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.actors["staff"].UserID
	_, before, err := e.svc.Accounts.Actor(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	err = e.svc.Accounts.UpdateUser(e.ctx, e.actors["admin"], id, service.UserForm{
		Name: "Gebruiker staff", Active: true, Roles: map[access.Role]string{access.Board: "all"}})
	if err != nil {
		t.Fatal(err)
	}
	a, after, err := e.svc.Accounts.Actor(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if after == before || !a.Has(access.Board) {
		t.Errorf("auth version %d → %d, board=%v: a role change must renew sessions", before, after, a.Has(access.Board))
	}
	if n := must(e.store.AuditCount(e.sys, e.orgA, "user_updated", id)); n != 1 {
		t.Errorf("%d audit rows for the change", n)
	}
}

func TestAdministratorCannotLockThemselvesOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.actors["admin"]
	err := e.svc.Accounts.UpdateUser(e.ctx, admin, admin.UserID, service.UserForm{Name: "Beheer", Active: false,
		Roles: map[access.Role]string{access.Desk: "all"}})
	ae, ok := apperr.As(err)
	if !ok || ae.Fields["active"] == "" || ae.Fields["role_admin"] == "" {
		t.Fatalf("self lock-out: %v", err)
	}
	if a, _, _ := e.svc.Accounts.Actor(e.ctx, admin.UserID); !a.HasOrgWide(access.Admin) {
		t.Error("admin role lost")
	}
}

func TestUserFormValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.actors["admin"]
	_, _, err := e.svc.Accounts.CreateUser(e.ctx, admin, service.UserForm{Email: "geen-adres", Name: "",
		Roles:   map[access.Role]string{access.Admin: "schools", access.Desk: "schools", access.Board: "soms"},
		Schools: map[access.Role][]string{access.Desk: {strconv.FormatInt(e.b1, 10)}}})
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.Invalid {
		t.Fatalf("err = %v", err)
	}
	for _, f := range []string{"email", "name", "role_admin", "role_desk", "role_board"} {
		if ae.Fields[f] == "" {
			t.Errorf("no message for %s: %v", f, ae.Fields)
		}
	}
	_, _, err = e.svc.Accounts.CreateUser(e.ctx, admin, service.UserForm{Email: "staff@example.nl", Name: "Dubbel"})
	if ae, ok := apperr.As(err); !ok || ae.Fields["email"] == "" {
		t.Errorf("duplicate email: %v", err)
	}
	if _, err := e.svc.Accounts.SaveSchool(e.ctx, admin, 0, "school a1"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("duplicate school name (case-insensitive): %v", err)
	}
	if _, err := e.svc.Accounts.SaveSchool(e.ctx, admin, e.b1, "Overgenomen"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("renaming another organisation's school: %v, want NotFound", err)
	}
}

func TestAddAdministratorFromCommandLine(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	link, created, err := e.svc.Accounts.AddAdministrator(e.ctx, "Nieuw Bestuur", "fg@nieuw.nl", "Eerste Beheerder")
	if err != nil || !created || !strings.Contains(link, "/wachtwoord/") {
		t.Fatalf("add administrator: %q %v %v", link, created, err)
	}
	_, created, err = e.svc.Accounts.AddAdministrator(e.ctx, "nieuw bestuur", "tweede@nieuw.nl", "Tweede Beheerder")
	if err != nil || created {
		t.Fatalf("second administrator of the same board: created=%v %v", created, err)
	}
	res, err := e.svc.Accounts.SetPassword(e.ctx, tokenOf(link), "een lange zin als wachtwoord", "een lange zin als wachtwoord")
	if err != nil || res.Step != service.NeedsEnrolment {
		t.Fatalf("administrator: %+v, %v", res, err)
	}
	if a := must3(e.svc.Accounts.Actor(e.ctx, res.UserID)); !a.HasOrgWide(access.Admin) || a.Organisation != "Nieuw Bestuur" {
		t.Fatalf("administrator = %+v", a)
	}
	if _, _, err := e.svc.Accounts.AddAdministrator(e.ctx, "", "x", ""); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad input: %v", err)
	}
}

func TestDemoSeedIsIdempotent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first, err := e.svc.SeedDemo(e.ctx)
	if err != nil || !first.Created {
		t.Fatalf("first seed: %+v %v", first, err)
	}
	second, err := e.svc.SeedDemo(e.ctx)
	if err != nil || second.Created {
		t.Fatalf("second seed: %+v %v", second, err)
	}
	for _, acc := range service.DemoAccounts {
		res, err := e.svc.Accounts.SignIn(e.ctx, acc.Email, service.DemoPassword)
		if err != nil {
			t.Errorf("demo account %s: %v", acc.Email, err)
			continue
		}
		// The demo follows the rule of issue 11: the desk, FG, board and
		// administrator set up a second factor at their first sign-in.
		if want := access.RequiresSecondFactor([]access.Grant{{Role: acc.Role}}); (res.Step == service.NeedsEnrolment) != want {
			t.Errorf("demo account %s: step %v, second factor required %v", acc.Email, res.Step, want)
		}
		a := must3(e.svc.Accounts.Actor(e.ctx, res.UserID))
		if a.Organisation != service.DemoOrganisation || (acc.Role != "" && !a.HasOrgWide(acc.Role)) || (acc.Role == "" && len(a.Grants) != 0) {
			t.Errorf("demo account %s: %+v", acc.Email, a)
		}
	}
	org := must(e.store.OrganisationByName(e.sys, service.DemoOrganisation))
	if n := e.count(`SELECT count(*) FROM cases WHERE organisation_id = $1`, org.ID); n != 2 {
		t.Errorf("%d demo cases after two seeds, want 2", n)
	}
	if n := e.count(`SELECT count(*) FROM schools WHERE organisation_id = $1`, org.ID); n != 2 {
		t.Errorf("%d demo schools, want 2", n)
	}
}

func must3[T any](v T, _ int, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
