package incident

import (
	"slices"
	"testing"
)

func TestMessagesDoneIn(t *testing.T) {
	for _, c := range []struct {
		status   Status
		done     []string
		stillDue []string
	}{
		{StatusNew, []string{"reminder_filing", "to_officer"}, []string{"case_reported", "question", "technician_assigned"}},
		{StatusInventory, []string{"case_reported"}, []string{"question", "technician_assigned"}},
		{StatusAssessment, []string{"case_reported", "reminder_filing", "reminder_subjects"}, []string{"to_officer", "board_before_ap", "reminder_authority"}},
		{StatusNotification, []string{"to_officer"}, []string{"board_before_ap", "reminder_authority", "reminder_filing"}},
		{StatusInforming, []string{"to_officer", "board_before_ap", "reminder_authority", "reminder_filing"}, []string{"reminder_subjects"}},
		{StatusClosed, []string{"case_reported", "question", "technician_assigned", "reminder_processor", "reminder_subjects"}, nil},
	} {
		got := MessagesDoneIn(c.status)
		for _, k := range c.done {
			if !slices.Contains(got, k) {
				t.Errorf("in %s, a %s message should be done: %v", c.status, k, got)
			}
		}
		for _, k := range c.stillDue {
			if slices.Contains(got, k) {
				t.Errorf("in %s, a %s message still asks for something: %v", c.status, k, got)
			}
		}
	}
	if MessageActionable("closed_summary") || !MessageActionable("question") {
		t.Error("a summary only informs; a question asks")
	}
}
