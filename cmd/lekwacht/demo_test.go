package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

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

// Issue 11: make run's demo provider. demo-op serves discovery on a
// loopback port; demo configures it for the demo organisation, once, and
// moves it to the new port on a later run.
func TestDemoSingleSignOnProvider(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	file := t.TempDir() + "/issuer"
	var opOut, opErr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo-op", "--issuer-file", file}, envWith(nil), nil, &opOut, &opErr)
	}()
	var issuer string
	for range 100 {
		if b, err := os.ReadFile(file); err == nil && len(b) > 0 {
			issuer = string(b)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.HasPrefix(issuer, "http://127.0.0.1:") {
		t.Fatalf("demo-op issuer %q (%s)", issuer, opErr.String())
	}
	res, err := http.Get(issuer + "/.well-known/openid-configuration")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("discovery: %v", err)
	}
	res.Body.Close()
	if err := run(ctx, []string{"demo-op", "--addr", "0.0.0.0:0"}, envWith(nil), nil, &opOut, &opErr); err == nil {
		t.Error("demo-op listened beyond loopback")
	}

	url := testdb.URL(t)
	env := envWith(map[string]string{"DATABASE_URL": url, "LEKWACHT_DEMO_OP_ISSUER": issuer,
		"LEKWACHT_SECRET_KEY": "q3v1b2n3k4l5m6n7o8p9q0r1s2t3u4v5w6x7y8z9AAA="})
	var out, errOut bytes.Buffer
	for range 2 {
		out.Reset()
		if err := run(ctx, []string{"demo"}, env, nil, &out, &errOut); err != nil {
			t.Fatalf("demo: %v\n%s", err, errOut.String())
		}
		if !strings.Contains(out.String(), "juf@sso.demo.lekwacht.nl") {
			t.Errorf("demo does not tell how to try single sign-on:\n%s", out.String())
		}
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	var got string
	if err := conn.QueryRow(ctx, `SELECT count(*), max(issuer) FROM sso_providers`).Scan(&n, &got); err != nil || n != 1 || got != issuer {
		t.Errorf("demo providers: %d, issuer %q, %v", n, got, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("demo-op: %v", err)
	}
}
