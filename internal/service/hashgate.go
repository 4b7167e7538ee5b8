package service

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// hashGate bounds how many argon2id hashes run at once. Each takes 19 MiB
// and a core for about 30 ms: without a bound, 100 sign-ins at once took the
// server from 90 MiB to 1.2 GiB. A request that finds every slot taken
// waits briefly, then is refused with "try again in a moment" (503) rather
// than queueing without end.
type hashGate struct {
	slots chan struct{}
	wait  time.Duration

	mu        sync.Mutex
	running   int
	peak      int
	refusedTo int
}

// newHashGate makes a gate with n slots (0: one per core the Go runtime
// uses) that waits at most wait for a slot (0: one second).
func newHashGate(n int, wait time.Duration) *hashGate {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if wait <= 0 {
		wait = time.Second
	}
	return &hashGate{slots: make(chan struct{}, n), wait: wait}
}

// errBusy is the refusal when every slot stays taken.
var errBusy = &apperr.Error{Kind: apperr.Unavailable, RetryAfter: 2 * time.Second,
	Message: "Het is op dit moment erg druk met inloggen. Probeer het over een paar seconden opnieuw."}

// do runs fn in a slot, or returns errBusy when none frees up in time.
func (g *hashGate) do(ctx context.Context, fn func()) error {
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-t.C:
		g.mu.Lock()
		g.refusedTo++
		g.mu.Unlock()
		return errBusy
	case <-ctx.Done():
		return ctx.Err()
	}
	g.mu.Lock()
	g.running++
	g.peak = max(g.peak, g.running)
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.running--
		g.mu.Unlock()
		<-g.slots
	}()
	fn()
	return nil
}

// stats returns the most hashes that ran at once and how many requests were
// refused; for tests.
func (g *hashGate) stats() (peak, refused int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.peak, g.refusedTo
}
