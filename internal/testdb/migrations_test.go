package testdb_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/lekwacht/lekwacht/internal/testdb"
	"github.com/lekwacht/lekwacht/migrations"
)

// TestMigrationsUpDownUp runs every migration up on an empty database, then
// all the way down, then up again. Down must leave nothing behind but goose's
// own table, and the second up must give exactly the schema of the first.
func TestMigrationsUpDownUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg, err := pgx.ParseConfig(testdb.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })

	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	sources := p.ListSources()
	if len(sources) == 0 {
		t.Fatal("no migrations found in migrations.FS")
	}
	latest := sources[len(sources)-1].Version

	results, err := p.Up(ctx)
	if err != nil {
		t.Fatalf("first up: %v", err)
	}
	if len(results) != len(sources) {
		t.Fatalf("first up applied %d migrations, want %d", len(results), len(sources))
	}
	checkVersion(t, p, latest)
	first := schema(t, db)
	if len(first) == 0 {
		t.Fatal("the migrations created nothing the schema description sees")
	}
	t.Logf("%d migrations; the schema has %d described objects", len(sources), len(first))

	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("down to 0: %v", err)
	}
	checkVersion(t, p, 0)
	if left := schema(t, db); len(left) != 0 {
		t.Errorf("after all downs, objects are left behind (each Down must undo its Up):\n  %s", strings.Join(left, "\n  "))
	}

	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("second up: %v", err)
	}
	checkVersion(t, p, latest)
	second := schema(t, db)
	if diff := diffLines(first, second); diff != "" {
		t.Errorf("schema after up/down/up differs from the first up (- first, + second):\n%s", diff)
	}
}

// TestEachMigrationDownUndoesItsUp applies the migrations one at a time; after
// each one it goes down one step and checks that the schema is exactly what it
// was before that migration, then applies it again and moves on. This catches
// a Down that forgets part of its Up even when a later Down would hide it.
func TestEachMigrationDownUndoesItsUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg, err := pgx.ParseConfig(testdb.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range p.ListSources() {
		before := schema(t, db)
		if _, err := p.UpByOne(ctx); err != nil {
			t.Fatalf("up %s: %v", src.Path, err)
		}
		if _, err := p.Down(ctx); err != nil {
			t.Fatalf("down %s: %v", src.Path, err)
		}
		if diff := diffLines(before, schema(t, db)); diff != "" {
			t.Errorf("%s: Down does not undo Up (- before Up, + after Up and Down):\n%s", src.Path, diff)
		}
		if _, err := p.UpByOne(ctx); err != nil {
			t.Fatalf("up %s again: %v", src.Path, err)
		}
	}
}

func checkVersion(t *testing.T, p *goose.Provider, want int64) {
	t.Helper()
	got, err := p.GetDBVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("database at version %d, want %d", got, want)
	}
}

// schema describes every object the migrations can create, one line each,
// sorted, leaving out goose's own version table.
func schema(t *testing.T, db *sql.DB) []string {
	t.Helper()
	const userSchemas = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'`
	queries := []string{
		// Schemas other than public.
		`SELECT 'schema ' || n.nspname FROM pg_namespace n WHERE ` + userSchemas + ` AND n.nspname <> 'public'`,
		// Tables, views, sequences, indexes, composite types… with their kind.
		`SELECT 'relation ' || n.nspname || '.' || c.relname || ' kind=' || c.relkind::text
		   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		  WHERE ` + userSchemas + ` AND c.relname NOT LIKE 'goose\_db\_version%'
		    AND NOT (c.relkind = 't')`,
		// Columns.
		`SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
		        || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
		        || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
		        || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
		        || CASE WHEN a.attgenerated <> '' THEN ' generated ' || a.attgenerated::text ELSE '' END
		   FROM pg_attribute a
		   JOIN pg_class c ON c.oid = a.attrelid
		   JOIN pg_namespace n ON n.oid = c.relnamespace
		   LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		  WHERE ` + userSchemas + ` AND a.attnum > 0 AND NOT a.attisdropped
		    AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname <> 'goose_db_version'`,
		// Constraints (checks, keys, foreign keys, exclusions), also on domains.
		`SELECT 'constraint ' || n.nspname || '.' || coalesce(c.relname, ty.typname) || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
		   FROM pg_constraint co
		   JOIN pg_namespace n ON n.oid = co.connamespace
		   LEFT JOIN pg_class c ON c.oid = co.conrelid
		   LEFT JOIN pg_type ty ON ty.oid = co.contypid
		  WHERE ` + userSchemas + ` AND coalesce(c.relname, '') <> 'goose_db_version'`,
		// Index definitions.
		`SELECT 'index ' || indexdef FROM pg_indexes n WHERE ` + strings.ReplaceAll(userSchemas, "n.nspname", "n.schemaname") + ` AND tablename <> 'goose_db_version'`,
		// View definitions.
		`SELECT 'view ' || schemaname || '.' || viewname || ' ' || definition FROM pg_views n WHERE ` + strings.ReplaceAll(userSchemas, "n.nspname", "n.schemaname"),
		// Types: enums (with labels), domains, ranges; composite types of tables are left out.
		`SELECT 'type ' || n.nspname || '.' || ty.typname || ' ' || ty.typtype::text
		        || coalesce(' ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = ty.oid), '')
		   FROM pg_type ty JOIN pg_namespace n ON n.oid = ty.typnamespace
		  WHERE ` + userSchemas + ` AND ty.typtype IN ('e', 'd', 'r', 'm')`,
		// Functions and procedures, with their full definitions.
		`SELECT 'function ' || pg_get_functiondef(p.oid)
		   FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		  WHERE ` + userSchemas + ` AND p.prokind IN ('f', 'p')`,
		// Triggers.
		`SELECT 'trigger ' || pg_get_triggerdef(tg.oid)
		   FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		  WHERE ` + userSchemas + ` AND NOT tg.tgisinternal`,
		// Row-level security policies.
		`SELECT 'policy ' || schemaname || '.' || tablename || ' ' || policyname || ' ' || cmd || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '')
		   FROM pg_policies`,
		// Row-level security switched on (and forced) per table (00045).
		`SELECT 'row security ' || n.nspname || '.' || c.relname || ' ' || c.relrowsecurity::text || ' ' || c.relforcerowsecurity::text
		   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		  WHERE ` + userSchemas + ` AND (c.relrowsecurity OR c.relforcerowsecurity)`,
		// Extensions, apart from the built-in plpgsql.
		`SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'`,
	}
	var lines []string
	for _, q := range queries {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("describing the schema: %v\n%s", err, q)
		}
		for rows.Next() {
			var s sql.NullString
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			if s.Valid {
				lines = append(lines, s.String)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	slices.Sort(lines)
	return lines
}

// diffLines lists the lines only in a (-) or only in b (+); both are sorted.
func diffLines(a, b []string) string {
	var out strings.Builder
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || (i < len(a) && a[i] < b[j]):
			fmt.Fprintf(&out, "- %s\n", a[i])
			i++
		case i >= len(a) || b[j] < a[i]:
			fmt.Fprintf(&out, "+ %s\n", b[j])
			j++
		default:
			i++
			j++
		}
	}
	return out.String()
}
