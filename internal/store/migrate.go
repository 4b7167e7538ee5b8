package store

import (
	"context"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/lekwacht/lekwacht/migrations"
)

// SchemaState says where the database schema stands.
type SchemaState struct {
	Current, Latest int64
}

// Behind reports whether migrations are pending.
func (s SchemaState) Behind() bool { return s.Current < s.Latest }

func provider(pool *pgxpool.Pool) (*goose.Provider, func() error, error) {
	db := stdlib.OpenDBFromPool(pool)
	// A PostgreSQL advisory lock, so that several app servers started with
	// LEKWACHT_MIGRATE=true at once migrate one after the other.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, goose.WithSessionLocker(locker))
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("migrations: %w", err)
	}
	return p, db.Close, nil
}

// Schema returns the current and latest schema versions.
func Schema(ctx context.Context, pool *pgxpool.Pool) (SchemaState, error) {
	p, closeDB, err := provider(pool)
	if err != nil {
		return SchemaState{}, err
	}
	defer closeDB()
	// Without goose's table goose would create it, which the runtime role
	// may not (and should not): nothing is applied yet.
	var exists bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('goose_db_version') IS NOT NULL`).Scan(&exists); err != nil {
		return SchemaState{}, fmt.Errorf("schema versions: %w", err)
	}
	if !exists {
		srcs := p.ListSources()
		return SchemaState{Latest: srcs[len(srcs)-1].Version}, nil
	}
	cur, latest, err := p.GetVersions(ctx)
	if err != nil {
		return SchemaState{}, fmt.Errorf("schema versions: %w", err)
	}
	return SchemaState{Current: cur, Latest: latest}, nil
}

// Migrate runs "up", "down" (one step) or "status", reporting to out.
func Migrate(ctx context.Context, pool *pgxpool.Pool, command string, out io.Writer) error {
	p, closeDB, err := provider(pool)
	if err != nil {
		return err
	}
	defer closeDB()
	switch command {
	case "up":
		res, err := p.Up(ctx)
		for _, r := range res {
			fmt.Fprintf(out, "toegepast: %s (%s)\n", r.Source.Path, r.Duration.Round(1e6))
		}
		if err != nil {
			return fmt.Errorf("migrate up: %w", err)
		}
	case "down":
		r, err := p.Down(ctx)
		if r != nil {
			fmt.Fprintf(out, "teruggedraaid: %s\n", r.Source.Path)
		}
		if err != nil {
			return fmt.Errorf("migrate down: %w", err)
		}
	case "status":
		sts, err := p.Status(ctx)
		if err != nil {
			return fmt.Errorf("migrate status: %w", err)
		}
		for _, s := range sts {
			state := "nog niet toegepast"
			if s.State == goose.StateApplied {
				state = "toegepast op " + s.AppliedAt.Format("2006-01-02 15:04:05")
			}
			fmt.Fprintf(out, "%-40s %s\n", s.Source.Path, state)
		}
	default:
		return fmt.Errorf("onbekende migrate-opdracht %q: gebruik up, down of status", command)
	}
	return nil
}
