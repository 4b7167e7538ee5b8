package service_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
)

// Issue 15.1: no more password hashes run at once than there are slots; the
// sign-ins beyond them are refused quickly as busy, with a Dutch message and
// a wait, instead of each taking another 19 MiB.
func TestSignInBoundsConcurrentHashes(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(d *service.Deps) { d.HashSlots, d.HashWait = 2, 20*time.Millisecond })
	e.withPassword("staff", "het juiste lange wachtwoord")
	const n = 24
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.Accounts.SignInFrom(e.ctx, fmt.Sprintf("niemand%d@example.nl", i), "fout", fmt.Sprintf("192.0.2.%d", i))
		}()
	}
	wg.Wait()
	peak, refused := e.svc.Accounts.HashStats()
	if peak > 2 {
		t.Errorf("%d hashes ran at once, want at most 2", peak)
	}
	busy := 0
	for _, err := range errs {
		if apperr.Is(err, apperr.Unavailable) {
			busy++
			e, _ := apperr.As(err)
			if e.RetryAfter <= 0 || !strings.Contains(e.Message, "druk") {
				t.Errorf("busy refusal %+v: want a Dutch message and a wait", e)
			}
		} else if !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("sign-in: %v", err)
		}
	}
	if busy == 0 || busy != refused {
		t.Errorf("%d refused as busy (gate counted %d); with %d at once and 2 slots some must be", busy, refused, n)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the sign-ins took %s", d)
	}
}

// Issue 15.1: an attacker's failures from one address lock only that
// address out of the account: the owner, from another address, gets in
// with the right password at once.
func TestSignInAttackerCannotLockOwnerOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.withPassword("officer", "het juiste lange wachtwoord")
	const attacker, owner = "198.51.100.7", "203.0.113.9"
	for range 8 {
		e.svc.Accounts.SignInFrom(e.ctx, "officer@example.nl", "geraden", attacker)
	}
	if _, err := e.svc.Accounts.SignInFrom(e.ctx, "officer@example.nl", "het juiste lange wachtwoord", attacker); !apperr.Is(err, apperr.TooManyRequests) {
		t.Errorf("attacker's address after 8 failures: %v, want TooManyRequests", err)
	}
	if _, err := e.svc.Accounts.SignInFrom(e.ctx, "officer@example.nl", "het juiste lange wachtwoord", owner); err != nil {
		t.Fatalf("owner from another address: %v, want signed in", err)
	}
}

// Issue 15.1: failures from many addresses slow the account down but never
// lock it, and its owner is told by mail (once an hour).
func TestSignInAccountCeilingSlowsAndMailsOwner(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.withPassword("board", "het juiste lange wachtwoord")
	for i := range 12 {
		if _, err := e.svc.Accounts.SignInFrom(e.ctx, "board@example.nl", "geraden", fmt.Sprintf("198.51.100.%d", i)); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	start := time.Now()
	if _, err := e.svc.Accounts.SignInFrom(e.ctx, "board@example.nl", "het juiste lange wachtwoord", "203.0.113.9"); err != nil {
		t.Fatalf("owner after failures from 12 addresses: %v, want signed in", err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("the owner's attempt took %s: an account under attack must be slowed", d)
	}
	var mails int
	var subject string
	if err := e.owner.QueryRow(e.ctx, `SELECT count(*), coalesce(max(subject), '') FROM mail_messages
		WHERE kind = 'signin_failures' AND recipient = 'board@example.nl'`).Scan(&mails, &subject); err != nil {
		t.Fatal(err)
	}
	if mails != 1 || !strings.Contains(subject, "Mislukte pogingen") {
		t.Errorf("%d mails to the owner (%q), want 1", mails, subject)
	}
}

// Issue 15.1: one address trying many accounts is throttled as an address.
func TestSignInThrottlesAnAddressOverAccounts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.withPassword("staff2", "het juiste lange wachtwoord")
	for i := range 30 {
		e.svc.Accounts.SignInFrom(e.ctx, fmt.Sprintf("gok%d@example.nl", i), "geraden", "198.51.100.99")
	}
	if _, err := e.svc.Accounts.SignInFrom(e.ctx, "staff2@example.nl", "het juiste lange wachtwoord", "198.51.100.99"); !apperr.Is(err, apperr.TooManyRequests) {
		t.Errorf("after 30 failures from one address: %v, want TooManyRequests", err)
	}
	if _, err := e.svc.Accounts.SignInFrom(e.ctx, "staff2@example.nl", "het juiste lange wachtwoord", "198.51.100.100"); err != nil {
		t.Errorf("another address: %v", err)
	}
}
