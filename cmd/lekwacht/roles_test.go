package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/internal/testdb"
)

// TestTwoDatabaseRoles is the production set-up of docs/operations.md
// ("Databaserollen"): the app's login role (DATABASE_URL) is a member of
// the runtime role and nothing else, migrations run as the owner
// (DATABASE_MIGRATE_URL). The app's login role cannot migrate, and until
// it is a member of the runtime role the app refuses to start, saying what
// to grant.
func TestTwoDatabaseRoles(t *testing.T) {
	t.Parallel()
	ownerURL := testdb.EmptyURL(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	b := make([]byte, 4)
	rand.Read(b) //nolint:errcheck // never fails
	login := "lekwacht_app_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE ROLE "+login+" LOGIN"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), ownerURL); err == nil {
			c.Exec(context.Background(), "DROP ROLE IF EXISTS "+login) //nolint:errcheck // best effort
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(login)
	appURL := u.String()

	var out, errOut bytes.Buffer
	appOnly := envWith(map[string]string{"DATABASE_URL": appURL})
	both := envWith(map[string]string{"DATABASE_URL": appURL, "DATABASE_MIGRATE_URL": ownerURL})

	// Not yet a member: the app does not start, and says what to do.
	err = run(ctx, []string{"demo"}, both, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "GRANT "+store.RuntimeRole+" TO") {
		t.Errorf("demo as a login role outside %s: %v", store.RuntimeRole, err)
	}
	if _, err := admin.Exec(ctx, "GRANT "+store.RuntimeRole+" TO "+login); err != nil {
		t.Fatal(err)
	}
	// The app's login role may not change the schema.
	if err := run(ctx, []string{"migrate", "up"}, appOnly, nil, &out, &errOut); err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("migrate up as the app's login role: %v, want permission denied", err)
	}
	if err := run(ctx, []string{"migrate", "up"}, both, nil, &out, &errOut); err != nil {
		t.Fatalf("migrate up as the owner: %v\n%s", err, errOut.String())
	}
	if err := run(ctx, []string{"demo"}, both, nil, &out, &errOut); err != nil {
		t.Fatalf("demo as the runtime role: %v\n%s", err, errOut.String())
	}
	out.Reset()
	if err := run(ctx, []string{"audit", "verify"}, both, nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "in orde") {
		t.Errorf("audit verify as the owner: %v\n%s", err, out.String())
	}
	// Every table is the owner's, none the login role's.
	var owned int
	if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner IN ($1, $2)`,
		login, store.RuntimeRole).Scan(&owned); err != nil || owned != 0 {
		t.Errorf("%d tables owned by the app's roles (%v)", owned, err)
	}
}
