package assessment

import (
	"strings"
	"testing"
)

// FuzzDecodeFacts feeds `lekwacht assess` input: whatever DecodeFacts
// accepts is valid and can be assessed and scored without a crash.
func FuzzDecodeFacts(f *testing.F) {
	f.Add(`{"incident": true, "personal_data": true, "confidentiality": true, "subjects": "many", "data": ["special"], "children": true}`)
	f.Add(`{"incident": false}`)
	f.Add(`{"incident": true, "personal_data": true, "availability": "temporary", "unavailable_hours": 1e308}`)
	f.Add(`{"incident": true, "unknown": 1}`)
	f.Add(`{"incident": true} {"incident": false}`)
	f.Add(`[1,2,3]`)
	f.Add(`{"incident": "ja"}`)
	f.Add("\x00\xff")
	f.Add(`{"incident": true, "personal_data": true, "data": [` + strings.Repeat(`"basic",`, 50) + `"basic"]}`)
	f.Add(`{"incident": true, "personal_data": true, "confidentiality": true, "integrity": false, "availability": "none", "excluded": "recipient_deleted", "recipient": "trusted", "data": ["financial"], "subjects": 1}`)
	f.Add(`{"incident": true, "personal_data": true, "confidentiality": true, "integrity": false, "availability": "temporary", "recipient_deleted": true, "well_known": true, "outage_harmless": true, "recipient": "trusted", "data": ["contact"]}`)
	f.Add(`{"incident": true, "personal_data": true, "confidentiality": false, "integrity": false, "availability": "temporary", "outage_harmless": "ja"}`)
	f.Add(`{"incident": true, "personal_data": true, "confidentiality": true, "integrity": false, "availability": "none", "well_known": null, "recipient_deleted": 1}`)
	f.Fuzz(func(t *testing.T, in string) {
		facts, err := DecodeFacts(strings.NewReader(in))
		if err != nil {
			if err.Error() == "" {
				t.Error("an error without a message")
			}
			return
		}
		if err := Validate(facts); err != nil {
			t.Fatalf("DecodeFacts accepted what Validate refuses: %v", err)
		}
		advice := Assess(facts)
		// Issue 10.2: a recipient's deletion never excludes a breach, and
		// never lowers the advice to notify the AP of sensitive data.
		deleted := facts
		deleted.RecipientDeleted = true
		after := Assess(deleted)
		if advice.Breach && !after.Breach {
			t.Fatalf("the recipient's deletion excluded a breach: %s", in)
		}
		if advice.NotifyAuthority && !after.NotifyAuthority && len(filter(facts.normalized().Data, sensitiveData)) > 0 {
			t.Fatalf("the recipient's deletion lowered the advice for sensitive data: %s", in)
		}
	})
}
