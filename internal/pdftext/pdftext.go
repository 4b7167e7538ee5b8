// Package pdftext reads the text of a PDF back, for the tests that check
// what Lekwacht's PDFs (dossier, letters) say.
package pdftext

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/ledongthuc/pdf"
)

// Read returns the text of every page of data, words joined by single
// spaces (the extractor breaks lines anywhere), and the number of pages.
func Read(data []byte) (string, int, error) {
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return "", 0, fmt.Errorf("not a PDF")
	}
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", 0, fmt.Errorf("invalid PDF: %w", err)
	}
	var b strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		rows, err := p.GetTextByRow()
		if err != nil {
			return "", 0, fmt.Errorf("page %d: %w", i, err)
		}
		for _, row := range rows {
			for _, w := range row.Content {
				b.WriteString(w.S)
			}
			b.WriteString("\n")
		}
	}
	return strings.Join(strings.Fields(b.String()), " "), r.NumPage(), nil
}
