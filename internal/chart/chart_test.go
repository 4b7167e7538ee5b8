package chart

import (
	"bytes"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/incident"
)

func sample() incident.AnalysisFigures {
	cur := incident.PeriodFigures{Period: incident.HalfYear{Year: 2026, Half: 1}, Reports: 5, Incidents: 4, Breaches: 3, APNotified: 2, SubjectsNotified: 1,
		ByNature: []incident.Count{{Key: "lost_device", Label: "Verlies of diefstal van apparaat of gegevensdrager", N: 3}, {Key: "misdirected", Label: "Verkeerde ontvanger", N: 2}},
		ByCause:  []incident.Count{{Key: "phishing", Label: "Phishing", N: 2}},
		BySchool: []incident.Count{{Key: "1", Label: "De Wilgenhoek", N: 5}},
		ByMonth:  []incident.Count{{Label: "januari", N: 1}, {Label: "februari", N: 0}, {Label: "maart", N: 2}, {Label: "april", N: 0}, {Label: "mei", N: 2}, {Label: "juni", N: 0}}}
	prev := incident.PeriodFigures{Period: incident.HalfYear{Year: 2025, Half: 2}, Reports: 2, Incidents: 2, Breaches: 1,
		ByNature: []incident.Count{{Key: "misdirected", Label: "Verkeerde ontvanger", N: 1}, {Key: "paper", Label: "Papier", N: 1}},
		BySchool: []incident.Count{{Key: "1", Label: "De Wilgenhoek", N: 2}},
		ByMonth:  []incident.Count{{Label: "juli", N: 0}, {Label: "augustus", N: 0}, {Label: "september", N: 1}, {Label: "oktober", N: 0}, {Label: "november", N: 1}, {Label: "december", N: 0}}}
	return incident.AnalysisFigures{Current: cur, Previous: prev}
}

// TestChartsRenderWithLabels renders every chart as SVG and PNG: the SVG
// holds the title, the legend's period names, the group names and the
// numbers on the bars; the PNG decodes.
func TestChartsRenderWithLabels(t *testing.T) {
	f := sample()
	want := map[string][]string{
		"totalen":  {"Meldingen", "Datalekken", "Gemeld aan de AP", "Betrokkenen geïnformeerd", ">5<", ">3<"},
		"maanden":  {"jan / jul", "mrt / sep", ">2<"},
		"aard":     {"Verlies of diefstal van…", "Verkeerde ontvanger", "Papier", ">3<", ">1<"},
		"oorzaak":  {"Phishing", ">2<", ">0<"},
		"gegevens": {"geen meldingen"},
		"scholen":  {"De Wilgenhoek", ">5<", ">2<"},
	}
	for _, name := range incident.AnalysisCharts {
		p, w, h, ok := Plot(f, name)
		if !ok {
			t.Fatalf("chart %s unknown", name)
		}
		svg, err := SVG(p, w, h)
		if err != nil {
			t.Fatal(err)
		}
		s := string(svg)
		if !strings.HasPrefix(strings.TrimSpace(s), "<?xml") || !strings.Contains(s, "<svg") {
			t.Errorf("%s: not an SVG document: %.80q", name, s)
		}
		labels := append(want[name], incident.AnalysisChartTitle(name))
		if name != "gegevens" {
			labels = append(labels, "1e hj 2026", "2e hj 2025")
		}
		for _, l := range labels {
			if !strings.Contains(s, l) {
				t.Errorf("%s: SVG lacks %q", name, l)
			}
		}
		p, w, h, _ = Plot(f, name)
		b, err := PNG(p, w, h)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil || img.Bounds().Dx() < 500 {
			t.Errorf("%s: PNG %v, %v", name, err, img)
		}
		if dir := os.Getenv("CHART_DUMP"); dir != "" {
			_ = os.WriteFile(dir+"/"+name+".png", b, 0o644)
			_ = os.WriteFile(dir+"/"+name+".svg", svg, 0o644)
		}
	}
	if _, _, _, ok := Plot(f, "onbekend"); ok {
		t.Error("an unknown chart name was drawn")
	}
}
