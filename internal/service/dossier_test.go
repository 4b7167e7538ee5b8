package service_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// TestDossierAuthorisation: who reads the dossier of a case at school A1 and
// at A2, in org A; the other organisation never learns the case exists.
func TestDossierAuthorisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clock.Set(time.Date(2026, 11, 23, 10, 0, 0, 0, amsterdam))
	atA1 := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("laptop kwijt", e.a1))).ID
	atA2 := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("mail verkeerd", e.a2))).ID
	must(0, e.svc.Incidents.AssignTechnician(e.ctx, e.actors["desk"], atA1, strconv.FormatInt(e.actors["technician"].UserID, 10)))
	const ok = apperr.Kind(-1)
	for _, tc := range []struct {
		who  string
		id   int64
		want apperr.Kind
	}{
		{"desk", atA1, ok}, {"officer", atA1, ok}, {"board", atA1, ok}, {"desk_a1", atA1, ok},
		{"desk_a1", atA2, apperr.NotFound},
		{"staff", atA1, apperr.Forbidden},      // the reporter sees the case page, not the dossier
		{"technician", atA1, apperr.Forbidden}, // assigned: the repair, not everything
		{"technician", atA2, apperr.NotFound},
		{"staff2", atA1, apperr.NotFound},
		{"admin", atA1, apperr.NotFound}, // administrators manage accounts, not cases
		{"desk_b", atA1, apperr.NotFound}, {"admin_b", atA1, apperr.NotFound},
	} {
		v, err := e.svc.Incidents.Dossier(e.ctx, e.actors[tc.who], tc.id)
		switch {
		case tc.want == ok && err != nil:
			t.Errorf("%s reads dossier %d: %v", tc.who, tc.id, err)
		case tc.want != ok && !apperr.Is(err, tc.want):
			t.Errorf("%s reads dossier %d: %v, want kind %v", tc.who, tc.id, err, tc.want)
		case tc.want == ok && (v.Case.ID != tc.id || !v.Full || v.Organisation != "Bestuur A"):
			t.Errorf("%s: dossier %+v", tc.who, v.Case)
		}
	}
	v := must(e.svc.Incidents.Dossier(e.ctx, e.actors["officer"], atA1))
	if want := time.Date(2026, 11, 26, 10, 0, 0, 0, amsterdam); !v.AuthorityDue.Equal(want) || !v.PrintedAt.Equal(e.clock.Now()) {
		t.Errorf("AP due %v (want %v), printed %v", v.AuthorityDue, want, v.PrintedAt)
	}
	if len(v.Events) < 2 {
		t.Errorf("the dossier's timeline has %d entries, want every entry", len(v.Events))
	}
}
