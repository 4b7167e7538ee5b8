package export

import (
	"context"
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// synthSource hands over n entries in batches of 1,000, two timeline rows
// each, made up once and handed out again: the export's own cost without
// the database's (BenchmarkRegisterExport in internal/service measures both).
type synthSource struct {
	n      int
	batch  []incident.RegisterEntry
	events []incident.RegisterEvent
}

func newSynthSource(n int) *synthSource {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	t0 := time.Date(2025, 3, 14, 9, 30, 0, 0, loc)
	s := &synthSource{n: n}
	for i := range 1000 {
		at := t0.Add(time.Duration(i) * time.Hour)
		decided := at.Add(30 * time.Hour)
		count := 28 + i
		s.batch = append(s.batch, incident.RegisterEntry{
			ID: int64(i + 1), Number: incident.Number{Year: 2025, Seq: i + 1}, SchoolName: "Openbare basisschool De Regenboog",
			Status: incident.StatusClosed, ReportedAt: at, UpdatedAt: at.Add(48 * time.Hour), ClosedAt: &decided,
			ReporterName: "Fatima el Amrani",
			What:         "Een leerkracht heeft een USB-stick met de cijferlijsten van groep 7 en 8 verloren in de trein; de stick was niet versleuteld.",
			WhatReported: "USB-stick kwijt met cijfers", Nature: "lost_device", DataKinds: []string{"name", "grades", "student_number"},
			Sensitive: incident.No, SubjectGroups: "leerlingen groep 7 en 8", SubjectCount: &count, Carriers: []string{"usb"},
			Cause: "Geen versleuteling op verwisselbare media", Systems: "ParnasSys", DiscoveredAt: &at,
			Consequences: "Cijfers en namen kunnen bij onbevoegden terechtkomen.", ActionsTaken: "Trein en NS gebeld",
			TechnicalStructural: "Versleuteling van USB-sticks verplicht via beheer", OrganisationalStructural: "Voorlichting aan het team",
			Outcome: incident.OutcomeBreach, OutcomeReason: "Persoonsgegevens van leerlingen onversleuteld verloren",
			Decided: true, DecidedAt: &decided, AwareAt: at, APNotifiedAt: &decided, APNumber: "M-2025-12345", APDecided: true, APNotify: true,
		})
		for k := range 2 {
			s.events = append(s.events, incident.RegisterEvent{CaseID: int64(i + 1), CaseNumber: incident.Number{Year: 2025, Seq: i + 1},
				At: at.Add(time.Duration(k) * time.Hour), ActorName: "Meldpunt", Kind: "reported", Summary: "Melding gedaan (stap 1, Ontdekken)"})
		}
	}
	return s
}

func (s *synthSource) Each(_ context.Context, fn func([]incident.RegisterEntry) error, timeline func([]incident.RegisterEvent) error) error {
	for done := 0; done < s.n; done += len(s.batch) {
		if err := fn(s.batch); err != nil {
			return err
		}
	}
	for done := 0; timeline != nil && done < s.n; done += len(s.batch) {
		if err := timeline(s.events); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkXLSX writes the Excel export of 100,000 cases (200,000 timeline
// rows) without a database and reports the peak heap in use.
func BenchmarkXLSX(b *testing.B) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	m := Meta{Organisation: "Bestuur", Filter: []string{"Alle incidenten"}, PrintedAt: time.Now(), Location: loc}
	src := newSynthSource(100_000)
	peak := watchHeap()
	b.ReportAllocs()
	for b.Loop() {
		var n countWriter
		if err := XLSX(context.Background(), &n, m, src); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n)/1e6, "MB-out")
	}
	b.ReportMetric(float64(peak())/1e6, "peak-heap-MB")
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

// watchHeap samples the heap in use every 5 ms until the returned function
// is called, which returns the largest value seen.
func watchHeap() func() uint64 {
	var max atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > max.Load() {
				max.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	})
	runtime.GC()
	return func() uint64 { close(stop); wg.Wait(); return max.Load() }
}
