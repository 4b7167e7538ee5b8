package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// TestHandlersDiscoveryRefusedBesideTheField (issue 9.1): the moment of
// discovery starts the 72 hours, so a discovery in the future or before the
// incident began is refused beside the field, in Dutch, with everything the
// reporter typed kept; nothing is stored.
func TestHandlersDiscoveryRefusedBesideTheField(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	c := app.as(demoReporter)
	cases := app.count(`SELECT count(*) FROM cases`)
	now := app.Clock.Now().In(amsterdam)
	for _, tc := range []struct {
		name, from, discovered, want string
	}{
		{"future", now.Add(-50 * time.Hour).Format(incident.DateTimeLayout), now.Add(2 * time.Hour).Format(incident.DateTimeLayout),
			"Deze datum ligt in de toekomst."},
		{"before the start", now.Add(-50 * time.Hour).Format(incident.DateTimeLayout), now.Add(-51 * time.Hour).Format(incident.DateTimeLayout),
			"U kunt het niet hebben ontdekt vóórdat het gebeurde. Kijk beide datums na."},
	} {
		form := reportForm(app, uuid.NewString())
		form.Set("occurred_from", tc.from)
		form.Del("occurred_until")
		form.Set("discovered_at", tc.discovered)
		res := app.post(c, "/melden", form)
		expect(t, "POST /melden, discovery "+tc.name, res, http.StatusUnprocessableEntity)
		if got := res.text("error-discovered_at"); got != tc.want {
			t.Errorf("%s: message beside discovered_at %q, want %q", tc.name, got, tc.want)
		}
		if res.has("error-occurred_from") || res.has("error-what_happened") {
			t.Errorf("%s: a message beside another field", tc.name)
		}
		for _, f := range []string{"discovered_at", "occurred_from", "submission_key"} {
			if got, ok := res.inputValue(f); !ok || got != form.Get(f) {
				t.Errorf("%s: %s came back as %q, want %q", tc.name, f, got, form.Get(f))
			}
		}
		if got, _ := res.textarea("what_happened"); got != reportText {
			t.Errorf("%s: what_happened came back as %q", tc.name, got)
		}
	}
	if n := app.count(`SELECT count(*) FROM cases`); n != cases {
		t.Errorf("a refused report was stored: %d cases, want %d", n, cases)
	}
}
