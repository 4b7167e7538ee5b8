package export

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// PDFContentType is the media type of the PDF export.
const PDFContentType = "application/pdf"

// PDF writes the register as a printable document: landscape A4, on every
// page a header with the organisation, the filter and the print date, and
// the page number below. Each case is a block with every register field
// that has a value (label beside value), in the order of the columns.
// Dutch accents go through fpdf's cp1252 translator (the core fonts are
// Windows-1252). fpdf keeps the document in memory until Output; callers
// limit the number of entries (service.RegisterPDFLimit).
func PDF(ctx context.Context, w io.Writer, m Meta, src Source) error {
	pdf := fpdf.New("L", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetTitle("Datalekregister "+m.Organisation, true)
	pdf.SetCreator("Lekwacht", true)
	pdf.SetMargins(12, 12, 12)
	pdf.SetAutoPageBreak(true, 14)
	pdf.AliasNbPages("{nb}")
	printed := dateTime(m.PrintedAt, m.Location)
	filter := strings.Join(m.Filter, " · ")
	pageW, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	width := pageW - left - right
	pdf.SetHeaderFunc(func() {
		pdf.SetFont("Helvetica", "B", 12)
		pdf.CellFormat(width*0.7, 6, tr("Datalekregister – "+m.Organisation), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(width*0.3, 6, tr("Afgedrukt op "+printed), "", 1, "R", false, 0, "")
		pdf.SetFont("Helvetica", "", 8)
		pdf.MultiCell(width, 4, tr("Filter: "+filter), "B", "L", false)
		pdf.Ln(2)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-10)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(width*0.5, 5, tr("Vertrouwelijk: niet openbaar"), "", 0, "L", false, 0, "")
		pdf.CellFormat(width*0.5, 5, tr("Pagina "+strconv.Itoa(pdf.PageNo())+" van {nb}"), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	labelW := 62.0
	count := 0
	err := src.Each(ctx, func(batch []incident.RegisterEntry) error {
		for _, e := range batch {
			count++
			// Keep a case's title with its first lines.
			if pdf.GetY() > 170 {
				pdf.AddPage()
			}
			pdf.SetFont("Helvetica", "B", 10)
			pdf.SetFillColor(221, 230, 240)
			title := e.Number.String() + " · " + orDash(e.SchoolName) + " · " + e.Status.Label() + " · " + e.Outcome.Label()
			pdf.CellFormat(width, 6, tr(title), "", 1, "L", true, 0, "")
			for _, c := range incident.RegisterColumns[1:] {
				v := cellText(c.Value(e, m.Location), m)
				if v == "" {
					continue
				}
				if pdf.GetY() > 186 {
					pdf.AddPage()
				}
				y := pdf.GetY()
				pdf.SetFont("Helvetica", "B", 8)
				pdf.MultiCell(labelW, 4, tr(c.Header), "", "L", false)
				afterLabel := pdf.GetY()
				pdf.SetXY(left+labelW, y)
				page := pdf.PageNo()
				pdf.SetFont("Helvetica", "", 8)
				pdf.MultiCell(width-labelW, 4, tr(v), "", "L", false)
				if pdf.PageNo() == page && afterLabel > pdf.GetY() {
					pdf.SetY(afterLabel)
				}
			}
			pdf.Ln(3)
		}
		return pdf.Error()
	}, nil)
	if err != nil {
		return err
	}
	if count == 0 {
		pdf.SetFont("Helvetica", "", 10)
		pdf.CellFormat(width, 8, tr("Geen incidenten gevonden."), "", 1, "L", false, 0, "")
	}
	return pdf.Output(w)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
