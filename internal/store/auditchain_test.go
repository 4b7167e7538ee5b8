package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/internal/testdb"
	"github.com/lekwacht/lekwacht/migrations"
)

// TestAuditChainMigrationBackfills runs the chain migration on a database
// that already holds timeline and audit rows of two organisations,
// interleaved: each organisation gets its own chains in insertion order,
// they verify, and a row written afterwards by the trigger continues them.
func TestAuditChainMigrationBackfills(t *testing.T) {
	t.Parallel()
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	url := testdb.EmptyURL(t)
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	version := migrationVersion(t, p, "_audit_chain.sql")
	if _, err := p.UpTo(ctx, version-1); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, sql, args...); err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
	}
	for _, o := range []string{"1", "2"} {
		exec(`INSERT INTO organisations (id, name) OVERRIDING SYSTEM VALUE VALUES (` + o + `, 'Bestuur ` + o + `')`)
		exec(`INSERT INTO users (id, organisation_id, email, name) OVERRIDING SYSTEM VALUE VALUES (` + o + `, ` + o + `, 'fg` + o + `@example.nl', 'De FG')`)
		exec(`INSERT INTO cases (id, organisation_id, year, seq, reporter_id, submission_key, status, reported_at, what_happened,
			personal_data, ongoing, updated_at) OVERRIDING SYSTEM VALUE
			VALUES (` + o + `, ` + o + `, 2026, 1, ` + o + `, gen_random_uuid(), 'new', now(), 'Stick kwijt', 'yes', 'no', now())`)
	}
	// Interleaved: 1, 2, 1, 2, 1.
	for i, o := range []string{"1", "2", "1", "2", "1"} {
		exec(`INSERT INTO case_events (organisation_id, case_id, at, actor_id, kind, summary, details)
			VALUES (`+o+`, `+o+`, '2026-11-24 10:00+01'::timestamptz + $1 * interval '1 minute', `+o+`, 'reported', 'Regel', '{"n": 1}')`, i)
		exec(`INSERT INTO audit_log (organisation_id, at, actor_id, action, subject_id) VALUES (` + o + `, now(), ` + o + `, 'user_created', ` + o + `)`)
	}
	if _, err := p.UpByOne(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}

	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	st := store.New(pool)
	check := func(want map[[2]string]int64) {
		t.Helper()
		reports, err := st.VerifyChains(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(reports) != 4 {
			t.Fatalf("%d reports, want 2 organisations × 2 chains", len(reports))
		}
		for _, r := range reports {
			if r.Break != nil {
				t.Errorf("%s %s broken after the backfill: %+v", r.Organisation, r.Chain, *r.Break)
			}
			if n := want[[2]string{r.Organisation, r.Chain}]; r.Rows != n {
				t.Errorf("%s %s: %d rows, want %d", r.Organisation, r.Chain, r.Rows, n)
			}
		}
	}
	check(map[[2]string]int64{{"Bestuur 1", "timeline"}: 3, {"Bestuur 2", "timeline"}: 2, {"Bestuur 1", "security"}: 3, {"Bestuur 2", "security"}: 2})
	var seqs string
	if err := pool.QueryRow(ctx, `SELECT string_agg(chain_seq::text, ',' ORDER BY id) FROM case_events`).Scan(&seqs); err != nil {
		t.Fatal(err)
	}
	if seqs != "1,1,2,2,3" {
		t.Errorf("places in the chain by insertion order: %s, want 1,1,2,2,3", seqs)
	}

	// The trigger continues the backfilled chain.
	err = st.Transact(ctx, func(q *store.Queries) error {
		return q.AddEvent(ctx, store.NewEvent{OrganisationID: 2, CaseID: 2, At: time.Now(), Kind: "reported", Summary: "Nog een"})
	})
	if err != nil {
		t.Fatal(err)
	}
	check(map[[2]string]int64{{"Bestuur 1", "timeline"}: 3, {"Bestuur 2", "timeline"}: 3, {"Bestuur 1", "security"}: 3, {"Bestuur 2", "security"}: 2})
	tl, _, err := st.ChainHeads(ctx, 2)
	if err != nil || tl.Rows != 3 || len(tl.Hash) != 32 {
		t.Errorf("head of 2's timeline: %+v, %v", tl, err)
	}
}

// TestAuditChainFindsEveryKindOfTampering: as the owner, change a row's
// fields, its text with a matching text hash, delete a row, or delete the
// last row: each is found at the right row.
func TestAuditChainFindsEveryKindOfTampering(t *testing.T) {
	t.Parallel()
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	for _, tc := range []struct {
		name, sql string
		wantSeq   int64
		wantWhy   string
	}{
		{"actor changed", `UPDATE case_events SET actor_id = NULL WHERE chain_seq = 2`, 2, "de inhoud van de regel is gewijzigd"},
		{"text and its hash rewritten", `UPDATE case_events SET summary = 'Anders', text_hash = case_event_text_hash('Anders', details) WHERE chain_seq = 2`, 2, "de inhoud van de regel is gewijzigd"},
		{"all hashes of the row rewritten", `UPDATE case_events SET summary = 'Anders', text_hash = case_event_text_hash('Anders', details),
			content_hash = case_event_content_hash(id, organisation_id, case_id, at, actor_id, kind, case_event_text_hash('Anders', details)) WHERE chain_seq = 2`, 2, "de ketenhash klopt niet met de vorige regel"},
		{"purged on a case that was not anonymised", `UPDATE case_events SET summary = '` + store.Removed + `', details = '{}', purged_at = now() WHERE chain_seq = 2`, 2, "de tekst van de regel is gewijzigd"},
		{"row deleted", `DELETE FROM case_events WHERE chain_seq = 2`, 3, "regel 2 van de keten ontbreekt (deze regel staat op plaats 3)"},
		{"last row deleted", `DELETE FROM case_events WHERE chain_seq = 3`, 2, "de kop van de keten (3 regels) past niet bij de laatste regel (2 regels)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// As the owner: the runtime role may not tamper, and row-level
			// security would hide the other organisation from the verifier.
			pool, err := pgxpool.New(ctx, testdb.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(pool.Close)
			st := store.New(pool)
			f := newChainFixture(t, st)
			if _, err := pool.Exec(ctx, tc.sql); err != nil {
				t.Fatal(err)
			}
			reports, err := st.VerifyChains(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var broken []store.ChainReport
			for _, r := range reports {
				if r.Break != nil {
					broken = append(broken, r)
				}
			}
			if len(broken) != 1 {
				t.Fatalf("%d broken chains, want 1: %+v", len(broken), reports)
			}
			b := broken[0]
			if b.OrganisationID != f.org || b.Chain != store.ChainTimeline || b.Break.Seq != tc.wantSeq || b.Break.Table != "case_events" {
				t.Errorf("broken at %+v of org %d chain %s, want row %d of org %d's timeline", *b.Break, b.OrganisationID, b.Chain, tc.wantSeq, f.org)
			}
			if !containsText(b.Break.Reason, tc.wantWhy) {
				t.Errorf("reason %q, want %q", b.Break.Reason, tc.wantWhy)
			}
			if b.Break.RowID == 0 || b.Break.At.IsZero() {
				t.Errorf("the broken row is not named: %+v", *b.Break)
			}
		})
	}
}

type chainFixture struct{ org, other int64 }

// newChainFixture makes two organisations; the first has a case with three
// timeline rows, the other one with one.
func newChainFixture(t *testing.T, st *store.Store) chainFixture {
	t.Helper()
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	id := must[int64](t)
	f := chainFixture{org: id(st.CreateOrganisation(ctx, "A")), other: id(st.CreateOrganisation(ctx, "B"))}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, o := range []struct {
		org    int64
		events int
	}{{f.org, 3}, {f.other, 1}} {
		user := id(st.CreateUser(ctx, o.org, "u"+time.Now().Format("150405.000000000")+"@example.nl", "U"))
		err := st.Transact(ctx, func(q *store.Queries) error {
			c, err := insertTestCase(ctx, q, o.org, user, now)
			if err != nil {
				return err
			}
			for i := range o.events {
				if err := q.AddEvent(ctx, store.NewEvent{OrganisationID: o.org, CaseID: c, At: now.Add(time.Duration(i) * time.Minute),
					ActorID: &user, Kind: "reported", Summary: "Regel", Details: map[string]any{"i": i}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func containsText(s, sub string) bool { return strings.Contains(s, sub) }

func insertTestCase(ctx context.Context, q *store.Queries, org, reporter int64, now time.Time) (int64, error) {
	n, err := q.NextNumber(ctx, org, 2026)
	if err != nil {
		return 0, err
	}
	return q.InsertCase(ctx, store.NewCase{OrganisationID: org, Number: n, ReporterID: reporter,
		SubmissionKey: uuidFor(n.Seq, org), ReportedAt: now,
		Report: incident.Report{WhatHappened: "x", PersonalData: incident.Unknown, Ongoing: incident.Unknown}})
}

func uuidFor(seq int, org int64) string {
	return fmt.Sprintf("6f1c1e6e-0000-4000-8000-%06d%06d", org, seq)
}
