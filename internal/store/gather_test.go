package store

import (
	"context"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/sqlcount"
	"github.com/lekwacht/lekwacht/internal/testdb"
)

// Gather sends the statements of fns that run at once in one batch per
// round, and a failed statement fails its fn (and those after it in the
// batch) without leaving any fn waiting.
func TestGatherBatchesIndependentReads(t *testing.T) {
	t.Parallel()
	st := New(testdb.New(t))
	ctx, c := sqlcount.WithCounter(System(context.Background()))
	org, err := st.CreateOrganisation(System(context.Background()), "Bestuur G")
	if err != nil {
		t.Fatal(err)
	}
	var a, b, second int
	var names []string
	err = st.Gather(ctx,
		func(q *Queries) error {
			_, err := q.Schools(ctx, org)
			return err
		},
		func(q *Queries) error {
			if err := q.db.QueryRow(ctx, "SELECT 1").Scan(&a); err != nil {
				return err
			}
			// A second statement of the same fn goes in the next batch.
			return q.db.QueryRow(ctx, "SELECT $1::int + 1", a).Scan(&second)
		},
		func(q *Queries) error {
			rows, err := q.db.Query(ctx, "SELECT x FROM generate_series(1, 3) x")
			if err != nil {
				return err
			}
			for rows.Next() {
				var x int
				if err := rows.Scan(&x); err != nil {
					return err
				}
				b += x
			}
			return rows.Err()
		},
		func(q *Queries) error {
			rows, err := q.db.Query(ctx, "SELECT name FROM organisations WHERE id = $1", org)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var n string
				if err := rows.Scan(&n); err != nil {
					return err
				}
				names = append(names, n)
			}
			return rows.Err()
		},
	)
	if err != nil {
		t.Fatal(err)
	}
	if a != 1 || second != 2 || b != 6 || len(names) != 1 || names[0] != "Bestuur G" {
		t.Errorf("results a=%d second=%d b=%d names=%v", a, second, b, names)
	}
	// Each batch starts with the scope's set_config (row-level security,
	// scope.go): one statement more per batch, no round trip more.
	if c.RoundTrips() != 2 || c.Statements() != 7 {
		t.Errorf("%d statements in %d round trips, want 7 in 2:\n%s", c.Statements(), c.RoundTrips(), c)
	}

	// A failing statement: its fn gets the error, and so does Gather; no fn hangs.
	err = st.Gather(ctx,
		func(q *Queries) error { return q.db.QueryRow(ctx, "SELECT 1").Scan(&a) },
		func(q *Queries) error { return q.db.QueryRow(ctx, "SELECT nope FROM nowhere").Scan(&a) },
		func(q *Queries) error { return q.db.QueryRow(ctx, "SELECT 3").Scan(&a) },
	)
	if err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("Gather with a bad statement: %v", err)
	}
	// And a fn that runs no statement at all.
	if err := st.Gather(ctx, func(*Queries) error { return nil }); err != nil {
		t.Error(err)
	}
}
