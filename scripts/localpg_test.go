package scripts_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestLocalPGFromAFolderPostgresCannotReach: a clone in a folder that the
// postgres user cannot enter (mktemp -d makes it 0700, like root's home)
// still gets its cluster from `scripts/localpg.sh start`, so `make test` and
// `make run` work there (issue 14.7): the script puts the cluster in a
// folder postgres can reach and links DIR to it; `remove` deletes both.
func TestLocalPGFromAFolderPostgresCannotReach(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs the server as the postgres user")
	}
	if _, err := exec.LookPath("runuser"); err != nil {
		t.Skip("no runuser")
	}
	if exec.Command("id", "postgres").Run() != nil {
		t.Skip("no postgres user")
	}
	clone, err := os.MkdirTemp("", "lekwacht-clone-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(clone) })
	if fi, _ := os.Stat(clone); fi.Mode().Perm()&0o001 != 0 {
		t.Fatalf("%s is searchable by others (%v): the test would prove nothing", clone, fi.Mode())
	}
	script, err := os.ReadFile("localpg.sh")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(clone, "scripts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(clone, "scripts", "localpg.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(clone, ".data", "pg")
	run := func(args ...string) (string, error) {
		cmd := exec.Command("bash", append([]string{filepath.Join(clone, "scripts", "localpg.sh")}, args...)...)
		cmd.Dir = clone
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Logf("localpg.sh %v: %s", args, stderr.String())
		}
		return strings.TrimSpace(string(out)), err
	}
	url, err := run("start", dir, "--fast")
	t.Cleanup(func() {
		if _, err := run("remove", dir); err != nil {
			t.Errorf("remove: %v", err)
		}
	})
	if err != nil {
		t.Fatalf("start in %s: %v", dir, err)
	}
	target, err := os.Readlink(dir)
	if err != nil {
		t.Fatalf("%s should link to the cluster's real folder: %v", dir, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, u := range []string{url, strings.Replace(url, "//postgres@", "//lekwacht_app@", 1)} {
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatalf("connect to %s: %v", u, err)
		}
		var who string
		if err := conn.QueryRow(ctx, "SELECT current_user").Scan(&who); err != nil {
			t.Fatal(err)
		}
		conn.Close(ctx)
		if !strings.Contains(u, "//"+who+"@") {
			t.Errorf("connected as %s through %s", who, u)
		}
	}
	// Started again, it finds the same cluster.
	if again, err := run("start", dir, "--fast"); err != nil || again != url {
		t.Errorf("second start: %q, %v; want %q", again, err, url)
	}
	if _, err := run("remove", dir); err != nil {
		t.Fatalf("remove: %v", err)
	}
	for _, p := range []string{dir, target} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("after remove %s is still there (%v)", p, err)
		}
	}
}
