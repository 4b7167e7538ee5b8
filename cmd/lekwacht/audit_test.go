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
