package incident_test

import (
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// TestInventoryTakesOverTheReport: the desk's inventory starts from what the
// reporter said, the nature included when the ticked carriers point to one
// (issue 14.2: a report of a USB stick left "Aard" empty).
func TestInventoryTakesOverTheReport(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		carriers []string
		want     string
	}{
		{[]string{"usb"}, "lost_device"},
		{[]string{"laptop", "phone"}, "lost_device"},
		{[]string{"email"}, "misdirected"},
		{[]string{"paper", "other"}, "paper"},
		{[]string{"supplier", "student_admin"}, "processor"},
		{[]string{"usb", "email"}, ""}, // two natures: the desk chooses
		{[]string{"student_admin"}, ""},
		{nil, ""},
	} {
		if got := incident.SuggestNature(tc.carriers); got != tc.want {
			t.Errorf("SuggestNature(%v) = %q, want %q", tc.carriers, got, tc.want)
		}
		if n := incident.SuggestNature(tc.carriers); n != "" && incident.LabelOf(incident.Natures, n) == n {
			t.Errorf("%q is not a nature of the list", n)
		}
	}
	c := incident.Case{Report: incident.Report{WhatHappened: "USB-stick kwijt", Carriers: []string{"usb"}, DataKinds: []string{"contact"}}}
	f := incident.InventoryFormFrom(c, nil, time.UTC)
	if f.Nature != "lost_device" || f.Summary != "USB-stick kwijt" || len(f.DataTypes) != 1 {
		t.Errorf("form from the report = %+v", f)
	}
	// A recorded inventory is shown as recorded, also without a nature.
	if f := incident.InventoryFormFrom(c, &incident.Inventory{Summary: "x"}, time.UTC); f.Nature != "" {
		t.Errorf("recorded inventory's nature replaced by %q", f.Nature)
	}
}
