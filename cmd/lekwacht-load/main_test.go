package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/testdb"
)

// TestLoadSmall runs the load test on a data set of 30 cases for a moment
// per page: every page answers 200 to every role, and the table has a row
// per page with its statements counted.
func TestLoadSmall(t *testing.T) {
	url := testdb.URL(t) // a database of its own; the tool makes another beside it
	name := fmt.Sprintf("lekwacht_load_test_%d", os.Getpid())
	t.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), url); err == nil {
			_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			_ = c.Close(context.Background())
		}
	})
	var out, errOut bytes.Buffer
	env := map[string]string{"LOAD_DATABASE_URL": url}
	err := run(context.Background(), []string{"-cases", "30", "-duration", "200ms", "-workers", "1", "-db", name},
		func(k string) string { return env[k] }, &out, &errOut)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	// The server runs as the runtime role, under row-level security, as
	// lekwacht serve does.
	if !strings.Contains(out.String(), "the server as lekwacht_runtime") {
		t.Errorf("the load test's server does not run as the runtime role:\n%s", out.String())
	}
	rows := 0
	for _, l := range strings.Split(out.String(), "\n") {
		if !strings.HasPrefix(l, "| ") || strings.HasPrefix(l, "| role") {
			continue
		}
		rows++
		f := strings.Split(l, "|")
		if errs := strings.TrimSpace(f[6]); errs != "0" {
			t.Errorf("errors on %s: %s", strings.TrimSpace(f[2]), errs)
		}
		if st := strings.TrimSpace(f[7]); st == "0.0" {
			t.Errorf("no statements counted on %s", strings.TrimSpace(f[2]))
		}
	}
	if rows != 15 {
		t.Errorf("%d pages in the table, want 15:\n%s", rows, out.String())
	}
}
