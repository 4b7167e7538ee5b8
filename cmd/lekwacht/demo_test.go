package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/testdb"
)

// TestDemoWithExamplesTwice is `make run` twice on one database: the second
// `demo --voorbeelden` creates nothing more.
func TestDemoWithExamplesTwice(t *testing.T) {
	t.Parallel()
	url := testdb.URL(t)
	env := envWith(map[string]string{"DATABASE_URL": url})
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	counts := func() [4]int {
		t.Helper()
		var c [4]int
		err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM processors),
			(SELECT count(*) FROM mail_messages), (SELECT count(*) FROM river_job)`).Scan(&c[0], &c[1], &c[2], &c[3])
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"demo", "--voorbeelden"}, env, nil, &out, &errOut); err != nil {
		t.Fatalf("demo --voorbeelden: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "aangemaakt met de scholen De Regenboog en Het Baken.") || !strings.Contains(out.String(), "Voorbeeldgegevens aangemaakt: 7 meldingen") {
		t.Errorf("first run:\n%s", out.String())
	}
	first := counts()
	// 7 examples, 2 fresh reports, 1 processor; without an SMTP server
	// (LEKWACHT_SMTP_HOST unset) the notifications' mail waits in the
	// outbox, with no job on the queue (issue 13).
	if first[0] != 9 || first[1] != 1 || first[2] == 0 || first[3] != 0 {
		t.Errorf("after the first run: cases, processors, mails, jobs = %v", first)
	}

	out.Reset()
	if err := run(ctx, []string{"demo", "--voorbeelden"}, env, nil, &out, &errOut); err != nil {
		t.Fatalf("second demo --voorbeelden: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "bestond al; niets gewijzigd") || strings.Contains(out.String(), "Voorbeeldgegevens aangemaakt") {
		t.Errorf("second run:\n%s", out.String())
	}
	if again := counts(); again != first {
		t.Errorf("second run changed the counts: %v, was %v", again, first)
	}

	if err := run(ctx, []string{"demo", "--onzin"}, env, nil, &out, &errOut); err == nil {
		t.Error("demo accepted an unknown flag")
	}
}
