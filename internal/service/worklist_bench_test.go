package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/sqlcount"
	"github.com/lekwacht/lekwacht/internal/store"
)

// benchCounted is the register benchmarks' service on a pool of its own
// that counts statements (sqlcount), on the same filled database.
func benchCounted(b *testing.B) (*service.Incidents, *pgxpool.Pool) {
	b.Helper()
	cfg := benchDB(b).Config()
	sqlcount.Install(cfg)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	svc := service.New(service.Deps{Store: store.New(pool), Now: func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, amsterdam) },
		Location: amsterdam, BaseURL: "http://lekwacht.test"})
	return svc.Incidents, pool
}

// reportStatements adds statements and round trips per operation.
func reportStatements(b *testing.B, c *sqlcount.Counter, ops int) {
	if ops > 0 {
		b.ReportMetric(float64(c.Statements())/float64(ops), "stmts/op")
		b.ReportMetric(float64(c.RoundTrips())/float64(ops), "trips/op")
	}
}

// BenchmarkWorklist is the start page's work lists (service level) for the
// big organisation: 60,000 open cases, 30,000 of them on the FG's list.
func BenchmarkWorklist(b *testing.B) {
	svc, pool := benchCounted(b)
	ctx := context.Background()
	officer := &access.Actor{UserID: 100 + benchBigOrg, OrganisationID: benchBigOrg, Name: "FG", Grants: []access.Grant{{Role: access.Officer}}}
	all := &access.Actor{UserID: 100 + benchBigOrg, OrganisationID: benchBigOrg, Name: "FG",
		Grants: []access.Grant{{Role: access.Desk}, {Role: access.Officer}, {Role: access.Board}}}
	// The page after half of the FG's list.
	var at time.Time
	var id int64
	if err := pool.QueryRow(ctx, `SELECT clock_start, id FROM cases WHERE organisation_id = $1
		AND status IN ('confirmation', 'assessment', 'notification', 'informing')
		ORDER BY clock_start, id OFFSET (SELECT count(*) / 2 FROM cases WHERE organisation_id = $1
		AND status IN ('confirmation', 'assessment', 'notification', 'informing')) LIMIT 1`, benchBigOrg).Scan(&at, &id); err != nil {
		b.Fatal(err)
	}
	deep := service.FormatWorkCursor(true, store.WorkKey{ClockStart: at, ID: id})
	for _, bc := range []struct {
		name    string
		a       *access.Actor
		cursors map[string]string
	}{
		{"officer_first", officer, nil},
		{"officer_deep", officer, map[string]string{service.WorkOfficer: deep}},
		{"desk_officer_board_first", all, nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			// A server's connections are long-lived: warm this one up first
			// (the connection itself, the backend's catalogue caches, the
			// prepared statement and the five runs PostgreSQL plans anew
			// before it keeps a plan), so the figure is what a page costs
			// on a connection in use, not a new connection's set-up.
			// (docs/performance.md gives the planning time of a first run.)
			for range 6 {
				if _, err := svc.WorklistAt(ctx, bc.a, bc.cursors); err != nil {
					b.Fatal(err)
				}
			}
			cctx, c := sqlcount.WithCounter(ctx)
			ops := 0
			for b.Loop() {
				w, err := svc.WorklistAt(cctx, bc.a, bc.cursors)
				if err != nil {
					b.Fatal(err)
				}
				if len(w.Officer) != service.WorkPageSize {
					b.Fatalf("%s: %d cases on the FG's page", bc.name, len(w.Officer))
				}
				ops++
			}
			reportStatements(b, c, ops)
		})
	}
}

// BenchmarkCasePage is the case page's data (service.Incidents.Case) of a
// case of the big organisation that has passed every step up to informing
// the data subjects, read by its FG.
func BenchmarkCasePage(b *testing.B) {
	svc, pool := benchCounted(b)
	ctx := context.Background()
	a := &access.Actor{UserID: 100 + benchBigOrg, OrganisationID: benchBigOrg, Name: "FG",
		Grants: []access.Grant{{Role: access.Desk}, {Role: access.Officer}, {Role: access.Board}}}
	var id int64
	if err := pool.QueryRow(ctx, `SELECT c.id FROM cases c
		JOIN case_notifications n ON n.organisation_id = c.organisation_id AND n.case_id = c.id
		WHERE c.organisation_id = $1 AND c.status = 'informing' ORDER BY c.id LIMIT 1`, benchBigOrg).Scan(&id); err != nil {
		b.Fatal(err)
	}
	cctx, c := sqlcount.WithCounter(ctx)
	ops := 0
	for b.Loop() {
		v, err := svc.Case(cctx, a, id)
		if err != nil {
			b.Fatal(err)
		}
		if v.Decision == nil || len(v.Events) == 0 {
			b.Fatal("the case has no decision or timeline")
		}
		ops++
	}
	reportStatements(b, c, ops)
}

// BenchmarkWorklistRLS measures what row-level security (migration 00045)
// costs the work lists: the same service call on the same database, once
// on a pool of the owner (a superuser, to whom no policy applies) and once
// on a pool of the runtime role, where every tenant table's policy holds
// and each batch carries its set_config (docs/performance.md).
func BenchmarkWorklistRLS(b *testing.B) {
	owner := benchDB(b)
	cfg := owner.Config()
	store.AsRuntime(cfg)
	runtime, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(runtime.Close)
	all := &access.Actor{UserID: 100 + benchBigOrg, OrganisationID: benchBigOrg, Name: "FG",
		Grants: []access.Grant{{Role: access.Desk}, {Role: access.Officer}, {Role: access.Board}}}
	for _, bc := range []struct {
		name string
		pool *pgxpool.Pool
	}{{"owner_no_rls", owner}, {"runtime_rls", runtime}} {
		svc := service.New(service.Deps{Store: store.New(bc.pool), Now: func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, amsterdam) },
			Location: amsterdam, BaseURL: "http://lekwacht.test"})
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				w, err := svc.Incidents.WorklistAt(context.Background(), all, nil)
				if err != nil {
					b.Fatal(err)
				}
				if len(w.Officer) == 0 {
					b.Fatalf("%s: an empty work list", bc.name)
				}
			}
		})
	}
}

// BenchmarkWorklistPlans prints EXPLAIN (ANALYZE, BUFFERS) of the two
// statements of the work lists of a user who is desk, FG and board (the
// pages, the totals) on the benchmark data.
func BenchmarkWorklistPlans(b *testing.B) {
	pool := benchDB(b)
	ctx := context.Background()
	all := &access.Actor{UserID: 100 + benchBigOrg, OrganisationID: benchBigOrg, Name: "FG",
		Grants: []access.Grant{{Role: access.Desk}, {Role: access.Officer}, {Role: access.Board}}}
	lists := service.WorkListsOf(all)
	pages, pageArgs, counts, countArgs := store.WorkPagesSQL(benchBigOrg, lists)
	for b.Loop() {
		for _, p := range []struct {
			name string
			sql  string
			args []any
		}{{"pages", pages, pageArgs}, {"totals", counts, countArgs}} {
			rows, err := pool.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "+p.sql, p.args...)
			if err != nil {
				b.Fatal(err)
			}
			var lines []string
			for rows.Next() {
				var l string
				if err := rows.Scan(&l); err != nil {
					b.Fatal(err)
				}
				lines = append(lines, l)
			}
			rows.Close()
			fmt.Printf("--- plan: work lists, %s\n%s\n", p.name, strings.Join(lines, "\n"))
		}
	}
}
