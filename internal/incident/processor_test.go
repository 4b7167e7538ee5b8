package incident

import (
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
)

func TestProcessorPolicyTable(t *testing.T) {
	school1, school2 := int64(11), int64(12)
	actors := map[string]*access.Actor{
		"staff":            actor(1, 1),
		"desk":             actor(2, 1, access.Grant{Role: access.Desk}),
		"desk school 1":    actor(3, 1, access.Grant{Role: access.Desk, Schools: []int64{school1}}),
		"officer":          actor(4, 1, access.Grant{Role: access.Officer}),
		"officer school 1": actor(5, 1, access.Grant{Role: access.Officer, Schools: []int64{school1}}),
		"technician":       actor(6, 1, access.Grant{Role: access.Technician}),
		"board":            actor(7, 1, access.Grant{Role: access.Board}),
		"admin":            actor(8, 1, access.Grant{Role: access.Admin}),
		"admin school 1":   actor(9, 1, access.Grant{Role: access.Admin, Schools: []int64{school1}}),
		"desk other org":   actor(20, 2, access.Grant{Role: access.Desk}),
	}
	view := []string{"desk", "desk school 1", "officer", "officer school 1", "board", "admin", "admin school 1", "desk other org"}
	manage := []string{"officer", "admin"}
	in := func(list []string, name string) bool {
		for _, n := range list {
			if n == name {
				return true
			}
		}
		return false
	}
	for name, a := range actors {
		if got := CanViewProcessors(a); got != in(view, name) {
			t.Errorf("CanViewProcessors(%s) = %v", name, got)
		}
		if got := CanManageProcessors(a); got != in(manage, name) {
			t.Errorf("CanManageProcessors(%s) = %v", name, got)
		}
	}
	if CanViewProcessors(nil) || CanManageProcessors(nil) {
		t.Error("anonymous may see or manage processors")
	}

	// Linking: the desk in step 2, the officer in step 3, within their schools,
	// in their own organisation; recording delivery: desk or officer while open.
	link := map[Status][]string{
		StatusNew:          {"desk", "desk school 1"},
		StatusInventory:    {"desk", "desk school 1"},
		StatusAssessment:   {"officer", "officer school 1"},
		StatusNotification: nil, StatusInforming: nil, StatusRecording: nil, StatusClosed: nil,
	}
	deliver := []string{"desk", "desk school 1", "officer", "officer school 1"}
	for st, allowed := range link {
		if got := ProcessorLinkOpen(st); got != (allowed != nil) {
			t.Errorf("ProcessorLinkOpen(%s) = %v", st, got)
		}
		for _, sc := range []struct {
			name string
			id   *int64
		}{{"school 1", &school1}, {"school 2", &school2}} {
			c := &Case{OrganisationID: 1, SchoolID: sc.id, Status: st}
			for name, a := range actors {
				want := in(allowed, name) && (sc.id == &school1 || (name != "desk school 1" && name != "officer school 1"))
				if got := CanLinkProcessor(a, c); got != want {
					t.Errorf("CanLinkProcessor(%s, %s, %s) = %v, want %v", name, st, sc.name, got, want)
				}
				wantD := st != StatusClosed && in(deliver, name) && (sc.id == &school1 || (name != "desk school 1" && name != "officer school 1"))
				if got := CanRecordProcessorDelivery(a, c); got != wantD {
					t.Errorf("CanRecordProcessorDelivery(%s, %s, %s) = %v, want %v", name, st, sc.name, got, wantD)
				}
			}
		}
	}
}
