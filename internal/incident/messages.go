package incident

import "slices"

// When a message is done (issue 12.4). A message asks its reader for
// something while the case is in the step it is about; once the case has
// left those statuses it is done. A question is done when it is answered,
// a message that only informs when it is read, and every message of a case
// when the case closes.

// messageOpenIn maps a message kind to the statuses in which it still asks
// for something. Kinds not listed only inform: they are done once read.
var messageOpenIn = map[string][]Status{
	"case_reported":       {StatusNew},
	"to_officer":          {StatusAssessment},
	"reported_to_officer": {StatusNew, StatusInventory}, // the officer may look while the desk inventories
	"confirm_no_breach":   {StatusConfirmation},         // the officer confirms, or assesses after all
	"board_assessment":    {StatusAssessment},           // until the board records its view, or the officer decides
	"board_before_ap":     {StatusAssessment, StatusNotification},
	"technician_assigned": open, // until the repair is completed, or the case closes
	"question":            open, // until it is answered
	"reminder_authority":  {StatusConfirmation, StatusAssessment, StatusNotification},
	"reminder_filing":     {StatusNotification},
	"reminder_subjects":   {StatusInforming},
	"subjects_approval":   {StatusInforming}, // until the notice is approved
	"reminder_processor":  open,
}

// MessageActionable reports whether a message of this kind asks for an
// action (and so stays until the work is done), rather than only informing.
func MessageActionable(kind string) bool {
	_, ok := messageOpenIn[kind]
	return ok
}

// MessagesDoneIn lists the kinds of message that no longer ask for anything
// once a case is in status s: the message kinds to mark done when a case
// moves there.
func MessagesDoneIn(s Status) []string {
	var out []string
	for kind, in := range messageOpenIn {
		if !slices.Contains(in, s) {
			out = append(out, kind)
		}
	}
	slices.Sort(out)
	return out
}

// ActionableKinds lists the kinds that ask for an action, sorted.
func ActionableKinds() []string {
	out := make([]string, 0, len(messageOpenIn))
	for kind := range messageOpenIn {
		out = append(out, kind)
	}
	slices.Sort(out)
	return out
}
