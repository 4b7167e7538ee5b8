package sqlcount_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/sqlcount"
	"github.com/lekwacht/lekwacht/internal/testdb"
)

func TestCounterCountsStatementsAndRoundTrips(t *testing.T) {
	pool, owner := testdb.NewWithOwner(t) // installs the tracer
	ctx := context.Background()
	// The runtime role may not create tables (issue 15.4): the owner does.
	if _, err := owner.Exec(ctx, "CREATE TABLE t (n int); GRANT ALL ON t TO lekwacht_runtime"); err != nil { // not counted: no counter
		t.Fatal(err)
	}

	cctx, c := sqlcount.WithCounter(ctx)
	if _, err := pool.Exec(cctx, "INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(cctx, "SELECT count(*) FROM t").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if got, want := c.Statements(), 2; got != want {
		t.Fatalf("after Exec and QueryRow: %d statements, want %d:\n%s", got, want, c)
	}

	b := &pgx.Batch{}
	b.Queue("SELECT 1")
	b.Queue("SELECT 2")
	b.Queue("SELECT 3")
	if err := pool.SendBatch(cctx, b).Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.CopyFrom(cctx, pgx.Identifier{"t"}, []string{"n"}, pgx.CopyFromRows([][]any{{2}, {3}})); err != nil {
		t.Fatal(err)
	}
	if err := pgx.BeginFunc(cctx, pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(cctx, "DELETE FROM t")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// 2 + batch of 3 + copy + begin, delete, commit
	if got, want := c.Statements(), 9; got != want {
		t.Errorf("statements = %d, want %d:\n%s", got, want, c)
	}
	// 2 + 1 batch + 1 copy + 3
	if got, want := c.RoundTrips(), 7; got != want {
		t.Errorf("round trips = %d, want %d:\n%s", got, want, c)
	}
	sql := c.SQL()
	if len(sql) != 9 || sql[0] != "INSERT INTO t VALUES (1)" || sql[2] != "batch: SELECT 1" || !strings.HasPrefix(sql[5], "COPY") {
		t.Errorf("SQL() = %q", sql)
	}

	// Work with another context is not counted.
	if _, err := pool.Exec(ctx, "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	if c.Statements() != 9 {
		t.Errorf("a statement without the counter was counted")
	}
	c.Reset()
	if c.Statements() != 0 || c.RoundTrips() != 0 || len(c.SQL()) != 0 {
		t.Errorf("Reset left %d statements", c.Statements())
	}
	if sqlcount.FromContext(ctx) != nil || sqlcount.FromContext(cctx) != c {
		t.Error("FromContext does not return the counter of the context")
	}
}
