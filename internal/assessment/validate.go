package assessment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
)

// MaxInputBytes bounds what DecodeFacts reads: a set of facts is a few hundred
// bytes, so anything this large is a mistake.
const MaxInputBytes = 1 << 20

// FieldError is one problem with the facts. Field is the JSON field name, or
// empty when the problem is with the input as a whole.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every problem found in the facts, each with a Dutch
// message fit to show beside the field.
type ValidationError struct {
	Problems []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		if p.Field == "" {
			parts = append(parts, p.Message)
			continue
		}
		parts = append(parts, "veld "+p.Field+": "+p.Message)
	}
	return "ongeldige feiten: " + strings.Join(parts, "; ")
}

// Fields maps each field name to its message (the first, if there are more),
// in the shape of a form's messages.
func (e *ValidationError) Fields() map[string]string {
	m := make(map[string]string, len(e.Problems))
	for _, p := range e.Problems {
		if _, ok := m[p.Field]; !ok {
			m[p.Field] = p.Message
		}
	}
	return m
}

func (e *ValidationError) add(field, format string, args ...any) {
	e.Problems = append(e.Problems, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (e *ValidationError) orNil() error {
	if len(e.Problems) == 0 {
		return nil
	}
	return e
}

// Validate checks the values of the facts: every enum value must be known,
// numbers may not be negative, and the facts may not contradict each other
// where that can only be a typing mistake. Empty enum values are allowed and
// take their defaults (see Facts). It returns a *ValidationError.
func Validate(f Facts) error {
	var v ValidationError
	checkEnum(&v, "availability", f.Availability, availabilities, true)
	checkEnum(&v, "excluded", f.Excluded, exclusions, true)
	checkEnum(&v, "recipient", f.Recipient, recipients, true)
	for i, d := range f.Data {
		checkEnum(&v, fmt.Sprintf("data[%d]", i), d, dataTypes, false)
	}
	for i, c := range f.Consequences {
		checkEnum(&v, fmt.Sprintf("consequences[%d]", i), c, consequences, false)
	}
	if f.Subjects < 0 {
		v.add("subjects", "mag niet negatief zijn (geef 0 als het aantal betrokkenen onbekend is)")
	}
	switch {
	case f.UnavailableHours < 0:
		v.add("unavailable_hours", "mag niet negatief zijn (geef 0 als de duur onbekend is)")
	case f.UnavailableHours > 0 && f.Availability != AvailabilityTemporary:
		v.add("unavailable_hours", "geldt alleen bij tijdelijke onbeschikbaarheid (availability \"temporary\")")
	}
	if !f.PersonalData && len(f.Data) > 0 {
		v.add("data", "noemt soorten persoonsgegevens terwijl personal_data false is; zet personal_data op true of maak de lijst leeg")
	}
	return v.orNil()
}

func checkEnum[T ~string](v *ValidationError, field string, got T, allowed []T, emptyOK bool) {
	if got == "" && emptyOK {
		return
	}
	if slices.Contains(allowed, got) {
		return
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	if got == "" {
		v.add(field, "mag niet leeg zijn; kies uit %s", strings.Join(names, ", "))
		return
	}
	v.add(field, "onbekende waarde %q; kies uit %s", string(got), strings.Join(names, ", "))
}

// DecodeFacts reads one JSON object of facts from r and validates it. It
// rejects unknown fields, values of the wrong type, missing answers to the
// first questions of the decision tree, trailing input, and everything
// Validate rejects. All problems are reported at once in a *ValidationError.
func DecodeFacts(r io.Reader) (Facts, error) {
	var f Facts
	var v ValidationError

	data, err := io.ReadAll(io.LimitReader(r, MaxInputBytes+1))
	if err != nil {
		return f, fmt.Errorf("feiten lezen: %w", err)
	}
	if len(data) > MaxInputBytes {
		v.add("", "de invoer is groter dan %d bytes; verwacht één JSON-object met feiten", MaxInputBytes)
		return f, &v
	}
	if len(bytes.TrimSpace(data)) == 0 {
		v.add("", "geen invoer; verwacht één JSON-object met feiten, bijvoorbeeld {\"incident\": true, …}")
		return f, &v
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	var raw map[string]json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		v.add("", "%s", jsonProblem(err))
		return f, &v
	}
	if raw == nil { // the input was JSON null
		v.add("", "verwacht één JSON-object met feiten, maar kreeg null")
		return f, &v
	}
	if _, err := dec.Token(); err != io.EOF {
		v.add("", "na het JSON-object volgt nog meer invoer; geef precies één object")
		return f, &v
	}

	targets := fieldTargets(&f)
	for _, name := range sortedKeys(raw) {
		target, ok := targets[name]
		if !ok {
			v.add(name, "onbekend veld; bekende velden zijn %s", strings.Join(sortedKeys(targets), ", "))
			continue
		}
		if err := json.Unmarshal(raw[name], target); err != nil {
			v.add(name, "%s", typeProblem(err, reflect.TypeOf(target).Elem()))
		}
	}
	for _, name := range requiredFields {
		if msg, ok := raw[name]; !ok || string(bytes.TrimSpace(msg)) == "null" {
			v.add(name, "ontbreekt; beantwoord deze vraag expliciet, want een vergeten antwoord mag niet als \"nee\" gelden")
		}
	}
	// Validate what did decode too, so that every problem is reported at once;
	// a field that failed to decode is reported only once.
	reported := v.Fields()
	var more *ValidationError
	if errors.As(Validate(f), &more) {
		for _, p := range more.Problems {
			if _, ok := reported[p.Field]; !ok {
				v.Problems = append(v.Problems, p)
			}
		}
	}
	return f, v.orNil()
}

// fieldTargets maps each JSON field name of Facts to a pointer to that field
// of *f, so that each field is decoded (and each type error reported) alone.
func fieldTargets(f *Facts) map[string]any {
	rv := reflect.ValueOf(f).Elem()
	rt := rv.Type()
	m := make(map[string]any, rt.NumField())
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		m[name] = rv.Field(i).Addr().Interface()
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// jsonProblem describes an error from decoding the whole input in Dutch.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("ongeldige JSON bij teken %d", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "de JSON houdt te vroeg op; ontbreekt er een } of \"?"
	case errors.As(err, &typ):
		return fmt.Sprintf("verwacht één JSON-object met feiten, maar kreeg %s", jsonKind(typ.Value))
	default:
		return "ongeldige JSON"
	}
}

// typeProblem describes a value of the wrong type for a field in Dutch.
func typeProblem(err error, want reflect.Type) string {
	got := "een ongeldige waarde"
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		got = jsonKind(typ.Value)
	}
	return fmt.Sprintf("verwacht %s, maar kreeg %s", goKind(want), got)
}

// jsonKind names the kind of a JSON value as encoding/json reports it
// ("string", "number 1.5", "bool", "array", "object") in Dutch.
func jsonKind(value string) string {
	kind, detail, _ := strings.Cut(value, " ")
	names := map[string]string{
		"string": "tekst",
		"number": "een getal",
		"bool":   "true of false",
		"array":  "een lijst",
		"object": "een object",
	}
	name, ok := names[kind]
	if !ok {
		return value
	}
	if detail != "" {
		return name + " (" + detail + ")"
	}
	return name
}

func goKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true of false"
	case reflect.String:
		return "tekst"
	case reflect.Int:
		return "een geheel getal"
	case reflect.Float64:
		return "een getal"
	case reflect.Slice:
		return "een lijst met teksten"
	default:
		return t.String()
	}
}
