package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/lekwacht/lekwacht/internal/sqlcount"
	"github.com/lekwacht/lekwacht/internal/testdb"
)

// userChildTables have no organisation_id; their policy sees the row's
// user through users (migration 00045). personTables see their person
// through users likewise (migration 00050).
var (
	userChildTables = []string{"password_tokens"}
	personTables    = []string{"people", "recovery_codes", "user_sessions", "user_totp"}
)

// TestEveryTenantTableHasRowLevelSecurity (issue 15.4): every table of the
// public schema with an organisation_id column, the organisations
// themselves and the tables of a user, has row-level security enabled and
// forced, with a policy. A table added later without them fails here.
func TestEveryTenantTableHasRowLevelSecurity(t *testing.T) {
	t.Parallel()
	_, owner := testdb.NewWithOwner(t)
	ctx := context.Background()
	rows, err := owner.Query(ctx, `
		SELECT c.table_name, k.relrowsecurity, k.relforcerowsecurity,
		       (SELECT count(*) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.table_name)
		FROM information_schema.columns c
		JOIN pg_class k ON k.relname = c.table_name AND k.relnamespace = 'public'::regnamespace
		WHERE c.table_schema = 'public' AND (c.column_name = 'organisation_id'
		      OR c.table_name = 'organisations' AND c.column_name = 'id'
		      OR c.table_name = ANY($1) AND c.column_name = 'user_id'
		      OR c.table_name = ANY($2) AND c.column_name IN ('person_id', 'home_organisation_id'))
		  AND k.relkind IN ('r', 'p')
		ORDER BY 1`, userChildTables, personTables)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		var enabled, forced bool
		var policies int
		if err := rows.Scan(&name, &enabled, &forced, &policies); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
		if !enabled || !forced || policies == 0 {
			t.Errorf("%s: row-level security enabled %t, forced %t, %d policies; want it enabled and forced with a policy "+
				"(ALTER TABLE %s ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY; CREATE POLICY tenant_isolation …, as migration 00045)",
				name, enabled, forced, policies, name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, want := range append([]string{"cases", "case_events", "audit_log", "users", "organisations", "public_pages",
		"case_sources", "public_report_attempts", "processor_links", "sso_providers", "sso_domains", "audit_chain_heads"}, append(userChildTables, personTables...)...) {
		if !slices.Contains(tables, want) {
			t.Errorf("%s is not among the tenant tables %v", want, tables)
		}
	}
	t.Logf("%d tenant tables", len(tables))
}

// TestRowLevelSecurityIsASecondWall (issue 15.4): as the runtime role, a
// query without its organisation filter and without the setting returns
// nothing; with an organisation's setting it returns only that
// organisation's rows, on the pool, in a transaction, in a Gather batch and
// in RecordRead; rows of another organisation cannot be written; the
// system scope sees all. The setting costs no round trip.
func TestRowLevelSecurityIsASecondWall(t *testing.T) {
	t.Parallel()
	pool, owner := testdb.NewWithOwner(t)
	s := New(pool)
	ctx := context.Background()
	sys := System(ctx)
	orgA := must(s.CreateOrganisation(sys, "Bestuur A"))
	orgB := must(s.CreateOrganisation(sys, "Bestuur B"))
	for _, org := range []int64{orgA, orgB} {
		must(s.CreateSchool(sys, org, fmt.Sprintf("School %d", org)))
		must(s.CreateUser(sys, org, fmt.Sprintf("iemand@%d.nl", org), "Iemand"))
	}
	// What a forgotten filter looks like: every table, no WHERE.
	const unfiltered = `SELECT (SELECT array_agg(id ORDER BY id) FROM organisations),
		(SELECT array_agg(DISTINCT organisation_id ORDER BY organisation_id) FROM schools),
		(SELECT array_agg(DISTINCT organisation_id ORDER BY organisation_id) FROM users),
		(SELECT array_agg(DISTINCT u.organisation_id) FROM user_totp x JOIN users u ON u.person_id = x.person_id)`
	seen := func(ctx context.Context, db DBTX) string {
		t.Helper()
		var orgs, schools, users, totp []int64
		if err := db.QueryRow(ctx, unfiltered).Scan(&orgs, &schools, &users, &totp); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(orgs, schools, users)
	}
	both := fmt.Sprint([]int64{orgA, orgB}, []int64{orgA, orgB}, []int64{orgA, orgB})
	onlyB := fmt.Sprint([]int64{orgB}, []int64{orgB}, []int64{orgB})
	if got := seen(ctx, owner); got != both {
		t.Fatalf("the owner (a superuser, exempt) sees %s, want %s", got, both)
	}
	// No setting at all: nothing, on the raw pool and through the store.
	if got := seen(ctx, pool); got != "[] [] []" {
		t.Errorf("the runtime role without a setting sees %s, want nothing", got)
	}
	if got := seen(ctx, s.db); got != "[] [] []" {
		t.Errorf("the store without a setting sees %s, want nothing", got)
	}
	// Another organisation's setting: only that one's rows.
	inB := InOrganisation(ctx, orgB)
	cctx, c := sqlcount.WithCounter(inB)
	if got := seen(cctx, s.db); got != onlyB {
		t.Errorf("in organisation B the store sees %s, want %s", got, onlyB)
	}
	if c.RoundTrips() != 1 {
		t.Errorf("a statement on the pool took %d round trips, want 1:\n%s", c.RoundTrips(), c)
	}
	c.Reset()
	if err := s.Transact(cctx, func(q *Queries) error {
		if got := seen(cctx, q.db); got != onlyB {
			t.Errorf("in a transaction of organisation B the store sees %s, want %s", got, onlyB)
		}
		// The transaction's setting holds, whatever a statement's context says.
		if got := seen(InOrganisation(ctx, orgA), q.db); got != onlyB {
			t.Errorf("in a transaction of organisation B a statement for A sees %s, want %s", got, onlyB)
		}
		// Writing another organisation's row is refused.
		if _, err := q.db.Exec(cctx, `SAVEPOINT w`); err != nil {
			return err
		}
		_, err := q.db.Exec(cctx, `INSERT INTO schools (organisation_id, name) VALUES ($1, 'Indringer')`, orgA)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42501" {
			t.Errorf("organisation B inserts a school of A: %v, want a row-level security refusal", err)
		}
		_, err = q.db.Exec(cctx, `ROLLBACK TO SAVEPOINT w`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// BEGIN with its set_config, a read (the second is not counted), the refused insert and its
	// savepoint, COMMIT: no round trip for the setting.
	if c.RoundTrips() != 6 || !strings.HasPrefix(c.SQL()[0], "begin; SELECT set_config('lekwacht.organisation',") {
		t.Errorf("transaction: %d round trips, want 6:\n%s", c.RoundTrips(), c)
	}
	// Gather: each batch after the setting.
	var g1, g2 string
	if err := s.Gather(inB,
		func(q *Queries) error { g1 = seen(inB, q.db); return nil },
		func(q *Queries) error { g2 = seen(inB, q.db); return nil }); err != nil {
		t.Fatal(err)
	}
	if g1 != onlyB || g2 != onlyB {
		t.Errorf("Gather in organisation B sees %s and %s, want %s", g1, g2, onlyB)
	}
	// A read recorded in organisation B's log; one for A is refused there.
	if err := s.RecordRead(inB, AuditEntry{OrganisationID: orgB, Action: "case_viewed"}); err != nil {
		t.Errorf("record read in B: %v", err)
	}
	if err := s.RecordRead(inB, AuditEntry{OrganisationID: orgA, Action: "case_viewed"}); err == nil {
		t.Error("a read of A recorded in a request of B")
	}
	if err := s.RecordRead(ctx, AuditEntry{OrganisationID: orgA, Action: "case_viewed"}); err == nil {
		t.Error("a read recorded without an organisation")
	}
	// The system scope, for the named work across organisations, sees all.
	if got := seen(sys, s.db); got != both {
		t.Errorf("the system scope sees %s, want %s", got, both)
	}
	// The setting does not outlive its statement on a pooled connection.
	for range 3 {
		if got := seen(inB, scopedPool{pool}); got != onlyB {
			t.Fatal(got)
		}
	}
	var setting string
	if err := pool.QueryRow(ctx, `SELECT coalesce(current_setting('lekwacht.organisation', true), '')`).Scan(&setting); err != nil || setting != "" {
		t.Errorf("after the statements the pool's connection holds lekwacht.organisation %q (%v)", setting, err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
