package store_test

import (
	"context"
	"testing"
)

// TestPeopleMigration runs migration 00050 (one person, several
// organisations, issue 11.3) on a database with accounts as they were: each
// account becomes a person with one membership, keeping its password,
// session epoch, second factor, recovery codes and sessions; the stand-in
// reporter of outside reports is no person. Down brings the columns back.
func TestPeopleMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m, p := beforeMigration(t, "_people.sql")
	exec, scalar, db := m.exec, m.scalar, m.db
	exec(`INSERT INTO organisations (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'Bestuur A'), (2, 'Bestuur B')`)
	exec(`INSERT INTO users (id, organisation_id, email, name, password_hash, session_epoch) OVERRIDING SYSTEM VALUE
		VALUES (1, 1, 'fg@a.nl', 'De FG', 'hash-fg', 3), (2, 2, 'desk@b.nl', 'Het meldpunt', NULL, 0)`)
	exec(`INSERT INTO users (id, organisation_id, email, name, active, stand_in) OVERRIDING SYSTEM VALUE
		VALUES (3, 1, 'melder-van-buiten-1@lekwacht.invalid', 'Melder van buiten', false, true)`)
	exec(`INSERT INTO user_totp (user_id, secret, confirmed_at, last_step, created_at) VALUES (1, 'GEHEIM', now(), 42, now())`)
	exec(`INSERT INTO recovery_codes (user_id, code_hash) VALUES (1, '\x01'), (1, '\x02')`)
	exec(`INSERT INTO user_sessions (id, user_id, method, signed_in_at, last_seen_at) VALUES (repeat('a', 32), 1, 'password+totp', now(), now())`)
	exec(`SELECT setval(pg_get_serial_sequence('users', 'id'), 3)`)

	if _, err := p.UpByOne(ctx); err != nil {
		t.Fatal(err)
	}
	if got := scalar(`SELECT count(*) || ' ' || min(id) FROM people`); got != "2 100001" {
		t.Errorf("people after the migration: %s, want 2 numbered from 100001", got)
	}
	if got := scalar(`SELECT p.email || ' ' || p.password_hash || ' ' || p.session_epoch || ' ' || p.home_organisation_id || ' ' || p.last_user_id
		FROM people p JOIN users u ON u.person_id = p.id WHERE u.id = 1`); got != "fg@a.nl hash-fg 3 1 1" {
		t.Errorf("the FG's person: %q", got)
	}
	if got := scalar(`SELECT coalesce(p.password_hash, 'none') FROM people p JOIN users u ON u.person_id = p.id WHERE u.id = 2`); got != "none" {
		t.Errorf("the desk's person has password %q, want none", got)
	}
	if got := scalar(`SELECT coalesce(person_id::text, 'none') FROM users WHERE id = 3`); got != "none" {
		t.Errorf("the stand-in reporter became person %s", got)
	}
	want := scalar(`SELECT person_id FROM users WHERE id = 1`)
	if got := scalar(`SELECT t.person_id || ' ' || t.secret || ' ' || t.last_step || ' ' || (SELECT count(*) FROM recovery_codes WHERE person_id = t.person_id)
		|| ' ' || (SELECT count(*) FROM user_sessions WHERE person_id = t.person_id) FROM user_totp t`); got != want+" GEHEIM 42 2 1" {
		t.Errorf("second factor, codes and sessions: %q, want them on person %s", got, want)
	}
	// A second organisation's membership of the same person is allowed now;
	// the address is the person's, so it cannot differ.
	exec(`INSERT INTO users (organisation_id, person_id, email, name) VALUES (2, ` + want + `, 'fg@a.nl', 'De FG van B')`)
	if _, err := db.ExecContext(ctx, `INSERT INTO users (organisation_id, person_id, email, name) VALUES (2, `+want+`, 'ander@a.nl', 'Fout')`); err == nil {
		t.Error("a membership with another address than its person's was stored")
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO people (email, home_organisation_id) VALUES ('fg@a.nl', 2)`); err == nil {
		t.Error("a second person with the same address was stored")
	}
	// A person's address changes in every membership at once.
	exec(`UPDATE people SET email = 'de.fg@a.nl' WHERE id = ` + want)
	if got := scalar(`SELECT string_agg(DISTINCT email, ',') FROM users WHERE person_id = ` + want); got != "de.fg@a.nl" {
		t.Errorf("memberships' addresses after a change: %q", got)
	}
	exec(`DELETE FROM users WHERE organisation_id = 2 AND person_id = ` + want)
	if _, err := p.Down(ctx); err != nil {
		t.Fatal(err)
	}
	if got := scalar(`SELECT password_hash || ' ' || session_epoch FROM users WHERE id = 1`); got != "hash-fg 3" {
		t.Errorf("after down the FG's password and epoch: %q", got)
	}
	if got := scalar(`SELECT user_id || ' ' || (SELECT count(*) FROM recovery_codes WHERE user_id = 1) FROM user_totp`); got != "1 2" {
		t.Errorf("after down the second factor: %q", got)
	}
}
