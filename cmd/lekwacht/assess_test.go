package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/assessment"
)

// The USB stick with the addresses of class 3b (seed 000), as an FG would
// type it on the command line.
const classListFacts = `{
  "incident": true,
  "personal_data": true,
  "confidentiality": true,
  "integrity": false,
  "availability": "none",
  "excluded": "none",
  "subjects": 28,
  "data": ["basic", "contact"],
  "children": true,
  "direct_identifiable": true,
  "backup": true,
  "recipient": "unknown"
}`

func TestRunAssessWritesAdvice(t *testing.T) {
	var stdout bytes.Buffer
	if err := runAssess(strings.NewReader(classListFacts), &stdout); err != nil {
		t.Fatalf("runAssess: %v", err)
	}
	out := stdout.String()
	if !strings.HasPrefix(out, "{\n  \"breach\": true,") || !strings.HasSuffix(out, "}\n") {
		t.Errorf("want one indented JSON object, got:\n%s", out)
	}

	// Decode into a plain map: the field names are the contract.
	var got map[string]any
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if dec.More() {
		t.Errorf("more than one JSON value written:\n%s", out)
	}
	for field, want := range map[string]any{
		"breach":           true,
		"notify_authority": true,
		"notify_subjects":  true,
		"subjects_channel": "individual",
	} {
		if got[field] != want {
			t.Errorf("%s = %v, want %v", field, got[field], want)
		}
	}
	severity, ok := got["severity"].(map[string]any)
	if !ok {
		t.Fatalf("severity is not an object: %v", got["severity"])
	}
	for field, want := range map[string]any{
		"score": 1.0, "level": "low", "dpc": 1.0, "ei": 1.0, "cb": 0.0, "computed": true,
	} {
		if severity[field] != want {
			t.Errorf("severity.%s = %v, want %v", field, severity[field], want)
		}
	}
	if e, _ := severity["explanation"].(string); !strings.Contains(e, "(CB) = 1 × 1 + 0 = 1: laag.") {
		t.Errorf("severity.explanation = %q", e)
	}
	reasons, _ := got["reasons"].([]any)
	if len(reasons) < 5 {
		t.Errorf("want a reason for each step, got %d: %v", len(reasons), reasons)
	}
	if ex, ok := got["exceptions"].([]any); !ok || len(ex) != 0 {
		t.Errorf("exceptions = %v, want []", got["exceptions"])
	}
}

func TestRunAssessNoBreach(t *testing.T) {
	var stdout bytes.Buffer
	in := `{"incident": false, "personal_data": true, "confidentiality": true, "integrity": false, "availability": "none"}`
	if err := runAssess(strings.NewReader(in), &stdout); err != nil {
		t.Fatalf("runAssess: %v", err)
	}
	var got assessment.Advice
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Breach || got.NotifyAuthority || got.NotifySubjects || got.SubjectsChannel != assessment.ChannelNone || got.Severity.Computed {
		t.Errorf("a threat is no breach, got %+v", got)
	}
}

func TestRunAssessRejectsInvalidInput(t *testing.T) {
	tests := []struct {
		name string
		in   string
		// want are fragments of the Dutch message, naming the field.
		want []string
	}{
		{"empty input", "", []string{"geen invoer"}},
		{"not JSON", "incident=true", []string{"ongeldige JSON"}},
		{"cut short", `{"incident": true`, []string{"te vroeg op"}},
		{"a list instead of an object", `[1, 2]`, []string{"verwacht één JSON-object", "een lijst"}},
		{"two objects", classListFacts + classListFacts, []string{"nog meer invoer"}},
		{
			"unknown field",
			strings.Replace(classListFacts, `"backup"`, `"back_up"`, 1),
			[]string{"veld back_up: onbekend veld"},
		},
		{
			"unknown enum value",
			strings.Replace(classListFacts, `"availability": "none"`, `"availability": "soms"`, 1),
			[]string{`veld availability: onbekende waarde "soms"`, "none, temporary, permanent"},
		},
		{
			"unknown kind of data",
			strings.Replace(classListFacts, `["basic", "contact"]`, `["basic", "medical"]`, 1),
			[]string{`veld data[1]: onbekende waarde "medical"`},
		},
		{
			"negative number of people",
			strings.Replace(classListFacts, `"subjects": 28`, `"subjects": -3`, 1),
			[]string{"veld subjects: mag niet negatief zijn"},
		},
		{
			"wrong type",
			strings.Replace(classListFacts, `"children": true`, `"children": "ja"`, 1),
			[]string{"veld children: verwacht true of false, maar kreeg tekst"},
		},
		{
			"missing answer",
			`{"incident": true, "personal_data": true}`,
			[]string{"veld confidentiality: ontbreekt", "veld integrity: ontbreekt", "veld availability: ontbreekt"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout bytes.Buffer
			err := runAssess(strings.NewReader(tt.in), &stdout)
			if err == nil {
				t.Fatalf("want an error, got none; output:\n%s", stdout.String())
			}
			var verr *assessment.ValidationError
			if !errors.As(err, &verr) {
				t.Errorf("want a *assessment.ValidationError, got %T: %v", err, err)
			}
			for _, frag := range tt.want {
				if !strings.Contains(err.Error(), frag) {
					t.Errorf("error %q does not contain %q", err, frag)
				}
			}
			if stdout.Len() != 0 {
				t.Errorf("wrote output despite the error:\n%s", stdout.String())
			}
		})
	}
}
