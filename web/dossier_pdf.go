package web

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// WriteDossierPDF writes the dossier as an A4 PDF: a header with the case
// number, organisation, school and print date on every page, page numbers in
// the footer, and the same sections as the page. The core fonts of PDF know
// Windows-1252, which holds every Dutch accent; the few other characters
// Lekwacht's texts use are spelled out first.
func WriteDossierPDF(w io.Writer, d Dossier, created time.Time) error {
	const left, right, top = 18.0, 18.0, 28.0
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(left, top, right)
	pdf.SetAutoPageBreak(true, 18)
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	cp := pdf.UnicodeTranslatorFromDescriptor("") // cp1252
	tr := func(s string) string { return cp(pdfText.Replace(s)) }
	pdf.SetTitle(d.Title, true)
	pdf.SetAuthor(d.Organisation, true)
	pdf.SetCreator("Lekwacht", true)
	pdf.AliasNbPages("{nb}")
	width, _ := pdf.GetPageSize()
	textWidth := width - left - right

	pdf.SetHeaderFunc(func() {
		pdf.SetY(10)
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(textWidth/2, 5, tr("Dossier melding "+d.Number), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 9)
		pdf.CellFormat(textWidth/2, 5, tr("Afgedrukt op "+d.PrintedAt), "", 1, "R", false, 0, "")
		pdf.CellFormat(textWidth, 5, tr(d.Organisation+" · "+d.School), "", 1, "L", false, 0, "")
		pdf.SetDrawColor(160, 160, 160)
		pdf.Line(left, 21, width-right, 21)
		pdf.SetY(top)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-13)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(textWidth/2, 5, tr("Vertrouwelijk: bevat persoonsgegevens"), "", 0, "L", false, 0, "")
		pdf.CellFormat(textWidth/2, 5, fmt.Sprintf("Pagina %d van {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.MultiCell(textWidth, 8, tr(d.Title), "", "L", false)
	pdf.Ln(2)

	_, pageHeight := pdf.GetPageSize()
	const labelWidth, lineHeight = 52.0, 5.0
	// fields prints label and value side by side; a value too long for one
	// page goes under its label, so that it can run on to the next page.
	fields := func(list []DossierField, indent float64) {
		for _, f := range list {
			v := f.Value
			if f.Deviates {
				v += " [wijkt af van het advies]"
			}
			if f.Late {
				v += " [te laat]"
			}
			pdf.SetFont("Helvetica", "", 10)
			valueWidth := textWidth - indent - labelWidth
			if f.Label == "" {
				valueWidth = textWidth - indent
			}
			// An estimate of the lines MultiCell will need (fpdf's SplitText
			// wants UTF-8, the text is cp1252 by now), with one to spare.
			lines := 1
			for _, para := range strings.Split(tr(v), "\n") {
				lines++
				w := 0.0
				for _, word := range strings.Fields(para) {
					ww := pdf.GetStringWidth(word + " ")
					if w > 0 && w+ww > valueWidth-2 {
						lines++
						w = 0
					}
					w += ww
				}
			}
			height := float64(lines) * lineHeight
			room := pageHeight - 18 - pdf.GetY()
			if height > pageHeight-top-18 {
				// Longer than a page: label above, value below, across pages.
				pdf.SetX(left + indent)
				pdf.SetFont("Helvetica", "B", 9)
				pdf.MultiCell(textWidth-indent, 4.5, tr(f.Label), "", "L", false)
				pdf.SetX(left + indent)
				pdf.SetFont("Helvetica", "", 10)
				pdf.MultiCell(textWidth-indent, lineHeight, tr(v), "", "L", false)
				pdf.Ln(1)
				continue
			}
			if height > room {
				pdf.AddPage()
			}
			y := pdf.GetY()
			x := left + indent
			if f.Label != "" {
				pdf.SetXY(x, y)
				pdf.SetFont("Helvetica", "B", 9)
				pdf.MultiCell(labelWidth-3, lineHeight, tr(f.Label), "", "L", false)
				x += labelWidth
			}
			labelEnd := pdf.GetY()
			pdf.SetXY(x, y)
			pdf.SetFont("Helvetica", "", 10)
			pdf.MultiCell(valueWidth, lineHeight, tr(v), "", "L", false)
			pdf.SetY(max(pdf.GetY(), labelEnd) + 1)
		}
	}
	for _, s := range d.Sections {
		// Keep a section title with at least a few lines of its content.
		if pdf.GetY() > pageHeight-45 {
			pdf.AddPage()
		}
		pdf.Ln(3)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.SetFillColor(235, 238, 242)
		pdf.CellFormat(textWidth, 7, tr(s.Title), "", 1, "L", true, 0, "")
		pdf.Ln(1)
		if len(s.Fields) == 0 && len(s.Items) == 0 {
			pdf.SetFont("Helvetica", "I", 10)
			pdf.MultiCell(textWidth, 5, tr(s.Empty), "", "L", false)
		}
		fields(s.Fields, 0)
		for _, it := range s.Items {
			// And an item's title with its first lines (a version, a question).
			if pdf.GetY() > pageHeight-30 {
				pdf.AddPage()
			}
			pdf.SetFont("Helvetica", "B", 10)
			pdf.MultiCell(textWidth, 5, tr(it.Title), "", "L", false)
			fields(it.Fields, 4)
		}
	}
	return pdf.Output(w)
}

// pdfText spells out the characters outside Windows-1252 that Lekwacht's
// texts use, so that none turns into a dot.
var pdfText = strings.NewReplacer("−", "-", "≥", ">=", "≤", "<=", "→", "->", "‑", "-", "◆", "")
