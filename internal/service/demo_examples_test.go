package service_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

// demoActor loads a demo account as an actor.
func (e *env) demoActor(email string) *access.Actor {
	e.t.Helper()
	u := must(e.store.UserByEmail(e.sys, email))
	a, _, err := e.store.Actor(e.sys, u.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

func TestSeedDemoExamplesFillEveryPageOnce(t *testing.T) {
	t.Parallel()
	// No job queue (Deps.Queue nil): the mail stays in the outbox and
	// seeding still works.
	e := newEnv(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, amsterdam)
	e.clock.Set(now)
	res, err := e.svc.SeedDemoExamples(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Examples != 7 {
		t.Fatalf("first run: created %v, %d examples, want true, 7", res.Created, res.Examples)
	}
	fg := e.demoActor("fg@demo.lekwacht.nl")

	v := must(e.svc.Incidents.Register(e.ctx, fg, service.RegisterQuery{}))
	if len(v.Errors) > 0 {
		t.Fatal(v.Errors)
	}
	statuses := map[incident.Status]int{}
	var numbers []string
	for _, en := range v.Entries {
		statuses[en.Status]++
		_ = en.WhatReported
		numbers = append(numbers, en.Number.String())
		if en.ReportedAt.After(now) || en.UpdatedAt.After(now) || (en.ClosedAt != nil && en.ClosedAt.After(now)) {
			t.Errorf("%s: a moment in the future (reported %v, updated %v)", en.Number, en.ReportedAt, en.UpdatedAt)
		}
	}
	// 7 examples and the two fresh reports of the plain demo.
	want := map[incident.Status]int{incident.StatusClosed: 5, incident.StatusNotification: 1, incident.StatusAssessment: 1, incident.StatusNew: 2}
	if fmt.Sprint(statuses) != fmt.Sprint(want) {
		t.Errorf("statuses %v, want %v", statuses, want)
	}
	// On a new database the numbers follow the order of reporting.
	slices.Sort(numbers)
	if len(numbers) != 9 || numbers[0] != "2026-0001" || numbers[8] != "2026-0009" {
		t.Errorf("numbers %v", numbers)
	}
	var stick, phishing incident.RegisterEntry
	for _, en := range v.Entries {
		switch {
		case strings.HasPrefix(en.WhatReported, "Ik ben gisteren na schooltijd mijn USB-stick"):
			stick = en
		case strings.HasPrefix(en.WhatReported, "Ik heb op een link geklikt"):
			phishing = en
		}
	}
	if stick.ID == 0 || phishing.ID == 0 {
		t.Fatalf("the lost stick or the phishing case is not in the register")
	}
	if stick.Status != incident.StatusClosed || stick.SubjectsSentAt == nil || stick.APNotifiedAt == nil {
		t.Errorf("lost stick: %s, subjects %v, AP %v", stick.Status, stick.SubjectsSentAt, stick.APNotifiedAt)
	}
	if phishing.APLate == nil || !*phishing.APLate || phishing.Processor != service.DemoProcessor {
		t.Errorf("phishing: late %v, processor %q", phishing.APLate, phishing.Processor)
	}

	// The officer's start page: the case in step 3 with its 72 hours running.
	w := must(e.svc.Incidents.Worklist(e.ctx, fg))
	running := false
	for _, it := range w.Officer {
		if it.Status != incident.StatusAssessment {
			continue
		}
		for _, d := range it.Deadlines {
			if strings.Contains(d.Label, "72") && !d.Overdue {
				running = true
			}
		}
	}
	if !running {
		t.Errorf("no case in step 3 with a running 72-hour deadline on the officer's worklist: %+v", w.Officer)
	}

	// The analysis of the last half year that ended.
	if got := e.svc.Analyses.DefaultPeriod(); got != (incident.HalfYear{Year: 2026, Half: 1}) {
		t.Fatalf("default period %v", got)
	}
	f, _, err := e.svc.Analyses.Figures(e.ctx, fg, "")
	if err != nil {
		t.Fatal(err)
	}
	c := f.Current
	if c.Reports != 5 || c.Incidents != 4 || c.Breaches != 4 || c.APNotified != 3 || c.SubjectsNotified != 1 || c.NotifyLate != 1 || c.Open != 0 {
		t.Errorf("figures %+v", c)
	}
	repeat := false
	for _, rc := range f.RepeatCauses {
		if strings.Contains(rc.Label, "USB-stick") && rc.Current == 2 {
			repeat = true
		}
	}
	if !repeat {
		t.Errorf("repeat causes %+v, want the unencrypted USB stick twice", f.RepeatCauses)
	}

	procs := must(e.svc.Processors.List(e.ctx, fg))
	if len(procs.Processors) != 1 || procs.Processors[0].Name != service.DemoProcessor {
		t.Errorf("processors %+v", procs.Processors)
	}

	// Again, a little later: nothing new.
	e.clock.Add(time.Hour)
	cases := e.count(`SELECT count(*) FROM cases`)
	events := e.count(`SELECT count(*) FROM case_events`)
	res, err = e.svc.SeedDemoExamples(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created || res.Examples != 0 {
		t.Errorf("second run: created %v, %d examples", res.Created, res.Examples)
	}
	if n := e.count(`SELECT count(*) FROM cases`); n != cases {
		t.Errorf("second run: %d cases, had %d", n, cases)
	}
	if n := e.count(`SELECT count(*) FROM case_events`); n != events {
		t.Errorf("second run: %d events, had %d", n, events)
	}
	if n := e.count(`SELECT count(*) FROM processors`); n != 1 {
		t.Errorf("second run: %d processors", n)
	}
}

// The examples can be added to a demo seeded before without them.
func TestSeedDemoExamplesAfterPlainDemo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	must(e.svc.SeedDemo(e.ctx))
	res := must(e.svc.SeedDemoExamples(e.ctx))
	if res.Created || res.Examples != 7 {
		t.Fatalf("created %v, %d examples", res.Created, res.Examples)
	}
	v := must(e.svc.Incidents.Register(e.ctx, e.demoActor("fg@demo.lekwacht.nl"), service.RegisterQuery{}))
	if len(v.Entries) != 9 {
		t.Errorf("%d entries, want 9", len(v.Entries))
	}
}
