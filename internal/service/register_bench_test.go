package service_test

// Benchmarks of the register on 1,000,000 incidents over 5,000 schools and
// 100 organisations (docs/performance.md). They run with `make bench`, never
// in `make test` (go test runs benchmarks only with -bench).
//
// The data live in a dedicated database (BENCH_DATABASE_URL, else the
// database lekwacht_bench_register on the server of TEST_DATABASE_URL). It
// is filled once with generate_series and reused by every later run: a
// table bench_fill marks a completed fill; a database without it (a fill
// that was interrupted) is dropped and filled again.

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/export"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/store"
	"github.com/lekwacht/lekwacht/migrations"
)

const (
	benchDBName = "lekwacht_bench_register"
	benchBigOrg = 1 // holds a tenth of the cases (100,000), the others about 9,091 each
	// benchBeforeRegisterIndexes is the last migration before the register's
	// indexes (00010, 00011): the data are loaded first and the indexes built
	// over them afterwards, which is much faster than maintaining them row by row.
	benchBeforeRegisterIndexes = 9
)

// benchCases is the number of incidents: 1,000,000, or BENCH_CASES (a
// smaller number gives a database of its own, to try the fill quickly).
func benchCases() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_CASES")); err == nil && n >= 1000 {
		return n
	}
	return 1_000_000
}

var (
	benchOnce sync.Once
	benchPool *pgxpool.Pool
	benchErr  error
)

// benchDB returns the filled benchmark database.
func benchDB(b *testing.B) *pgxpool.Pool {
	b.Helper()
	benchOnce.Do(func() { benchPool, benchErr = openBenchDB(b) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPool
}

func benchURL() (admin, bench string, err error) {
	if u := os.Getenv("BENCH_DATABASE_URL"); u != "" {
		p, err := url.Parse(u)
		if err != nil {
			return "", "", err
		}
		p2 := *p
		p2.Path = "/postgres"
		return p2.String(), u, nil
	}
	t := os.Getenv("TEST_DATABASE_URL")
	if t == "" {
		return "", "", fmt.Errorf("set BENCH_DATABASE_URL or TEST_DATABASE_URL (make bench sets it)")
	}
	p, err := url.Parse(t)
	if err != nil {
		return "", "", err
	}
	p2 := *p
	p2.Path = "/" + benchDBName
	if n := benchCases(); n != 1_000_000 {
		p2.Path += "_" + strconv.Itoa(n)
	}
	return t, p2.String(), nil
}

func openBenchDB(b *testing.B) (*pgxpool.Pool, error) {
	ctx := context.Background()
	adminURL, benchURLs, err := benchURL()
	if err != nil {
		return nil, err
	}
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return nil, err
	}
	defer admin.Close(ctx)
	name := strings.TrimPrefix(must(url.Parse(benchURLs)).Path, "/")
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return nil, err
	}
	filled := false
	if exists {
		c, err := pgx.Connect(ctx, benchURLs)
		if err != nil {
			return nil, err
		}
		err = c.QueryRow(ctx, `SELECT true FROM bench_fill WHERE done`).Scan(&filled)
		_ = c.Close(ctx)
		if err != nil {
			filled = false
		}
		if !filled {
			b.Logf("bench: %s exists without a completed fill: dropping it", name)
			if _, err := admin.Exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
				return nil, err
			}
			exists = false
		}
	}
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			return nil, err
		}
	}
	pool, err := pgxpool.New(ctx, benchURLs)
	if err != nil {
		return nil, err
	}
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		return nil, err
	}
	if !filled {
		start := time.Now()
		if _, err := p.UpTo(ctx, benchBeforeRegisterIndexes); err != nil {
			return nil, err
		}
		if err := fillBench(ctx, db, benchCases()); err != nil {
			return nil, fmt.Errorf("bench fill: %w", err)
		}
		b.Logf("bench: filled %d cases in %s", benchCases(), time.Since(start).Round(time.Second))
	}
	start := time.Now()
	applied, err := p.Up(ctx)
	if err != nil {
		return nil, err
	}
	if filled && len(applied) > 0 {
		// New migrations on the filled data (a backfill, a new index):
		// vacuumed and analysed as a fresh fill is, so that the plans see
		// their statistics and index-only scans their visibility map.
		if _, err := db.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
			return nil, err
		}
		b.Logf("bench: %d new migrations applied, vacuumed and analysed in %s", len(applied), time.Since(start).Round(time.Second))
	}
	if !filled {
		if _, err := db.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
			return nil, err
		}
		// A second pass sets the visibility map of the pages the first
		// left (after the fill and the migrations' backfills 3,500 pages
		// of cases were not all-visible, and the work lists' index-only
		// scans fetched 2,000 rows from the heap per count).
		if _, err := db.ExecContext(ctx, `VACUUM cases`); err != nil {
			return nil, err
		}
		if _, err := db.ExecContext(ctx, `CREATE TABLE bench_fill (done boolean NOT NULL); INSERT INTO bench_fill VALUES (true)`); err != nil {
			return nil, err
		}
		b.Logf("bench: indexes built and analysed in %s", time.Since(start).Round(time.Second))
	}
	return pool, nil
}

// fillBench loads the benchmark data with set-based SQL. Ids are given
// explicitly so that the organisation, school and user of a case can be
// computed from its number: organisation o has schools (o-1)*50+1 … o*50,
// reporter o, and the desk/officer/board user 100+o.
func fillBench(ctx context.Context, db *sql.DB, total int) error {
	big := strconv.Itoa(total / 10)
	steps := []string{
		`INSERT INTO organisations (id, name) OVERRIDING SYSTEM VALUE
			SELECT o, 'Benchbestuur ' || o FROM generate_series(1, 100) o`,
		`INSERT INTO schools (id, organisation_id, name) OVERRIDING SYSTEM VALUE
			SELECT (o - 1) * 50 + s, o, 'School ' || o || '-' || s FROM generate_series(1, 100) o, generate_series(1, 50) s`,
		`INSERT INTO people (id, email, home_organisation_id) OVERRIDING SYSTEM VALUE
			SELECT 100000 + o, 'melder' || o || '@bench.example', o FROM generate_series(1, 100) o
			UNION ALL SELECT 100100 + o, 'fg' || o || '@bench.example', o FROM generate_series(1, 100) o`,
		`INSERT INTO users (id, organisation_id, person_id, email, name) OVERRIDING SYSTEM VALUE
			SELECT o, o, 100000 + o, 'melder' || o || '@bench.example', 'Melder ' || o FROM generate_series(1, 100) o
			UNION ALL SELECT 100 + o, o, 100100 + o, 'fg' || o || '@bench.example', 'FG ' || o FROM generate_series(1, 100) o`,
		`INSERT INTO user_roles (user_id, organisation_id, role)
			SELECT 100 + o, o, r FROM generate_series(1, 100) o, unnest(ARRAY['desk', 'officer', 'board']) r`,
		// Cases: the first 100,000 in organisation 1, the rest spread over
		// 2…100; reported at pseudo-random moments over about three years.
		`INSERT INTO cases (id, organisation_id, year, seq, school_id, reporter_id, submission_key, status, reported_at,
			what_happened, carriers, systems, personal_data, data_kinds, ongoing, actions_taken, updated_at, aware_at,
			outcome, outcome_reason, closed_at) OVERRIDING SYSTEM VALUE
		SELECT g, x.org, extract(year FROM x.at AT TIME ZONE 'Europe/Amsterdam')::int, x.k,
			(x.org - 1) * 50 + 1 + (g * 7) % 50, x.org, md5(g::text)::uuid, x.status, x.at,
			(ARRAY['USB-stick met de cijferlijst van een klas verloren in de trein.',
				'Laptop met leerlingdossiers gestolen uit de auto.',
				'E-mail met adressen van ouders naar de verkeerde ontvangers gestuurd (cc in plaats van bcc).',
				'Phishingmail: een collega heeft zijn wachtwoord ingevuld op een valse inlogpagina.',
				'Map met zorgnotities op de gang gevonden.',
				'Gedeelde map in OneDrive was voor iedereen met de link te openen.',
				'Telefoon met schoolmail en WhatsApp-groepen van ouders kwijtgeraakt.',
				'Toetsresultaten per ongeluk op de website gepubliceerd.',
				'Leverancier meldt een inbraak in het leerplatform.',
				'Printje met leerlingnummers en geboortedata in de printer laten liggen.',
				'Account van een docent gebruikt door een leerling.',
				'Brief over een leerling naar het verkeerde adres gestuurd.',
				'Externe harde schijf met back-ups niet terug te vinden.',
				'Verdachte mail ontvangen, niet op de link geklikt.',
				'Wachtwoord van de administratie op een briefje onder het toetsenbord.',
				'Foto''s van leerlingen zonder toestemming op sociale media.',
				'Stagiair had toegang tot alle dossiers in ParnasSys.',
				'Schoolfotograaf stuurde de verkeerde foto''s aan ouders.',
				'Notulen van een zorgoverleg gemaild naar een ouder.',
				'Scanner stuurde scans naar een extern adres.'])[1 + g % 20]
				|| CASE WHEN g % 1000 = 0 THEN ' Mogelijk ransomware op de server.' ELSE '' END || ' Melding ' || g || '.',
			ARRAY[(ARRAY['usb', 'laptop', 'email', 'account', 'paper', 'cloud'])[1 + g % 6]], 'Magister, OneDrive', 'yes',
			ARRAY[(ARRAY['contact', 'results', 'care', 'identifier'])[1 + g % 4]], 'no', 'Direct gemeld bij het meldpunt.',
			x.at + interval '2 days', x.at,
			CASE WHEN x.status = 'closed' THEN (ARRAY['breach', 'no_breach', 'no_incident', 'no_personal_data', 'breach'])[1 + (g / 10) % 5]
				WHEN x.status IN ('notification', 'informing', 'recording') THEN 'breach' END,
			CASE WHEN x.status = 'closed' AND (g / 10) % 5 IN (1, 2, 3) THEN 'Geen datalek: de gegevens zijn niet bij derden gekomen.' ELSE '' END,
			CASE WHEN x.status = 'closed' THEN x.at + interval '10 days' END
		FROM (SELECT g,
				CASE WHEN g <= ` + big + ` THEN 1 ELSE 2 + g % 99 END AS org,
				CASE WHEN g <= ` + big + ` THEN g ELSE (g - ` + big + ` - 1) / 99 + 1 END AS k,
				timestamptz '2023-06-01 00:00+02' + ((g::bigint * 7919) % 1000003) * interval '90 seconds' AS at,
				(ARRAY['new', 'inventory', 'assessment', 'notification', 'informing', 'recording', 'closed', 'closed', 'closed', 'closed'])[1 + g % 10] AS status
			FROM generate_series(1, ` + strconv.Itoa(total) + `) g) x`,
		`INSERT INTO case_inventories (organisation_id, case_id, summary, sensitive, nature, breach_suspected, subject_groups,
			subject_count, data_types, chain_shared, updated_at, updated_by)
		SELECT organisation_id, id, 'Samenvatting van het meldpunt: ' || what_happened, 'no', 'lost_device', 'yes',
			'leerlingen en ouders', 1 + id % 300, data_kinds, 'no', reported_at + interval '1 hour', 100 + organisation_id
		FROM cases WHERE status <> 'new'`,
		`INSERT INTO case_assessments (organisation_id, case_id, facts, advice, consequences, breach, breach_reason,
			notify_authority, authority_reason, notify_subjects, subjects_reason, subjects_exception, decided_at, decided_by)
		SELECT organisation_id, id, '{}', '{"breach": true, "notify_authority": true, "notify_subjects": false}',
			'Gegevens van leerlingen kunnen bij onbevoegden zijn.', outcome = 'breach',
			CASE WHEN outcome = 'breach' THEN '' ELSE outcome_reason END,
			outcome = 'breach' AND id % 3 <> 0, CASE WHEN id % 3 = 0 THEN 'Versleuteld; geen risico.' ELSE '' END,
			outcome = 'breach' AND id % 4 = 0, CASE WHEN id % 4 = 0 THEN '' ELSE 'Geen hoog risico.' END,
			CASE WHEN outcome = 'breach' AND id % 4 <> 0 THEN 'no_high_risk' ELSE '' END,
			reported_at + interval '1 day', 100 + organisation_id
		FROM cases WHERE status IN ('notification', 'informing', 'recording', 'closed') AND outcome IN ('breach', 'no_breach')`,
		`INSERT INTO case_notifications (organisation_id, case_id, kind, number, sent_at, recorded_at, recorded_by)
		SELECT c.organisation_id, c.id, 'initial', 'M-' || c.id, c.reported_at + (c.id % 100) * interval '1 hour',
			c.reported_at + interval '4 days', 100 + c.organisation_id
		FROM cases c JOIN case_assessments a ON a.organisation_id = c.organisation_id AND a.case_id = c.id
		WHERE a.notify_authority AND c.status IN ('informing', 'recording', 'closed')`,
		`INSERT INTO case_subject_notices (organisation_id, case_id, channel, recipient_groups, subject, body, nature,
			measures_taken, measures_recipient, officer_contact, school_contact, drafted_at, drafted_by, approved_at,
			approved_by, sent_at, sent_by)
		SELECT c.organisation_id, c.id, 'individual', ARRAY['parents_under_16'], 'Datalek', 'Beste ouder,', 'Een datalek.',
			'Maatregelen genomen.', 'Wees alert.', 'FG', 'School', c.reported_at + interval '5 days', 100 + c.organisation_id,
			c.reported_at + interval '5 days', 100 + c.organisation_id, c.reported_at + interval '6 days', 100 + c.organisation_id
		FROM cases c JOIN case_assessments a ON a.organisation_id = c.organisation_id AND a.case_id = c.id
		WHERE a.notify_subjects AND c.status IN ('recording', 'closed')`,
		`INSERT INTO case_events (organisation_id, case_id, at, actor_id, kind, summary)
		SELECT organisation_id, id, reported_at, reporter_id, 'reported', 'Gemeld' FROM cases
		UNION ALL
		SELECT organisation_id, id, reported_at + interval '1 hour', 100 + organisation_id, 'inventory', 'Inventarisatie vastgelegd'
		FROM cases WHERE status <> 'new'`,
	}
	for i, s := range steps {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	return nil
}

// benchService is the register's service on the benchmark database, with
// the desk/officer/board of the big organisation as the actor.
func benchService(b *testing.B) (*service.Incidents, *access.Actor, *pgxpool.Pool) {
	b.Helper()
	pool := benchDB(b)
	st := store.New(pool)
	svc := service.New(service.Deps{Store: st, Now: func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, amsterdam) },
		Location: amsterdam, BaseURL: "http://lekwacht.test"})
	a, _, err := st.Actor(context.Background(), 100+benchBigOrg)
	if err != nil {
		b.Fatal(err)
	}
	return svc.Incidents, a, pool
}

// benchDeepCursor is the cursor of the page after the 50,000th case (half) of the
// big organisation, newest first.
func benchDeepCursor(b *testing.B, pool *pgxpool.Pool) string {
	b.Helper()
	var at time.Time
	var id int64
	err := pool.QueryRow(context.Background(), `SELECT reported_at, id FROM cases WHERE organisation_id = $1
		ORDER BY reported_at DESC, id DESC OFFSET $2 LIMIT 1`, benchBigOrg, benchCases()/20).Scan(&at, &id)
	if err != nil {
		b.Fatal(err)
	}
	return "reported.desc." + strconv.FormatInt(at.UnixMicro(), 10) + "." + strconv.FormatInt(id, 10)
}

func BenchmarkRegisterPage(b *testing.B) {
	svc, a, pool := benchService(b)
	ctx := context.Background()
	deep := benchDeepCursor(b, pool)
	// The synthetic data tie a school to few statuses: take the school of
	// the big organisation with the most breaches not notified.
	var school string
	if err := pool.QueryRow(ctx, `SELECT c.school_id::text FROM cases c
		LEFT JOIN case_notifications n ON n.organisation_id = c.organisation_id AND n.case_id = c.id AND n.kind = 'initial'
		WHERE c.organisation_id = $1 AND c.outcome = 'breach' AND n.sent_at IS NULL
		GROUP BY c.school_id ORDER BY count(*) DESC LIMIT 1`, benchBigOrg).Scan(&school); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		rq   service.RegisterQuery
	}{
		{"first", service.RegisterQuery{}},
		{"deep_keyset", service.RegisterQuery{Cursor: deep}},
		{"search_rare", service.RegisterQuery{Text: "ransomware"}},
		{"search_common", service.RegisterQuery{Text: "laptop"}},
		{"filter_breach_not_notified_school", service.RegisterQuery{Breach: "yes", Notified: "no", School: school}},
		{"filter_period_status", service.RegisterQuery{From: "2024-01-01", To: "2024-12-31", Status: "closed"}},
		{"sort_number_asc", service.RegisterQuery{Sort: "number", Dir: "asc"}},
		{"sort_status", service.RegisterQuery{Sort: "status"}},
		{"overdue", service.RegisterQuery{Deadlines: "overdue"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				v, err := svc.Register(ctx, a, bc.rq)
				if err != nil {
					b.Fatal(err)
				}
				if len(v.Entries) == 0 {
					b.Fatalf("%s: empty page", bc.name)
				}
			}
		})
	}
}

// BenchmarkRegisterExport exports the whole big organisation (100,000
// cases, 190,000 timeline rows) and reports the peak heap in use.
func BenchmarkRegisterExport(b *testing.B) {
	svc, a, _ := benchService(b)
	ctx := context.Background()
	for _, format := range []string{"csv", "xlsx"} {
		b.Run(format, func(b *testing.B) {
			var rows atomic.Int64
			peak := watchHeap()
			for b.Loop() {
				x, err := svc.RegisterExport(ctx, a, service.RegisterQuery{})
				if err != nil {
					b.Fatal(err)
				}
				m := export.Meta{Organisation: x.Organisation, Filter: x.Filter, PrintedAt: x.PrintedAt, Location: x.Location}
				cw := &countingWriter{w: io.Discard}
				src := &countingSource{RegisterExport: x, n: &rows}
				switch format {
				case "csv":
					err = export.CSV(ctx, cw, m, src)
				case "xlsx":
					err = export.XLSX(ctx, cw, m, src)
				}
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(cw.n)/1e6, "MB-out")
			}
			b.ReportMetric(float64(rows.Load())/float64(b.N), "rows/op")
			b.ReportMetric(float64(peak())/1e6, "peak-heap-MB")
		})
	}
}

// BenchmarkRegisterPlans logs EXPLAIN (ANALYZE, BUFFERS) of the register's
// queries on the benchmark data to standard output.
func BenchmarkRegisterPlans(b *testing.B) {
	_, _, pool := benchService(b)
	ctx := context.Background()
	all := access.Scope{All: true}
	var at time.Time
	var id int64
	if err := pool.QueryRow(ctx, `SELECT reported_at, id FROM cases WHERE organisation_id = $1
		ORDER BY reported_at DESC, id DESC OFFSET $2 LIMIT 1`, benchBigOrg, benchCases()/20).Scan(&at, &id); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	plans := []struct {
		name string
		f    store.RegisterFilter
	}{
		{"first page", store.RegisterFilter{Scope: all, Sort: store.SortReported, Limit: 51}},
		{"deep page", store.RegisterFilter{Scope: all, Sort: store.SortReported, Limit: 51, After: []int64{at.UnixMicro(), id}}},
		{"search", store.RegisterFilter{Scope: all, Sort: store.SortReported, Limit: 51, Text: "ransomware"}},
		{"by step", store.RegisterFilter{Scope: all, Sort: store.SortStatus, Limit: 51, After: []int64{3, at.UnixMicro(), id}}},
		{"by number asc", store.RegisterFilter{Scope: all, Sort: store.SortNumber, Asc: true, Limit: 51, After: []int64{2025, 5000}}},
		{"school scope", store.RegisterFilter{Scope: access.Scope{Schools: []int64{2, 7}}, Sort: store.SortReported, Limit: 51}},
		{"search, a common word", store.RegisterFilter{Scope: all, Sort: store.SortReported, Limit: 51, Text: "laptop"}},
		{"overdue", store.RegisterFilter{Scope: all, Sort: store.SortReported, Limit: 51, Deadlines: "overdue",
			Now: now, FilingBefore: now.AddDate(0, 0, -2)}},
		{"deadlines open", store.RegisterFilter{Scope: all, Sort: store.SortReported, Limit: 51, Deadlines: "open"}},
		{"export (the cursor's query: the whole organisation)", store.RegisterFilter{Scope: all, Sort: store.SortReported}},
		{"export's timeline (the second cursor)", store.RegisterFilter{Scope: all, Sort: store.SortReported}},
	}
	for b.Loop() {
		for _, p := range plans {
			sqlText, args := store.RegisterSQL(benchBigOrg, p.f)
			explain := "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
			if strings.HasPrefix(p.name, "export") {
				// As the cursor runs: no parallel workers (PostgreSQL runs
				// none for a cursor), no JIT (RegisterExportBatches).
				sqlText, args = store.RegisterExportSQL(benchBigOrg, p.f)
				if strings.Contains(p.name, "timeline") {
					sqlText, args = store.RegisterTimelineSQL(benchBigOrg, p.f)
				}
			}
			tx, err := pool.Begin(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if strings.HasPrefix(p.name, "export") {
				if _, err := tx.Exec(ctx, "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off; SET LOCAL cursor_tuple_fraction = 1"); err != nil {
					b.Fatal(err)
				}
			}
			rows, err := tx.Query(ctx, explain+sqlText, args...)
			if err != nil {
				b.Fatal(err)
			}
			var lines []string
			sub := false
			for rows.Next() {
				var l string
				if err := rows.Scan(&l); err != nil {
					b.Fatal(err)
				}
				// The select list's subqueries (supplements, board notes,
				// attachments) are index lookups per returned row, the same
				// in every plan: left out.
				if strings.Contains(l, "SubPlan") {
					sub = true
				}
				if !sub || strings.HasPrefix(l, "Planning") || strings.HasPrefix(l, "Execution") {
					lines = append(lines, l)
				}
			}
			rows.Close()
			_ = tx.Rollback(ctx)
			// Printed, not logged: the testing package cuts long benchmark logs.
			fmt.Printf("--- plan: %s\n%s\n", p.name, strings.Join(lines, "\n"))
		}
	}
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

type countingSource struct {
	*service.RegisterExport
	n *atomic.Int64
}

func (c *countingSource) Each(ctx context.Context, fn func([]incident.RegisterEntry) error, timeline func([]incident.RegisterEvent) error) error {
	return c.RegisterExport.Each(ctx, func(b []incident.RegisterEntry) error {
		c.n.Add(int64(len(b)))
		return fn(b)
	}, timeline)
}

// watchHeap samples the bytes of live and not yet swept heap objects every
// 5 ms (runtime/metrics, which does not stop the world) until the returned
// function is called, which returns the largest value seen.
func watchHeap() func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				metrics.Read(sample)
				if v := sample[0].Value.Uint64(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	return func() uint64 { close(done); return peak.Load() }
}
