// Package service holds the use cases of Lekwacht. Each method authorises the
// actor (role, organisation, schools, step) with the policies of package
// incident, validates the input, and makes its change in one transaction
// together with its timeline or audit entry. Handlers call only this layer.
package service

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/deadline"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Services bundles the use cases with what they need.
type Services struct {
	Accounts   *Accounts
	Incidents  *Incidents
	Processors *Processors
	Analyses   *Analyses
	Outside    *Outside
	d          Deps
}

// Deps is what every service is built from.
type Deps struct {
	Store *store.Store
	// Now is the clock; tests inject their own.
	Now func() time.Time
	// Location is Europe/Amsterdam: case years and the dates users type.
	Location *time.Location
	// BaseURL prefixes links that leave the app (one-time password links).
	BaseURL string
	Logger  *slog.Logger
	// Calendar knows the Dutch working days for the deadlines.
	Calendar *deadline.Calendar
	// Queue is the job queue (River) on which notifications put their mail,
	// inside the transaction of the change; nil keeps mail in the outbox,
	// off the queue, until a server with an SMTP server puts it there (the
	// outbox job): set it only where mail is delivered.
	Queue Queue
	// ReminderBatch bounds one run of the deadline scan: at most this many
	// cases in one transaction (0: 2,000); the rest follow in the next run.
	ReminderBatch int
	// DigestFrom: a person with at least this many reminders in one run gets
	// one message listing them instead of one each (0: 4).
	DigestFrom int
	// HashSlots bounds the password hashes (argon2id, 19 MiB each) that run
	// at once; 0 is one per core. HashWait is how long a sign-in waits for a
	// slot before it is refused as busy; 0 is one second.
	HashSlots int
	HashWait  time.Duration
	// SessionIdle and SessionLifetime are the server's session timeouts
	// (0: 30 minutes and 12 hours); "Mijn sessies" lists only live ones.
	SessionIdle     time.Duration
	SessionLifetime time.Duration
	// SecretKey (LEKWACHT_SECRET_KEY, 32 bytes) seals the client secrets of
	// single sign-on; without it no provider can be configured.
	SecretKey []byte
	// HTTPClient calls the OpenID providers; nil: a client with a 10 s timeout.
	HTTPClient *http.Client
}

// New wires the services.
func New(d Deps) *Services {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Calendar == nil {
		cal, err := deadline.New()
		if err != nil {
			// Only fails without time zone data, which the deadline package embeds.
			panic(err)
		}
		d.Calendar = cal
	}
	return &Services{
		Accounts:   &Accounts{d: d, gate: newHashGate(d.HashSlots, d.HashWait)},
		Incidents:  &Incidents{d: d},
		Processors: &Processors{d: d},
		d:          d,
		Analyses:   &Analyses{d: d},
		Outside:    &Outside{d: d},
	}
}

// transact runs fn in a transaction and tries again, briefly, when the
// database connection failed in a way that is safe to retry: a hiccup of the
// database must not cost a teacher their report.
func transact(ctx context.Context, s *store.Store, fn func(q *store.Queries) error) error {
	// A form that held characters that cannot be stored changes nothing: the
	// web layer took them out so its page can show the form again, with a
	// message beside the field (issue 15.3).
	if err := apperr.BadInput(ctx); err != nil {
		return err
	}
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return err
			case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
			}
		}
		err = s.Transact(ctx, fn)
		if err == nil || !retryable(err) {
			return err
		}
	}
	return err
}

func retryable(err error) bool {
	if pgconn.SafeToRetry(err) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// serialization_failure, deadlock_detected, admin/crash shutdown, cannot_connect_now
		switch pe.Code {
		case "40001", "40P01", "57P01", "57P02", "57P03":
			return true
		}
	}
	return false
}

// scoped returns ctx in which the store sees only the actor's organisation
// (row-level security, store.InOrganisation): every use case of an actor
// starts with it, so that a query that forgets its organisation filter
// finds nothing. Without an actor nothing is visible either.
func scoped(ctx context.Context, a *access.Actor) context.Context {
	if a == nil {
		return ctx
	}
	ctx = context.WithValue(ctx, orgNameKey{}, orgName{a.OrganisationID, a.Organisation})
	return store.InOrganisation(ctx, a.OrganisationID)
}

// orgNameKey holds, in a use case's context, the name of the actor's
// organisation: mails name it (issue 11.3: a person of several boards must
// see which one a mail is about) without a query of their own.
type orgNameKey struct{}

type orgName struct {
	id   int64
	name string
}

// organisationName is the name of organisation orgID: from the context of
// the use case when it is the actor's, else read in q's transaction (the
// jobs: reminders, reviews).
func organisationName(ctx context.Context, q *store.Queries, orgID int64) (string, error) {
	if n, ok := ctx.Value(orgNameKey{}).(orgName); ok && n.id == orgID && n.name != "" {
		return n.name, nil
	}
	return q.OrganisationName(ctx, orgID)
}
