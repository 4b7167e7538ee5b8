// Package sqlcount counts the SQL statements and database round trips that a
// piece of work sends to PostgreSQL, so that tests can assert them and a new
// N+1 query fails CI.
//
// Install the Tracer on a pool's configuration once (testdb.New and the
// server's pool do); it costs one context lookup per statement and counts
// nothing unless a Counter rides in the context of the call:
//
//	cfg, _ := pgxpool.ParseConfig(url)
//	sqlcount.Install(cfg)
//	pool, _ := pgxpool.NewWithConfig(ctx, cfg)
//
//	ctx, c := sqlcount.WithCounter(ctx)
//	svc.Incidents.Get(ctx, actor, id)
//	c.Statements() // e.g. 3; c.SQL() lists them for a failure message
//
// What counts: every Exec, Query and QueryRow is one statement and one round
// trip (BEGIN, COMMIT and SAVEPOINT included, since pgx sends them as
// statements); a pgx.Batch is one round trip with one statement per queued
// query; a CopyFrom is one statement and one round trip. Work done with
// another context (a background job, a library that uses
// context.Background()) is not counted.
package sqlcount

import (
	"context"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Counter holds the counts of one piece of work. It is safe for concurrent
// use: one request may run queries from several goroutines.
type Counter struct {
	mu         sync.Mutex
	statements int
	roundTrips int
	sql        []string
}

// Statements returns how many statements were sent so far.
func (c *Counter) Statements() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.statements
}

// RoundTrips returns how many round trips to the database were made so far
// (a batch of several statements is one).
func (c *Counter) RoundTrips() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.roundTrips
}

// SQL returns the statements sent so far, in order, each on one line with
// its whitespace collapsed; statements of a batch are prefixed "batch: ".
func (c *Counter) SQL() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.sql...)
}

// String lists the statements one per line, for test failure messages.
func (c *Counter) String() string { return strings.Join(c.SQL(), "\n") }

// Reset sets the counts back to zero.
func (c *Counter) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.statements, c.roundTrips, c.sql = 0, 0, nil
}

func (c *Counter) add(sql string, statements, roundTrips int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.statements += statements
	c.roundTrips += roundTrips
	if sql != "" {
		c.sql = append(c.sql, strings.Join(strings.Fields(sql), " "))
	}
}

type ctxKey struct{}

// WithCounter returns a context that counts the statements run with it (or a
// context derived from it), and the counter that holds the counts. A context
// that already counts gets a fresh counter of its own; the outer one does not
// see what the inner one counts.
func WithCounter(ctx context.Context) (context.Context, *Counter) {
	c := &Counter{}
	return context.WithValue(ctx, ctxKey{}, c), c
}

// FromContext returns the counter in ctx, or nil.
func FromContext(ctx context.Context) *Counter {
	c, _ := ctx.Value(ctxKey{}).(*Counter)
	return c
}

// Tracer is a pgx tracer (pgx.QueryTracer, pgx.BatchTracer,
// pgx.CopyFromTracer) that adds each statement to the Counter in its context.
type Tracer struct{}

// Install sets a Tracer on cfg. It replaces any tracer set before (pgx has
// one tracer per connection configuration).
func Install(cfg *pgxpool.Config) { cfg.ConnConfig.Tracer = Tracer{} }

// TraceQueryStart counts one statement and one round trip.
func (Tracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if c := FromContext(ctx); c != nil {
		c.add(data.SQL, 1, 1)
	}
	return ctx
}

// TraceQueryEnd does nothing.
func (Tracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart counts one round trip and a statement per queued query.
func (Tracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchStartData) context.Context {
	c := FromContext(ctx)
	if c == nil || data.Batch == nil {
		return ctx
	}
	c.add("", len(data.Batch.QueuedQueries), 1)
	for _, q := range data.Batch.QueuedQueries {
		c.add("batch: "+q.SQL, 0, 0)
	}
	return ctx
}

// TraceBatchQuery does nothing: the statements were counted at the start.
func (Tracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

// TraceBatchEnd does nothing.
func (Tracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// TraceCopyFromStart counts one statement and one round trip.
func (Tracer) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceCopyFromStartData) context.Context {
	if c := FromContext(ctx); c != nil {
		c.add("COPY "+data.TableName.Sanitize()+" FROM STDIN", 1, 1)
	}
	return ctx
}

// TraceCopyFromEnd does nothing.
func (Tracer) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {}

var (
	_ pgx.QueryTracer    = Tracer{}
	_ pgx.BatchTracer    = Tracer{}
	_ pgx.CopyFromTracer = Tracer{}
)
