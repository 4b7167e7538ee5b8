package store

import (
	"context"
	"errors"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Gather runs fns at once, each with Queries of its own whose statements are
// gathered into batches: whenever every fn still running waits on a
// statement, the waiting statements go to the database together, as one
// pgx.Batch, in one round trip. The reads of a page that do not depend on
// each other thus cost one round trip instead of one each, while the store's
// functions stay as they are. Each fn must run its statements one at a time,
// as on a connection (read a result before sending the next); a fn that
// needs the result of another runs after Gather returns, or in the same fn
// after it (its next statement then goes in a later batch).
//
// Gather runs on the pool: its statements see no transaction. It returns
// the first error of a fn, else the error of sending a batch.
func (s *Store) Gather(ctx context.Context, fns ...func(q *Queries) error) error {
	g := &gatherer{running: len(fns)}
	g.cond = sync.NewCond(&g.mu)
	errs := make([]error, len(fns))
	for i, fn := range fns {
		w := &gatherWorker{g: g, pool: scopedPool{s.pool}, finished: make(chan struct{})}
		go func() {
			defer func() {
				close(w.finished)
				g.mu.Lock()
				g.running--
				g.mu.Unlock()
				g.cond.Broadcast()
			}()
			errs[i] = fn(&Queries{db: w})
		}()
	}
	var sendErr error
	for {
		g.mu.Lock()
		for g.running > 0 && len(g.queued) < g.running {
			g.cond.Wait()
		}
		calls := g.queued
		g.queued = nil
		g.mu.Unlock()
		if len(calls) == 0 {
			break // every fn returned
		}
		b := &pgx.Batch{}
		for _, c := range calls {
			b.Queue(c.sql, c.args...).Fn = func(br pgx.BatchResults) error {
				c.delivered = true
				return c.deliver(br)
			}
		}
		// After the organisation's set_config (scope.go), in the same batch.
		err := scopedPool{s.pool}.SendBatch(ctx, b).Close()
		// After a failed statement pgx reads no further results: the
		// statements left get the batch's error.
		for _, c := range calls {
			if !c.delivered {
				if err == nil {
					err = errors.New("gather: a batch ended before every statement was read")
				}
				c.fail(err)
				if sendErr == nil {
					sendErr = err
				}
			}
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return sendErr
}

type gatherer struct {
	mu      sync.Mutex
	cond    *sync.Cond
	running int           // fns that have not returned
	queued  []*gatherCall // one per fn waiting on a statement
}

// gatherWorker is the DBTX of one fn of a Gather.
type gatherWorker struct {
	g        *gatherer
	pool     DBTX
	finished chan struct{} // closed when the fn returned
}

// gatherCall is one statement waiting for its batch. deliver hands the
// result to the fn and returns once the fn has read it; fail hands it an
// error instead.
type gatherCall struct {
	sql       string
	args      []any
	deliver   func(pgx.BatchResults) error
	fail      func(error)
	delivered bool
}

func (w *gatherWorker) enqueue(c *gatherCall) {
	w.g.mu.Lock()
	w.g.queued = append(w.g.queued, c)
	w.g.mu.Unlock()
	w.g.cond.Broadcast()
}

// readBy blocks the batch until the fn has read a result (or returned).
func (w *gatherWorker) readBy(done <-chan struct{}) {
	select {
	case <-done:
	case <-w.finished:
	}
}

func (w *gatherWorker) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	type result struct {
		rows pgx.Rows
		err  error
	}
	got := make(chan result, 1)
	done := make(chan struct{})
	w.enqueue(&gatherCall{sql: sql, args: args,
		deliver: func(br pgx.BatchResults) error {
			rows, _ := br.Query() // an error comes with rows.Err
			got <- result{rows: rows}
			w.readBy(done)
			rows.Close()
			return nil
		},
		fail: func(err error) { got <- result{err: err} }})
	r := <-got
	if r.err != nil {
		return nil, r.err
	}
	return &gatherRows{Rows: r.rows, done: done}, nil
}

func (w *gatherWorker) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	got := make(chan pgx.Row, 1)
	done := make(chan struct{})
	w.enqueue(&gatherCall{sql: sql, args: args,
		deliver: func(br pgx.BatchResults) error {
			got <- br.QueryRow()
			w.readBy(done)
			return nil
		},
		fail: func(err error) { got <- errRow{err} }})
	return gatherRow{got: got, done: done}
}

func (w *gatherWorker) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	type result struct {
		tag pgconn.CommandTag
		err error
	}
	got := make(chan result, 1)
	w.enqueue(&gatherCall{sql: sql, args: args,
		deliver: func(br pgx.BatchResults) error {
			tag, err := br.Exec()
			got <- result{tag, err}
			return nil
		},
		fail: func(err error) { got <- result{err: err} }})
	r := <-got
	return r.tag, r.err
}

// SendBatch of a fn in a Gather goes to the pool on its own.
func (w *gatherWorker) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return w.pool.SendBatch(ctx, b)
}

// gatherRows are the rows of a batched query; closing them (or reading past
// the last, after which pgx closes rows itself) lets the batch go on.
type gatherRows struct {
	pgx.Rows
	done chan struct{}
	once sync.Once
}

func (r *gatherRows) Close() {
	r.Rows.Close()
	r.once.Do(func() { close(r.done) })
}

func (r *gatherRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Close()
	return false
}

// gatherRow is the row of a batched QueryRow: Scan waits for the batch.
type gatherRow struct {
	got  chan pgx.Row
	done chan struct{}
}

func (r gatherRow) Scan(dest ...any) error {
	err := (<-r.got).Scan(dest...)
	close(r.done)
	return err
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
