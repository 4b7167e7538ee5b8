// Package analysispdf writes a saved half-year analysis as a PDF for the
// board (A4, go-pdf/fpdf): the figures, the charts as PNG with their table
// beside them, the conclusions and the proposed measures, page numbers.
// Text goes through fpdf's cp1252 translator so Dutch accents print.
package analysispdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/lekwacht/lekwacht/internal/chart"
	"github.com/lekwacht/lekwacht/internal/incident"
)

const (
	pageW, pageH = 210.0, 297.0
	margin       = 18.0
	contentW     = pageW - 2*margin
	lineH        = 5.0
)

type doc struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
}

// Write renders report r of organisation org; times are shown in loc.
func Write(w io.Writer, r incident.AnalysisReport, org string, loc *time.Location) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	d := &doc{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin+4)
	pdf.SetTitle("Halfjaaranalyse "+r.Period.Label(), true)
	pdf.SetAuthor(org, true)
	pdf.SetCreator("Lekwacht", false)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-margin + 2)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(contentW/2, 4, d.tr("Halfjaaranalyse "+r.Period.Short()+" · "+org+" · vertrouwelijk"), "", 0, "L", false, 0, "")
		pdf.CellFormat(contentW/2, 4, d.tr(fmt.Sprintf("Pagina %d van {nb}", pdf.PageNo())), "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()

	f := r.Figures
	pdf.SetFont("Helvetica", "B", 16)
	d.text("Halfjaaranalyse beveiligingsincidenten en datalekken", 8)
	pdf.SetFont("Helvetica", "", 10)
	d.text(org, lineH)
	d.text(r.Period.Label()+", vergeleken met het "+f.Previous.Period.Label(), lineH)
	d.text("Scholen: "+f.Scope, lineH)
	status := r.Status.Label()
	if r.SharedAt != nil {
		status += " op " + dateTime(*r.SharedAt, loc) + " door " + r.SharedByName
	}
	d.text("Status: "+status, lineH)
	d.text("Opgesteld door "+r.AuthorName+"; laatst opgeslagen "+dateTime(r.SavedAt, loc)+" door "+r.SavedByName+".", lineH)
	pdf.Ln(3)

	d.heading("Conclusies")
	d.para(orNone(r.Conclusions))
	d.heading("Voorgestelde maatregelen aan het bestuur")
	d.para(orNone(r.Proposals))

	d.heading("Kerncijfers")
	var rows [][3]string
	for _, k := range incident.AnalysisKeyFigures(f) {
		rows = append(rows, [3]string{strings.TrimSpace(k.Label), k.Current, k.Previous})
	}
	d.table([3]string{"", f.Current.Period.Short(), f.Previous.Period.Short()}, rows, 96)

	for _, name := range incident.AnalysisCharts {
		if err := d.chart(f, name); err != nil {
			return err
		}
	}

	d.heading("Oorzaken die zich herhalen")
	if len(f.RepeatCauses) == 0 {
		d.para("Geen: geen oorzaak kwam in dit halfjaar meer dan eens voor, of ook in het halfjaar ervoor.")
	} else {
		var rr [][3]string
		for _, c := range f.RepeatCauses {
			rr = append(rr, [3]string{c.Label, fmt.Sprint(c.Current), fmt.Sprint(c.Previous)})
		}
		d.table([3]string{"Oorzaak", f.Current.Period.Short(), f.Previous.Period.Short()}, rr, 116)
	}

	d.heading("Genomen maatregelen")
	if len(f.Measures) == 0 {
		d.para("In dit halfjaar zijn bij de meldingen geen maatregelen vastgelegd.")
	}
	for _, m := range f.Measures {
		pdf.SetFont("Helvetica", "B", 10)
		cause := m.Cause
		if cause == "" {
			cause = "oorzaak niet vastgelegd"
		}
		d.para("Melding " + m.Number + " (" + cause + ")")
		pdf.SetFont("Helvetica", "", 10)
		for _, x := range m.Measures {
			d.para("– " + x.Kind + ": " + x.Text)
		}
	}

	d.heading("Hoe er is geteld")
	pdf.SetFont("Helvetica", "", 9)
	for _, m := range incident.AnalysisMethod {
		d.para(m)
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("analysis pdf: %w", err)
	}
	return pdf.Output(w)
}

func (d *doc) text(s string, h float64) {
	d.pdf.CellFormat(contentW, h, d.tr(s), "", 1, "L", false, 0, "")
}

func (d *doc) para(s string) {
	d.pdf.MultiCell(contentW, lineH, d.tr(s), "", "L", false)
	d.pdf.Ln(1)
}

func (d *doc) heading(s string) {
	d.need(20)
	d.pdf.Ln(3)
	d.pdf.SetFont("Helvetica", "B", 12)
	d.text(s, 7)
	d.pdf.SetFont("Helvetica", "", 10)
}

// need starts a new page unless h millimetres are left on this one.
func (d *doc) need(h float64) {
	if d.pdf.GetY()+h > pageH-margin-4 {
		d.pdf.AddPage()
	}
}

// table draws a label column of width labelW and two number columns; long
// labels wrap.
func (d *doc) table(head [3]string, rows [][3]string, labelW float64) {
	numW := (contentW - labelW) / 2
	p := d.pdf
	p.SetFont("Helvetica", "B", 9)
	d.need(12)
	p.SetFillColor(235, 235, 235)
	p.CellFormat(labelW, 6, d.tr(head[0]), "B", 0, "L", true, 0, "")
	p.CellFormat(numW, 6, d.tr(head[1]), "B", 0, "R", true, 0, "")
	p.CellFormat(numW, 6, d.tr(head[2]), "B", 1, "R", true, 0, "")
	p.SetFont("Helvetica", "", 9)
	for _, r := range rows {
		// SplitLines works on the translated (cp1252) bytes.
		label := d.tr(r[0])
		lines := p.SplitLines([]byte(label), labelW-2)
		h := float64(max(len(lines), 1)) * 4.6
		d.need(h + 1)
		x, y := p.GetX(), p.GetY()
		p.MultiCell(labelW, 4.6, label, "", "L", false)
		p.SetXY(x+labelW, y)
		p.CellFormat(numW, 4.6, d.tr(r[1]), "", 0, "R", false, 0, "")
		p.CellFormat(numW, 4.6, d.tr(r[2]), "", 1, "R", false, 0, "")
		p.SetY(y + h)
		p.Line(margin, y+h, margin+contentW, y+h)
	}
	p.Ln(2)
}

func (d *doc) chart(f incident.AnalysisFigures, name string) error {
	plt, w, h, ok := chart.Plot(f, name)
	if !ok {
		return nil
	}
	png, err := chart.PNG(plt, w, h)
	if err != nil {
		return err
	}
	imgW := contentW
	imgH := imgW * float64(h) / float64(w)
	rows, _ := incident.AnalysisRows(f, name)
	// The heading stays with its chart.
	d.need(imgH + 16)
	d.heading(incident.AnalysisChartTitle(name))
	opts := fpdf.ImageOptions{ImageType: "PNG"}
	d.pdf.RegisterImageOptionsReader(name, opts, bytes.NewReader(png))
	d.pdf.ImageOptions(name, margin, d.pdf.GetY(), imgW, imgH, true, opts, 0, "")
	d.pdf.Ln(2)
	var rr [][3]string
	for _, r := range rows {
		rr = append(rr, [3]string{r.Label, fmt.Sprint(r.Current), fmt.Sprint(r.Previous)})
	}
	if len(rr) == 0 {
		d.para("Geen meldingen in deze halfjaren.")
		return nil
	}
	label := "Groep"
	if name == "maanden" {
		label = "Maand"
	}
	d.table([3]string{label, f.Current.Period.Short(), f.Previous.Period.Short()}, rr, 116)
	return nil
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(nog niet ingevuld)"
	}
	return s
}

func dateTime(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return fmt.Sprintf("%d %s %d, %02d:%02d", t.Day(), incident.MonthNames[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}
