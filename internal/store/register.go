package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// RegisterFilter selects the register's entries. Every value is passed to
// the query as a parameter; zero values mean "no filter". Only the
// conditions that apply are put into the SQL, so that PostgreSQL plans each
// combination on its own (an index for the order, GIN for the text).
type RegisterFilter struct {
	Scope  access.Scope
	From   *time.Time // reported at or after
	Until  *time.Time // reported before
	School int64
	// Breach is "yes" (outcome breach), "no" (decided, not a breach), "open"
	// (no outcome yet) or "" (all).
	Breach string
	// Notified is "yes" (the AP was notified), "no" (not) or "" (all).
	Notified string
	Status   incident.Status
	// Deadlines is "open" (a deadline of the case still runs or has passed
	// without the work being done), "overdue" (the 72 hours, the two working
	// days or the week has passed without it) or "" (all). Now is the moment
	// it is judged at (the week is counted in Europe/Amsterdam, migration
	// 00049).
	// FilingBefore is the moment before which a decision to notify the AP
	// has its two working days past at Now (working days need the Dutch
	// holidays, which the service knows: see Incidents.filingCutoff).
	Deadlines string
	// Exception is "used" (the decision relies on an exception that is
	// reviewed: unintelligible data, or measures), "review_due" (its review
	// date has come at Now) or "" (all).
	Exception    string
	Now          time.Time
	FilingBefore time.Time
	// Text is searched with PostgreSQL's Dutch full-text search in the report
	// and the inventory.
	Text string
	Sort RegisterSort
	Asc  bool
	// After is the keyset cursor: the sort key of the last entry of the
	// previous page (see RegisterSort.Key).
	After []int64
	Limit int
}

// RegisterSort is an order of the register. Each has its own index
// (migrations 00010 and 00011) so that every page, also deep in, is an index
// range scan from the cursor on.
type RegisterSort string

// The register's orders.
const (
	SortReported RegisterSort = "reported" // gemeld op, then id
	SortNumber   RegisterSort = "number"   // zaaknummer: year, seq (unique per organisation)
	SortStatus   RegisterSort = "status"   // step in the protocol's order, then reported, id
	SortUpdated  RegisterSort = "updated"  // laatst gewijzigd, then id
)

// RegisterSorts lists the orders.
var RegisterSorts = []RegisterSort{SortReported, SortNumber, SortStatus, SortUpdated}

// keyColumns are the SQL expressions of an order's key and whether each is
// a timestamp (kept in the cursor as microseconds since 1970).
func (s RegisterSort) keyColumns() (cols []string, isTime []bool) {
	switch s {
	case SortNumber:
		return []string{"c.year", "c.seq"}, []bool{false, false}
	case SortStatus:
		return []string{"case_step_order(c.status)", "c.reported_at", "c.id"}, []bool{false, true, false}
	case SortUpdated:
		return []string{"c.updated_at", "c.id"}, []bool{true, false}
	}
	return []string{"c.reported_at", "c.id"}, []bool{true, false}
}

// Key is the sort key of an entry, as the next page's cursor holds it.
func (s RegisterSort) Key(e incident.RegisterEntry) []int64 {
	switch s {
	case SortNumber:
		return []int64{int64(e.Number.Year), int64(e.Number.Seq)}
	case SortStatus:
		return []int64{int64(incident.StepOrder(e.Status)), e.ReportedAt.UnixMicro(), e.ID}
	case SortUpdated:
		return []int64{e.UpdatedAt.UnixMicro(), e.ID}
	}
	return []int64{e.ReportedAt.UnixMicro(), e.ID}
}

// KeyLen is the number of values in a cursor of this order.
func (s RegisterSort) KeyLen() int { c, _ := s.keyColumns(); return len(c) }

// registerColumns is one register entry: the case with each step's row
// joined (registerJoins); the names, the lists (supplements, board notes,
// attachments), the processor and the open exception review are the
// {markers} of registerLookups.
const registerColumns = `
	SELECT c.id, c.year, c.seq,
		coalesce({school}, ''),
		c.status, c.reported_at, c.updated_at, c.closed_at,
		CASE WHEN c.anonymised_at IS NOT NULL THEN 'Melder (verwijderd na de bewaartermijn)'
			ELSE coalesce(nullif(ci.reporter_name, ''), {reporter}) END,
		coalesce(nullif(i.summary, ''), c.what_happened), c.what_happened, coalesce(i.nature, ''),
		CASE WHEN cardinality(coalesce(i.data_types, '{}')) > 0 THEN i.data_types ELSE c.data_kinds END,
		coalesce(i.sensitive, ''), coalesce(i.sensitive_note, ''),
		coalesce(i.subject_groups, ''), c.subject_groups, coalesce(i.subject_count, c.subjects_estimate),
		coalesce(i.chain_shared, ''), coalesce(i.cross_border, ''),
		c.carriers, coalesce(r.cause, ''), c.systems,
		CASE WHEN i.period_from IS NOT NULL OR i.period_until IS NOT NULL THEN i.period_from ELSE c.occurred_from END,
		CASE WHEN i.period_from IS NOT NULL OR i.period_until IS NOT NULL THEN i.period_until ELSE c.occurred_until END,
		c.discovered_at,
		coalesce(a.consequences, ''), c.actions_taken,
		coalesce(r.technical_incidental, ''), coalesce(r.technical_structural, ''),
		coalesce(r.organisational_incidental, ''), coalesce(r.organisational_structural, ''),
		coalesce(r.unintelligible, ''), coalesce(r.unintelligible_how, ''), coalesce(r.completed, false), r.case_id IS NOT NULL,
		coalesce(c.outcome, ''), c.outcome_reason,
		a.case_id IS NOT NULL, a.decided_at, coalesce(a.breach_reason, ''),
		array_remove(ARRAY[
			CASE WHEN a.advice ? 'breach' AND (a.advice->>'breach')::boolean <> a.breach THEN 'datalek' END,
			CASE WHEN a.advice ? 'notify_authority' AND (a.advice->>'notify_authority')::boolean <> a.notify_authority THEN 'melden aan de AP' END,
			CASE WHEN a.advice ? 'notify_subjects' AND (a.advice->>'notify_subjects')::boolean <> a.notify_subjects THEN 'betrokkenen informeren' END
		], NULL),
		c.clock_start, c.aware_reason,
		n.sent_at, coalesce(n.number, ''), coalesce(a.notify_authority, false), coalesce(a.authority_reason, ''),
		coalesce(n.late_reason, ''), n.sent_at > c.clock_start + interval '72 hours',
		{supplements},
		{withdrawn},
		{board_first},
		{board_views},
		sn.sent_at, coalesce(a.notify_subjects, false), coalesce(a.subjects_reason, ''), coalesce(a.subjects_exception, ''),
		coalesce(sn.channel, a.subjects_channel, ''), coalesce(sn.self_approval_reason, ''),
		{ap_confirmations},
		{subjects_notices},
		{processor},
		ci.case_id IS NOT NULL, c.no_confirmation_reason,
		coalesce(a.version, 0), coalesce(a.change_reason, ''),
		{exception_review},
		coalesce(cs.kind, ''), coalesce(cs.reporter_role, ''), coalesce(cs.name, ''), coalesce(cs.anonymous, false), coalesce(cs.channel, ''),
		{entered_by},
		ins.case_id IS NOT NULL, coalesce(ins.informed, false), ins.informed_on, coalesce(ins.reason, '')
`

// registerLookups are the parts of an entry that are not a step's row,
// in two forms. perRow is a subquery run for each row returned: a page's
// 50 rows, each an index lookup. set is the same as a join (on c, cs and
// the query's $1, the organisation) with the value it reads: an export of a
// whole register reads each table once, hashed, instead of 100,000 lookups
// per subquery (issue 13: the subqueries were three quarters of the
// export's query, 5.5 of its 7.5 s, run one after the other by the leader
// after the parallel part; a subquery on users even scanned the table for
// each row).
var registerLookups = []struct{ key, perRow, set, value string }{
	{"school", lookupSchool,
		"LEFT JOIN schools xs ON xs.organisation_id = c.organisation_id AND xs.id = c.school_id", "xs.name"},
	{"reporter", lookupReporter,
		"LEFT JOIN users xu ON xu.organisation_id = c.organisation_id AND xu.id = c.reporter_id", "xu.name"},
	{"supplements", lookupSupplements,
		`LEFT JOIN (SELECT x.case_id, array_agg(x.sent_at ORDER BY x.sent_at) FILTER (WHERE x.kind = 'supplement') AS supplements,
			max(x.sent_at) FILTER (WHERE x.kind = 'withdrawal') AS withdrawn
			FROM case_notifications x WHERE x.organisation_id = $1 AND x.kind IN ('supplement', 'withdrawal')
			GROUP BY x.case_id) xn ON xn.case_id = c.id`, "coalesce(xn.supplements, '{}')"},
	{"withdrawn", lookupWithdrawn, "", "xn.withdrawn"},
	{"board_first", lookupBoardFirst,
		`LEFT JOIN (SELECT b.case_id, min(b.at) AS first_at, string_agg(nullif(b.view, ''), '; ' ORDER BY b.at) AS views
			FROM case_board_notes b WHERE b.organisation_id = $1 GROUP BY b.case_id) xb ON xb.case_id = c.id`, "xb.first_at"},
	{"board_views", lookupBoardViews, "", "coalesce(xb.views, '')"},
	{"ap_confirmations", lookupAPConfirmations,
		`LEFT JOIN (SELECT t.case_id,
			array_agg(t.filename ORDER BY t.uploaded_at, t.id) FILTER (WHERE t.kind = 'ap_confirmation') AS ap_confirmations,
			array_agg(t.filename ORDER BY t.uploaded_at, t.id) FILTER (WHERE t.kind = 'subjects_notice') AS subjects_notices
			FROM case_attachments t WHERE t.organisation_id = $1 AND t.kind IN ('ap_confirmation', 'subjects_notice')
			GROUP BY t.case_id) xa ON xa.case_id = c.id`, "coalesce(xa.ap_confirmations, '{}')"},
	{"subjects_notices", lookupSubjectsNotices, "", "coalesce(xa.subjects_notices, '{}')"},
	{"processor", lookupProcessor,
		`LEFT JOIN case_processors xcp ON xcp.organisation_id = c.organisation_id AND xcp.case_id = c.id
		LEFT JOIN processors xp ON xp.organisation_id = xcp.organisation_id AND xp.id = xcp.processor_id`, "coalesce(xp.name, '')"},
	{"exception_review", lookupExceptionReview,
		`LEFT JOIN case_exception_reviews xr ON xr.organisation_id = c.organisation_id AND xr.case_id = c.id AND xr.ended_at IS NULL`, "xr.due_at"},
	{"entered_by", lookupEnteredBy,
		"LEFT JOIN users xeb ON xeb.organisation_id = c.organisation_id AND xeb.id = cs.entered_by", "coalesce(xeb.name, '')"},
}

const (
	lookupSchool      = `(SELECT s.name FROM schools s WHERE s.organisation_id = c.organisation_id AND s.id = c.school_id)`
	lookupReporter    = `(SELECT u.name FROM users u WHERE u.organisation_id = c.organisation_id AND u.id = c.reporter_id)`
	lookupSupplements = `ARRAY(SELECT x.sent_at FROM case_notifications x
			WHERE x.organisation_id = c.organisation_id AND x.case_id = c.id AND x.kind = 'supplement' ORDER BY x.sent_at)`
	lookupWithdrawn = `(SELECT max(x.sent_at) FROM case_notifications x
			WHERE x.organisation_id = c.organisation_id AND x.case_id = c.id AND x.kind = 'withdrawal')`
	lookupBoardFirst = `(SELECT min(b.at) FROM case_board_notes b WHERE b.organisation_id = c.organisation_id AND b.case_id = c.id)`
	lookupBoardViews = `coalesce((SELECT string_agg(nullif(b.view, ''), '; ' ORDER BY b.at) FROM case_board_notes b
			WHERE b.organisation_id = c.organisation_id AND b.case_id = c.id), '')`
	lookupAPConfirmations = `ARRAY(SELECT t.filename FROM case_attachments t
			WHERE t.organisation_id = c.organisation_id AND t.case_id = c.id AND t.kind = 'ap_confirmation' ORDER BY t.uploaded_at, t.id)`
	lookupSubjectsNotices = `ARRAY(SELECT t.filename FROM case_attachments t
			WHERE t.organisation_id = c.organisation_id AND t.case_id = c.id AND t.kind = 'subjects_notice' ORDER BY t.uploaded_at, t.id)`
	lookupProcessor = `coalesce((SELECT p.name FROM case_processors cp JOIN processors p ON p.organisation_id = cp.organisation_id AND p.id = cp.processor_id
			WHERE cp.organisation_id = c.organisation_id AND cp.case_id = c.id), '')`
	lookupExceptionReview = `(SELECT x.due_at FROM case_exception_reviews x WHERE x.organisation_id = c.organisation_id AND x.case_id = c.id AND x.ended_at IS NULL)`
	lookupEnteredBy       = `coalesce((SELECT eb.name FROM users eb WHERE eb.organisation_id = c.organisation_id AND eb.id = cs.entered_by), '')`
)

// registerSelect (a page: subqueries per row) and registerSetSelect with
// registerSetJoins (an export: the same as joins) are registerColumns with
// its markers filled in.
var registerSelect, registerSetSelect, registerSetJoins = func() (string, string, string) {
	var page, set []string
	var joins strings.Builder
	for _, l := range registerLookups {
		page = append(page, "{"+l.key+"}", l.perRow)
		set = append(set, "{"+l.key+"}", l.value)
		if l.set != "" {
			joins.WriteString("\n\t" + l.set)
		}
	}
	p, s := strings.NewReplacer(page...).Replace(registerColumns), strings.NewReplacer(set...).Replace(registerColumns)
	for _, l := range registerLookups {
		if strings.Count(registerColumns, "{"+l.key+"}") != 1 {
			panic("store: registerColumns must hold {" + l.key + "} once")
		}
	}
	return p, s, joins.String()
}()

// registerJoins are the steps' rows of a case, one row each at most.
const registerJoins = `
	LEFT JOIN case_inventories i ON i.organisation_id = c.organisation_id AND i.case_id = c.id
	LEFT JOIN case_assessments a ON a.organisation_id = c.organisation_id AND a.case_id = c.id
	LEFT JOIN case_repairs r ON r.organisation_id = c.organisation_id AND r.case_id = c.id
	LEFT JOIN case_notifications n ON n.organisation_id = c.organisation_id AND n.case_id = c.id AND n.kind = 'initial'
	LEFT JOIN case_subject_notices sn ON sn.organisation_id = c.organisation_id AND sn.case_id = c.id
	LEFT JOIN case_imports ci ON ci.organisation_id = c.organisation_id AND ci.case_id = c.id
	LEFT JOIN case_sources cs ON cs.organisation_id = c.organisation_id AND cs.case_id = c.id
	LEFT JOIN case_inspectorate ins ON ins.organisation_id = c.organisation_id AND ins.case_id = c.id`

// registerQuery builds the SQL and arguments of one page (or batch) in two
// stages: an inner query finds the page's case ids with only the
// conditions, the joins they need and the order (an index range scan from the
// cursor on, or the text search's GIN lookups), and the outer query reads the
// register entry of just those cases. Without the split the planner may join
// every step's table for the whole organisation before it limits.
func registerQuery(orgID int64, f RegisterFilter) (string, []any) {
	inner, args := registerIDs(orgID, f)
	cols, _ := f.Sort.keyColumns()
	order := orderBy(cols, f.Asc)
	return registerSelect + "\n\tFROM (" + inner + ") p\n\tJOIN cases c ON c.organisation_id = $1 AND c.id = p.id" +
		registerJoins + "\n\tORDER BY " + order, args
}

// registerExportQuery is registerQuery for a whole register (no limit):
// the lookups are joins (registerLookups), so that every table is read once
// for all the export's cases.
func registerExportQuery(orgID int64, f RegisterFilter) (string, []any) {
	f.Limit, f.After = 0, nil
	inner, args := registerIDs(orgID, f)
	cols, _ := f.Sort.keyColumns()
	return registerSetSelect + "\n\tFROM (" + inner + ") p\n\tJOIN cases c ON c.organisation_id = $1 AND c.id = p.id" +
		registerJoins + registerSetJoins + "\n\tORDER BY " + orderBy(cols, f.Asc), args
}

// RegisterExportSQL returns the SQL and arguments of an export's cursor,
// for EXPLAIN in the benchmark.
func RegisterExportSQL(orgID int64, f RegisterFilter) (string, []any) {
	return registerExportQuery(orgID, f)
}

func orderBy(cols []string, asc bool) string {
	dir := " DESC"
	if asc {
		dir = ""
	}
	order := make([]string, len(cols))
	for i, c := range cols {
		order[i] = c + dir
	}
	return strings.Join(order, ", ")
}

// openStatuses are the steps in which a deadline of a case can run: the
// predicate of cases_register_open_idx (migration 00032), word for word.
const openStatuses = `'new', 'inventory', 'confirmation', 'assessment', 'notification', 'informing'`

// registerIDs is the inner query: the ids of the filter's cases in its
// order, from the cursor on, at most Limit (none when 0).
func registerIDs(orgID int64, f RegisterFilter) (string, []any) {
	args := []any{orgID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var needN, needSN, needA bool
	where := []string{"c.organisation_id = $1"}
	if !f.Scope.All {
		where = append(where, "c.school_id = ANY("+arg(f.Scope.Schools)+"::bigint[])")
	}
	if f.From != nil {
		where = append(where, "c.reported_at >= "+arg(*f.From))
	}
	if f.Until != nil {
		where = append(where, "c.reported_at < "+arg(*f.Until))
	}
	if f.School != 0 {
		where = append(where, "c.school_id = "+arg(f.School))
	}
	switch f.Breach {
	case "yes":
		where = append(where, "c.outcome = 'breach'")
	case "no":
		where = append(where, "c.outcome <> 'breach'")
	case "open":
		where = append(where, "c.outcome IS NULL")
	}
	switch f.Notified {
	case "yes":
		where, needN = append(where, "n.sent_at IS NOT NULL"), true
	case "no":
		where, needN = append(where, "n.sent_at IS NULL"), true
	}
	if f.Status != "" {
		where = append(where, "c.status = "+arg(string(f.Status)))
	}
	switch f.Deadlines {
	case "open":
		// The status condition is implied by the OR; stated on its own so
		// that the planner can use cases_register_open_idx (migration 00032).
		where = append(where, "c.status IN ("+openStatuses+")")
		where, needSN = append(where, "(c.status IN ('new', 'inventory', 'confirmation', 'assessment', 'notification') OR (c.status = 'informing' AND sn.sent_at IS NULL))"), true
	case "overdue":
		// Every case stores the moment its 72 hours or its week passes and
		// the decision its two working days count from, while they run
		// (migration 00049, kept by triggers): the planner walks
		// cases_register_overdue_idx newest first, reads both from the
		// index and stops at the page's end. The IS NOT NULL is the index's
		// predicate, word for word; a decision before FilingBefore has its
		// two working days past at Now.
		where = append(where, "c.deadline_passes_at IS NOT NULL",
			"(c.deadline_passes_at < "+arg(f.Now)+" OR c.filing_decided_at < "+arg(f.FilingBefore)+")")
	}
	switch f.Exception {
	case "used":
		where = append(where, "EXISTS (SELECT 1 FROM case_exception_reviews x WHERE x.organisation_id = c.organisation_id AND x.case_id = c.id AND x.ended_at IS NULL)")
	case "review_due":
		where = append(where, "EXISTS (SELECT 1 FROM case_exception_reviews x WHERE x.organisation_id = c.organisation_id AND x.case_id = c.id AND x.ended_at IS NULL AND x.due_at <= "+arg(f.Now)+")")
	}
	if f.Text != "" {
		// The report's and the inventory's text, stored on the case as
		// tsvectors (migration 00049). The planner judges the words from the
		// columns' statistics: a common word walks the order's index and
		// checks each case until the page is full, a rare one takes the
		// organisation's matches from the GIN indexes and sorts those
		// (Register plans each search for its own words: registerQueryRows).
		q := "plainto_tsquery('dutch', " + arg(f.Text) + ")"
		where = append(where, "(c.search_case @@ "+q+" OR c.search_inventory @@ "+q+")")
	}
	cols, isTime := f.Sort.keyColumns()
	cmp := "<"
	if f.Asc {
		cmp = ">"
	}
	if len(f.After) == len(cols) {
		vals := make([]string, len(cols))
		for i, v := range f.After {
			if isTime[i] {
				vals[i] = arg(time.UnixMicro(v)) + "::timestamptz"
			} else {
				vals[i] = arg(v) + "::bigint"
			}
		}
		where = append(where, "("+strings.Join(cols, ", ")+") "+cmp+" ("+strings.Join(vals, ", ")+")")
	}
	sql := "SELECT c.id FROM cases c"
	if needA {
		sql += "\n\tLEFT JOIN case_assessments a ON a.organisation_id = c.organisation_id AND a.case_id = c.id"
	}
	if needN {
		sql += "\n\tLEFT JOIN case_notifications n ON n.organisation_id = c.organisation_id AND n.case_id = c.id AND n.kind = 'initial'"
	}
	if needSN {
		sql += "\n\tLEFT JOIN case_subject_notices sn ON sn.organisation_id = c.organisation_id AND sn.case_id = c.id"
	}
	sql += "\n\tWHERE " + strings.Join(where, "\n\t  AND ") + "\n\tORDER BY " + orderBy(cols, f.Asc)
	if f.Limit > 0 {
		sql += "\n\tLIMIT " + arg(f.Limit)
	}
	return sql, args
}

// registerQueryRows runs a register query. A text search is planned anew
// for the words searched (plan_cache_mode force_custom_plan, set for the
// batch's implicit transaction in the same round trip): a statement prepared
// once would, after five runs, be given a generic plan that guesses the
// same number of matches for every word: the walk of the order's index for
// a rare word (every case read), or the sort of all matches for a common
// one. (An unnamed statement, QueryExecModeExec, would do the same, but a
// batch, which the organisation's setting of row-level security uses, runs
// in the connection's default mode.)
func registerQueryRows(ctx context.Context, db DBTX, f RegisterFilter, sql string, args []any) (pgx.Rows, error) {
	if f.Text == "" {
		return db.Query(ctx, sql, args...)
	}
	br := db.SendBatch(ctx, &pgx.Batch{QueuedQueries: []*pgx.QueuedQuery{
		{SQL: `SELECT set_config('plan_cache_mode', 'force_custom_plan', true)`}, {SQL: sql, Arguments: args}}})
	if _, err := br.Exec(); err != nil {
		br.Close()
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

// RegisterSQL returns the SQL and arguments of a register page, for EXPLAIN
// in the benchmark.
func RegisterSQL(orgID int64, f RegisterFilter) (string, []any) { return registerQuery(orgID, f) }

// Register lists one page of the datalekregister in the filter's order.
func (q *Queries) Register(ctx context.Context, orgID int64, f RegisterFilter) ([]incident.RegisterEntry, error) {
	if f.Scope.None() {
		return nil, nil
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	sql, args := registerQuery(orgID, f)
	rows, err := registerQueryRows(ctx, q.db, f, sql, args)
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	return pgx.CollectRows(rows, scanRegisterEntry)
}

// RegisterBatches calls fn with every entry the filter selects, in its
// order, batch by batch: RegisterExportBatches without the timeline.
func (s *Store) RegisterBatches(ctx context.Context, orgID int64, f RegisterFilter, size int, fn func([]incident.RegisterEntry) error) error {
	return s.RegisterExportBatches(ctx, orgID, f, size, fn, nil)
}

// RegisterExportBatches calls entries with every entry the filter selects,
// in its order, batch by batch, and then, unless events is nil, events with
// the timelines of those same cases (case by case in the same order, each
// oldest first), batch by batch: one query for each through a server-side
// cursor, fetched size rows at a time, inside one read-only
// repeatable-read transaction (one consistent snapshot). At most one batch
// is in memory. The cursors are planned for all their rows
// (cursor_tuple_fraction 1) and the entries' lookups are joins
// (registerExportQuery): hash joins over the organisation instead of an
// index probe per row and table, which is what a page of 50 wants but a
// whole register does not. (The timeline was a query per batch of 1,000
// cases: 36 ms each, 4 s of an export of 100,000 cases; as one cursor it
// is one hash join and a sort, issue 13.)
func (s *Store) RegisterExportBatches(ctx context.Context, orgID int64, f RegisterFilter, size int,
	entries func([]incident.RegisterEntry) error, events func([]incident.RegisterEvent) error) error {
	if f.Scope.None() {
		return nil
	}
	tx, err := begin(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("register export: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	// No JIT: compiling the query's 600 expressions took half a second of
	// the export's one and a half on the benchmark data (issue 13).
	if _, err := tx.Exec(ctx, "SET LOCAL cursor_tuple_fraction = 1.0; SET LOCAL jit = off"); err != nil {
		return fmt.Errorf("register export: %w", err)
	}
	sql, args := registerExportQuery(orgID, f)
	if err := fetchAll(ctx, tx, "register_export", sql, args, size, scanRegisterEntry, entries); err != nil {
		return err
	}
	if events != nil {
		sql, args := registerTimelineQuery(orgID, f)
		if err := fetchAll(ctx, tx, "register_timeline", sql, args, size, scanRegisterEvent, events); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// fetchAll runs sql through a cursor named name in tx and calls fn with
// its rows, size at a time.
func fetchAll[T any](ctx context.Context, tx pgx.Tx, name, sql string, args []any, size int,
	scan pgx.RowToFunc[T], fn func([]T) error) error {
	if _, err := tx.Exec(ctx, "DECLARE "+name+" NO SCROLL CURSOR FOR "+sql, args...); err != nil {
		return fmt.Errorf("register export: %w", err)
	}
	fetch := "FETCH " + strconv.Itoa(size) + " FROM " + name
	for {
		rows, err := tx.Query(ctx, fetch)
		if err != nil {
			return fmt.Errorf("register export: %w", err)
		}
		batch, err := pgx.CollectRows(rows, scan)
		if err != nil {
			return fmt.Errorf("register export: %w", err)
		}
		if len(batch) > 0 {
			if err := fn(batch); err != nil {
				return err
			}
		}
		if len(batch) < size {
			return nil
		}
	}
}

// registerTimelineQuery is the timeline of the cases of an export: their
// events in the export's order of the cases, each case's oldest first.
func registerTimelineQuery(orgID int64, f RegisterFilter) (string, []any) {
	f.Limit, f.After = 0, nil
	inner, args := registerIDs(orgID, f)
	cols, _ := f.Sort.keyColumns()
	return `
		SELECT e.case_id, c.year, c.seq, e.at, coalesce(u.name, ''), e.kind, e.summary
		FROM (` + inner + `) p
		JOIN cases c ON c.organisation_id = $1 AND c.id = p.id
		JOIN case_events e ON e.organisation_id = $1 AND e.case_id = c.id
		LEFT JOIN users u ON u.organisation_id = e.organisation_id AND u.id = e.actor_id
		ORDER BY ` + orderBy(cols, f.Asc) + `, e.at, e.id`, args
}

// RegisterTimelineSQL returns the SQL and arguments of an export's
// timeline cursor, for EXPLAIN in the benchmark.
func RegisterTimelineSQL(orgID int64, f RegisterFilter) (string, []any) {
	return registerTimelineQuery(orgID, f)
}

func scanRegisterEvent(r pgx.CollectableRow) (incident.RegisterEvent, error) {
	var ev incident.RegisterEvent
	err := r.Scan(&ev.CaseID, &ev.CaseNumber.Year, &ev.CaseNumber.Seq, &ev.At, &ev.ActorName, &ev.Kind, &ev.Summary)
	return ev, err
}

// RegisterCount counts the entries the filter selects (for the PDF's limit).
func (q *Queries) RegisterCount(ctx context.Context, orgID int64, f RegisterFilter) (int, error) {
	if f.Scope.None() {
		return 0, nil
	}
	f.Limit, f.After = 0, nil
	sql, args := registerIDs(orgID, f)
	rows, err := registerQueryRows(ctx, q.db, f, "SELECT count(*) FROM ("+sql+") x", args)
	if err != nil {
		return 0, fmt.Errorf("register count: %w", err)
	}
	n, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[int])
	if err != nil {
		return 0, fmt.Errorf("register count: %w", err)
	}
	return n, nil
}

func scanRegisterEntry(r pgx.CollectableRow) (incident.RegisterEntry, error) {
	var e incident.RegisterEntry
	var invGroups string
	var reportGroups []string
	var subjectCount *int32
	var inspectorateOn *time.Time
	err := r.Scan(&e.ID, &e.Number.Year, &e.Number.Seq, &e.SchoolName, &e.Status, &e.ReportedAt, &e.UpdatedAt, &e.ClosedAt,
		&e.ReporterName,
		&e.What, &e.WhatReported, &e.Nature, &e.DataKinds, &e.Sensitive, &e.SensitiveNote,
		&invGroups, &reportGroups, &subjectCount, &e.ChainShared, &e.CrossBorder,
		&e.Carriers, &e.Cause, &e.Systems, &e.OccurredFrom, &e.OccurredUntil, &e.DiscoveredAt,
		&e.Consequences, &e.ActionsTaken,
		&e.TechnicalIncidental, &e.TechnicalStructural, &e.OrganisationalIncidental, &e.OrganisationalStructural,
		&e.Unintelligible, &e.UnintelligibleHow, &e.RepairCompleted, &e.RepairRecorded,
		&e.Outcome, &e.OutcomeReason,
		&e.Decided, &e.DecidedAt, &e.BreachReason, &e.Deviations, &e.AwareAt, &e.AwareReason,
		&e.APNotifiedAt, &e.APNumber, &e.APNotify, &e.APReason, &e.APLateReason, &e.APLate,
		&e.APSupplements, &e.APWithdrawnAt, &e.BoardInformedAt, &e.BoardViews,
		&e.SubjectsSentAt, &e.SubjectsNotify, &e.SubjectsReason, &e.SubjectsException, &e.SubjectsChannel, &e.SubjectsSelfApproval,
		&e.APConfirmations, &e.SubjectsNotices, &e.Processor, &e.Imported, &e.NoConfirmationReason,
		&e.DecisionVersion, &e.DecisionChange, &e.ExceptionReviewAt,
		&e.Source.Kind, &e.Source.Role, &e.Source.Name, &e.Source.Anonymous, &e.Source.Channel, &e.Source.EnteredBy,
		&e.InspectorateRecorded, &e.Inspectorate.Informed, &inspectorateOn, &e.Inspectorate.Reason)
	if err != nil {
		return e, err
	}
	if inspectorateOn != nil {
		e.Inspectorate.InformedOn = *inspectorateOn
	}
	// Who reported a case from outside or through the desk ("melding van buiten", issue 12).
	if e.Source.Kind != incident.SourceStaff && e.ReporterName != "Melder (verwijderd na de bewaartermijn)" {
		e.ReporterName = e.Source.ReporterLabel()
	}
	e.APDecided, e.SubjectsDecided = e.Decided, e.Decided
	e.SubjectGroups = invGroups
	if e.SubjectGroups == "" {
		labels := make([]string, len(reportGroups))
		for i, g := range reportGroups {
			labels[i] = strings.ToLower(incident.LabelOf(incident.SubjectGroups, g))
		}
		e.SubjectGroups = strings.Join(labels, ", ")
	}
	if subjectCount != nil {
		n := int(*subjectCount)
		e.SubjectCount = &n
	}
	return e, nil
}
