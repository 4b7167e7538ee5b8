package letterpdf

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/contact"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/letter"
	"github.com/lekwacht/lekwacht/internal/pdftext"
)

// text reads a PDF back, all pages, words joined by single spaces.
func text(t *testing.T, data []byte) (string, int) {
	t.Helper()
	s, pages, err := pdftext.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	return s, pages
}

// TestLetterPDFReadsBack: every kind of text as an A4 PDF, parsed back: the
// school's name and details in the head, the date, the subject, the key
// sentences with their accents, and the page numbers.
func TestLetterPDFReadsBack(t *testing.T) {
	t.Parallel()
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	when := time.Date(2026, 11, 22, 9, 0, 0, 0, loc)
	f := letter.Facts{Sender: "Basisschool De Regenboog", Board: "Stichting Primair", ForSchool: true, Occurred: &when,
		Nature: "lost_device", DataKinds: []string{"contact", "financial"}, Groups: []string{"students", "staff"},
		MeasuresNow: "De stick is op afstand geblokkeerd.", ReportedToAP: true, Today: when, Loc: loc,
		Head: contact.Letterhead{Name: "Basisschool De Regenboog", Street: "Lindelaan 4", Postcode: "2311 AB", City: "Leiden",
			Phone: "071 123 45 67", Email: "info@regenboog.example", FGName: "Femke de Vries", FGEmail: "fg@primair.example"}}
	for _, k := range letter.Kinds {
		t.Run(string(k), func(t *testing.T) {
			tx := letter.Text{Kind: k, Title: letter.Title(f, k), Body: letter.Draft(f, k)}
			var buf bytes.Buffer
			if err := Write(&buf, Doc{Head: f.Head, Text: tx, Case: incident.Number{Year: 2026, Seq: 12}, Date: when, Loc: loc}); err != nil {
				t.Fatal(err)
			}
			got, pages := text(t, buf.Bytes())
			want := []string{"Basisschool De Regenboog", "Lindelaan 4", "2311 AB Leiden", "Telefoon 071 123 45 67", "info@regenboog.example",
				"Leiden, 22 november 2026", "Onderwerp: " + tx.Title, "financiële gegevens", "Pagina 1 van " + string(rune('0'+pages))}
			switch k {
			case letter.Parent:
				want = append(want, "Beste ouder of verzorger,", "Wat is er gebeurd?", "Wat hebben wij gedaan?", "De stick is op afstand geblokkeerd.",
					"Autoriteit Persoonsgegevens", "fg@primair.example", "Praat met uw kind")
			case letter.Student:
				want = append(want, "Beste leerling,", "Wat kun je zelf doen?")
			case letter.Staff:
				want = append(want, "Beste medewerker,")
			case letter.Public:
				want = append(want, "persoonlijk bereiken")
			case letter.Press:
				want = append(want, "PERSBERICHT", "Noot voor de redactie")
			}
			for _, w := range want {
				if !strings.Contains(got, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("the PDF lacks %q:\n%s", w, got)
				}
			}
			if dir := os.Getenv("PDF_DUMP"); dir != "" {
				_ = os.WriteFile(dir+"/"+Filename(k, incident.Number{Year: 2026, Seq: 12}), buf.Bytes(), 0o644)
			}
		})
	}
}

func TestFilename(t *testing.T) {
	t.Parallel()
	n := incident.Number{Year: 2026, Seq: 12}
	for k, want := range map[letter.Kind]string{letter.Parent: "brief-ouders-2026-0012.pdf", letter.Student: "brief-leerlingen-2026-0012.pdf",
		letter.Staff: "brief-medewerkers-2026-0012.pdf", letter.Public: "mededeling-openbaar-2026-0012.pdf", letter.Press: "persbericht-2026-0012.pdf"} {
		if got := Filename(k, n); got != want {
			t.Errorf("Filename(%s) = %q, want %q", k, got, want)
		}
	}
}
