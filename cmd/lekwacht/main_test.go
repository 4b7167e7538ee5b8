package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/testdb"
)

func envWith(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"vliegen"}, envWith(nil), nil, &out, &errOut); err == nil {
		t.Fatal("no error for an unknown command")
	}
	if !strings.Contains(errOut.String(), "Gebruik: lekwacht") {
		t.Errorf("no usage shown: %q", errOut.String())
	}
}

func TestConfigErrorsAreClear(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve"}, envWith(map[string]string{"LEKWACHT_SESSION_IDLE": "lang"}), nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL ontbreekt") || !strings.Contains(err.Error(), "LEKWACHT_SESSION_IDLE") {
		t.Fatalf("err = %v", err)
	}
}

func TestServeRefusesAnOutdatedSchema(t *testing.T) {
	t.Parallel()
	url := testdb.EmptyURL(t)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve"}, envWith(map[string]string{"DATABASE_URL": url, "LEKWACHT_ADDR": "127.0.0.1:0"}), nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "loopt achter") || !strings.Contains(err.Error(), "migrate up") {
		t.Fatalf("err = %v, want a refusal that says to migrate", err)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestMigrateDemoServe is what `make run` does: migrate, seed the demo, serve.
func TestMigrateDemoServe(t *testing.T) {
	t.Parallel()
	url := testdb.EmptyURL(t)
	addr := freeAddr(t)
	env := envWith(map[string]string{"DATABASE_URL": url, "LEKWACHT_ADDR": addr, "LEKWACHT_BASE_URL": "http://" + addr})
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"migrate", "up"}, env, nil, &out, &errOut); err != nil {
		t.Fatalf("migrate up: %v\n%s", err, errOut.String())
	}
	out.Reset()
	if err := run(ctx, []string{"migrate", "status"}, env, nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "toegepast op") {
		t.Fatalf("migrate status: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"demo"}, env, nil, &out, &errOut); err != nil {
		t.Fatalf("demo: %v", err)
	}
	for _, want := range []string{"ontdekker@demo.lekwacht.nl", "meldpunt@demo.lekwacht.nl", "fg@demo.lekwacht.nl",
		"technicus@demo.lekwacht.nl", "bestuur@demo.lekwacht.nl", "beheer@demo.lekwacht.nl", "lekwacht-demo"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %s:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(ctx, []string{"demo"}, env, nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "bestond al") {
		t.Errorf("second demo: %v\n%s", err, out.String())
	}

	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	var serveOut, serveErr bytes.Buffer
	go func() { done <- run(serveCtx, []string{"serve"}, env, nil, &serveOut, &serveErr) }()
	var res *http.Response
	var err error
	for i := 0; i < 100; i++ {
		if res, err = http.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		stop()
		t.Fatalf("server did not come up: %v\n%s", err, serveErr.String())
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("healthz = %d", res.StatusCode)
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve ended with %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestUserAdd(t *testing.T) {
	t.Parallel()
	url := testdb.URL(t)
	env := envWith(map[string]string{"DATABASE_URL": url, "LEKWACHT_BASE_URL": "https://lekwacht.example.nl"})
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"user", "add", "--org", "Stichting Voorbeeld", "--email", "fg@voorbeeld.nl", "--name", "Fien"}, env, nil, &out, &errOut)
	if err != nil {
		t.Fatalf("user add: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "https://lekwacht.example.nl/wachtwoord/") || !strings.Contains(out.String(), "Organisatie \"Stichting Voorbeeld\" aangemaakt") {
		t.Errorf("output:\n%s", out.String())
	}
	out.Reset()
	errOut.Reset()
	err = run(context.Background(), []string{"user", "add", "--org", "Stichting Voorbeeld", "--email", "geen-adres", "--name", "X"}, env, nil, &out, &errOut)
	if err == nil || !strings.Contains(errOut.String(), "--email") {
		t.Errorf("bad email: %v, stderr %q", err, errOut.String())
	}
	// The same person as administrator of a second board (issue 11.3): a
	// member there, signing in as before, so no new link.
	out.Reset()
	errOut.Reset()
	err = run(context.Background(), []string{"user", "add", "--org", "Tweede Bestuur", "--email", "FG@voorbeeld.nl", "--name", "Fien"}, env, nil, &out, &errOut)
	if err != nil {
		t.Fatalf("user add for a second board: %v\n%s", err, errOut.String())
	}
	if strings.Contains(out.String(), "/wachtwoord/") || !strings.Contains(out.String(), "fg@voorbeeld.nl had al een account") {
		t.Errorf("output for a person who has an account:\n%s", out.String())
	}
}
