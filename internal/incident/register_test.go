package incident

import (
	"fmt"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
)

// TestRegisterPolicyTable is the register's authorisation: every role,
// organisation-wide and limited to school 1, of the same and of another
// organisation, for the page and for an export; and which cases the scope
// then covers (school 1, school 2, no school).
func TestRegisterPolicyTable(t *testing.T) {
	const org, other = int64(1), int64(2)
	school1, school2 := int64(11), int64(12)
	one := []int64{school1}
	type want struct {
		ok           bool
		s1, s2, none bool // the scope covers a case of school 1, school 2, without school
	}
	all := want{true, true, true, true}
	only1 := want{true, true, false, false}
	no := want{}
	tests := []struct {
		role    access.Role // "" is plain staff
		schools []int64
		org     int64
		view    want
		export  want
	}{
		{"", nil, org, no, no},
		{access.Desk, nil, org, all, all},
		{access.Desk, one, org, only1, only1},
		{access.Officer, nil, org, all, all},
		{access.Officer, one, org, only1, only1},
		{access.Board, nil, org, all, all},
		{access.Board, one, org, only1, only1},
		{access.Technician, nil, org, no, no},
		{access.Technician, one, org, no, no},
		{access.Admin, nil, org, no, all},
		{access.Admin, one, org, no, only1},
		// The same roles in another organisation: never this one's register.
		{"", nil, other, no, no},
		{access.Desk, nil, other, no, no},
		{access.Desk, one, other, no, no},
		{access.Officer, nil, other, no, no},
		{access.Board, nil, other, no, no},
		{access.Technician, nil, other, no, no},
		{access.Admin, nil, other, no, no},
	}
	for _, tt := range tests {
		var grants []access.Grant
		if tt.role != "" {
			grants = []access.Grant{{Role: tt.role, Schools: tt.schools}}
		}
		a := actor(100, tt.org, grants...)
		for _, c := range []struct {
			act  Action
			want want
		}{{ActViewRegister, tt.view}, {ActExportRegister, tt.export}} {
			name := fmt.Sprintf("%s schools=%v org=%d %s", tt.role, tt.schools, tt.org, c.act)
			scope, ok := RegisterScope(a, org, c.act)
			got := want{ok, ok && scope.Covers(&school1), ok && scope.Covers(&school2), ok && scope.Covers(nil)}
			if got != c.want {
				t.Errorf("%s: got %+v, want %+v", name, got, c.want)
			}
		}
		// The predicates the menu and page use agree for the actor's own organisation.
		if tt.org == org {
			if CanViewRegister(a) != tt.view.ok || CanExportRegister(a) != tt.export.ok {
				t.Errorf("%s %v: CanViewRegister %v CanExportRegister %v", tt.role, tt.schools, CanViewRegister(a), CanExportRegister(a))
			}
		}
	}
	// Several roles: the scopes add up; an unknown action and nobody are refused.
	mixed := actor(100, org, access.Grant{Role: access.Desk, Schools: one}, access.Grant{Role: access.Admin, Schools: []int64{school2}})
	if s, ok := RegisterScope(mixed, org, ActExportRegister); !ok || !s.Covers(&school1) || !s.Covers(&school2) || s.Covers(nil) {
		t.Errorf("desk of 1 and admin of 2 exporting: %+v %v", s, ok)
	}
	if s, ok := RegisterScope(mixed, org, ActViewRegister); !ok || !s.Covers(&school1) || s.Covers(&school2) {
		t.Errorf("desk of 1 and admin of 2 viewing: %+v %v", s, ok)
	}
	if _, ok := RegisterScope(actor(100, org, access.Grant{Role: access.Desk}), org, ActViewCase); ok {
		t.Error("another action allowed")
	}
	if _, ok := RegisterScope(nil, org, ActExportRegister); ok {
		t.Error("nobody allowed")
	}
	if _, ok := RegisterScope(actor(0, org, access.Grant{Role: access.Desk}), org, ActExportRegister); ok {
		t.Error("user 0 allowed")
	}
}

func TestRegisterDeadlineTexts(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	due := time.Date(2026, 11, 26, 9, 0, 0, 0, loc)
	for st, want := range map[DeadlineState]string{
		DeadlineMet: "Gehaald (uiterlijk 26-11-2026 09:00)", DeadlineLate: "Te laat (uiterlijk 26-11-2026 09:00)",
		DeadlineRunning: "Loopt, uiterlijk 26-11-2026 09:00", DeadlineOverdue: "Verstreken op 26-11-2026 09:00, nog niet gedaan",
		DeadlineNA: "Niet van toepassing",
	} {
		if got := (DeadlineCheck{State: st, Due: due}).Text(loc); got != want {
			t.Errorf("%q: %q, want %q", st, got, want)
		}
	}
	if StepOrder(StatusNew) != 1 || StepOrder(StatusClosed) != 8 || StepOrder("x") != 0 {
		t.Error("step order")
	}
}
