package assessment

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	valid := classList()
	tests := []struct {
		name   string
		change func(*Facts)
		// want maps each field that must be reported to a fragment of its message.
		want map[string]string
	}{
		{"valid", func(*Facts) {}, nil},
		{"empty enums take defaults", func(f *Facts) { f.Availability, f.Excluded, f.Recipient = "", "", "" }, nil},
		{"unknown availability", func(f *Facts) { f.Availability = "sometimes" },
			map[string]string{"availability": `onbekende waarde "sometimes"; kies uit none, temporary, permanent`}},
		{"unknown exclusion", func(f *Facts) { f.Excluded = "forgotten" },
			map[string]string{"excluded": `onbekende waarde "forgotten"; kies uit none, bounced, restored, reset_no_access, recipient_deleted, other`}},
		{"unknown recipient", func(f *Facts) { f.Recipient = "press" },
			map[string]string{"recipient": `onbekende waarde "press"; kies uit none, unknown, trusted, untrusted, public`}},
		{"unknown kind of data", func(f *Facts) { f.Data = []DataType{DataBasic, "medical", ""} },
			map[string]string{"data[1]": `onbekende waarde "medical"`, "data[2]": "mag niet leeg zijn"}},
		{"unknown consequence", func(f *Facts) { f.Consequences = []Consequence{"embarrassment"} },
			map[string]string{"consequences[0]": `onbekende waarde "embarrassment"`}},
		{"negative subjects", func(f *Facts) { f.Subjects = -1 },
			map[string]string{"subjects": "mag niet negatief zijn"}},
		{"negative hours", func(f *Facts) { f.Availability = AvailabilityTemporary; f.UnavailableHours = -2 },
			map[string]string{"unavailable_hours": "mag niet negatief zijn"}},
		{"hours without a temporary loss", func(f *Facts) { f.UnavailableHours = 5 },
			map[string]string{"unavailable_hours": `alleen bij tijdelijke onbeschikbaarheid`}},
		{"kinds of data without personal data", func(f *Facts) { f.PersonalData = false },
			map[string]string{"data": "terwijl personal_data false is"}},
		{"several problems at once", func(f *Facts) { f.Subjects = -5; f.Recipient = "x"; f.Availability = "y" },
			map[string]string{"subjects": "negatief", "recipient": `"x"`, "availability": `"y"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid
			f.Data = slices.Clone(valid.Data)
			tt.change(&f)
			err := Validate(f)
			checkProblems(t, err, tt.want)
		})
	}
}

func checkProblems(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("want no error, got %v", err)
		}
		return
	}
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("want a *ValidationError, got %T: %v", err, err)
	}
	got := verr.Fields()
	if len(got) != len(want) {
		t.Errorf("reported fields %v, want exactly %v", keys(got), keys(want))
	}
	for field, frag := range want {
		msg, ok := got[field]
		if !ok {
			t.Errorf("field %q not reported; error: %v", field, err)
			continue
		}
		if !strings.Contains(msg, frag) {
			t.Errorf("message for %q = %q, want it to contain %q", field, msg, frag)
		}
		if field != "" && !strings.Contains(err.Error(), "veld "+field+": ") {
			t.Errorf("error text %q does not name field %q", err, field)
		}
	}
	if !strings.HasPrefix(err.Error(), "ongeldige feiten: ") {
		t.Errorf("error text %q does not start in Dutch", err)
	}
}

func keys(m map[string]string) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}

func TestDecodeFacts(t *testing.T) {
	const minimal = `{"incident": true, "personal_data": true, "confidentiality": true, "integrity": false, "availability": "none"`
	tests := []struct {
		name string
		in   string
		want map[string]string // field → message fragment; empty: valid
	}{
		{"minimal", minimal + `}`, nil},
		{"surrounding whitespace", "\n  " + minimal + "}\n\n", nil},
		{"empty", "   \n", map[string]string{"": "geen invoer"}},
		{"null", "null", map[string]string{"": "maar kreeg null"}},
		{"a string", `"incident"`, map[string]string{"": "maar kreeg tekst"}},
		{"syntax error", `{"incident": tru}`, map[string]string{"": "ongeldige JSON bij teken"}},
		{"cut short", minimal, map[string]string{"": "te vroeg op"}},
		{"trailing data", minimal + `} {}`, map[string]string{"": "nog meer invoer"}},
		{"unknown fields, all reported", minimal + `, "severity": 3, "Incident": true}`,
			map[string]string{"severity": "onbekend veld", "Incident": "onbekend veld"}},
		{"fraction for a whole number", minimal + `, "subjects": 12.5}`,
			map[string]string{"subjects": "verwacht een geheel getal, maar kreeg een getal (12.5)"}},
		{"string for a number", minimal + `, "unavailable_hours": "3"}`,
			map[string]string{"unavailable_hours": "verwacht een getal, maar kreeg tekst"}},
		{"string for a list", minimal + `, "data": "basic"}`,
			map[string]string{"data": "verwacht een lijst met teksten, maar kreeg tekst"}},
		{"number for a bool", `{"incident": 1, "personal_data": true, "confidentiality": true, "integrity": false, "availability": "none"}`,
			map[string]string{"incident": "verwacht true of false, maar kreeg een getal"}},
		{"required answers missing or null", `{"incident": true, "personal_data": null}`,
			map[string]string{"personal_data": "ontbreekt", "confidentiality": "ontbreekt", "integrity": "ontbreekt", "availability": "ontbreekt"}},
		{"decode and value problems together", minimal + `, "subjects": -4, "recipient": "pers", "malicious": "ja"}`,
			map[string]string{"subjects": "negatief", "recipient": `onbekende waarde "pers"`, "malicious": "verwacht true of false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := DecodeFacts(strings.NewReader(tt.in))
			checkProblems(t, err, tt.want)
			if len(tt.want) == 0 && (!f.Incident || !f.PersonalData || !f.Confidentiality || f.Availability != AvailabilityNone) {
				t.Errorf("decoded facts %+v", f)
			}
		})
	}
}

func TestDecodeFactsAllFields(t *testing.T) {
	in := `{
		"incident": true, "personal_data": true, "confidentiality": true, "integrity": true,
		"availability": "temporary", "unavailable_hours": 6.5, "excluded": "restored",
		"subjects": 42, "data": ["basic", "care"], "children": true, "direct_identifiable": true,
		"unintelligible": true, "backup": true, "malicious": true, "recipient": "untrusted",
		"mitigated": true, "disproportionate_effort": true, "consequences": ["stigma", "reputation"]
	}`
	got, err := DecodeFacts(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := Facts{
		Incident: true, PersonalData: true, Confidentiality: true, Integrity: true,
		Availability: AvailabilityTemporary, UnavailableHours: 6.5, Excluded: ExcludedRestored,
		Subjects: 42, Data: []DataType{DataBasic, DataCare}, Children: true, DirectIdentifiable: true,
		Unintelligible: true, Backup: true, Malicious: true, Recipient: RecipientUntrusted,
		Mitigated: true, DisproportionateEffort: true, Consequences: []Consequence{ConsequenceStigma, ConsequenceReputation},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestDecodeFactsTooLarge(t *testing.T) {
	in := `{"incident": true, "personal_data": true, "confidentiality": true, "integrity": false, "availability": "none", "data": [` +
		strings.Repeat(`"basic",`, MaxInputBytes/8) + `"basic"]}`
	_, err := DecodeFacts(strings.NewReader(in))
	checkProblems(t, err, map[string]string{"": "groter dan"})
}

// Every field of Facts must be decodable: a field added to the struct without
// a JSON tag, or with a type DecodeFacts cannot describe, fails here.
func TestEveryFactsFieldHasAJSONName(t *testing.T) {
	var f Facts
	targets := fieldTargets(&f)
	rt := reflect.TypeOf(f)
	if len(targets) != rt.NumField() {
		t.Errorf("%d fields, %d JSON names", rt.NumField(), len(targets))
	}
	for name, target := range targets {
		if strings.HasPrefix(goKind(reflect.TypeOf(target).Elem()), "assessment.") || name != strings.ToLower(name) {
			t.Errorf("field %q: unexpected name or type %T", name, target)
		}
	}
}
