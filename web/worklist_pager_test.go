package web

import (
	"testing"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// The pager says how much of a list a page shows, in Dutch, with a point
// between thousands, and "meer dan" for a list counted only so far.
func TestPageText(t *testing.T) {
	for _, tc := range []struct {
		shown int
		pg    incident.WorkPaging
		want  string
	}{
		{50, incident.WorkPaging{Total: 57}, "50 van de 57 meldingen"},
		{7, incident.WorkPaging{Total: 57}, "7 van de 57 meldingen"},
		{50, incident.WorkPaging{Total: 1000}, "50 van de 1.000 meldingen"},
		{50, incident.WorkPaging{Total: 1000, More: true}, "50 van meer dan 1.000 meldingen"},
		{50, incident.WorkPaging{Total: 1234567}, "50 van de 1.234.567 meldingen"},
	} {
		if got := pageText(tc.shown, tc.pg); got != tc.want {
			t.Errorf("pageText(%d, %+v) = %q, want %q", tc.shown, tc.pg, got, tc.want)
		}
	}
}
