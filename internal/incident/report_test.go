package incident

import (
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

func TestReportFormParse(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, loc)
	schools := []int64{3, 4}
	ok := ReportForm{WhatHappened: "  USB-stick kwijt  "}

	tests := []struct {
		name   string
		edit   func(f *ReportForm)
		fields []string // fields expected to carry a message; none means valid
		check  func(t *testing.T, r Report)
	}{
		{name: "only what happened", check: func(t *testing.T, r Report) {
			if r.WhatHappened != "USB-stick kwijt" || r.PersonalData != Unknown || r.Ongoing != Unknown || r.SchoolID != nil {
				t.Errorf("defaults wrong: %+v", r)
			}
		}},
		{name: "empty", edit: func(f *ReportForm) { f.WhatHappened = " \n " }, fields: []string{"what_happened"}},
		{name: "too long", edit: func(f *ReportForm) { f.WhatHappened = strings.Repeat("é", 10001) }, fields: []string{"what_happened"}},
		{name: "full", edit: func(f *ReportForm) {
			f.OccurredFrom, f.OccurredUntil, f.DiscoveredAt = "2026-11-20T08:00", "2026-11-21T17:30", "2026-11-22T09:15"
			f.School, f.Carriers, f.PersonalData, f.DataKinds = "4", []string{"usb", "usb", "email"}, "yes", []string{"contact", "care"}
			f.SubjectsEstimate, f.SubjectGroups, f.Ongoing = "1.250", []string{"students"}, "no"
		}, check: func(t *testing.T, r Report) {
			if r.SchoolID == nil || *r.SchoolID != 4 || len(r.Carriers) != 2 || r.SubjectsEstimate == nil || *r.SubjectsEstimate != 1250 {
				t.Errorf("parsed wrongly: %+v", r)
			}
			if want := time.Date(2026, 11, 20, 8, 0, 0, 0, loc); !r.OccurredFrom.Equal(want) {
				t.Errorf("from = %v, want %v", r.OccurredFrom, want)
			}
		}},
		{name: "Dutch date typed by hand", edit: func(f *ReportForm) { f.DiscoveredAt = "22-11-2026 9:15" }, check: func(t *testing.T, r Report) {
			if want := time.Date(2026, 11, 22, 9, 15, 0, 0, loc); r.DiscoveredAt == nil || !r.DiscoveredAt.Equal(want) {
				t.Errorf("discovered = %v, want %v", r.DiscoveredAt, want)
			}
		}},
		{name: "nonsense date", edit: func(f *ReportForm) { f.OccurredFrom = "gisteren" }, fields: []string{"occurred_from"}},
		{name: "future", edit: func(f *ReportForm) { f.DiscoveredAt = "2026-11-24T10:00" }, fields: []string{"discovered_at"}},
		{name: "end before start", edit: func(f *ReportForm) { f.OccurredFrom, f.OccurredUntil = "2026-11-20T08:00", "2026-11-19T08:00" }, fields: []string{"occurred_until"}},
		{name: "end without start", edit: func(f *ReportForm) { f.OccurredUntil = "2026-11-19T08:00" }, fields: []string{"occurred_from"}},
		{name: "discovered before it happened", edit: func(f *ReportForm) { f.OccurredFrom, f.DiscoveredAt = "2026-11-20T08:00", "2026-11-19T08:00" }, fields: []string{"discovered_at"}},
		{name: "school of another organisation", edit: func(f *ReportForm) { f.School = "99" }, fields: []string{"school"}},
		{name: "unknown choices", edit: func(f *ReportForm) {
			f.Carriers, f.DataKinds, f.SubjectGroups, f.PersonalData, f.Ongoing = []string{"fax"}, []string{"x"}, []string{"aliens"}, "ja", "soms"
		}, fields: []string{"carriers", "data_kinds", "subject_groups", "personal_data", "ongoing"}},
		{name: "no personal data but kinds chosen", edit: func(f *ReportForm) { f.PersonalData, f.DataKinds = "no", []string{"contact"} }, fields: []string{"data_kinds"}},
		{name: "bad numbers", edit: func(f *ReportForm) { f.SubjectsEstimate = "-3" }, fields: []string{"subjects_estimate"}},
		{name: "words for a number", edit: func(f *ReportForm) { f.SubjectsEstimate = "een klas" }, fields: []string{"subjects_estimate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ok
			if tt.edit != nil {
				tt.edit(&f)
			}
			r, err := f.Parse(now, loc, schools)
			if len(tt.fields) == 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if tt.check != nil {
					tt.check(t, r)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Kind != apperr.Invalid {
				t.Fatalf("err = %v, want Invalid", err)
			}
			for _, field := range tt.fields {
				if e.Fields[field] == "" {
					t.Errorf("no message for %s (got %v)", field, e.Fields)
				}
			}
			if len(e.Fields) != len(tt.fields) {
				t.Errorf("messages for %v, want only %v", e.Fields, tt.fields)
			}
		})
	}
}
