// Command lekwacht-load is `make load`: a bounded load test of Lekwacht's
// pages (issue 13). It fills a database of its own with a data set of
// 10,000 cases through the services (the demo organisation, reports spread
// over four months, a third of them taken into the inventory), starts the
// real server on a loopback port, signs in as each demo role and drives
// each role's pages with vegeta for a few seconds each, one page at a
// time. It prints per page the requests per second, the p50 and p99
// latency and the database statements per request, with the load average
// of the machine beside it: the figures docs/performance.md keeps.
//
// The statements are counted with sqlcount on the server's pool: every
// query run with a request's context, the session store's included.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pquerna/otp/totp"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/server"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/sqlcount"
	"github.com/lekwacht/lekwacht/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lekwacht-load:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lekwacht-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cases := fs.Int("cases", 10_000, "cases in the data set")
	duration := fs.Duration("duration", 5*time.Second, "how long each page is driven")
	workers := fs.Uint64("workers", 4, "concurrent connections per page")
	refill := fs.Bool("refill", false, "fill the data set again even when it exists")
	dbName := fs.String("db", "lekwacht_load", "the database of the data set (on the server of the URL)")
	bench := fs.Bool("bench", false, "drive the start pages and the register of `make bench`'s 1,000,000 cases (its filled database "+
		benchDBName+"; nothing is filled or dropped) as its organisation 1's FG, and as a user who is desk, FG and board")
	if err := fs.Parse(args); err != nil {
		return err
	}
	base := getenv("LOAD_DATABASE_URL")
	if base == "" {
		base = getenv("TEST_DATABASE_URL")
	}
	if base == "" {
		return fmt.Errorf("set LOAD_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server where it may CREATE DATABASE")
	}
	var url string
	var err error
	if *bench {
		url, err = benchDB(ctx, base)
	} else {
		url, err = ensureDB(ctx, base, *dbName, *cases, *refill)
	}
	if err != nil {
		return err
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return err
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	// The server runs as the runtime role, under row-level security, as
	// `lekwacht serve` does (issue 15.4); migrating and filling are the
	// owner's (pool). Its statements are the ones counted.
	appCfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return err
	}
	appCfg.MaxConns = 16
	sqlcount.Install(appCfg)
	store.AsRuntime(appCfg)
	if err := store.Migrate(ctx, pool, "up", io.Discard); err != nil {
		return err
	}
	app, err := pgxpool.NewWithConfig(ctx, appCfg)
	if err != nil {
		return err
	}
	defer app.Close()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return err
	}
	st := store.New(pool)
	if !*bench {
		if err := fill(ctx, pool, st, loc, *cases, stderr); err != nil {
			return err
		}
	}

	// The server as `lekwacht serve` wires it (no job queue: no mail), as
	// the runtime role.
	svc := service.New(service.Deps{Store: store.New(app), Now: time.Now, Location: loc, BaseURL: "http://127.0.0.1"})
	sessions := server.NewSessions(store.NewSessionStore(app, 30*time.Minute), 30*time.Minute, 12*time.Hour, false)
	srv := server.New(server.Deps{Services: svc, Sessions: sessions, DB: app, Logger: slog.New(slog.DiscardHandler),
		Location: loc, Now: time.Now})
	counts := &pageCounts{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: counts.wrap(srv.Handler()), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	defer func() { _ = hs.Close() }()
	root := "http://" + ln.Addr().String()

	var caseID int64
	if err := pool.QueryRow(ctx, `SELECT max(id) FROM cases WHERE status = 'inventory'`).Scan(&caseID); err != nil {
		return err
	}
	casePage := fmt.Sprintf("/meldingen/%d", caseID)
	type role struct {
		email string
		pages []string
	}
	roles := []role{
		{"fg@demo.lekwacht.nl", []string{"/", "/register", "/register?termijn=overdue", "/register?q=laptop", casePage, "/berichten"}},
		{"meldpunt@demo.lekwacht.nl", []string{"/", "/register", casePage}},
		{"bestuur@demo.lekwacht.nl", []string{"/", "/register"}},
		{"technicus@demo.lekwacht.nl", []string{"/"}},
		{"ontdekker@demo.lekwacht.nl", []string{"/", "/mijn-meldingen", "/melden"}},
	}
	if *bench {
		fg, all, err := benchUsers(ctx, svc, st)
		if err != nil {
			return err
		}
		roles = []role{
			{fg, []string{"/", "/register?termijn=overdue", "/register?q=laptop"}},
			{all, []string{"/"}},
		}
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM cases`).Scan(cases); err != nil {
			return err
		}
	}
	la := loadavg()
	var dbRole string
	if err := app.QueryRow(ctx, `SELECT current_user`).Scan(&dbRole); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Lekwacht load: %d cases, %d connections, %s per page, loopback, the server as %s; load average before: %s\n\n",
		*cases, *workers, *duration, dbRole, la)
	fmt.Fprintln(stdout, "| role | page | req/s | p50 | p99 | errors | statements/request | load average |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|---|")
	password := service.DemoPassword
	if *bench {
		password = benchPassword
	}
	for _, r := range roles {
		cookie, err := signIn(ctx, pool, root, r.email, password)
		if err != nil {
			return err
		}
		for _, p := range r.pages {
			if err := ctx.Err(); err != nil {
				return err
			}
			label := r.email + " " + p
			m := attack(root+p, cookie, label, *duration, *workers)
			stmts := counts.perRequest(label)
			errs := 0
			for code, n := range m.StatusCodes {
				if code != "200" {
					errs += n
				}
			}
			fmt.Fprintf(stdout, "| %s | `%s` | %.0f | %s | %s | %d | %.1f | %s |\n", strings.Split(r.email, "@")[0], p, m.Throughput,
				ms(m.Latencies.P50), ms(m.Latencies.P99), errs, stmts, loadavg())
		}
	}
	return nil
}

// benchDBName is the database `make bench` fills (internal/service's
// register_bench_test.go) with 1,000,000 cases, organisation 1 holding
// 100,000 of them.
const benchDBName = "lekwacht_bench_register"

// benchDB returns the URL of the filled benchmark database on the server of
// base; it refuses one that `make bench` has not filled completely.
func benchDB(ctx context.Context, base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + benchDBName
	c, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return "", fmt.Errorf("-bench: %w (run make bench first)", err)
	}
	defer c.Close(ctx)
	var done bool
	if err := c.QueryRow(ctx, `SELECT done FROM bench_fill`).Scan(&done); err != nil || !done {
		return "", fmt.Errorf("-bench: %s holds no completed fill (run make bench first): %v", benchDBName, err)
	}
	// The fill gives its users and people explicit ids: the next account's
	// ids come after them.
	for _, tbl := range []string{"users", "people"} {
		if _, err := c.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+tbl+`', 'id'), (SELECT max(id) FROM `+tbl+`))
			WHERE (SELECT last_value FROM `+tbl+`_id_seq) < (SELECT max(id) FROM `+tbl+`)`); err != nil {
			return "", fmt.Errorf("-bench: %w", err)
		}
	}
	return u.String(), nil
}

// benchPassword is the password of the two accounts benchUsers adds.
const benchPassword = "lekwacht-bench-1M"

// benchUsers returns the e-mail addresses of two accounts of the benchmark
// data's organisation 1, added through the services the first time (the
// data have accounts without passwords): its FG only, and one who is desk,
// FG and board.
func benchUsers(ctx context.Context, svc *service.Services, st *store.Store) (fg, all string, err error) {
	const org = 1
	admin := &access.Actor{UserID: 100 + org, OrganisationID: org, Name: "FG 1", Grants: []access.Grant{{Role: access.Admin}}}
	for _, u := range []struct {
		email, name string
		roles       []access.Role
	}{
		{"fg-load@bench.example", "FG (load)", []access.Role{access.Officer}},
		{"fg-meldpunt-bestuur-load@bench.example", "FG, meldpunt en bestuur (load)", []access.Role{access.Desk, access.Officer, access.Board}},
	} {
		if _, err := st.UserByEmail(ctx, u.email); err == nil {
			continue // added by an earlier run, with benchPassword
		}
		f := service.UserForm{Email: u.email, Name: u.name, Active: true, Roles: map[access.Role]string{}}
		for _, r := range u.roles {
			f.Roles[r] = "all"
		}
		_, link, err := svc.Accounts.CreateUser(ctx, admin, f)
		if err != nil {
			return "", "", fmt.Errorf("-bench: add %s: %w", u.email, err)
		}
		_, token, _ := strings.Cut(link, "/wachtwoord/")
		if _, err := svc.Accounts.SetPassword(ctx, token, benchPassword, benchPassword); err != nil {
			return "", "", fmt.Errorf("-bench: password of %s: %w", u.email, err)
		}
	}
	return "fg-load@bench.example", "fg-meldpunt-bestuur-load@bench.example", nil
}

// ensureDB returns the URL of the load database on the server of base,
// creating it (empty) when it does not exist, holds another number of
// cases, or refill is set.
// A table load_fill marks a completed fill, so later runs reuse it.
func ensureDB(ctx context.Context, base, loadDB string, cases int, refill bool) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + loadDB
	if c, err := pgx.Connect(ctx, u.String()); err == nil {
		var n int
		if err := c.QueryRow(ctx, `SELECT cases FROM load_fill`).Scan(&n); err != nil || n != cases {
			refill = true
		}
		_ = c.Close(ctx)
	}
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, loadDB).Scan(&exists); err != nil {
		return "", err
	}
	if exists && refill {
		if _, err := conn.Exec(ctx, "DROP DATABASE "+pgx.Identifier{loadDB}.Sanitize()+" WITH (FORCE)"); err != nil {
			return "", err
		}
		exists = false
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{loadDB}.Sanitize()); err != nil {
			return "", err
		}
	}
	return u.String(), nil
}

// fill loads the data set through the services, once: the demo
// organisation and its accounts, n reports by the demo reporter spread over
// the last four months (with the clock of each report injected), and every
// third one taken into the inventory by the desk.
func fill(ctx context.Context, pool *pgxpool.Pool, st *store.Store, loc *time.Location, n int, log io.Writer) error {
	var done bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('load_fill') IS NOT NULL`).Scan(&done); err != nil {
		return err
	}
	if done {
		return nil
	}
	start := time.Now()
	var mu sync.Mutex
	now := start.Add(-120 * 24 * time.Hour)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	svc := service.New(service.Deps{Store: st, Now: clock, Location: loc, BaseURL: "http://127.0.0.1"})
	if _, err := svc.SeedDemo(ctx); err != nil {
		return err
	}
	actor := func(email string) (*access.Actor, error) {
		u, err := st.UserByEmail(ctx, email)
		if err != nil {
			return nil, err
		}
		a, _, err := st.Actor(ctx, u.ID)
		return a, err
	}
	reporter, err := actor("ontdekker@demo.lekwacht.nl")
	if err != nil {
		return err
	}
	desk, err := actor("meldpunt@demo.lekwacht.nl")
	if err != nil {
		return err
	}
	var schools []string
	rows, err := pool.Query(ctx, `SELECT id::text FROM schools WHERE organisation_id = $1 ORDER BY id`, reporter.OrganisationID)
	if err != nil {
		return err
	}
	if schools, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || len(schools) == 0 {
		return fmt.Errorf("demo schools: %v", err)
	}
	texts := []string{
		"Een laptop met leerlinggegevens is gestolen uit de auto van een leerkracht.",
		"Een mail met cijferlijsten is naar de verkeerde ouders gestuurd.",
		"Een USB-stick met de adreslijst van groep 7 is verloren in de trein.",
		"Een collega klikte op een phishinglink en vulde zijn wachtwoord in.",
		"Een map met zorgdossiers stond open voor alle medewerkers.",
	}
	step := 120 * 24 * time.Hour / time.Duration(n)
	for i := range n {
		mu.Lock()
		now = now.Add(step)
		mu.Unlock()
		f := incident.ReportForm{
			SubmissionKey: svc.Incidents.NewSubmissionKey(),
			WhatHappened:  texts[i%len(texts)],
			School:        schools[i%len(schools)],
			PersonalData:  []string{"yes", "unknown", "no"}[i%3],
			Ongoing:       "no",
		}
		res, err := svc.Incidents.Report(ctx, reporter, f)
		if err != nil {
			return fmt.Errorf("report %d: %w", i, err)
		}
		if i%3 == 0 {
			if err := svc.Incidents.StartInventory(ctx, desk, res.ID); err != nil {
				return fmt.Errorf("inventory %d: %w", i, err)
			}
		}
		if (i+1)%1000 == 0 {
			fmt.Fprintf(log, "lekwacht-load: %d of %d cases (%s)\n", i+1, n, time.Since(start).Round(time.Second))
		}
	}
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		return err
	}
	_, err = pool.Exec(ctx, `CREATE TABLE load_fill (cases integer, filled_at timestamptz DEFAULT now())`)
	if err == nil {
		_, err = pool.Exec(ctx, `INSERT INTO load_fill (cases) VALUES ($1)`, n)
	}
	fmt.Fprintf(log, "lekwacht-load: filled %d cases in %s\n", n, time.Since(start).Round(time.Second))
	return err
}

// signIn signs in with the demo password and returns the session cookie.
// The desk, FG, board and administrator must use a second factor (issue
// 11): the load database is the tool's own, so their authenticator is
// removed first and set up again through the pages, as at a first sign-in,
// with the code computed from the secret the page shows.
func signIn(ctx context.Context, pool *pgxpool.Pool, root, email, password string) (string, error) {
	if _, err := pool.Exec(ctx, `DELETE FROM user_totp WHERE person_id = (SELECT id FROM people WHERE email = $1)`, email); err != nil {
		return "", fmt.Errorf("sign in as %s: reset the second factor: %w", email, err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) (*http.Response, string, error) {
		req, err := http.NewRequest(http.MethodPost, root+path, strings.NewReader(form.Encode()))
		if err != nil {
			return nil, "", err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", root)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := c.Do(req)
		if err != nil {
			return nil, "", err
		}
		body, err := io.ReadAll(res.Body)
		_ = res.Body.Close()
		return res, string(body), err
	}
	res, _, err := post("/inloggen", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return "", err
	}
	if res.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("sign in as %s: status %d", email, res.StatusCode)
	}
	if res.Header.Get("Location") == "/inloggen/tweestaps-instellen" {
		page, err := c.Get(root + "/inloggen/tweestaps-instellen")
		if err != nil {
			return "", err
		}
		body, err := io.ReadAll(page.Body)
		_ = page.Body.Close()
		if err != nil {
			return "", err
		}
		_, rest, _ := strings.Cut(string(body), `data-testid="totp-secret">`)
		secret, _, _ := strings.Cut(rest, "<")
		code, err := totp.GenerateCode(strings.ReplaceAll(secret, " ", ""), time.Now())
		if err != nil {
			return "", fmt.Errorf("sign in as %s: the set-up page shows no usable secret: %w", email, err)
		}
		done, _, err := post("/inloggen/tweestaps-instellen", url.Values{"code": {code}})
		if err != nil {
			return "", err
		}
		if done.StatusCode != http.StatusOK {
			return "", fmt.Errorf("sign in as %s: setting up the second factor: status %d", email, done.StatusCode)
		}
	}
	u, _ := url.Parse(root)
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; "), nil
}

// attack drives one page with workers connections for d and returns the
// metrics.
func attack(target, cookie, label string, d time.Duration, workers uint64) vegeta.Metrics {
	h := http.Header{}
	h.Set("Cookie", cookie)
	h.Set(pageHeader, label)
	targeter := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: target, Header: h})
	a := vegeta.NewAttacker(vegeta.Workers(workers), vegeta.MaxWorkers(workers), vegeta.KeepAlive(true),
		vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(30*time.Second))
	var m vegeta.Metrics
	// Rate 0: as fast as the workers go (a closed loop of workers requests).
	for res := range a.Attack(targeter, vegeta.Rate{Freq: 0}, d, label) {
		m.Add(res)
	}
	m.Close()
	return m
}

// pageHeader names the page of a request, for the statement counts.
const pageHeader = "X-Lekwacht-Load-Page"

// pageCounts sums the statements of the requests per page.
type pageCounts struct {
	mu    sync.Mutex
	stmts map[string]int
	reqs  map[string]int
}

func (p *pageCounts) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		label := r.Header.Get(pageHeader)
		if label == "" {
			next.ServeHTTP(w, r)
			return
		}
		ctx, c := sqlcount.WithCounter(r.Context())
		next.ServeHTTP(w, r.WithContext(ctx))
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.stmts == nil {
			p.stmts, p.reqs = map[string]int{}, map[string]int{}
		}
		p.stmts[label] += c.Statements()
		p.reqs[label]++
	})
}

func (p *pageCounts) perRequest(label string) float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.reqs[label] == 0 {
		return 0
	}
	return float64(p.stmts[label]) / float64(p.reqs[label])
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// loadavg is the first three fields of /proc/loadavg.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
