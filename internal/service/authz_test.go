package service_test

import (
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
)

// TestAuthorisationTable runs every action built so far as every kind of
// actor, through the service, against a case reported by "staff" at school
// A1, and one at school A2.
func TestAuthorisationTable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	atA1 := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("bij A1", e.a1)))
	atA2 := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("bij A2", e.a2)))
	target := e.actors["staff2"].UserID
	// Issue 11.3: A's administrator is also a member of B (desk, FG and
	// administrator there), acting as that membership.
	inB, _, err := e.svc.Accounts.CreateUser(e.ctx, e.actors["admin_b"], service.UserForm{Email: "admin@example.nl", Name: "Beheerder van A in B",
		Active: true, Roles: map[access.Role]string{access.Desk: "all", access.Officer: "all", access.Admin: "all"}, Schools: map[access.Role][]string{}})
	if err != nil {
		t.Fatal(err)
	}
	if e.actors["admin_of_a_in_b"], _, err = e.svc.Accounts.Actor(e.ctx, inB); err != nil {
		t.Fatal(err)
	}

	name := func(a *access.Actor) string {
		if a == nil {
			return "anoniem@example.nl"
		}
		return a.Email
	}
	actions := map[string]func(a *access.Actor) error{
		"view case A1": func(a *access.Actor) error { _, err := e.svc.Incidents.Case(e.ctx, a, atA1.ID); return err },
		"view case A2": func(a *access.Actor) error { _, err := e.svc.Incidents.Case(e.ctx, a, atA2.ID); return err },
		"inbox":        func(a *access.Actor) error { _, err := e.svc.Incidents.Inbox(e.ctx, a); return err },
		"mine":         func(a *access.Actor) error { _, err := e.svc.Incidents.Mine(e.ctx, a); return err },
		"report":       func(a *access.Actor) error { _, err := e.svc.Incidents.Report(e.ctx, a, e.form("x", 0)); return err },
		"list users":   func(a *access.Actor) error { _, err := e.svc.Accounts.Users(e.ctx, a); return err },
		"open user":    func(a *access.Actor) error { _, err := e.svc.Accounts.User(e.ctx, a, target); return err },
		"change user": func(a *access.Actor) error {
			return e.svc.Accounts.UpdateUser(e.ctx, a, target, service.UserForm{Name: "Nieuwe naam", Active: true})
		},
		"password link": func(a *access.Actor) error { _, err := e.svc.Accounts.NewPasswordLink(e.ctx, a, target); return err },
		"add user": func(a *access.Actor) error {
			_, _, err := e.svc.Accounts.CreateUser(e.ctx, a, service.UserForm{Email: "nieuw-" + name(a), Name: "Nieuw"})
			return err
		},
		"add school": func(a *access.Actor) error {
			_, err := e.svc.Accounts.SaveSchool(e.ctx, a, 0, "School van "+name(a))
			return err
		},
	}
	// Expected outcome per actor and action: "ok", "forbidden", "notfound".
	all := func(v string) map[string]string {
		m := map[string]string{}
		for k := range actions {
			m[k] = v
		}
		return m
	}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	staffLike := with(all("forbidden"), "view case A1", "notfound", "view case A2", "notfound", "mine", "ok", "report", "ok")
	want := map[string]map[string]string{
		"staff":      with(staffLike, "view case A1", "ok", "view case A2", "ok"),
		"staff2":     staffLike,
		"desk":       with(staffLike, "view case A1", "ok", "view case A2", "ok", "inbox", "ok"),
		"desk_a1":    with(staffLike, "view case A1", "ok", "inbox", "ok"),
		"officer":    with(staffLike, "view case A1", "ok", "view case A2", "ok"),
		"board":      with(staffLike, "view case A1", "ok", "view case A2", "ok"),
		"technician": staffLike,
		"admin": with(staffLike, "list users", "ok", "open user", "ok", "change user", "ok", "password link", "ok",
			"add user", "ok", "add school", "ok"),
		"desk_b": with(staffLike, "inbox", "ok"),
		// An administrator of another organisation: the user and cases of A do not exist for them.
		"admin_b": with(staffLike, "list users", "ok", "open user", "notfound", "change user", "notfound",
			"password link", "notfound", "add user", "ok", "add school", "ok"),
		// A member of A and B, working in B: A's cases and users do not
		// exist for them either, whatever their roles in A.
		"admin_of_a_in_b": with(staffLike, "inbox", "ok", "list users", "ok", "open user", "notfound", "change user", "notfound",
			"password link", "notfound", "add user", "ok", "add school", "ok"),
	}
	for actorName, expect := range want {
		for action, run := range actions {
			err := run(e.actors[actorName])
			got := "ok"
			switch {
			case err == nil:
			case apperr.Is(err, apperr.Forbidden):
				got = "forbidden"
			case apperr.Is(err, apperr.NotFound):
				got = "notfound"
			default:
				got = "error: " + err.Error()
			}
			if got != expect[action] {
				t.Errorf("%s → %s: %s, want %s", actorName, action, got, expect[action])
			}
		}
	}
	// Anonymous: nothing at all.
	for action, run := range actions {
		if err := run(nil); err == nil {
			t.Errorf("anonymous → %s allowed", action)
		}
	}
}
