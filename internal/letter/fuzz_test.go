package letter

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: a text as typed in the form (any bytes) is either refused with
// a message for the field, or comes back trimmed, without CR, within MaxLen.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", " ", "Beste ouder,\r\n\r\nTekst.", strings.Repeat("é", MaxLen), strings.Repeat("x", MaxLen+1), "\x00", "[Vul in: x]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := Parse(in)
		if err != nil {
			return
		}
		if out == "" || strings.Contains(out, "\r\n") || utf8.RuneCountInString(out) > MaxLen || strings.TrimSpace(out) != out {
			t.Fatalf("Parse(%q) = %q", in, out)
		}
	})
}
