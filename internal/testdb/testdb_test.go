package testdb_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pressly/goose/v3"

	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/internal/testdb"
	"github.com/lekwacht/lekwacht/migrations"
)

// latestVersion is the highest migration version in migrations.FS.
func latestVersion(t *testing.T) int64 {
	t.Helper()
	// goose parses versions from file names; a provider without a database
	// connection cannot be built, so parse them the same way here.
	var latest int64
	entries, err := migrations.FS.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		v, err := goose.NumericComponent(e.Name())
		if err != nil {
			t.Fatalf("migration %s: %v", e.Name(), err)
		}
		latest = max(latest, v)
	}
	if latest == 0 {
		t.Fatal("migrations.FS holds no migrations")
	}
	return latest
}

// TestParallelDatabasesAreIsolated runs two parallel tests that each write to
// their own database and then, once both have written, check that they see
// only their own writes, on a schema that is fully migrated.
func TestParallelDatabasesAreIsolated(t *testing.T) {
	want := latestVersion(t)
	var (
		mu    sync.Mutex
		names = map[string]string{}
		wrote sync.WaitGroup
	)
	wrote.Add(2)
	for _, label := range []string{"a", "b"} {
		t.Run(label, func(t *testing.T) {
			t.Parallel()
			// Done exactly once, even if this subtest fails early, so that
			// the other one never waits forever.
			done := sync.OnceFunc(wrote.Done)
			defer done()
			ctx := context.Background()
			pool, owner := testdb.NewWithOwner(t)

			var db string
			var version int64
			err := pool.QueryRow(ctx, `SELECT current_database(), (SELECT max(version_id) FROM goose_db_version)`).Scan(&db, &version)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(db, "lekwacht_test_") {
				t.Errorf("database %q: want a lekwacht_test_ name", db)
			}
			if version != want {
				t.Errorf("schema at version %d, want %d (all migrations)", version, want)
			}
			var tables int
			if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version'`).Scan(&tables); err != nil {
				t.Fatal(err)
			}
			if tables == 0 {
				t.Error("no tables besides goose_db_version: the template was not migrated")
			}

			mu.Lock()
			names[label] = db
			mu.Unlock()

			// The owner creates the table; the runtime role may not.
			_, err = owner.Exec(ctx, `CREATE TABLE isolation_probe (owner text); INSERT INTO isolation_probe VALUES ('`+label+`')`)
			done()
			if err != nil {
				t.Fatal(err)
			}
			wrote.Wait() // both databases now hold a probe row

			rows, err := owner.Query(ctx, `SELECT owner FROM isolation_probe`)
			if err != nil {
				t.Fatal(err)
			}
			owners, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(owners) != "["+label+"]" {
				t.Errorf("probe rows %v, want only [%s]", owners, label)
			}
		})
	}
	t.Cleanup(func() {
		if names["a"] == "" || names["a"] == names["b"] {
			t.Errorf("parallel tests got databases %q and %q; want two different ones", names["a"], names["b"])
		}
	})
}

// TestNewRunsAsTheRuntimeRole: the pool of New is the application's, the
// runtime role of store.RuntimeRole; NewWithOwner's second pool is the owner.
func TestNewRunsAsTheRuntimeRole(t *testing.T) {
	t.Parallel()
	if testdb.RuntimeRole != store.RuntimeRole {
		t.Fatalf("testdb.RuntimeRole %q, store.RuntimeRole %q", testdb.RuntimeRole, store.RuntimeRole)
	}
	app, owner := testdb.NewWithOwner(t)
	ctx := context.Background()
	var appRole, ownerRole, tableOwner string
	if err := app.QueryRow(ctx, `SELECT current_user`).Scan(&appRole); err != nil {
		t.Fatal(err)
	}
	if err := owner.QueryRow(ctx, `SELECT current_user, (SELECT tableowner FROM pg_tables WHERE tablename = 'cases')`).Scan(&ownerRole, &tableOwner); err != nil {
		t.Fatal(err)
	}
	if appRole != store.RuntimeRole || ownerRole != tableOwner || ownerRole == appRole {
		t.Errorf("app runs as %q, owner as %q, cases owned by %q", appRole, ownerRole, tableOwner)
	}
}

// TestDatabaseDroppedAtCleanup checks that a test's database is gone once the
// test (here a subtest) has ended.
func TestDatabaseDroppedAtCleanup(t *testing.T) {
	t.Parallel()
	var name string
	t.Run("inner", func(t *testing.T) {
		pool := testdb.New(t)
		if err := pool.QueryRow(context.Background(), `SELECT current_database()`).Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	if name == "" {
		t.Fatal("inner test got no database")
	}
	admin := connect(t, testdb.EmptyURL(t))
	var exists bool
	if err := admin.QueryRow(context.Background(), `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("database %s still exists after its test ended", name)
	}
}

// TestURLAndEmptyURL checks that URL gives a migrated database and EmptyURL an
// empty one, each new.
func TestURLAndEmptyURL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	migrated := connect(t, testdb.URL(t))
	empty := connect(t, testdb.EmptyURL(t))

	var n int
	if err := migrated.QueryRow(ctx, `SELECT count(*) FROM goose_db_version`).Scan(&n); err != nil {
		t.Fatalf("URL: no goose_db_version: %v", err)
	}
	if err := empty.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("EmptyURL: public schema holds %d relations, want none", n)
	}
}

func connect(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}
