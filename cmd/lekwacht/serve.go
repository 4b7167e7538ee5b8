package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"

	"github.com/lekwacht/lekwacht/internal/server"
	"github.com/lekwacht/lekwacht/internal/store"
)

// runServe starts the web server and stops it gracefully when ctx ends.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("serve kent geen argumenten; stel alles in met omgevingsvariabelen (zie README)")
	}
	a, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.closer()
	if a.cfg.Migrate {
		if err := store.Migrate(ctx, a.pool, "up", io.Discard); err != nil {
			return err
		}
	}
	state, err := store.Schema(ctx, a.pool)
	if err != nil {
		return err
	}
	if state.Behind() {
		return fmt.Errorf("het databaseschema loopt achter (versie %d, deze versie van Lekwacht heeft %d nodig): "+
			"voer eerst 'lekwacht migrate up' uit, of start met LEKWACHT_MIGRATE=true", state.Current, state.Latest)
	}
	sessionStore := pgxstore.NewWithCleanupInterval(a.pool, 5*time.Minute)
	defer sessionStore.StopCleanup()
	srv := server.New(server.Deps{
		Services: a.svc,
		Sessions: server.NewSessions(sessionStore, a.cfg.SessionIdle, a.cfg.SessionLifetime, a.cfg.Secure()),
		DB:       a.pool, Logger: a.log, Location: a.loc, Now: time.Now, Secure: a.cfg.Secure(),
	})
	hs := &http.Server{
		Addr:              a.cfg.Addr,
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("luisteren op %s: %w", a.cfg.Addr, err)
	}
	a.log.Info("lekwacht started", "addr", ln.Addr().String(), "base_url", a.cfg.BaseURL)
	fmt.Fprintf(stdout, "Lekwacht draait op %s\n", a.cfg.BaseURL)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	a.log.Info("lekwacht stopped")
	return nil
}
