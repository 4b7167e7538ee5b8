package service

// HashStats reports the most password hashes that ran at once and how many
// sign-ins were refused as busy; for tests only.
func (s *Accounts) HashStats() (peak, refused int) { return s.gate.stats() }
