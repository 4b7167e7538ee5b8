package service_test

import (
	"fmt"
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
)

// TestRegisterExportSchools: the export page is for whoever may export (the
// desk, officer, board and administrator), and its school choices are the
// schools within the actor's scope, of its own organisation only.
func TestRegisterExportSchools(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin_a1", e.orgA, access.Grant{Role: access.Admin, Schools: []int64{e.a1}})
	schoolIDs := func(who string) ([]int64, error) {
		schools, err := e.svc.Incidents.RegisterExportSchools(e.ctx, e.actors[who])
		var ids []int64
		for _, s := range schools {
			ids = append(ids, s.ID)
		}
		return ids, err
	}
	for _, tt := range []struct {
		who  string
		want []int64
	}{
		{"admin", []int64{e.a1, e.a2}},
		{"admin_a1", []int64{e.a1}},
		{"desk", []int64{e.a1, e.a2}},
		{"desk_a1", []int64{e.a1}},
		{"officer", []int64{e.a1, e.a2}},
		{"board", []int64{e.a1, e.a2}},
		{"admin_b", []int64{e.b1}},
	} {
		got, err := schoolIDs(tt.who)
		if err != nil {
			t.Errorf("%s: %v", tt.who, err)
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s chooses from schools %v, want %v", tt.who, got, tt.want)
		}
	}
	const refusal = "Alleen het meldpunt, de FG, het bestuur en de beheerder kunnen het datalekregister exporteren."
	for _, who := range []string{"staff", "technician"} {
		got, err := schoolIDs(who)
		e2, ok := apperr.As(err)
		if !ok || e2.Kind != apperr.Forbidden || e2.Message != refusal || got != nil {
			t.Errorf("%s: %v %v, want Forbidden with %q", who, got, err, refusal)
		}
	}
	if _, err := e.svc.Incidents.RegisterExportSchools(e.ctx, nil); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("nobody: %v, want Unauthenticated", err)
	}
}
