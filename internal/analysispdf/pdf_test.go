package analysispdf

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// TestWriteIsAPDFWithChartsAndPageNumbers writes a report: a PDF document
// with the charts embedded as images, more than one page, and Dutch text
// in cp1252 (ë as byte 0xEB; PDF text is not compressed by default here).
func TestWriteIsAPDFWithChartsAndPageNumbers(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	now := time.Date(2026, 7, 3, 10, 0, 0, 0, loc)
	f := incident.Analyse([]incident.AnalysisCase{
		{Number: incident.Number{Year: 2026, Seq: 1}, ReportedAt: time.Date(2026, 2, 1, 9, 0, 0, 0, loc), AwareAt: time.Date(2026, 2, 1, 9, 0, 0, 0, loc),
			Outcome: incident.OutcomeBreach, Nature: "lost_device", DataKinds: []string{"care"}, Cause: "Laptop niet versleuteld",
			Measures: []incident.Measure{{Kind: "Technisch, structureel", Text: "BitLocker op alle laptops"}}},
	}, incident.HalfYear{Year: 2026, Half: 1}, loc, "alle scholen")
	r := incident.AnalysisReport{Period: incident.HalfYear{Year: 2026, Half: 1}, Figures: f, Status: incident.AnalysisShared,
		Conclusions: "Eén laptop zonder versleuteling; geïnformeerd.", Proposals: "Versleutel alle laptops.", AuthorName: "Meldpunt",
		SavedAt: now, SavedByName: "FG", SharedAt: &now, SharedByName: "FG"}
	var buf bytes.Buffer
	if err := Write(&buf, r, "Stichting Scholen", loc); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[len(b)-64:], []byte("%%EOF")) {
		t.Fatalf("not a PDF: %.20q … %q", b, b[len(b)-20:])
	}
	if n := bytes.Count(b, []byte("/Subtype /Image")); n != len(incident.AnalysisCharts) {
		t.Errorf("%d images, want one per chart (%d)", n, len(incident.AnalysisCharts))
	}
	if n := bytes.Count(b, []byte("/Type /Page\n")); n < 2 {
		t.Errorf("%d pages", n)
	}
	if dir := os.Getenv("PDF_DUMP"); dir != "" {
		_ = os.WriteFile(dir+"/analyse.pdf", b, 0o644)
	}
	if strings.Contains(string(b), "{nb}") {
		t.Error("page count alias not replaced")
	}
}
