package incident

import (
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
)

// TestCanViewDossierTable: role × step × same/other organisation × school
// scope. The dossier is a read, so the step never matters: every status is
// tried and must give the same answer.
func TestCanViewDossierTable(t *testing.T) {
	school1, school2 := int64(11), int64(12)
	actors := map[string]*access.Actor{
		"reporter":             actor(100, 1),
		"other staff":          actor(101, 1),
		"desk":                 actor(102, 1, access.Grant{Role: access.Desk}),
		"desk school 1":        actor(103, 1, access.Grant{Role: access.Desk, Schools: []int64{school1}}),
		"officer":              actor(104, 1, access.Grant{Role: access.Officer}),
		"officer school 2":     actor(108, 1, access.Grant{Role: access.Officer, Schools: []int64{school2}}),
		"board":                actor(105, 1, access.Grant{Role: access.Board}),
		"board school 1":       actor(109, 1, access.Grant{Role: access.Board, Schools: []int64{school1}}),
		"technician":           actor(106, 1, access.Grant{Role: access.Technician}),
		"admin":                actor(107, 1, access.Grant{Role: access.Admin}),
		"admin and board":      actor(110, 1, access.Grant{Role: access.Admin}, access.Grant{Role: access.Board}),
		"desk other org":       actor(200, 2, access.Grant{Role: access.Desk}),
		"officer other org":    actor(201, 2, access.Grant{Role: access.Officer}),
		"same id other org":    actor(102, 2, access.Grant{Role: access.Desk}),
		"technician as school": actor(111, 1, access.Grant{Role: access.Technician, Schools: []int64{school1}}),
	}
	type school struct {
		name string
		id   *int64
	}
	schools := []school{{"school 1", &school1}, {"school 2", &school2}, {"no school", nil}}
	// allowed[actor] lists the schools whose cases the actor may read the dossier of.
	allowed := map[string][]string{
		"desk":             {"school 1", "school 2", "no school"},
		"desk school 1":    {"school 1"},
		"officer":          {"school 1", "school 2", "no school"},
		"officer school 2": {"school 2"},
		"board":            {"school 1", "school 2", "no school"},
		"board school 1":   {"school 1"},
		"admin and board":  {"school 1", "school 2", "no school"},
	}
	for name, a := range actors {
		for _, sc := range schools {
			want := false
			for _, s := range allowed[name] {
				want = want || s == sc.name
			}
			for _, st := range Statuses {
				c := &Case{OrganisationID: 1, ReporterID: 100, SchoolID: sc.id, Status: st}
				if got := CanViewDossier(a, c); got != want {
					t.Errorf("CanViewDossier(%s, %s, %s) = %v, want %v", name, sc.name, st, got, want)
				}
			}
		}
	}
	if CanViewDossier(nil, &Case{OrganisationID: 1}) || CanViewDossier(actors["desk"], nil) {
		t.Error("nil actor or case may view a dossier")
	}
	if CanViewDossier(&access.Actor{OrganisationID: 1, Grants: []access.Grant{{Role: access.Desk}}}, &Case{OrganisationID: 1}) {
		t.Error("an actor without a user id may view a dossier")
	}
}
