// Package testdb gives each test a PostgreSQL database of its own.
//
// Tests connect to the server named by TEST_DATABASE_URL, on which they may
// CREATE DATABASE; `make test` starts a local throwaway server and sets it. A
// test that needs a database and finds TEST_DATABASE_URL unset fails: it is
// never skipped, so a green run always means the database code ran.
//
// New and URL hand out a fresh, fully migrated database, dropped when the test
// ends. The server's user (a superuser) is the owner that migrates; New's
// pool runs as the runtime role lekwacht_runtime, as the application does,
// and NewWithOwner adds a pool as the owner for a test's own arranging. To keep that fast, the first call in a test binary builds (or finds) a
// template database named after a hash of the migration files,
// lekwacht_tpl_<hash>, migrated once with goose from migrations.FS; every test
// database is then a cheap CREATE DATABASE … TEMPLATE copy of it. Test binaries
// of several packages run in parallel, so building the template is guarded by a
// PostgreSQL advisory lock. EmptyURL hands out a database without any
// migrations, for tests of the migrations themselves.
//
// Test databases are named lekwacht_test_<unix time>_<random>; leftovers older
// than a day (from test binaries that were killed) are dropped, best effort,
// when a test binary first prepares its template, and so are templates of
// older migration sets.
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/lekwacht/lekwacht/internal/sqlcount"
	"github.com/lekwacht/lekwacht/migrations"
)

// EnvURL names the environment variable holding the URL of the test server.
const EnvURL = "TEST_DATABASE_URL"

const (
	testPrefix     = "lekwacht_test_"
	templatePrefix = "lekwacht_tpl_"
	// maxAge is how old a leftover database must be before it is dropped, so
	// that databases of test binaries still running are left alone.
	maxAge = 24 * time.Hour
	// lockKey is the advisory lock (pg_advisory_lock) that serialises building
	// templates across test binaries: "lekwacht" in ASCII.
	lockKey int64 = 0x6c656b7761636874
	// helperVersion is hashed into the template name, so that a change in how
	// templates are built here invalidates old ones.
	helperVersion = "testdb-v1"
)

// RuntimeRole is the application's database role, store.RuntimeRole
// (migration 00044; testdb cannot import store, whose tests use testdb).
const RuntimeRole = "lekwacht_runtime"

// New returns a pool on a fresh database with every migration applied, whose
// connections run as the runtime role, as serve's do (store.AsRuntime): the
// code under test gets only the runtime role's grants and meets row-level
// security. The pool is closed and the database dropped when the test ends.
// Its connections carry a sqlcount.Tracer, so a test counts statements with
// sqlcount.WithCounter.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	app, _ := NewWithOwner(t)
	return app
}

// NewWithOwner is New that also returns a pool on the same database as the
// owner of the schema (the server's superuser, which migrated it), for what
// a test arranges or checks around the code under test: tampering with the
// timeline, counting rows of every organisation.
func NewWithOwner(t testing.TB) (app, owner *pgxpool.Pool) {
	t.Helper()
	url := URL(t)
	return Pool(t, url, true), Pool(t, url, false)
}

// Pool returns a pool on url, as the runtime role when runtime is set, closed
// when the test ends.
func Pool(t testing.TB, url string, runtime bool) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	if runtime {
		// As store.AsRuntime does it.
		cfg.ConnConfig.RuntimeParams["role"] = RuntimeRole
	}
	sqlcount.Install(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("testdb: connecting to the test database: %v", err)
	}
	// Cleanups run last-in first-out: the pool closes before the drop.
	t.Cleanup(pool.Close)
	if err := pool.Ping(ctx); err != nil {
		t.Fatalf("testdb: connecting to the test database: %v", err)
	}
	return pool
}

// URL returns the connection URL of a fresh database with every migration
// applied, for tests that run the binary or open their own connections. The
// database is dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	tpl, err := template()
	if err != nil {
		t.Fatalf("testdb: preparing the template database: %v", err)
	}
	return create(t, tpl)
}

// EmptyURL returns the connection URL of a fresh, empty database (no
// migrations applied), dropped when the test ends.
func EmptyURL(t testing.TB) string {
	t.Helper()
	return create(t, "template0")
}

// server is the connection to TEST_DATABASE_URL, shared by the whole binary.
type server struct {
	url  string
	pool *pgxpool.Pool
}

var adminServer = sync.OnceValues(func() (*server, error) {
	url := os.Getenv(EnvURL)
	if url == "" {
		return nil, errors.New(EnvURL + " is not set: run the tests with `make test`, which starts a local PostgreSQL, " +
			"or set " + EnvURL + " to a PostgreSQL server where the tests may CREATE DATABASE " +
			"(e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvURL, err)
	}
	cfg.MaxConns = 4
	cfg.MinConns = 0
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvURL, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connecting to %s (%s): %w (is the server running? `make test` starts one)", EnvURL, redact(url), err)
	}
	// The runtime role belongs to the cluster; migration 00044 creates it
	// too, but a test of an empty or half-migrated database must find it.
	if _, err := pool.Exec(ctx, `DO $$ BEGIN
		IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '`+RuntimeRole+`') THEN
			CREATE ROLE `+RuntimeRole+` NOLOGIN;
		END IF;
	EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
	END $$`); err != nil {
		pool.Close()
		return nil, fmt.Errorf("creating the role %s: %w", RuntimeRole, err)
	}
	return &server{url: url, pool: pool}, nil
})

// admin returns the shared server connection, failing the test without it.
func admin(t testing.TB) *server {
	t.Helper()
	s, err := adminServer()
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	return s
}

// create makes a new database from tpl and returns its URL; it is dropped at
// the end of the test.
func create(t testing.TB, tpl string) string {
	t.Helper()
	s := admin(t)
	name := testPrefix + strconv.FormatInt(time.Now().Unix(), 10) + "_" + randomHex(6)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	stmt := "CREATE DATABASE " + ident(name) + " TEMPLATE " + ident(tpl)
	for delay := 20 * time.Millisecond; ; delay *= 2 {
		_, err := s.pool.Exec(ctx, stmt)
		if err == nil {
			break
		}
		// 55006: "source database … is being accessed by other users". The
		// template does not allow connections, but a template being dropped or
		// a stray session can still hold it for a moment.
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "55006" && delay < 3*time.Second {
			time.Sleep(delay)
			continue
		}
		t.Fatalf("testdb: %s: %v", stmt, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// FORCE ends sessions the test left open (PostgreSQL 13+).
		if _, err := s.pool.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("testdb: dropping %s: %v", name, err)
		}
	})
	return withDatabase(s.url, name)
}

// template returns the name of the migrated template database, building it on
// first use in this process.
var template = sync.OnceValues(func() (string, error) {
	s, err := adminServer()
	if err != nil {
		return "", err
	}
	hash, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := templatePrefix + hash
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return "", fmt.Errorf("taking the advisory lock: %w", err)
	}
	defer func() {
		// A fresh context: the lock must go even if ctx expired.
		uctx, ucancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer ucancel()
		if _, err := conn.Exec(uctx, "SELECT pg_advisory_unlock($1)", lockKey); err != nil {
			// The session ends with the connection, and the lock with it.
			conn.Conn().Close(uctx) //nolint:errcheck
		}
	}()

	dropLeftovers(ctx, conn.Conn(), name)

	var isTemplate bool
	err = conn.QueryRow(ctx, "SELECT datistemplate FROM pg_database WHERE datname = $1", name).Scan(&isTemplate)
	switch {
	case err == nil && isTemplate:
		return name, nil // built earlier, by this or another test binary
	case err == nil:
		// Left half-built by a binary that died while migrating.
		if _, err := conn.Exec(ctx, "DROP DATABASE "+ident(name)+" WITH (FORCE)"); err != nil {
			return "", err
		}
	case !errors.Is(err, pgx.ErrNoRows):
		return "", err
	}

	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE template0"); err != nil {
		return "", err
	}
	if err := migrate(ctx, withDatabase(s.url, name)); err != nil {
		return "", fmt.Errorf("migrating %s: %w", name, err)
	}
	// Marking it a template, and refusing connections, makes it final: copies
	// never meet "being accessed by other users".
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident(name)+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return "", err
	}
	comment := "lekwacht test template, created " + time.Now().UTC().Format(time.RFC3339)
	if _, err := conn.Exec(ctx, "COMMENT ON DATABASE "+ident(name)+" IS "+quote(comment)); err != nil {
		return "", err
	}
	return name, nil
})

// migrate applies every migration to the database at url.
func migrate(ctx context.Context, url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return err
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	return migrateUp(ctx, db)
}

// migrateUp applies every migration in migrations.FS to db with goose.
func migrateUp(ctx context.Context, db *sql.DB) error {
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// dropLeftovers drops, best effort, test databases older than maxAge and
// templates other than keep that are older than maxAge.
func dropLeftovers(ctx context.Context, conn *pgx.Conn, keep string) {
	rows, err := conn.Query(ctx, `
		SELECT datname, datistemplate, coalesce(shobj_description(oid, 'pg_database'), '')
		FROM pg_database
		WHERE datname LIKE 'lekwacht\_test\_%' OR datname LIKE 'lekwacht\_tpl\_%'`)
	if err != nil {
		return
	}
	type db struct {
		name       string
		isTemplate bool
	}
	var old []db
	cutoff := time.Now().Add(-maxAge)
	for rows.Next() {
		var name, comment string
		var isTemplate bool
		if rows.Scan(&name, &isTemplate, &comment) != nil {
			continue
		}
		var created time.Time
		switch {
		case strings.HasPrefix(name, testPrefix):
			secs, _, _ := strings.Cut(strings.TrimPrefix(name, testPrefix), "_")
			n, err := strconv.ParseInt(secs, 10, 64)
			if err != nil {
				continue
			}
			created = time.Unix(n, 0)
		case name != keep:
			_, ts, ok := strings.Cut(comment, "created ")
			if !ok {
				continue
			}
			if created, err = time.Parse(time.RFC3339, ts); err != nil {
				continue
			}
		default:
			continue
		}
		if created.Before(cutoff) {
			old = append(old, db{name, isTemplate})
		}
	}
	rows.Close()
	for _, d := range old {
		if d.isTemplate {
			if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident(d.name)+" WITH IS_TEMPLATE false"); err != nil {
				continue
			}
		}
		conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(d.name)+" WITH (FORCE)") //nolint:errcheck // best effort
	}
}

// migrationsHash hashes the names and contents of every file in migrations.FS.
func migrationsHash() (string, error) {
	h := sha256.New()
	h.Write([]byte(helperVersion))
	var paths []string
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(paths)
	for _, p := range paths {
		b, err := fs.ReadFile(migrations.FS, p)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "\x00%s\x00%d\x00", p, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// withDatabase returns url with its database name replaced by name. It accepts
// both URLs (postgres://…) and keyword/value strings (host=… dbname=…).
func withDatabase(url, name string) string {
	if strings.Contains(url, "://") {
		scheme, rest, _ := strings.Cut(url, "://")
		query := ""
		if i := strings.IndexByte(rest, '?'); i >= 0 {
			rest, query = rest[:i], rest[i:]
		}
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			rest = rest[:i]
		}
		return scheme + "://" + rest + "/" + name + query
	}
	// In keyword/value form the last dbname wins.
	return url + " dbname=" + name
}

// redact hides a password in a URL for error messages.
func redact(url string) string {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil || cfg.Password == "" {
		return url
	}
	return strings.ReplaceAll(url, cfg.Password, "xxxxx")
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}
