// Package letterpdf writes a letter to data subjects, the public notice or
// the press statement as a printable A4 PDF (go-pdf/fpdf), for post or for
// handing out (issue 10.4): the school's details in the head, the date and
// the subject, the text, page numbers. Text goes through fpdf's cp1252
// translator so Dutch accents and quotes print.
package letterpdf

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/lekwacht/lekwacht/internal/contact"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/letter"
)

const (
	pageW    = 210.0
	margin   = 22.0
	contentW = pageW - 2*margin
	lineH    = 5.2
)

// Doc is what one PDF holds.
type Doc struct {
	Head  contact.Letterhead
	Text  letter.Text
	Case  incident.Number
	Date  time.Time
	Loc   *time.Location
	Draft bool // not approved or not kept yet: the footer says so
}

// Write renders d as A4.
func Write(w io.Writer, d Doc) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	cp1252 := pdf.UnicodeTranslatorFromDescriptor("")
	// fpdf panics on invalid UTF-8 in the document's title (found by
	// FuzzWrite): every string goes in as valid UTF-8.
	valid := func(s string) string { return strings.ToValidUTF8(s, "?") }
	tr := func(s string) string { return cp1252(valid(s)) }
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.SetTitle(valid(d.Text.Title), true)
	pdf.SetAuthor(valid(d.Head.Name), true)
	pdf.SetCreator("Lekwacht", false)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-margin + 6)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(90, 90, 90)
		left := d.Head.Name + " · melding " + d.Case.String()
		if d.Draft {
			left += " · concept"
		}
		pdf.CellFormat(contentW/2, 4, tr(left), "", 0, "L", false, 0, "")
		pdf.CellFormat(contentW/2, 4, tr(fmt.Sprintf("Pagina %d van {nb}", pdf.PageNo())), "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()

	// The head: the school's name and details, right aligned, under a rule.
	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(contentW, 7, tr(d.Head.Name), "", 1, "R", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	for _, l := range headLines(d.Head) {
		pdf.CellFormat(contentW, 4.4, tr(l), "", 1, "R", false, 0, "")
	}
	pdf.Ln(2)
	pdf.SetDrawColor(150, 150, 150)
	pdf.Line(margin, pdf.GetY(), pageW-margin, pdf.GetY())
	pdf.Ln(8)

	loc := d.Loc
	if loc == nil {
		loc = time.UTC
	}
	pdf.SetFont("Helvetica", "", 10)
	place := ""
	if d.Head.City != "" {
		place = d.Head.City + ", "
	}
	pdf.CellFormat(contentW, lineH, tr(place+incident.DutchDate(d.Date, loc)), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "B", 10)
	pdf.CellFormat(contentW, lineH, tr("Onderwerp: "+d.Text.Title), "", 1, "L", false, 0, "")
	pdf.Ln(6)

	// The text: a line that ends with "?" after a blank line is a heading.
	body := strings.ReplaceAll(d.Text.Body, "\r\n", "\n")
	prevBlank := true
	for _, line := range strings.Split(body, "\n") {
		trim := strings.TrimSpace(line)
		switch {
		case trim == "":
			pdf.Ln(lineH * 0.7)
		case prevBlank && strings.HasSuffix(trim, "?") && len([]rune(trim)) < 80:
			if pdf.GetY() > 297-margin-20 {
				pdf.AddPage()
			}
			pdf.SetFont("Helvetica", "B", 10)
			pdf.MultiCell(contentW, lineH, tr(trim), "", "L", false)
			pdf.SetFont("Helvetica", "", 10)
		case strings.HasPrefix(trim, "- "):
			pdf.SetFont("Helvetica", "", 10)
			pdf.SetX(margin)
			pdf.CellFormat(5, lineH, tr("•"), "", 0, "L", false, 0, "")
			pdf.MultiCell(contentW-5, lineH, tr(strings.TrimPrefix(trim, "- ")), "", "L", false)
		default:
			pdf.SetFont("Helvetica", "", 10)
			pdf.MultiCell(contentW, lineH, tr(line), "", "L", false)
		}
		prevBlank = trim == ""
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("letter pdf: %w", err)
	}
	return nil
}

// headLines are the school's details as the head shows them.
func headLines(h contact.Letterhead) []string {
	var out []string
	if h.Street != "" {
		out = append(out, h.Street)
	}
	if pc := strings.TrimSpace(h.Postcode + "  " + h.City); pc != "" {
		out = append(out, pc)
	}
	if h.Phone != "" {
		out = append(out, "Telefoon "+h.Phone)
	}
	if h.Email != "" {
		out = append(out, h.Email)
	}
	if h.Website != "" {
		out = append(out, h.Website)
	}
	return out
}

// Filename is a safe file name for the download: letters, digits and
// hyphens only, e.g. "brief-ouders-2026-0012.pdf".
func Filename(k letter.Kind, n incident.Number) string {
	prefix := "brief-"
	switch k {
	case letter.Public:
		prefix = "mededeling-"
	case letter.Press:
		prefix = "persbericht"
	}
	name := prefix
	if k != letter.Press {
		name += k.Slug()
	}
	num := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, n.String())
	return name + "-" + strings.Trim(num, "-") + ".pdf"
}
