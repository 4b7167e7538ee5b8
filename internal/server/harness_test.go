package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pquerna/otp/totp"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/server"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/sqlcount"
	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/internal/testdb"
)

// testClock is an injected, settable clock shared by services and server.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
}()

// testApp is Lekwacht on a fresh database with the demo organisation (see
// service.DemoAccounts, password service.DemoPassword), plus a second
// organisation "Ander Bestuur" with school "De Andere School" and two users:
// desk@ander.nl (desk) and medewerker@ander.nl (staff), password "ander-wachtwoord".
type testApp struct {
	t     *testing.T
	URL   string
	Store *store.Store
	// Owner is the same database as the owner of the schema, for what a
	// test arranges or checks directly in SQL; the app runs as the runtime
	// role (testdb.New).
	Owner *pgxpool.Pool
	Svc   *service.Services
	Clock *testClock
	Logs  *logBuffer
	reqs  *requestLog
	// secrets holds the TOTP secret of each account whose second factor a
	// test set up through the pages (email → secret).
	secrets *sync.Map
}

// logBuffer is the log of a test app, safe to read while the server writes.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything logged so far.
func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// sysCtx is the context of what a test arranges or checks through the store
// itself, across organisations (store.System); requests and service calls
// set their organisation themselves.
var sysCtx = store.System(context.Background())

func newTestApp(t *testing.T) *testApp { t.Helper(); return newTestAppWith(t, nil) }

// newTestAppWith is newTestApp with a hook on the services' dependencies
// (the single sign-on tests set the secret key).
func newTestAppWith(t testing.TB, deps func(*service.Deps)) *testApp {
	t.Helper()
	ctx := sysCtx
	pool, owner := testdb.NewWithOwner(t)
	st := store.New(pool)
	clk := &testClock{t: time.Now()}
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	d := service.Deps{Store: st, Now: clk.Now, Location: amsterdam, BaseURL: "http://lekwacht.test", Logger: logger}
	if deps != nil {
		deps(&d)
	}
	// A test whose browser must follow links out of the app back into it
	// (single sign-on in Chromium) asks for the app's own address.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if d.BaseURL == selfBaseURL {
		d.BaseURL = "http://" + ln.Addr().String()
	}
	svc := service.New(d)
	if _, err := svc.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	org, err := st.CreateOrganisation(ctx, "Ander Bestuur")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateSchool(ctx, org, "De Andere School"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		email string
		role  access.Role
	}{{"desk@ander.nl", access.Desk}, {"medewerker@ander.nl", ""}} {
		id, err := st.CreateUser(ctx, org, u.email, "Iemand van "+u.email)
		if err != nil {
			t.Fatal(err)
		}
		if u.role != "" {
			if err := st.SetGrants(ctx, org, id, []access.Grant{{Role: u.role}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := setPassword(ctx, svc, st, id, "ander-wachtwoord"); err != nil {
			t.Fatal(err)
		}
	}
	sessionStore := store.NewSessionStore(pool, 30*time.Minute)
	srv := server.New(server.Deps{
		Services: svc,
		Sessions: server.NewSessions(sessionStore, 30*time.Minute, 12*time.Hour, false),
		DB:       pool, Logger: logger, Location: amsterdam, Now: clk.Now,
		ClientIPHeader: "X-Forwarded-For",
	})
	reqs := &requestLog{}
	ts := httptest.NewUnstartedServer(reqs.wrap(srv.Handler()))
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	t.Cleanup(ts.Close)
	tt, _ := t.(*testing.T) // a fuzz test's app gets its t per input (in)
	return &testApp{t: tt, URL: ts.URL, Store: st, Owner: owner, Svc: svc, Clock: clk, Logs: logs, reqs: reqs, secrets: &sync.Map{}}
}

// selfBaseURL, as the base URL of a test app's services, is replaced by
// the address the app's test server listens on.
const selfBaseURL = "self"

// setPassword gives an account a password through the one-time link, as a
// user would.
func setPassword(ctx context.Context, svc *service.Services, st *store.Store, userID int64, password string) error {
	link, err := svc.Accounts.NewPasswordLinkForTest(ctx, userID)
	if err != nil {
		return err
	}
	token := link[strings.LastIndex(link, "/")+1:]
	_, err = svc.Accounts.SetPassword(ctx, token, password, password)
	return err
}

// client returns a browser-like client with its own cookie jar that does
// not follow redirects, so tests can assert on them.
func (a *testApp) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn signs a client in and fails the test when that does not work. A
// user with a second factor, or whose roles require one, goes through that
// step as a person would (secondStep).
func (a *testApp) signIn(c *http.Client, email, password string) {
	a.t.Helper()
	res := a.post(c, "/inloggen", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("sign in as %s: status %d, want 303", email, res.StatusCode)
	}
	a.secondStep(c, email, res)
}

// secondStep finishes a sign-in that the password step sent on (res): it
// sets up the app at the first sign-in, reading the secret from the page as
// a person types it over, and types the current code at later ones. It
// returns the response that signed in.
func (a *testApp) secondStep(c *http.Client, email string, res *response) *response {
	a.t.Helper()
	switch res.Header.Get("Location") {
	case "/inloggen/tweestaps-instellen":
		page := a.get(c, "/inloggen/tweestaps-instellen")
		secret := strings.ReplaceAll(between(page.Body, `data-testid="totp-secret">`, `<`), " ", "")
		if secret == "" {
			a.t.Fatalf("sign in as %s: no secret on the set-up page (%d)", email, page.StatusCode)
		}
		a.secrets.Store(email, secret)
		done := a.post(c, "/inloggen/tweestaps-instellen", url.Values{"code": {a.totpCode(email)}})
		if done.StatusCode != http.StatusOK || !done.has("recovery-codes") {
			a.t.Fatalf("sign in as %s: setting up the second factor: %d", email, done.StatusCode)
		}
		return done
	case "/inloggen/code":
		// Several sign-ins of one account within 30 s in a test: each
		// types the code as if the previous 30 s had passed (a code is
		// accepted once).
		if _, err := a.Owner.Exec(context.Background(),
			`UPDATE user_totp SET last_step = 0 WHERE person_id = (SELECT id FROM people WHERE email = $1)`, email); err != nil {
			a.t.Fatal(err)
		}
		done := a.post(c, "/inloggen/code", url.Values{"code": {a.totpCode(email)}})
		if done.StatusCode != http.StatusSeeOther {
			a.t.Fatalf("sign in as %s: code step: status %d", email, done.StatusCode)
		}
		return done
	}
	return res
}

// totpCode is the code the app of email shows now (on the test clock).
func (a *testApp) totpCode(email string) string {
	a.t.Helper()
	v, ok := a.secrets.Load(email)
	if !ok {
		a.t.Fatalf("no second factor was set up for %s in this test", email)
	}
	code, err := totp.GenerateCode(v.(string), a.Clock.Now())
	if err != nil {
		a.t.Fatal(err)
	}
	return code
}

// get fetches a path and returns the response with its body read into Body.
func (a *testApp) get(c *http.Client, path string) *response {
	a.t.Helper()
	res, err := c.Get(a.URL + path)
	if err != nil {
		a.t.Fatal(err)
	}
	return readResponse(a.t, res)
}

// post submits a form like a same-origin browser would.
func (a *testApp) post(c *http.Client, path string, form url.Values) *response {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodPost, a.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", a.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	return readResponse(a.t, res)
}

type response struct {
	*http.Response
	Body string
}

func readResponse(t *testing.T, res *http.Response) *response {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &response{Response: res, Body: string(b)}
}

// has reports whether the body holds an element with data-testid=id.
func (r *response) has(id string) bool { return strings.Contains(r.Body, `data-testid="`+id+`"`) }

// requestLog counts the SQL statements of every request the test server
// handles (see sqlcount), for tests that assert the cost of a page.
type requestLog struct {
	mu       sync.Mutex
	inFlight int
	done     []requestCount
}

// requestCount is what one request sent to the database.
type requestCount struct {
	Method, Path string
	*sqlcount.Counter
}

func (l *requestLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, c := sqlcount.WithCounter(r.Context())
		l.mu.Lock()
		l.inFlight++
		l.mu.Unlock()
		defer func() {
			l.mu.Lock()
			l.inFlight--
			l.done = append(l.done, requestCount{Method: r.Method, Path: r.URL.RequestURI(), Counter: c})
			l.mu.Unlock()
		}()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requests runs do, which makes requests to the app, and returns the
// statement counts of the requests that ended meanwhile, in the order they
// ended. It waits for handlers still finishing after their response was read.
func (a *testApp) requests(do func()) []requestCount {
	a.t.Helper()
	a.reqs.mu.Lock()
	start := len(a.reqs.done)
	a.reqs.mu.Unlock()
	do()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		a.reqs.mu.Lock()
		idle := a.reqs.inFlight == 0
		got := append([]requestCount(nil), a.reqs.done[start:]...)
		a.reqs.mu.Unlock()
		if idle {
			return got
		}
		if time.Now().After(deadline) {
			a.t.Fatal("requests: a handler is still running after 10 s")
		}
	}
}

// statementsOf makes one GET of path with c and returns its statement
// counter.
func (a *testApp) statementsOf(c *http.Client, path string) (*response, *sqlcount.Counter) {
	a.t.Helper()
	var res *response
	got := a.requests(func() { res = a.get(c, path) })
	if len(got) != 1 {
		a.t.Fatalf("GET %s: %d requests ended, want 1", path, len(got))
	}
	return res, got[0].Counter
}
