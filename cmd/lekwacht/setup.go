package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lekwacht/lekwacht/internal/config"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/sqlcount"
	"github.com/lekwacht/lekwacht/internal/store"

	// Europe/Amsterdam must be known also in a scratch container without tzdata.
	_ "time/tzdata"
)

// app is what every subcommand that touches the database needs.
type app struct {
	cfg    config.Config
	log    *slog.Logger
	pool   *pgxpool.Pool
	store  *store.Store
	loc    *time.Location
	svc    *service.Services
	closer func()
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// open reads the configuration, connects to PostgreSQL as the runtime role
// (store.RuntimeRole, through DATABASE_URL) and wires the services: what
// serve, demo and user add run on.
func open(ctx context.Context, getenv func(string) string, stderr io.Writer) (*app, error) {
	return openAs(ctx, getenv, stderr, false)
}

// openOwner is open as the owner of the schema (DATABASE_MIGRATE_URL, else
// DATABASE_URL), for migrate and audit verify.
func openOwner(ctx context.Context, getenv func(string) string, stderr io.Writer) (*app, error) {
	return openAs(ctx, getenv, stderr, true)
}

func openAs(ctx context.Context, getenv func(string) string, stderr io.Writer, owner bool) (*app, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, err
	}
	log := newLogger(cfg, stderr)
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return nil, fmt.Errorf("tijdzone Europe/Amsterdam: %w", err)
	}
	pool, err := connect(ctx, cfg, owner)
	if err != nil {
		return nil, err
	}
	st := store.New(pool)
	deps := service.Deps{Store: st, Now: time.Now, Location: loc, BaseURL: cfg.BaseURL, Logger: log}
	// Mail goes on the job queue only where it is delivered: without an SMTP
	// server it waits in the outbox, off the queue, until a server with one
	// puts it there (issue 13: 132,000 jobs re-snoozed for ever).
	if cfg.SMTP.Host != "" {
		queue, err := service.NewQueue(pool)
		if err != nil {
			pool.Close()
			return nil, err
		}
		deps.Queue = queue
	}
	deps.SessionIdle, deps.SessionLifetime, deps.SecretKey = cfg.SessionIdle, cfg.SessionLifetime, cfg.SecretKey
	svc := service.New(deps)
	return &app{cfg: cfg, log: log, pool: pool, store: st, loc: loc, svc: svc, closer: pool.Close}, nil
}

// connect opens the pool: as the owner on cfg.OwnerURL(), or as the runtime
// role on DATABASE_URL.
func connect(ctx context.Context, cfg config.Config, owner bool) (*pgxpool.Pool, error) {
	name, url := "DATABASE_URL", cfg.DatabaseURL
	if owner && cfg.MigrateURL != "" {
		name, url = "DATABASE_MIGRATE_URL", cfg.MigrateURL
	}
	pcfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	pcfg.MaxConns = int32(cfg.DBMaxConns)
	if !owner {
		store.AsRuntime(pcfg)
	}
	sqlcount.Install(pcfg) // counts only where a request asks for it
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		var pe *pgconn.PgError
		if !owner && errors.As(err, &pe) && pe.Code == "42501" {
			return nil, fmt.Errorf("de databasegebruiker van %s mag niet werken als de rol %s: "+
				"voer eerst 'lekwacht migrate up' uit (als eigenaar) en geef dan GRANT %s TO <gebruiker> (docs/operations.md, Databaserollen): %w",
				name, store.RuntimeRole, store.RuntimeRole, err)
		}
		return nil, fmt.Errorf("database %s niet bereikbaar: %w", config.RedactURL(url), err)
	}
	return pool, nil
}
