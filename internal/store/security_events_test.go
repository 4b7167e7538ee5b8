package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/internal/testdb"
)

// statementLog is a pgx tracer that records every statement sent: each
// Exec or Query is one message to the server and one round trip.
type statementLog struct {
	mu  sync.Mutex
	sql []string
}

func (l *statementLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	l.mu.Lock()
	l.sql = append(l.sql, d.SQL)
	l.mu.Unlock()
	return ctx
}
func (l *statementLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestRecordReadIsOneRoundTrip: recording a read sends one message (a
// transaction with synchronous_commit off), and the row is committed, in
// the chain, with the address.
func TestRecordReadIsOneRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	cfg, err := pgxpool.ParseConfig(testdb.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	log := &statementLog{}
	cfg.ConnConfig.Tracer = log
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	st := store.New(pool)
	f := newChainFixture(t, st)
	user := int64(0)
	if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE organisation_id = $1`, f.org).Scan(&user); err != nil {
		t.Fatal(err)
	}
	caseID := int64(0)
	if err := pool.QueryRow(ctx, `SELECT id FROM cases WHERE organisation_id = $1`, f.org).Scan(&caseID); err != nil {
		t.Fatal(err)
	}
	if err := pool.Ping(ctx); err != nil { // a connection ready, so the count is the read's alone
		t.Fatal(err)
	}
	log.mu.Lock()
	log.sql = nil
	log.mu.Unlock()
	for i := range 3 {
		err := st.RecordRead(ctx, store.AuditEntry{OrganisationID: f.org, At: time.Now(), ActorID: &user, Action: "case_viewed",
			SubjectID: caseID, CaseID: &caseID, Address: "203.0.113.5", Details: map[string]any{"i": i, "quote": "it's"}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(log.sql) != 3 || !strings.Contains(log.sql[0], "SET LOCAL synchronous_commit = off") {
		t.Errorf("three reads sent %d statements, want 3 (one each):\n%s", len(log.sql), strings.Join(log.sql, "\n"))
	}
	var n int
	var addr string
	if err := pool.QueryRow(ctx, `SELECT count(*), min(address) FROM audit_log WHERE organisation_id = $1 AND case_id = $2
		AND action = 'case_viewed' AND actor_id = $3 AND details->>'quote' = 'it''s'`, f.org, caseID, user).Scan(&n, &addr); err != nil {
		t.Fatal(err)
	}
	if n != 3 || addr != "203.0.113.5" {
		t.Errorf("%d reads stored from %q, want 3 from 203.0.113.5", n, addr)
	}
	reports, err := st.VerifyChains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		if r.Break != nil {
			t.Errorf("%s broken: %+v", r.Chain, *r.Break)
		}
		if r.OrganisationID == f.org && r.Chain == store.ChainSecurity && r.Rows != 3 {
			t.Errorf("security chain of the organisation: %d rows, want the 3 reads", r.Rows)
		}
	}
	// A failing read (an unknown organisation) is rolled back whole and
	// leaves the pool healthy.
	if err := st.RecordRead(ctx, store.AuditEntry{OrganisationID: 999999, At: time.Now(), Action: "case_viewed"}); err == nil {
		t.Error("a read of an unknown organisation was stored")
	}
	for range 5 {
		if err := pool.QueryRow(ctx, `SELECT 1`).Scan(&n); err != nil {
			t.Fatalf("pool after a failed read: %v", err)
		}
	}
}

// BenchmarkRecordRead is the cost of recording one read (one round trip, no
// wait for the disk), on the pool, as the case page pays it.
func BenchmarkRecordRead(b *testing.B) {
	ctx := store.System(context.Background()) // the store alone: its filters, not row-level security
	pool, err := pgxpool.New(ctx, testdb.URL(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	st := store.New(pool)
	org, err := st.CreateOrganisation(ctx, "Bench")
	if err != nil {
		b.Fatal(err)
	}
	e := store.AuditEntry{OrganisationID: org, At: time.Now(), Action: "case_viewed", SubjectID: 1, Address: "203.0.113.5"}
	b.ResetTimer()
	for b.Loop() {
		if err := st.RecordRead(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
}
