package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// WorkKey is a case's place in the work lists' order: the start of its 72
// hours (cases.clock_start, from which every deadline of the case counts),
// then its id. Pages are cut at a key (keyset pagination, no OFFSET), so the
// next page costs what the first costs.
type WorkKey struct {
	ClockStart time.Time
	ID         int64
}

// WorkList asks for one page of one list of a work list.
type WorkList struct {
	Filter WorkFilter
	// After: the page after this key; Before: the page before it; neither:
	// the first page.
	After, Before *WorkKey
	Limit         int
}

// WorkCountCap is how far the lists' totals count: a list longer than
// this says so ("meer dan 1.000") instead of counting every open case of a
// large organisation on every start page.
const WorkCountCap = 1000

// WorkPage is one page of one list.
type WorkPage struct {
	Items []incident.WorkItem
	// Total is the number of cases in the whole list, up to WorkCountCap;
	// WorkCountCap+1 means more than that.
	Total int
	// More: there are cases beyond this page in the direction it was asked
	// for (after it, or before it for a Before page).
	More bool
}

// WorkPages returns a page of each list, in one round trip: one statement for
// the pages of all lists (a user with several roles gets one query, not one per
// role) and one for their totals, both served by cases_open_work_idx, an index
// of the open cases in the lists' order.
func (q *Queries) WorkPages(ctx context.Context, orgID int64, lists []WorkList) ([]WorkPage, error) {
	out := make([]WorkPage, len(lists))
	w := workPagesSQL(orgID, lists)
	if len(w.active) == 0 {
		return out, nil
	}
	b := &pgx.Batch{}
	b.Queue(w.pages, w.pageArgs...)
	b.Queue(w.counts, w.countArgs...)
	active := w.active
	br := q.db.SendBatch(ctx, b)
	defer br.Close()

	rows, err := br.Query()
	if err != nil {
		return nil, fmt.Errorf("work pages: %w", err)
	}
	for rows.Next() {
		var list int
		var it incident.WorkItem
		if err := rows.Scan(append([]any{&list}, workItemDest(&it)...)...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("work pages: %w", err)
		}
		out[list].Items = append(out[list].Items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("work pages: %w", err)
	}
	totals := make([]int64, len(active))
	dest := make([]any, len(active))
	for i := range totals {
		dest[i] = &totals[i]
	}
	if err := br.QueryRow().Scan(dest...); err != nil {
		return nil, fmt.Errorf("work totals: %w", err)
	}
	for n, i := range active {
		l := lists[i]
		out[i].Total = int(min(totals[n], WorkCountCap+1))
		if len(out[i].Items) > l.Limit {
			out[i].More = true
			if l.Before != nil { // the one too many is the earliest
				out[i].Items = out[i].Items[1:]
			} else {
				out[i].Items = out[i].Items[:l.Limit]
			}
		}
	}
	return out, nil
}

// workPages is the SQL of WorkPages: one statement for the pages of all
// lists, one for their totals, and the lists that can hold cases.
type workPages struct {
	pages, counts       string
	pageArgs, countArgs []any
	active              []int
}

func workPagesSQL(orgID int64, lists []WorkList) workPages {
	var pages, counts []string
	w := workPages{pageArgs: []any{orgID}, countArgs: []any{orgID}}
	for i, l := range lists {
		cond, ok := workCondition(l.Filter, &w.pageArgs)
		if !ok {
			continue
		}
		order, limit := "c.clock_start, c.id", l.Limit+1
		if key := l.After; key != nil {
			w.pageArgs = append(w.pageArgs, key.ClockStart, key.ID)
			cond += fmt.Sprintf(" AND (c.clock_start, c.id) > ($%d, $%d)", len(w.pageArgs)-1, len(w.pageArgs))
		} else if key := l.Before; key != nil {
			w.pageArgs = append(w.pageArgs, key.ClockStart, key.ID)
			cond += fmt.Sprintf(" AND (c.clock_start, c.id) < ($%d, $%d)", len(w.pageArgs)-1, len(w.pageArgs))
			order = "c.clock_start DESC, c.id DESC"
		}
		pages = append(pages, fmt.Sprintf(`(SELECT %d AS list, c.id FROM cases c
			WHERE c.organisation_id = $1 AND c.status <> 'closed' AND %s ORDER BY %s LIMIT %d)`, i, cond, order, limit))
		ccond, _ := workCondition(l.Filter, &w.countArgs)
		counts = append(counts, fmt.Sprintf(`(SELECT count(*) FROM (SELECT FROM cases c
			WHERE c.organisation_id = $1 AND c.status <> 'closed' AND %s LIMIT %d) x)`, ccond, WorkCountCap+1))
		w.active = append(w.active, i)
	}
	if len(pages) == 0 {
		return w
	}
	w.pages = `WITH page AS (` + strings.Join(pages, " UNION ALL ") + `)
		SELECT page.list, ` + workItemColumns + `
		FROM page
		JOIN cases c ON c.organisation_id = $1 AND c.id = page.id` + workItemJoins + `
		ORDER BY page.list, c.clock_start, c.id`
	w.counts = `SELECT ` + strings.Join(counts, ", ")
	return w
}

// WorkPagesSQL returns the two statements of WorkPages and their
// arguments, for EXPLAIN in the benchmark.
func WorkPagesSQL(orgID int64, lists []WorkList) (pages string, pageArgs []any, counts string, countArgs []any) {
	w := workPagesSQL(orgID, lists)
	return w.pages, w.pageArgs, w.counts, w.countArgs
}

// workCondition is the SQL condition of a work list on cases c (beside the
// organisation and "not closed"), its arguments appended to args; ok is false
// for a list that can hold nothing (a scope without schools).
func workCondition(f WorkFilter, args *[]any) (string, bool) {
	arg := func(v any) string {
		*args = append(*args, v)
		return "$" + strconv.Itoa(len(*args))
	}
	if f.Technician != 0 {
		return "c.technician_id = " + arg(f.Technician) + ` AND NOT EXISTS (SELECT 1 FROM case_repairs r
			WHERE r.organisation_id = c.organisation_id AND r.case_id = c.id AND r.completed)`, true
	}
	if f.Scope.None() {
		return "", false
	}
	cond := "c.status = ANY(" + arg(f.Statuses) + "::text[])"
	if !f.Scope.All {
		cond += " AND c.school_id = ANY(" + arg(f.Scope.Schools) + "::bigint[])"
	}
	if f.BoardUninformed {
		cond += " AND NOT EXISTS (SELECT 1 FROM case_board_notes b WHERE b.organisation_id = c.organisation_id AND b.case_id = c.id)"
	}
	if f.NoticeToApprove {
		cond += " AND EXISTS (SELECT 1 FROM case_subject_notices n WHERE n.organisation_id = c.organisation_id AND n.case_id = c.id AND n.approved_at IS NULL)"
	}
	return "(" + cond + ")", true
}

// workItemColumns are the columns of a work item on cases c and the joins
// of workItemJoins, in the order of workItemDest.
const workItemColumns = summaryColumns + `, c.clock_start, coalesce(c.aware_reason, ''), c.discovered_at,
		EXISTS (SELECT 1 FROM case_board_notes b WHERE b.organisation_id = c.organisation_id AND b.case_id = c.id),
		(SELECT sn.sent_at FROM case_subject_notices sn WHERE sn.organisation_id = c.organisation_id AND sn.case_id = c.id),
		a.decided_at, coalesce(r.completed, false),
		(SELECT n.sent_at FROM case_notifications n WHERE n.organisation_id = c.organisation_id AND n.case_id = c.id AND n.kind = 'initial'),
		coalesce(pr.name, ''), CASE WHEN cp.delivered_at IS NULL THEN cp.informed_at + make_interval(hours => pr.delivery_hours) END`

const workItemJoins = `
		JOIN users u ON u.id = c.reporter_id
		LEFT JOIN schools s ON s.id = c.school_id
		LEFT JOIN case_sources cs ON cs.organisation_id = c.organisation_id AND cs.case_id = c.id
		LEFT JOIN case_assessments a ON a.organisation_id = c.organisation_id AND a.case_id = c.id
		LEFT JOIN case_repairs r ON r.organisation_id = c.organisation_id AND r.case_id = c.id
		LEFT JOIN case_processors cp ON cp.organisation_id = c.organisation_id AND cp.case_id = c.id
		LEFT JOIN processors pr ON pr.organisation_id = cp.organisation_id AND pr.id = cp.processor_id`

func workItemDest(w *incident.WorkItem) []any {
	s := &w.Summary
	return []any{&s.ID, &s.Number.Year, &s.Number.Seq, &s.SchoolName, &s.ReporterName, &s.Status, &s.ReportedAt,
		&s.Excerpt, &s.PersonalData, &s.Source, &w.AwareAt, &w.AwareReason, &w.DiscoveredAt, &w.BoardInformed, &w.SubjectsSentAt, &w.DecidedAt,
		&w.RepairDone, &w.NotifiedAt, &w.ProcessorName, &w.ProcessorDue}
}

// WorkItemOf is one case as the work lists show it (its deadlines' facts),
// whatever its status: its page shows the same deadlines as the lists. It
// is NotFound for a case of another organisation.
func (q *Queries) WorkItemOf(ctx context.Context, orgID, id int64) (incident.WorkItem, error) {
	var w incident.WorkItem
	err := q.db.QueryRow(ctx, `SELECT `+workItemColumns+` FROM cases c`+workItemJoins+`
		WHERE c.organisation_id = $1 AND c.id = $2`, orgID, id).Scan(workItemDest(&w)...)
	if err != nil {
		return w, notFound(err, "work item", "Deze melding bestaat niet.")
	}
	return w, nil
}
