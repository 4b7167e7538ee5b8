package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/lekwacht/lekwacht/internal/config"
	"github.com/lekwacht/lekwacht/internal/mail"
	"github.com/lekwacht/lekwacht/internal/server"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/store"
)

// runServe starts the web server and stops it gracefully when ctx ends.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("serve kent geen argumenten; stel alles in met omgevingsvariabelen (zie README)")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if cfg.Migrate {
		// As the owner, on a pool of its own: the runtime role may not.
		owner, err := connect(ctx, cfg, true)
		if err != nil {
			return err
		}
		err = store.Migrate(ctx, owner, "up", io.Discard)
		owner.Close()
		if err != nil {
			return err
		}
	}
	a, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.closer()
	state, err := store.Schema(ctx, a.pool)
	if err != nil {
		return err
	}
	if state.Behind() {
		return fmt.Errorf("het databaseschema loopt achter (versie %d, deze versie van Lekwacht heeft %d nodig): "+
			"voer eerst 'lekwacht migrate up' uit, of start met LEKWACHT_MIGRATE=true", state.Current, state.Latest)
	}
	// The background work (mail delivery, deadline reminders) runs on every
	// server; River gives each job to one of them.
	var sender mail.Sender
	if a.cfg.SMTP.Host != "" {
		sender = mail.NewSMTP(mail.SMTPConfig{Host: a.cfg.SMTP.Host, Port: a.cfg.SMTP.Port, Username: a.cfg.SMTP.Username,
			Password: a.cfg.SMTP.Password, TLS: mail.TLS(a.cfg.SMTP.TLS), From: a.cfg.SMTP.From})
		a.log.Info("mail on", "smtp_host", a.cfg.SMTP.Host, "smtp_port", a.cfg.SMTP.Port, "smtp_tls", a.cfg.SMTP.TLS)
	} else {
		a.log.Warn("mail off: LEKWACHT_SMTP_HOST is not set; notifications appear in the app, mail stays queued until an SMTP server is configured")
	}
	jobs, err := a.svc.NewJobs(a.pool, service.JobsConfig{Sender: sender, Logger: a.log})
	if err != nil {
		return err
	}
	jobsCtx, stopJobs := context.WithCancel(context.Background())
	defer stopJobs()
	if err := jobs.Start(jobsCtx); err != nil {
		return fmt.Errorf("achtergrondtaken starten: %w", err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := jobs.Stop(stopCtx); err != nil {
			a.log.Warn("background jobs did not stop in time", "err", err)
		}
	}()
	sessionStore := store.NewSessionStore(a.pool, a.cfg.SessionIdle)
	go sessionStore.CleanUp(jobsCtx, 5*time.Minute, func(err error) { a.log.Warn("removing expired sessions failed", "err", err) })
	srv := server.New(server.Deps{
		Services: a.svc,
		Sessions: server.NewSessions(sessionStore, a.cfg.SessionIdle, a.cfg.SessionLifetime, a.cfg.Secure()),
		DB:       a.pool, Logger: a.log, Location: a.loc, Now: time.Now, Secure: a.cfg.Secure(),
		ClientIPHeader: a.cfg.ClientIPHeader, SecretKey: a.cfg.SecretKey,
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
