package incident

import (
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/lekwacht/lekwacht/internal/access"
)

var update = flag.Bool("update", false, "rewrite docs/workflow.md from the transition table")

func TestWorkflowDoc(t *testing.T) {
	const path = "../../docs/workflow.md"
	want := WorkflowMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go test ./internal/incident -run TestWorkflowDoc -update)", err)
	}
	if string(got) != want {
		t.Errorf("docs/workflow.md differs from the transition table; run: go test ./internal/incident -run TestWorkflowDoc -update")
	}
}

func TestWorkflowTableIsWellFormed(t *testing.T) {
	seen := map[Action]bool{}
	for _, tr := range Workflow {
		if seen[tr.Action] {
			t.Errorf("%s appears twice", tr.Action)
		}
		seen[tr.Action] = true
		if tr.Label == "" || len(tr.From) == 0 || len(tr.By) == 0 {
			t.Errorf("%s is incomplete: %+v", tr.Action, tr)
		}
		for _, s := range append(slices.Clone(tr.From), tr.To...) {
			if !slices.Contains(Statuses, s) {
				t.Errorf("%s names unknown status %q", tr.Action, s)
			}
		}
	}
	// Every status but closed can be left, and every status but new can be reached.
	for _, s := range Statuses {
		leaves, reached := false, s == StatusNew
		for _, tr := range Workflow {
			if slices.Contains(tr.From, s) && len(tr.To) > 0 && !slices.Contains(tr.To, s) {
				leaves = true
			}
			if slices.Contains(tr.To, s) {
				reached = true
			}
		}
		if !reached {
			t.Errorf("status %s cannot be reached", s)
		}
		if !leaves && s != StatusClosed {
			t.Errorf("status %s is a dead end", s)
		}
	}
}

// TestCanDoMatrix: every performer (and another organisation, and a
// school-limited desk) × every action × every status.
func TestCanDoMatrix(t *testing.T) {
	s1, s2 := int64(1), int64(2)
	actors := map[string]*access.Actor{
		"staff":             actor(10, 1),
		"desk":              actor(11, 1, access.Grant{Role: access.Desk}),
		"desk school 2":     actor(12, 1, access.Grant{Role: access.Desk, Schools: []int64{s2}}),
		"officer":           actor(13, 1, access.Grant{Role: access.Officer}),
		"board":             actor(14, 1, access.Grant{Role: access.Board}),
		"technician":        actor(15, 1, access.Grant{Role: access.Technician}),
		"admin":             actor(16, 1, access.Grant{Role: access.Admin}),
		"desk other org":    actor(20, 2, access.Grant{Role: access.Desk}),
		"officer other org": actor(21, 2, access.Grant{Role: access.Officer}),
	}
	// who may act on a case at school 1, by performer
	performerOf := map[string][]Performer{
		"desk": {ByDesk}, "officer": {ByOfficer}, "board": {ByBoard},
		"technician": {ByTechnician}, // assigned, see rel below
		"staff":      {ByAddressee},  // has an open question, see rel below
	}
	for name, a := range actors {
		rel := Relation{AssignedTechnician: name == "technician", OpenQuestion: name == "staff"}
		for _, tr := range Workflow {
			for _, st := range Statuses {
				// A report from outside, so that closing as spam is possible.
				c := &Case{OrganisationID: 1, SchoolID: &s1, Status: st, Source: Source{Kind: SourcePublic}}
				want := slices.Contains(tr.From, st) && slices.ContainsFunc(performerOf[name], func(p Performer) bool { return slices.Contains(tr.By, p) })
				if got := CanDo(a, c, rel, tr.Action); got != want {
					t.Errorf("CanDo(%s, %s, status %s) = %v, want %v", name, tr.Action, st, got, want)
				}
				// A staff member's own report is never spam.
				staff := &Case{OrganisationID: 1, SchoolID: &s1, Status: st}
				if tr.Action == ActMarkSpam && CanDo(a, staff, rel, tr.Action) {
					t.Errorf("CanDo(%s, mark_spam) on a staff report, want false", name)
				}
			}
		}
	}
	// A technician who is not assigned, and a relation claimed across organisations, get nothing.
	for _, tr := range Workflow {
		for _, st := range Statuses {
			c := &Case{OrganisationID: 1, SchoolID: &s1, Status: st}
			if CanDo(actors["technician"], c, Relation{}, tr.Action) {
				t.Errorf("unassigned technician may %s in %s", tr.Action, st)
			}
			if CanDo(actors["desk other org"], c, Relation{AssignedTechnician: true, OpenQuestion: true}, tr.Action) {
				t.Errorf("other organisation may %s in %s", tr.Action, st)
			}
		}
	}
	if CanDo(nil, &Case{OrganisationID: 1, Status: StatusNew}, Relation{}, ActStartInventory) {
		t.Error("anonymous may act")
	}
}
