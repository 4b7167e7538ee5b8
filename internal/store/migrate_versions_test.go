package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/lekwacht/lekwacht/internal/testdb"
	"github.com/lekwacht/lekwacht/migrations"
)

// migrationVersion is the goose version of the migration whose file name
// ends in suffix (numbers are handed out when a branch lands).
func migrationVersion(t *testing.T, p *goose.Provider, suffix string) int64 {
	t.Helper()
	for _, s := range p.ListSources() {
		if strings.HasSuffix(s.Path, suffix) {
			return s.Version
		}
	}
	t.Fatalf("no migration *%s", suffix)
	return 0
}

// migrationDB is an empty database migrated up to just before one
// migration, with the provider to go on from there.
type migrationDB struct {
	t  *testing.T
	db *sql.DB
}

// beforeMigration opens an empty database and migrates it up to just
// before the migration whose file name ends in suffix.
func beforeMigration(t *testing.T, suffix string) (*migrationDB, *goose.Provider) {
	t.Helper()
	cfg, err := pgx.ParseConfig(testdb.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(context.Background(), migrationVersion(t, p, suffix)-1); err != nil {
		t.Fatal(err)
	}
	return &migrationDB{t: t, db: db}, p
}

// exec runs a statement and fails the test when it fails.
func (m *migrationDB) exec(sql string, args ...any) {
	m.t.Helper()
	if _, err := m.db.ExecContext(context.Background(), sql, args...); err != nil {
		m.t.Fatalf("%v\n%s", err, sql)
	}
}

// scalar returns the one value a query answers.
func (m *migrationDB) scalar(sql string) string {
	m.t.Helper()
	var s string
	if err := m.db.QueryRowContext(context.Background(), sql).Scan(&s); err != nil {
		m.t.Fatalf("%v\n%s", err, sql)
	}
	return s
}

// TestDecisionVersionsMigration runs the migration that versions decisions
// on a database that holds a decision: the decision becomes version 1 (and
// stays the current one, version 1); down takes the versions away and keeps
// the decision.
func TestDecisionVersionsMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, p := beforeMigration(t, "_decision_versions.sql")
	exec, scalar := db.exec, db.scalar
	exec(`INSERT INTO organisations (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'Bestuur')`)
	exec(`INSERT INTO users (id, organisation_id, email, name) OVERRIDING SYSTEM VALUE VALUES (1, 1, 'fg@example.nl', 'De FG')`)
	exec(`INSERT INTO cases (id, organisation_id, year, seq, reporter_id, submission_key, status, reported_at, what_happened,
		personal_data, ongoing, updated_at) OVERRIDING SYSTEM VALUE
		VALUES (1, 1, 2026, 1, 1, '6f1c1e6e-0000-4000-8000-0000000000b1', 'closed', now(), 'Stick kwijt', 'yes', 'no', now())`)
	exec(`INSERT INTO case_assessments (organisation_id, case_id, facts, advice, breach, breach_reason, notify_authority,
		notify_subjects, subjects_reason, subjects_exception, decided_at, decided_by)
		VALUES (1, 1, '{"incident": true}', '{}', true, 'Adressen op straat', false, false, 'Versleuteld', 'unintelligible',
		'2026-11-24 10:00+01', 1)`)

	if _, err := p.UpByOne(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	if got := scalar(`SELECT version || ' ' || change_reason || '|' FROM case_assessments WHERE case_id = 1`); got != "1 |" {
		t.Errorf("current decision after up: %q, want version 1 without a change reason", got)
	}
	if got := scalar(`SELECT count(*) || ' ' || min(version) || ' ' || min(breach_reason) || ' ' || min(subjects_exception) || ' ' ||
		min(decided_at AT TIME ZONE 'Europe/Amsterdam')::text || ' ' || min(facts->>'incident')
		FROM case_assessment_versions WHERE case_id = 1`); got != "1 1 Adressen op straat unintelligible 2026-11-24 10:00:00 true" {
		t.Errorf("versions after up: %q", got)
	}

	if _, err := p.Down(ctx); err != nil {
		t.Fatalf("down: %v", err)
	}
	if got := scalar(`SELECT count(*) || ' ' || min(breach_reason) FROM case_assessments`); got != "1 Adressen op straat" {
		t.Errorf("decision after down: %q", got)
	}
	if got := scalar(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'case_assessment_versions'`); got != "0" {
		t.Errorf("versions table after down: %s", got)
	}
	// And up again.
	if _, err := p.UpByOne(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if got := scalar(`SELECT count(*) FROM case_assessment_versions`); got != "1" {
		t.Errorf("versions after up again: %s", got)
	}
}

// TestRecordVersionsMigration runs the migration that versions the
// inventory, the repair and the notice on a database holding one of each:
// each becomes version 1 and reads back as it was; down takes the versions
// away and keeps the records.
func TestRecordVersionsMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, p := beforeMigration(t, "_record_versions.sql")
	exec, scalar := db.exec, db.scalar
	exec(`INSERT INTO organisations (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'Bestuur')`)
	exec(`INSERT INTO users (id, organisation_id, email, name) OVERRIDING SYSTEM VALUE VALUES (1, 1, 'fg@example.nl', 'De FG')`)
	exec(`INSERT INTO cases (id, organisation_id, year, seq, reporter_id, submission_key, status, reported_at, what_happened,
		personal_data, ongoing, updated_at) OVERRIDING SYSTEM VALUE
		VALUES (1, 1, 2026, 1, 1, '6f1c1e6e-0000-4000-8000-0000000000c1', 'informing', now(), 'Stick kwijt', 'yes', 'no', now())`)
	exec(`INSERT INTO case_inventories (organisation_id, case_id, summary, subject_count, data_types, updated_at, updated_by)
		VALUES (1, 1, 'Adreslijst 3b', 28, '{contact}', '2026-11-24 10:00+01', 1)`)
	exec(`INSERT INTO case_repairs (organisation_id, case_id, cause, completed, updated_at, updated_by)
		VALUES (1, 1, 'Onversleutelde stick', true, '2026-11-24 11:00+01', 1)`)
	exec(`INSERT INTO case_subject_notices (organisation_id, case_id, channel, recipient_groups, subject, body, nature, measures_taken,
		measures_recipient, officer_contact, school_contact, drafted_at, drafted_by)
		VALUES (1, 1, 'individual', '{staff}', 'Datalek', 'Beste collega', 'Stick kwijt', 'Nieuwe sticks', 'Let op', 'FG', 'School',
		'2026-11-24 12:00+01', 1)`)

	if _, err := p.UpByOne(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	if got := scalar(`SELECT string_agg(record || ' ' || version, ', ' ORDER BY record) FROM case_record_versions WHERE case_id = 1`); got !=
		"inventory 1, repair 1, subjects_notice 1" {
		t.Errorf("versions after up: %q", got)
	}
	// Each reads back as the step's row.
	if got := scalar(`SELECT i.summary || ' ' || i.subject_count || ' ' || i.data_types[1] || ' ' || (i.updated_at AT TIME ZONE 'Europe/Amsterdam')::text
		FROM case_record_versions v CROSS JOIN LATERAL jsonb_populate_record(NULL::case_inventories, v.data) i
		WHERE v.record = 'inventory'`); got != "Adreslijst 3b 28 contact 2026-11-24 10:00:00" {
		t.Errorf("inventory version 1 reads back as %q", got)
	}
	if got := scalar(`SELECT r.cause || ' ' || r.completed FROM case_record_versions v
		CROSS JOIN LATERAL jsonb_populate_record(NULL::case_repairs, v.data) r WHERE v.record = 'repair'`); got != "Onversleutelde stick true" {
		t.Errorf("repair version 1 reads back as %q", got)
	}
	if got := scalar(`SELECT s.subject || ' ' || s.recipient_groups[1] FROM case_record_versions v
		CROSS JOIN LATERAL jsonb_populate_record(NULL::case_subject_notices, v.data) s WHERE v.record = 'subjects_notice'`); got != "Datalek staff" {
		t.Errorf("notice version 1 reads back as %q", got)
	}

	if _, err := p.Down(ctx); err != nil {
		t.Fatalf("down: %v", err)
	}
	if got := scalar(`SELECT (SELECT count(*) FROM case_inventories) + (SELECT count(*) FROM case_repairs) + (SELECT count(*) FROM case_subject_notices)`); got != "3" {
		t.Errorf("records after down: %s, want 3", got)
	}
	if got := scalar(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'case_record_versions'`); got != "0" {
		t.Errorf("versions table after down: %s", got)
	}
	if _, err := p.UpByOne(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
