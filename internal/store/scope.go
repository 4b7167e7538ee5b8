package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Row-level security (migration 00045) is the second wall behind the
// organisation filter of every query: each tenant table shows and takes
// only the rows of the organisation in the setting lekwacht.organisation,
// or every row while lekwacht.system is on. A statement without either
// sees nothing, so a query that forgets its filter returns no other
// organisation's rows.
//
// The setting rides in the context. The service puts the actor's
// organisation there (InOrganisation) at the start of each use case; the
// few places that work across organisations, or before the organisation is
// known, say so with System. The store applies it to every statement it
// sends, local to the transaction (set_config(…, true)) and in the same
// round trip:
//
//   - Transact and the store's own transactions begin with
//     "begin; select set_config(…)", one simple-protocol statement;
//   - a statement on the pool (outside a transaction) goes in one batch
//     after set_config: a batch is one implicit transaction, so the setting
//     holds for the statement and is gone after it;
//   - Gather puts set_config first in each of its batches.
//
// So the setting costs a statement in a batch but never a round trip, and
// it cannot leak to the next user of a pooled connection.

type scopeKey struct{}

// scope is one of: an organisation, or every organisation (system).
type scope struct {
	org    int64
	system bool
}

// InOrganisation returns ctx in which the store's statements see only the
// rows of organisation orgID. It replaces a scope set before.
func InOrganisation(ctx context.Context, orgID int64) context.Context {
	return context.WithValue(ctx, scopeKey{}, scope{org: orgID})
}

// System returns ctx in which the store's statements see every
// organisation's rows. Only for work that is not one organisation's, or
// before the organisation is known, each named in docs/security.md:
// the deadline scan, the retention job, mail delivery, demo seeding and
// user add, sign-in (the user is found by address or token), a person's
// memberships (switching, "Al mijn organisaties", the address of a member
// being added), the public
// report pages and processor links (the organisation comes from the link),
// and audit verify.
func System(ctx context.Context) context.Context {
	return context.WithValue(ctx, scopeKey{}, scope{system: true})
}

func scopeFrom(ctx context.Context) (scope, bool) {
	s, ok := ctx.Value(scopeKey{}).(scope)
	return s, ok
}

// The setting as one statement with the value as a parameter (one prepared
// statement for all organisations) and as a literal for the simple
// protocol (begin; …), where an integer or a constant is all that is ever
// written into the text.
const (
	setOrganisationSQL = `SELECT set_config('lekwacht.organisation', $1, true)`
	setSystemSQL       = `SELECT set_config('lekwacht.system', 'on', true)`
)

func (s scope) queued() *pgx.QueuedQuery {
	if s.system {
		return &pgx.QueuedQuery{SQL: setSystemSQL}
	}
	return &pgx.QueuedQuery{SQL: setOrganisationSQL, Arguments: []any{strconv.FormatInt(s.org, 10)}}
}

func (s scope) literal() string {
	if s.system {
		return setSystemSQL
	}
	return `SELECT set_config('lekwacht.organisation', '` + strconv.FormatInt(s.org, 10) + `', true)`
}

// begin starts a transaction with opts in which ctx's scope holds, in the
// one round trip of the BEGIN.
func begin(ctx context.Context, pool *pgxpool.Pool, opts pgx.TxOptions) (pgx.Tx, error) {
	if s, ok := scopeFrom(ctx); ok {
		opts.BeginQuery = beginSQL(opts) + "; " + s.literal()
	}
	return pool.BeginTx(ctx, opts)
}

// scopedBegin begins the transactions of pgx.BeginTxFunc with begin.
type scopedBegin struct{ pool *pgxpool.Pool }

func (b scopedBegin) BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	return begin(ctx, b.pool, opts)
}

// beginSQL is the BEGIN pgx sends for opts.
func beginSQL(o pgx.TxOptions) string {
	var b strings.Builder
	b.WriteString("begin")
	if o.IsoLevel != "" {
		b.WriteString(" isolation level " + string(o.IsoLevel))
	}
	if o.AccessMode != "" {
		b.WriteString(" " + string(o.AccessMode))
	}
	if o.DeferrableMode != "" {
		b.WriteString(" " + string(o.DeferrableMode))
	}
	return b.String()
}

// scopedPool is the DBTX of the store's statements on the pool: each goes
// after the scope's set_config in one batch.
type scopedPool struct{ pool *pgxpool.Pool }

func (p scopedPool) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	s, ok := scopeFrom(ctx)
	if !ok {
		return p.pool.Exec(ctx, sql, args...)
	}
	br := p.pool.SendBatch(ctx, &pgx.Batch{QueuedQueries: []*pgx.QueuedQuery{s.queued(), {SQL: sql, Arguments: args}}})
	if _, err := br.Exec(); err != nil {
		br.Close()
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (p scopedPool) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	s, ok := scopeFrom(ctx)
	if !ok {
		return p.pool.Query(ctx, sql, args...)
	}
	br := p.pool.SendBatch(ctx, &pgx.Batch{QueuedQueries: []*pgx.QueuedQuery{s.queued(), {SQL: sql, Arguments: args}}})
	if _, err := br.Exec(); err != nil {
		br.Close()
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		rows.Close()
		br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

func (p scopedPool) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	s, ok := scopeFrom(ctx)
	if !ok {
		return p.pool.QueryRow(ctx, sql, args...)
	}
	return batchRow{br: p.pool.SendBatch(ctx, &pgx.Batch{QueuedQueries: []*pgx.QueuedQuery{s.queued(), {SQL: sql, Arguments: args}}})}
}

// SendBatch sends b after the scope's set_config, whose result it reads
// before it hands the results over.
func (p scopedPool) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	s, ok := scopeFrom(ctx)
	if !ok {
		return p.pool.SendBatch(ctx, b)
	}
	br := p.pool.SendBatch(ctx, &pgx.Batch{QueuedQueries: append([]*pgx.QueuedQuery{s.queued()}, b.QueuedQueries...)})
	// A failure here comes again with the first result the caller reads.
	br.Exec() //nolint:errcheck // see above
	return br
}

// batchRows are the rows of a statement sent after set_config: closing them
// closes the batch, which gives the connection back.
type batchRows struct {
	pgx.Rows
	br     pgx.BatchResults
	closed bool
	err    error
}

func (r *batchRows) Close() {
	r.Rows.Close()
	if !r.closed {
		r.closed = true
		r.err = r.br.Close()
	}
}

func (r *batchRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Close()
	return false
}

func (r *batchRows) Err() error {
	if err := r.Rows.Err(); err != nil {
		return err
	}
	return r.err
}

// batchRow is the row of a QueryRow sent after set_config.
type batchRow struct{ br pgx.BatchResults }

func (r batchRow) Scan(dest ...any) error {
	if _, err := r.br.Exec(); err != nil {
		r.br.Close()
		return err
	}
	err := r.br.QueryRow().Scan(dest...)
	if cerr := r.br.Close(); err == nil {
		err = cerr
	}
	return err
}
