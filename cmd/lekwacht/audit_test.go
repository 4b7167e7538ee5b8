package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/testdb"
)

// TestAuditVerify: a clean chain verifies; a timeline row changed by the
// owner (who can, unlike the runtime role) is found and named with its
// organisation, id and time, and the command fails.
func TestAuditVerify(t *testing.T) {
	t.Parallel()
	url := testdb.URL(t)
	env := envWith(map[string]string{"DATABASE_URL": url})
	ctx := context.Background()
	var out, errOut bytes.Buffer
	// Seeing no organisation is no proof of anything.
	if err := run(ctx, []string{"audit", "verify"}, env, nil, &out, &errOut); err == nil || !strings.Contains(err.Error(), "geen enkele organisatie") {
		t.Errorf("verify of a database without organisations: %v", err)
	}
	if err := run(ctx, []string{"demo"}, env, nil, &out, &errOut); err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut.String())
	}
	out.Reset()
	if err := run(ctx, []string{"audit", "verify"}, env, nil, &out, &errOut); err != nil {
		t.Fatalf("verify of a clean chain: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "in orde") || !strings.Contains(out.String(), "tijdlijn: 2 regels") ||
		strings.Contains(out.String(), "GEBROKEN") {
		t.Errorf("clean chain:\n%s", out.String())
	}

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var id, org int64
	if err := conn.QueryRow(ctx, `SELECT id, organisation_id FROM case_events ORDER BY chain_seq DESC LIMIT 1`).Scan(&id, &org); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `UPDATE case_events SET summary = 'Niets aan de hand' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = run(ctx, []string{"audit", "verify"}, env, nil, &out, &errOut)
	if err == nil {
		t.Fatalf("verify of a tampered chain succeeded:\n%s", out.String())
	}
	want := fmt.Sprintf("(organisatie %d), tijdlijn: regel 2 (case_events id %d, ", org, id)
	if !strings.Contains(out.String(), "GEBROKEN") || !strings.Contains(out.String(), want) ||
		!strings.Contains(out.String(), "de tekst van de regel is gewijzigd") {
		t.Errorf("tampered chain, want %q in:\n%s", want, out.String())
	}
	t.Logf("verify:\n%s", out.String())
	if !strings.Contains(out.String(), "beveiligingslog") || strings.Count(out.String(), "GEBROKEN") != 1 {
		t.Errorf("only the timeline is broken:\n%s", out.String())
	}
}

// TestAuditVerifyHoldsAWrittenDownHead: an owner who rewrites a row and
// recomputes every hash after it, and the head, passes the chain check; the
// head written down before (as a dossier shows it) finds it.
func TestAuditVerifyHoldsAWrittenDownHead(t *testing.T) {
	t.Parallel()
	url := testdb.URL(t)
	env := envWith(map[string]string{"DATABASE_URL": url})
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"demo"}, env, nil, &out, &errOut); err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut.String())
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var org, rows int64
	var hash string
	if err := conn.QueryRow(ctx, `SELECT organisation_id, seq, encode(hash, 'hex') FROM audit_chain_heads WHERE chain = 'timeline'`).Scan(&org, &rows, &hash); err != nil {
		t.Fatal(err)
	}
	witness := []string{"audit", "verify", "--organisatie", fmt.Sprint(org), "--keten", "tijdlijn", "--regels", fmt.Sprint(rows),
		"--hash", hash[:8] + " " + hash[8:]}
	out.Reset()
	if err := run(ctx, witness, env, nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "genoteerde kop: regel") {
		t.Fatalf("the head as written down: %v\n%s", err, out.String())
	}

	// The whole rewrite of the last row: text, its hashes, the link, the head.
	_, err = conn.Exec(ctx, `
		WITH prev AS (SELECT chain_hash FROM case_events WHERE organisation_id = $1 AND chain_seq = $2 - 1),
		     new AS (SELECT e.id, case_event_text_hash('Niets aan de hand', e.details) AS t FROM case_events e
		             WHERE e.organisation_id = $1 AND e.chain_seq = $2)
		UPDATE case_events e SET summary = 'Niets aan de hand', text_hash = new.t,
		    content_hash = case_event_content_hash(e.id, e.organisation_id, e.case_id, e.at, e.actor_id, e.kind, new.t),
		    chain_hash = sha256((SELECT chain_hash FROM prev) || case_event_content_hash(e.id, e.organisation_id, e.case_id, e.at, e.actor_id, e.kind, new.t))
		FROM new WHERE e.id = new.id`, org, rows)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `UPDATE audit_chain_heads h SET hash = e.chain_hash FROM case_events e
		WHERE h.organisation_id = $1 AND h.chain = 'timeline' AND e.organisation_id = $1 AND e.chain_seq = $2`, org, rows); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"audit", "verify"}, env, nil, &out, &errOut); err != nil {
		t.Fatalf("a complete rewrite is not found from the database alone, and should not be reported as such: %v\n%s", err, out.String())
	}
	out.Reset()
	err = run(ctx, witness, env, nil, &out, &errOut)
	if err == nil || !strings.Contains(out.String(), "GEBROKEN  genoteerde kop: regel "+fmt.Sprint(rows)+" van de tijdlijn") {
		t.Errorf("the written-down head did not find the rewrite: %v\n%s", err, out.String())
	}
	out.Reset()
	errOut.Reset()
	if err := run(ctx, []string{"audit", "verify", "--keten", "tijdlijn"}, env, nil, &out, &errOut); err == nil {
		t.Error("a head without organisation, rows and hash was accepted")
	}
}
