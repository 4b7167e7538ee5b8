package service_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/internal/testdb"
)

// clock is an injected, settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
}()

// env is a fresh database with two organisations: org A with schools A1 and
// A2 and a user for every role (one desk limited to A1), and org B with one desk.
type env struct {
	t   *testing.T
	ctx context.Context
	// sys is ctx for the store across organisations (store.System): what a
	// test arranges or checks through the store itself; service calls take
	// ctx and set the actor's organisation themselves.
	sys   context.Context
	store *store.Store
	// owner is the same database as the owner of the schema, for what a
	// test arranges or checks directly in SQL; the services and store run
	// as the runtime role (testdb.New).
	owner *pgxpool.Pool
	svc   *service.Services
	clock *clock

	orgA, orgB int64
	a1, a2, b1 int64
	actors     map[string]*access.Actor
}

func newEnv(t *testing.T) *env { return newEnvWith(t, nil) }

// newEnvWith is newEnv with a hook to change the services' dependencies
// (the mail tests add the job queue).
func newEnvWith(t *testing.T, deps func(*service.Deps)) *env {
	t.Helper()
	pool, owner := testdb.NewWithOwner(t)
	st := store.New(pool)
	c := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, amsterdam)}
	e := &env{t: t, ctx: context.Background(), sys: store.System(context.Background()), store: st, owner: owner, clock: c, actors: map[string]*access.Actor{}}
	d := service.Deps{Store: st, Now: c.Now, Location: amsterdam, BaseURL: "http://lekwacht.test"}
	if deps != nil {
		deps(&d)
	}
	e.svc = service.New(d)
	e.orgA = must(st.CreateOrganisation(e.sys, "Bestuur A"))
	e.orgB = must(st.CreateOrganisation(e.sys, "Bestuur B"))
	e.a1 = must(st.CreateSchool(e.sys, e.orgA, "School A1"))
	e.a2 = must(st.CreateSchool(e.sys, e.orgA, "School A2"))
	e.b1 = must(st.CreateSchool(e.sys, e.orgB, "School B1"))
	e.user("staff", e.orgA)
	e.user("staff2", e.orgA)
	e.user("desk", e.orgA, access.Grant{Role: access.Desk})
	e.user("desk_a1", e.orgA, access.Grant{Role: access.Desk, Schools: []int64{e.a1}})
	e.user("officer", e.orgA, access.Grant{Role: access.Officer})
	e.user("technician", e.orgA, access.Grant{Role: access.Technician})
	e.user("board", e.orgA, access.Grant{Role: access.Board})
	e.user("admin", e.orgA, access.Grant{Role: access.Admin})
	e.user("desk_b", e.orgB, access.Grant{Role: access.Desk})
	e.user("admin_b", e.orgB, access.Grant{Role: access.Admin})
	return e
}

// user creates an account with a password and loads it as an actor.
func (e *env) user(name string, org int64, grants ...access.Grant) *access.Actor {
	e.t.Helper()
	id := must(e.store.CreateUser(e.sys, org, name+"@example.nl", "Gebruiker "+name))
	if err := e.store.SetGrants(e.sys, org, id, grants); err != nil {
		e.t.Fatal(err)
	}
	a, _, err := e.store.Actor(e.sys, id)
	if err != nil {
		e.t.Fatal(err)
	}
	e.actors[name] = a
	return a
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
