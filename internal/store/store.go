// Package store holds every SQL query of Lekwacht, on pgx v5. Each aggregate
// has its own file. Every query on an organisation's data filters by that
// organisation; PostgreSQL errors are mapped to apperr kinds here so that the
// service layer never sees driver details.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// DBTX is what both a pool and a transaction offer.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	// SendBatch sends several statements in one round trip.
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Queries runs the application's queries on a pool or inside a transaction.
type Queries struct{ db DBTX }

// Store is the entry point: queries on the pool, and Transact for changes.
type Store struct {
	*Queries
	pool *pgxpool.Pool
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store {
	return &Store{Queries: &Queries{db: scopedPool{pool}}, pool: pool}
}

// Pool returns the underlying pool (for the session store and health checks).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Transact runs fn in one transaction: committed when fn returns nil, rolled
// back otherwise. A change and its timeline entry go through one Transact.
// The organisation of ctx (InOrganisation, System) holds in it from its
// BEGIN on (scope.go).
func (s *Store) Transact(ctx context.Context, fn func(q *Queries) error) error {
	return pgx.BeginTxFunc(ctx, scopedBegin{s.pool}, pgx.TxOptions{}, func(tx pgx.Tx) error {
		return fn(&Queries{db: tx})
	})
}

// PostgreSQL error codes the store maps to kinds.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeCheckViolation      = "23514"
)

// pgCode returns the SQLSTATE of err, or "".
func pgCode(err error) (code, constraint string) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code, pe.ConstraintName
	}
	return "", ""
}

// notFound turns pgx.ErrNoRows into an apperr.NotFound with msg; other
// errors are wrapped with the operation.
func notFound(err error, op, msg string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return &apperr.Error{Kind: apperr.NotFound, Message: msg, Err: err}
	}
	return fmt.Errorf("%s: %w", op, err)
}
