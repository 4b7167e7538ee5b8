package letterpdf

import (
	"bytes"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/contact"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/letter"
)

// FuzzWrite: any text the officer kept (and any school name) makes a PDF
// that reads back: no character of outside input breaks the document.
func FuzzWrite(f *testing.F) {
	for _, s := range []string{"Beste ouder,\n\nWat is er gebeurd?\n- punt\n", "€ ’ – ë ✓ 😀", "\x00\xff", "(()\\) %%EOF"} {
		f.Add(s, "De Regenboog")
	}
	f.Fuzz(func(t *testing.T, body, name string) {
		var buf bytes.Buffer
		err := Write(&buf, Doc{Head: contact.Letterhead{Name: name, City: name}, Text: letter.Text{Kind: letter.Parent, Title: name, Body: body},
			Case: incident.Number{Year: 2026, Seq: 1}, Date: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatalf("Write: %v", err)
		}
		if _, pages := text(t, buf.Bytes()); pages < 1 {
			t.Fatal("no pages")
		}
	})
}
