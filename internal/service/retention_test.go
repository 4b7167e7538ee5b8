package service_test

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/store"
)

// TestRetentionRemovesPersonalDataKeepsRegister: a closed case older than
// the organisation's period (injected clock) loses its personal data and
// keeps its register fields; a younger closed case and open cases keep
// everything; each removal is one timeline row, and a second run adds none.
func TestRetentionRemovesPersonalDataKeepsRegister(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fx := e.registerFixture()
	officer, staff := e.actors["officer"], e.actors["staff"]
	// What the fixture does not fill: the reporter's contact details, a
	// question with an answer, evidence, a recipient of the notice, a board
	// view and a mail about the case.
	e.exec(`UPDATE cases SET contact_phone = '06-12345678', contact_note = 'Bel na 15 uur, vraag naar Jan' WHERE id = $1`, fx.full)
	e.exec(`INSERT INTO case_questions (organisation_id, case_id, asked_by, addressee_id, question, asked_at, answer, answered_at)
		VALUES ($1, $2, $3, $4, 'Wie had de laptop?', $5, 'Meester Jansen van groep 8', $5)`,
		e.orgA, fx.full, e.actors["desk"].UserID, staff.UserID, e.clock.Now())
	photo := []byte("\xff\xd8\xff\xe0 foto van het bord met namen")
	sum := sha256.Sum256(photo)
	e.exec(`INSERT INTO case_attachments (organisation_id, case_id, kind, filename, content_type, size, sha256, data, uploaded_at, uploaded_by)
		VALUES ($1, $2, 'evidence', 'klas-3b.jpg', 'image/jpeg', $3, $4, $5, $6, $7)`,
		e.orgA, fx.full, len(photo), sum[:], photo, e.clock.Now(), officer.UserID)
	e.exec(`INSERT INTO case_subject_recipients (organisation_id, case_id, line, name, email, to_parent, uploaded_at, uploaded_by)
		VALUES ($1, $2, 2, 'Fatima de Vries', 'ouder@example.nl', true, $3, $4)`, e.orgA, fx.full, e.clock.Now(), officer.UserID)
	e.exec(`INSERT INTO case_letters (organisation_id, case_id, kind, body, edited_at, edited_by)
		VALUES ($1, $2, 'parent', 'Beste ouder van Sem, ...', $3, $4), ($1, $2, 'press', 'Persbericht over groep 8', $3, $4)
		ON CONFLICT (organisation_id, case_id, kind) DO UPDATE SET body = EXCLUDED.body`,
		e.orgA, fx.full, e.clock.Now(), officer.UserID)
	e.exec(`INSERT INTO case_board_notes (organisation_id, case_id, user_id, at, view) VALUES ($1, $2, $3, $4, 'Bel de ouders van Sem')`,
		e.orgA, fx.full, e.actors["board"].UserID, e.clock.Now())

	// Who called the desk (issue 12): a name and contact kept beside the case.
	e.exec(`INSERT INTO case_sources (organisation_id, case_id, kind, name, email, phone, channel, entered_by)
		VALUES ($1, $2, 'desk', 'Fatima Bellende', 'fatima@example.nl', '06-87654321', 'phone', $3)`, e.orgA, fx.full, e.actors["desk"].UserID)
	before := entryOf(t, must(e.svc.Incidents.Register(e.ctx, officer, service.RegisterQuery{})), fx.full)
	closed := *before.ClosedAt

	// The young case closed four years before the run; the old one five
	// years and a day.
	e.clock.Set(closed.AddDate(5, 0, 1))
	e.exec(`UPDATE cases SET closed_at = $2 WHERE id = $1`, fx.noIncident, e.clock.Now().AddDate(-4, 0, 0))
	// An open case reported ten years before the run is never touched.
	e.exec(`UPDATE cases SET reported_at = $2 WHERE id = $1`, fx.fresh, e.clock.Now().AddDate(-10, 0, 0))

	res := must(e.svc.Retention(e.ctx))
	if res.Cases != 1 {
		t.Fatalf("anonymised %d cases, want 1 (the old closed one)", res.Cases)
	}
	gone := map[string]string{
		"caller":          `SELECT count(*) FROM case_sources WHERE case_id = $1 AND name = '' AND email = '' AND phone = ''`,
		"what_happened":   `SELECT count(*) FROM cases WHERE id = $1 AND what_happened = '` + store.Removed + `'`,
		"contact":         `SELECT count(*) FROM cases WHERE id = $1 AND contact_phone = '' AND contact_note = '' AND anonymised_at IS NOT NULL`,
		"inventory":       `SELECT count(*) FROM case_inventories WHERE case_id = $1 AND summary = '' AND sensitive_note = '' AND chain_note = ''`,
		"question":        `SELECT count(*) FROM case_questions WHERE case_id = $1 AND question = '` + store.Removed + `' AND answer = '` + store.Removed + `'`,
		"board views":     `SELECT 1 - count(*) FROM case_board_notes WHERE case_id = $1 AND view <> ''`,
		"notice body":     `SELECT count(*) FROM case_subject_notices WHERE case_id = $1 AND body = '` + store.Removed + `'`,
		"letters":         `SELECT (count(*) >= 2 AND bool_and(body = '` + store.Removed + `'))::int FROM case_letters WHERE case_id = $1`,
		"no recipients":   `SELECT 1 - count(*) FROM case_subject_recipients WHERE case_id = $1`,
		"no evidence":     `SELECT 1 - count(*) FROM case_attachments WHERE case_id = $1 AND kind <> 'ap_confirmation'`,
		"AP confirmation": `SELECT count(*) FROM case_attachments WHERE case_id = $1 AND kind = 'ap_confirmation'`,
	}
	gone["inventory versions"] = `SELECT 1 - count(*) FROM case_record_versions WHERE case_id = $1 AND record = 'inventory' AND data->>'summary' <> ''`
	gone["notice versions"] = `SELECT 1 - count(*) FROM case_record_versions WHERE case_id = $1 AND record = 'subjects_notice' AND data->>'body' <> '` + store.Removed + `'`
	gone["versions kept"] = `SELECT least(count(*), 1) FROM case_record_versions WHERE case_id = $1 AND record = 'inventory'`
	for what, sql := range gone {
		if n := e.count(sql, fx.full); n != 1 {
			t.Errorf("old closed case, %s: check gave %d, want 1", what, n)
		}
	}

	// The register entry still answers its questions, in anonymised form.
	after := entryOf(t, must(e.svc.Incidents.Register(e.ctx, officer, service.RegisterQuery{})), fx.full)
	if after.ReporterName == before.ReporterName || after.ReporterName == "" {
		t.Errorf("reporter still named: %q", after.ReporterName)
	}
	if after.WhatReported != store.Removed {
		t.Errorf("what was reported: %q", after.WhatReported)
	}
	for _, c := range []struct{ name, got, want string }{
		{"number", after.Number.String(), before.Number.String()},
		{"outcome", string(after.Outcome), string(before.Outcome)},
		{"AP number", after.APNumber, before.APNumber},
		{"AP reason", after.APReason, before.APReason},
		{"subjects reason", after.SubjectsReason, before.SubjectsReason},
		{"systems", after.Systems, before.Systems},
		{"cause", after.Cause, before.Cause},
		{"measures", after.OrganisationalStructural, before.OrganisationalStructural},
		{"consequences", after.Consequences, before.Consequences},
		{"nature", after.Nature, before.Nature},
		{"processor", after.Processor, before.Processor},
	} {
		if c.got != c.want || c.want == "" {
			t.Errorf("register %s: %q, want %q (kept)", c.name, c.got, c.want)
		}
	}
	if len(after.DataKinds) == 0 || len(after.Carriers) == 0 || after.APNotifiedAt == nil || after.SubjectsSentAt == nil ||
		after.OccurredFrom == nil || after.DiscoveredAt == nil || len(after.APConfirmations) != 1 {
		t.Errorf("register facts lost: %+v", after)
	}
	view := must(e.svc.Incidents.Case(e.ctx, officer, fx.full))
	if view.Case.ReporterEmail != "" || view.Case.Report.ContactPhone != "" {
		t.Errorf("case page still shows the reporter's contact details")
	}

	// The young closed case and the open ones keep everything.
	if n := e.count(`SELECT count(*) FROM cases WHERE anonymised_at IS NOT NULL AND id <> $1`, fx.full); n != 0 {
		t.Errorf("%d other cases anonymised", n)
	}
	if n := e.count(`SELECT count(*) FROM cases WHERE id = $1 AND what_happened = 'Wachtwoord op een briefje'`, fx.fresh); n != 1 {
		t.Error("the open case lost its text")
	}
	events := func(id int64) int {
		return e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = $2`, id, service.EventAnonymised)
	}
	if events(fx.full) != 1 || events(fx.noIncident) != 0 || events(fx.fresh) != 0 {
		t.Errorf("timeline rows: old %d, young %d, open %d; want 1, 0, 0", events(fx.full), events(fx.noIncident), events(fx.fresh))
	}

	// The timeline's free text is gone too (the fixture's rows name people
	// and reasons), but every row keeps its place and hashes: the purged
	// case still verifies (migration 00036).
	if n := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind <> $2
		AND (summary <> '`+store.Removed+`' OR purged_at IS NULL OR details - 'action' - 'from' - 'to' <> '{}')`, fx.full, service.EventAnonymised); n != 0 {
		t.Errorf("%d timeline rows of the anonymised case keep their text", n)
	}
	if n := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND purged_at IS NOT NULL`, fx.full); n < 5 {
		t.Errorf("only %d timeline rows purged; the fixture's case went through every step", n)
	}
	for _, r := range must(e.store.VerifyChains(e.sys)) {
		if r.Break != nil {
			t.Errorf("%s's %s chain broken after retention: %+v", r.Organisation, r.Chain, *r.Break)
		}
	}

	// The history stays append-only for everyone else.
	if _, err := e.owner.Exec(e.ctx, `UPDATE case_record_versions SET data = '{}' WHERE case_id = $1`, fx.full); err == nil {
		t.Error("a recorded version could be changed outside the retention job")
	}

	// Run twice: nothing more.
	if res := must(e.svc.Retention(e.ctx)); res.Cases != 0 || events(fx.full) != 1 {
		t.Errorf("second run: %+v, %d timeline rows", res, events(fx.full))
	}

	// A shorter period set by the administrator reaches the young case.
	mustOK(t, e.svc.Accounts.SetRetentionYears(e.ctx, e.actors["admin"], "3"))
	if res := must(e.svc.Retention(e.ctx)); res.Cases != 1 || events(fx.noIncident) != 1 {
		t.Errorf("after 3 years: %+v, %d timeline rows", res, events(fx.noIncident))
	}
	if n := e.count(`SELECT count(*) FROM cases WHERE id = $1 AND anonymised_at IS NULL`, fx.fresh); n != 1 {
		t.Error("an open case was anonymised")
	}
}

func TestRetentionSetting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.actors["admin"]
	if y := must(e.svc.Accounts.RetentionYears(e.ctx, admin)); y != service.DefaultRetentionYears {
		t.Errorf("default %d years", y)
	}
	for _, bad := range []string{"", "0", "31", "vijf", "2.5", "-1"} {
		err := e.svc.Accounts.SetRetentionYears(e.ctx, admin, bad)
		if ae, ok := apperr.As(err); !ok || ae.Fields["retention_years"] == "" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	for _, who := range []string{"officer", "desk", "staff"} {
		if err := e.svc.Accounts.SetRetentionYears(e.ctx, e.actors[who], "7"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("%s may set the period: %v", who, err)
		}
	}
	mustOK(t, e.svc.Accounts.SetRetentionYears(e.ctx, admin, " 7 "))
	if y := must(e.svc.Accounts.RetentionYears(e.ctx, admin)); y != 7 {
		t.Errorf("after setting 7: %d", y)
	}
	// Another organisation's period is its own.
	if y := must(e.svc.Accounts.RetentionYears(e.ctx, e.actors["admin_b"])); y != service.DefaultRetentionYears {
		t.Errorf("organisation B: %d", y)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE organisation_id = $1 AND action = 'retention_changed'`, e.orgA); n != 1 {
		t.Errorf("%d audit rows", n)
	}
}

// TestRetentionJobRemovesUnusedImports: the periodic job (River, started as
// in production) removes uploads never imported after a day, and keeps the
// younger ones and those imported.
func TestRetentionJobRemovesUnusedImports(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	now := e.clock.Now()
	upload := func(age time.Duration, imported bool) int64 {
		var id int64
		var at *time.Time
		var count *int
		if imported {
			at, count = &now, new(int)
		}
		data := []byte("PK\x03\x04 een werkmap")
		sum := sha256.Sum256(data)
		if err := e.owner.QueryRow(e.ctx, `INSERT INTO register_imports (organisation_id, uploaded_by, uploaded_at, filename, size, sha256, data, imported_at, imported_count)
			VALUES ($1, $2, $3, 'register.xlsx', $4, $5, $6, $7, $8) RETURNING id`,
			e.orgA, e.actors["desk"].UserID, now.Add(-age), len(data), sum[:], data, at, count).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	old, young, done := upload(25*time.Hour, false), upload(23*time.Hour, false), upload(48*time.Hour, true)
	startJobs(t, e.svc, e.store.Pool(), service.JobsConfig{ScanEvery: time.Hour, RetentionEvery: 200 * time.Millisecond})
	deadline := time.Now().Add(20 * time.Second)
	for e.count(`SELECT count(*) FROM register_imports WHERE id = $1`, old) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the retention job did not remove the day-old upload")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if e.count(`SELECT count(*) FROM register_imports WHERE id IN ($1, $2)`, young, done) != 2 {
		t.Error("a younger or imported upload was removed")
	}
}
