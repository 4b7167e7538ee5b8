package incident

import (
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
)

func actor(id, org int64, grants ...access.Grant) *access.Actor {
	return &access.Actor{UserID: id, OrganisationID: org, Grants: grants}
}

func TestCanViewTable(t *testing.T) {
	school1, school2 := int64(11), int64(12)
	c1 := &Case{OrganisationID: 1, ReporterID: 100, SchoolID: &school1}
	c2 := &Case{OrganisationID: 1, ReporterID: 100, SchoolID: &school2}
	cNone := &Case{OrganisationID: 1, ReporterID: 100}

	actors := map[string]*access.Actor{
		"reporter":          actor(100, 1),
		"other staff":       actor(101, 1),
		"desk":              actor(102, 1, access.Grant{Role: access.Desk}),
		"desk school 1":     actor(103, 1, access.Grant{Role: access.Desk, Schools: []int64{school1}}),
		"officer":           actor(104, 1, access.Grant{Role: access.Officer}),
		"board":             actor(105, 1, access.Grant{Role: access.Board}),
		"technician":        actor(106, 1, access.Grant{Role: access.Technician}),
		"admin":             actor(107, 1, access.Grant{Role: access.Admin}),
		"desk other org":    actor(200, 2, access.Grant{Role: access.Desk}),
		"officer other org": actor(201, 2, access.Grant{Role: access.Officer}),
		"same id other org": actor(100, 2),
	}
	tests := []struct {
		actor string
		c     *Case
		want  bool
	}{
		{"reporter", c1, true}, {"reporter", c2, true}, {"reporter", cNone, true},
		{"other staff", c1, false},
		{"desk", c1, true}, {"desk", c2, true}, {"desk", cNone, true},
		{"desk school 1", c1, true}, {"desk school 1", c2, false}, {"desk school 1", cNone, false},
		{"officer", c1, true}, {"officer", cNone, true},
		{"board", c2, true},
		{"technician", c1, false},
		{"admin", c1, false},
		{"desk other org", c1, false}, {"officer other org", cNone, false},
		{"same id other org", c1, false},
	}
	for _, tt := range tests {
		if got := CanView(actors[tt.actor], tt.c); got != tt.want {
			t.Errorf("CanView(%s, case school %v) = %v, want %v", tt.actor, tt.c.SchoolID, got, tt.want)
		}
	}
	if CanView(nil, c1) {
		t.Error("anonymous may view a case")
	}
}

func TestCanTable(t *testing.T) {
	actors := map[string]*access.Actor{
		"staff":         actor(1, 1),
		"desk":          actor(2, 1, access.Grant{Role: access.Desk}),
		"desk school":   actor(3, 1, access.Grant{Role: access.Desk, Schools: []int64{5}}),
		"officer":       actor(4, 1, access.Grant{Role: access.Officer}),
		"technician":    actor(5, 1, access.Grant{Role: access.Technician}),
		"board":         actor(6, 1, access.Grant{Role: access.Board}),
		"admin":         actor(7, 1, access.Grant{Role: access.Admin}),
		"admin limited": actor(8, 1, access.Grant{Role: access.Admin, Schools: []int64{5}}),
	}
	allow := map[Action][]string{
		ActReport:        {"staff", "desk", "desk school", "officer", "technician", "board", "admin", "admin limited"},
		ActViewOwn:       {"staff", "desk", "desk school", "officer", "technician", "board", "admin", "admin limited"},
		ActViewInbox:     {"desk", "desk school"},
		ActManageUsers:   {"admin"},
		ActManageSchools: {"admin"},
	}
	for act, allowed := range allow {
		for name, a := range actors {
			want := false
			for _, n := range allowed {
				want = want || n == name
			}
			if got := Can(a, act); got != want {
				t.Errorf("Can(%s, %s) = %v, want %v", name, act, got, want)
			}
		}
		if Can(nil, act) {
			t.Errorf("anonymous may %s", act)
		}
	}
}
