package service

import (
	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/store"
)

// HashStats reports the most password hashes that ran at once and how many
// sign-ins were refused as busy; for tests only.
func (s *Accounts) HashStats() (peak, refused int) { return s.gate.stats() }

// WorkListsOf are the first pages of the actor's work lists as the start
// page asks the store for them (for EXPLAIN in the benchmark).
func WorkListsOf(a *access.Actor) []store.WorkList {
	var w Worklist
	var out []store.WorkList
	for _, l := range workListsOf(a, &w) {
		out = append(out, store.WorkList{Filter: l.filter, Limit: WorkPageSize})
	}
	return out
}
