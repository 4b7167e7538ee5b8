// Package mailpit runs a real SMTP server for tests: a Mailpit process
// (github.com/axllent/mailpit) on free loopback ports, whose HTTP API the
// tests read the delivered messages from. The binary is named by
// LEKWACHT_MAILPIT (make test installs it); without it the test fails, it
// never skips.
package mailpit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Server is one Mailpit process.
type Server struct {
	t        testing.TB
	bin      string
	args     []string
	SMTPPort int
	HTTPURL  string

	mu  sync.Mutex
	cmd *exec.Cmd
	out syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

// Options shape the server.
type Options struct {
	// IgnoreDuplicateIDs drops a message whose Message-ID was seen before
	// (--ignore-duplicate-ids): how a test sees that a retry is no duplicate.
	IgnoreDuplicateIDs bool
	// AllowedRecipients, when set, makes the server refuse (550) every
	// recipient not matching this regular expression: a bounce.
	AllowedRecipients string
}

// Start runs Mailpit for the test and stops it at cleanup.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	bin := os.Getenv("LEKWACHT_MAILPIT")
	if bin == "" {
		t.Fatal("mailpit: LEKWACHT_MAILPIT is not set: run the tests with `make test`, which installs Mailpit, or set it to the mailpit binary (scripts/mailpit.sh install)")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("mailpit: LEKWACHT_MAILPIT=%s: %v", bin, err)
	}
	s := &Server{t: t, bin: bin, SMTPPort: freePort(t)}
	httpPort := freePort(t)
	s.HTTPURL = fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	s.args = []string{"--disable-version-check", "--quiet", "--max", "0",
		"--smtp", fmt.Sprintf("127.0.0.1:%d", s.SMTPPort), "--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--smtp-max-recipients", "1000"}
	if o.IgnoreDuplicateIDs {
		s.args = append(s.args, "--ignore-duplicate-ids")
	}
	if o.AllowedRecipients != "" {
		s.args = append(s.args, "--smtp-allowed-recipients", o.AllowedRecipients)
	}
	s.Resume()
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("mailpit output:\n%s", s.out.String())
		}
	})
	return s
}

// Stop ends the process (the SMTP server is gone until Resume).
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Resume starts the process again on the same ports, with no messages.
func (s *Server) Resume() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return
	}
	cmd := exec.Command(s.bin, s.args...)
	// Mailpit logs each refused recipient; shown only when the test fails.
	cmd.Stdout, cmd.Stderr = &s.out, &s.out
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("mailpit: start: %v", err)
	}
	s.cmd = cmd
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(s.HTTPURL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.SMTPPort), time.Second); err == nil {
					c.Close()
					return
				}
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("mailpit: not ready after 20 s (smtp %d, %s)", s.SMTPPort, s.HTTPURL)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Address is a mailbox in a message.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is a message as listed.
type Summary struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
}

// Message is a message with its bodies.
type Message struct {
	Summary
	Text string `json:"Text"`
	HTML string `json:"HTML"`
}

const maxList = 100000

// Messages lists every delivered message, newest first.
func (s *Server) Messages(t testing.TB) []Summary {
	t.Helper()
	// One page with everything: paging by offset over messages received in
	// the same instant is not stable.
	var page struct {
		Total    int       `json:"total"`
		Messages []Summary `json:"messages"`
	}
	s.get(t, "/api/v1/messages?limit="+strconv.Itoa(maxList), &page)
	if page.Total > len(page.Messages) {
		t.Fatalf("mailpit: %d messages, more than one listing holds (%d)", page.Total, maxList)
	}
	return page.Messages
}

// Message loads one message with its bodies.
func (s *Server) Message(t testing.TB, id string) Message {
	t.Helper()
	var m Message
	s.get(t, "/api/v1/message/"+url.PathEscape(id), &m)
	return m
}

// WaitFor waits until at least n messages arrived and returns them all.
func (s *Server) WaitFor(t testing.TB, n int, within time.Duration) []Summary {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := s.Messages(t)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit: %d messages arrived within %s, want %d", len(got), within, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *Server) get(t testing.TB, path string, v any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.HTTPURL+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("mailpit: GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit: GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("mailpit: GET %s: %v", path, err)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailpit: free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
