package web

import (
	"slices"
	"testing"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// The FG's confirmation is a side branch: the tracker shows it only for a
// case waiting in it, and every other step always.
func TestTrackerShowsTheConfirmationOnlyWhenACaseWaitsThere(t *testing.T) {
	if slices.Contains(trackerSteps(incident.StatusAssessment), incident.StatusConfirmation) {
		t.Error("a case in assessment shows the confirmation step")
	}
	if got := trackerSteps(incident.StatusConfirmation); !slices.Contains(got, incident.StatusConfirmation) || len(got) != len(incident.Statuses) {
		t.Errorf("a case waiting for the FG's confirmation: %v", got)
	}
	if got := trackerSteps(incident.StatusNew); len(got) != len(incident.Statuses)-1 {
		t.Errorf("steps of a new case: %v", got)
	}
}
