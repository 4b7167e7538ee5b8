package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/lekwacht/lekwacht/internal/assessment"
)

// runAssess is `lekwacht assess`: it reads one JSON object of facts from
// stdin and writes the advice as one indented JSON object to stdout. On
// invalid input it writes nothing and returns an error whose message names
// each field that is wrong, in Dutch.
func runAssess(stdin io.Reader, stdout io.Writer) error {
	facts, err := assessment.DecodeFacts(stdin)
	if err != nil {
		return fmt.Errorf("assess: %w", err)
	}
	// Encode into a buffer first, so that a failure writes nothing at all.
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(assessment.Assess(facts)); err != nil {
		return fmt.Errorf("assess: advies omzetten naar JSON: %w", err)
	}
	if _, err := out.WriteTo(stdout); err != nil {
		return fmt.Errorf("assess: advies schrijven: %w", err)
	}
	return nil
}
