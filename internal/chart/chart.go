// Package chart draws the charts of the half-year analysis with gonum/plot,
// on the server: SVG for the page, PNG for the PDF. Every chart can be read
// without colour: the two periods differ in fill (solid against hatched),
// outline (solid against dashed) and, on lines, marker shape; each bar and
// point carries its number; a legend names the periods.
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// Plot builds the named chart of the figures; false for an unknown name.
func Plot(f incident.AnalysisFigures, name string) (*plot.Plot, vg.Length, vg.Length, bool) {
	rows, ok := incident.AnalysisRows(f, name)
	if !ok {
		return nil, 0, 0, false
	}
	cur, prev := f.Current.Period.Short(), f.Previous.Period.Short()
	if name == "maanden" {
		p := Lines(incident.AnalysisChartTitle(name), rows, cur, prev)
		return p, 16 * vg.Centimeter, 9 * vg.Centimeter, true
	}
	p := Bars(incident.AnalysisChartTitle(name), rows, cur, prev)
	h := vg.Length(3.8+1.1*float64(max(len(rows), 1))) * vg.Centimeter
	return p, 16 * vg.Centimeter, h, true
}

var (
	ink   = color.Gray{Y: 0x22}
	paper = color.White
	grey  = color.Gray{Y: 0xb0}
)

func sans(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = sans(13)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = sans(11)
		ax.Tick.Label.Font = sans(10)
	}
	p.Legend.TextStyle.Font = sans(11)
	p.Legend.Top = true
	p.Legend.Left = false
	return p
}

// integerTicks marks whole numbers only: the charts count cases.
type integerTicks struct{}

func (integerTicks) Ticks(minimum, maximum float64) []plot.Tick {
	step := math.Max(1, math.Ceil((maximum-minimum)/8))
	var out []plot.Tick
	for v := math.Ceil(minimum); v <= maximum+1e-9; v += step {
		out = append(out, plot.Tick{Value: v, Label: strconv.Itoa(int(v))})
	}
	return out
}

// shorten keeps a long group name readable beside the chart; the table
// beside it has the full name.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n-1])
	// End on a whole word when that keeps most of the name.
	if i := strings.LastIndex(cut, " "); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut) + "…"
}

// Bars is a horizontal grouped bar chart: per row a solid bar for the
// current period above a hatched, dashed bar for the previous one, each
// with its number at the end.
func Bars(title string, rows []incident.Pair, curName, prevName string) *plot.Plot {
	p := newPlot(title)
	p.X.Label.Text = "aantal meldingen"
	p.X.Min = 0
	p.X.Tick.Marker = integerTicks{}
	n := len(rows)
	cur, prev := make(plotter.Values, n), make(plotter.Values, n)
	names := make([]string, n)
	maxV := 1.0
	// Rows top to bottom: gonum counts categories bottom up.
	for i, r := range rows {
		j := n - 1 - i
		cur[j], prev[j] = float64(r.Current), float64(r.Previous)
		names[j] = shorten(r.Label, 30)
		maxV = math.Max(maxV, math.Max(cur[j], prev[j]))
	}
	p.X.Max = maxV * 1.15
	if n == 0 {
		p.NominalY("geen meldingen")
		return p
	}
	w := vg.Points(11)
	bc, _ := plotter.NewBarChart(cur, w)
	bc.Horizontal = true
	bc.Color = ink
	bc.LineStyle = draw.LineStyle{Color: ink, Width: vg.Points(0.8)}
	bc.Offset = w / 2
	bp, _ := plotter.NewBarChart(prev, w)
	bp.Horizontal = true
	bp.Color = paper
	bp.LineStyle = draw.LineStyle{Color: ink, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
	bp.Offset = -w / 2
	hp := &hatched{BarChart: bp}
	p.Add(plotter.NewGrid())
	p.Add(bc, hp)
	p.Add(valueLabels(cur, true, vg.Point{X: vg.Points(3), Y: w/2 - vg.Points(3.5)}))
	p.Add(valueLabels(prev, true, vg.Point{X: vg.Points(3), Y: -w/2 - vg.Points(3.5)}))
	p.Legend.Add(curName, bc)
	p.Legend.Add(prevName, hp)
	// An empty row on top holds the legend, clear of the bars.
	p.NominalY(append(names, "")...)
	p.Y.Max = float64(n) + 0.2
	return p
}

// Lines is a line chart over the rows (the months): a solid line with
// round markers for the current period, a dashed one with triangles for
// the previous, each point labelled with its number.
func Lines(title string, rows []incident.Pair, curName, prevName string) *plot.Plot {
	p := newPlot(title)
	p.Y.Label.Text = "aantal meldingen"
	p.Y.Min = 0
	p.Y.Tick.Marker = integerTicks{}
	n := len(rows)
	cur, prev := make(plotter.XYs, n), make(plotter.XYs, n)
	names := make([]string, n)
	maxV := 1.0
	for i, r := range rows {
		cur[i] = plotter.XY{X: float64(i), Y: float64(r.Current)}
		prev[i] = plotter.XY{X: float64(i), Y: float64(r.Previous)}
		names[i] = abbreviate(r.Label)
		maxV = math.Max(maxV, math.Max(float64(r.Current), float64(r.Previous)))
	}
	p.Y.Max = maxV*1.4 + 1
	p.Add(plotter.NewGrid())
	lc, pc, _ := plotter.NewLinePoints(cur)
	lc.LineStyle = draw.LineStyle{Color: ink, Width: vg.Points(1.6)}
	pc.Shape = draw.CircleGlyph{}
	pc.Color = ink
	pc.Radius = vg.Points(3.5)
	lp, pp, _ := plotter.NewLinePoints(prev)
	lp.LineStyle = draw.LineStyle{Color: ink, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	pp.Shape = draw.TriangleGlyph{}
	pp.Color = ink
	pp.Radius = vg.Points(3.5)
	p.Add(lc, pc, lp, pp)
	cv, pv := make(plotter.Values, n), make(plotter.Values, n)
	for i := range rows {
		cv[i], pv[i] = cur[i].Y, prev[i].Y
	}
	p.Add(valueLabels(cv, false, vg.Point{X: vg.Points(-9), Y: vg.Points(6)}))
	p.Add(valueLabels(pv, false, vg.Point{X: vg.Points(5), Y: vg.Points(-12)}))
	p.Legend.Add(curName, lc, pc)
	p.Legend.Add(prevName, lp, pp)
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.X.Tick.Label.Font = sans(9)
	return p
}

// monthAbbrev are the usual Dutch abbreviations of the months.
var monthAbbrev = map[string]string{"januari": "jan", "februari": "feb", "maart": "mrt", "april": "apr", "mei": "mei",
	"juni": "jun", "juli": "jul", "augustus": "aug", "september": "sep", "oktober": "okt", "november": "nov", "december": "dec"}

// abbreviate shortens "februari / augustus" to "feb / aug" so that six
// month names fit under the axis; the table beside has them in full.
func abbreviate(label string) string {
	parts := strings.Split(label, " / ")
	for i, p := range parts {
		if a, ok := monthAbbrev[p]; ok {
			parts[i] = a
		}
	}
	return strings.Join(parts, " / ")
}

// valueLabels writes each value beside its bar or point.
func valueLabels(vs plotter.Values, horizontal bool, off vg.Point) *plotter.Labels {
	xyl := plotter.XYLabels{XYs: make(plotter.XYs, len(vs)), Labels: make([]string, len(vs))}
	for i, v := range vs {
		if horizontal {
			xyl.XYs[i] = plotter.XY{X: v, Y: float64(i)}
		} else {
			xyl.XYs[i] = plotter.XY{X: float64(i), Y: v}
		}
		xyl.Labels[i] = strconv.Itoa(int(v))
	}
	l, _ := plotter.NewLabels(xyl)
	for i := range l.TextStyle {
		l.TextStyle[i].Font = sans(10)
		l.TextStyle[i].Color = ink
	}
	l.Offset = off
	return l
}

// hatched is a bar chart with diagonal hatching over its bars, so that the
// previous period differs from the current one in pattern, not colour.
type hatched struct{ *plotter.BarChart }

func (h *hatched) Plot(c draw.Canvas, plt *plot.Plot) {
	h.BarChart.Plot(c, plt)
	trVal, trCat := plt.Transforms(&c)
	for i, v := range h.Values {
		if v <= 0 {
			continue
		}
		y := trCat(h.XMin+float64(i)) - h.Width/2 + h.Offset
		hatch(&c, vg.Rectangle{Min: vg.Point{X: trVal(0), Y: y}, Max: vg.Point{X: trVal(v), Y: y + h.Width}})
	}
}

func (h *hatched) Thumbnail(c *draw.Canvas) {
	h.BarChart.Thumbnail(c)
	hatch(c, c.Rectangle)
}

// hatch draws lines at 45° across r, 4 points apart.
func hatch(c *draw.Canvas, r vg.Rectangle) {
	sty := draw.LineStyle{Color: grey, Width: vg.Points(0.7)}
	sty.Color = ink
	step := vg.Points(4)
	wd, ht := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
	// Lines x - y = k, for k from -ht to wd, clipped to the rectangle.
	for k := -ht + step/2; k < wd; k += step {
		x0, y0 := k, vg.Length(0)
		if x0 < 0 {
			x0, y0 = 0, -k
		}
		x1, y1 := k+ht, ht
		if x1 > wd {
			x1, y1 = wd, wd-k
		}
		c.StrokeLine2(sty, r.Min.X+x0, r.Min.Y+y0, r.Min.X+x1, r.Min.Y+y1)
	}
}

// SVG renders p as an SVG document of w×h.
func SVG(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	c := vgsvg.New(w, h)
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart svg: %w", err)
	}
	return buf.Bytes(), nil
}

// PNG renders p as a PNG image of w×h at 150 dpi (sharp enough in print).
func PNG(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150), vgimg.UseBackgroundColor(color.White))
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart png: %w", err)
	}
	return buf.Bytes(), nil
}
