package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/internal/testdb"
)

// TestRuntimeRoleCannotRewriteHistoryOrSchema (issue 15.4): the role the
// application runs as gets "permission denied" for every change of the
// timeline, the security log and the chain heads other than adding a row
// through the chain, and for every change of the schema. PostgreSQL checks
// the privilege before it looks at a single row, so the statements need no
// data to be refused; the owner may do each of them (the chain finds what
// the owner changed: TestAuditVerify in cmd/lekwacht).
func TestRuntimeRoleCannotRewriteHistoryOrSchema(t *testing.T) {
	t.Parallel()
	app, owner := testdb.NewWithOwner(t)
	ctx := context.Background()
	refused := []string{
		`UPDATE case_events SET summary = 'Niets aan de hand'`,
		`DELETE FROM case_events`,
		`TRUNCATE case_events`,
		`UPDATE audit_log SET actor_id = NULL`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
		`UPDATE audit_chain_heads SET seq = 0`,
		`DELETE FROM audit_chain_heads`,
		`INSERT INTO audit_chain_heads (organisation_id, chain) VALUES (1, 'timeline')`,
		`DELETE FROM case_record_versions`,
		`DELETE FROM case_assessment_versions`,
		`UPDATE goose_db_version SET is_applied = false`,
		`SELECT audit_chain_append(1, 'timeline', '\x00'::bytea)`,
		`CREATE TABLE probe (id int)`,
		`CREATE FUNCTION probe() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
		`ALTER TABLE cases ADD COLUMN probe text`,
		`ALTER TABLE case_events DISABLE TRIGGER case_events_chain`,
		`ALTER TABLE cases DISABLE ROW LEVEL SECURITY`,
		`DROP TABLE audit_log`,
		`CREATE INDEX probe_idx ON cases (id)`,
		`ALTER TABLE case_events OWNER TO lekwacht_runtime`,
	}
	for _, stmt := range refused {
		err := inTx(ctx, app, stmt)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42501" {
			t.Errorf("as the runtime role %q: %v, want permission denied (42501)", stmt, err)
		}
		// The owner may: the refusal is the role's, not the statement's.
		if strings.Contains(stmt, "OWNER TO") || strings.HasPrefix(stmt, "INSERT") || strings.HasPrefix(stmt, "SELECT audit_chain_append") {
			continue
		}
		if err := inTx(ctx, owner, stmt); err != nil {
			t.Errorf("as the owner %q: %v", stmt, err)
		}
	}

	// What the grants say, for every table: the runtime role reads them
	// all, owns none, and writes none of the history but by adding to it.
	var owned, creates int
	if err := app.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		  WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')),
		(SELECT count(*) FROM pg_namespace WHERE has_schema_privilege(current_user, oid, 'CREATE')
		  AND nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema')`).Scan(&owned, &creates); err != nil {
		t.Fatal(err)
	}
	if owned != 0 || creates != 0 {
		t.Errorf("the runtime role owns %d relations and may create in %d schemas, want 0 and 0", owned, creates)
	}
	rows, err := app.Query(ctx, `SELECT tablename,
		has_table_privilege(current_user, quote_ident(tablename), 'SELECT'),
		has_table_privilege(current_user, quote_ident(tablename), 'INSERT'),
		has_table_privilege(current_user, quote_ident(tablename), 'UPDATE'),
		has_table_privilege(current_user, quote_ident(tablename), 'DELETE')
		FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	type grants struct{ sel, ins, upd, del bool }
	got := map[string]grants{}
	for rows.Next() {
		var name string
		var g grants
		if err := rows.Scan(&name, &g.sel, &g.ins, &g.upd, &g.del); err != nil {
			t.Fatal(err)
		}
		got[name] = g
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	history := map[string]grants{
		"case_events":              {true, true, false, false},
		"audit_log":                {true, true, false, false},
		"audit_chain_heads":        {true, false, false, false},
		"goose_db_version":         {true, false, false, false},
		"case_record_versions":     {true, true, true, false},
		"case_assessment_versions": {true, true, true, false},
	}
	if len(got) < 40 {
		t.Fatalf("only %d tables seen", len(got))
	}
	for name, g := range got {
		want, ok := history[name]
		if !ok {
			want = grants{true, true, true, true} // every other table, also those added later (default privileges)
		}
		if g != want {
			t.Errorf("%s: runtime role may select/insert/update/delete %v, want %v", name, g, want)
		}
	}
	if err := inTx(ctx, app, `SELECT 1 FROM purge_case_events(0, 0, '', now())`); err == nil || !strings.Contains(err.Error(), "anonymised closed case") {
		t.Errorf("the runtime role calls purge_case_events: %v, want its own refusal for a case that is not anonymised", err)
	}
	var role string
	if err := app.QueryRow(ctx, `SELECT current_user`).Scan(&role); err != nil || role != store.RuntimeRole {
		t.Errorf("the app pool runs as %q (%v)", role, err)
	}
}

// inTx runs stmt in a transaction that is rolled back.
func inTx(ctx context.Context, db interface {
	Begin(context.Context) (pgx.Tx, error)
}, stmt string) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // rolled back either way
	_, err = tx.Exec(ctx, stmt)
	return err
}
