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
		_ = Assess(facts)
	})
}
