// Package xlsxsample builds Excel registers for tests and for trying the
// import by hand: sheets of rows built with excelize, and Sample, a small
// datalekregister as Dutch schools keep it (go run ./internal/xlsxsample/cmd
// writes it to a file).
package xlsxsample

import (
	"archive/zip"
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet is one sheet: its name and its rows, the first being the headers.
// A time.Time cell becomes a real Excel date (dd-mm-yyyy format).
type Sheet struct {
	Name string
	Rows [][]any
}

// Build returns an .xlsx with the sheets, in order; it fails the test when
// excelize does.
func Build(t testing.TB, sheets ...Sheet) []byte {
	t.Helper()
	b, err := Workbook(sheets...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Workbook returns an .xlsx with the sheets, in order.
func Workbook(sheets ...Sheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd-mm-yyyy")})
	if err != nil {
		return nil, err
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return nil, err
		}
		for r, row := range s.Rows {
			for c, v := range row {
				cell, err := excelize.CoordinatesToCellName(c+1, r+1)
				if err != nil {
					return nil, err
				}
				if err := f.SetCellValue(s.Name, cell, v); err != nil {
					return nil, err
				}
				if _, ok := v.(time.Time); ok {
					if err := f.SetCellStyle(s.Name, cell, cell, date); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Zip returns a zip archive with the files: for files that look like Office
// documents but are not.
func Zip(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Sample is a small datalekregister as schools keep it in Excel: an
// explanation sheet, then the register with common Dutch headers, real
// Excel dates and dates typed as text, for the schools "De Regenboog" and
// "Het Baken" of the demo organisation.
func Sample() ([]byte, error) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	return Workbook(
		Sheet{Name: "Toelichting", Rows: [][]any{{"Datalekregister Stichting Demo Onderwijs"}, {"Elk incident, datalek of niet."}}},
		Sheet{Name: "Register", Rows: [][]any{
			{"Datum", "Omschrijving", "Melder", "School", "Persoonsgegevens", "Oorzaak", "Maatregelen", "Datalek",
				"Gemeld bij AP", "Meldingsnummer", "Reden", "Betrokkenen geïnformeerd"},
			{d(2024, 2, 6), "Cijferlijst groep 8 per e-mail naar de verkeerde ouder gestuurd", "M. de Vries", "De Regenboog",
				"namen en cijfers", "Verkeerd adres gekozen bij automatisch aanvullen", "Ontvanger heeft de mail verwijderd; automatisch aanvullen uitgezet",
				"ja", "nee", "", "Eén ontvanger, mail aantoonbaar verwijderd", "nee"},
			{"14-05-2024", "Laptop met leerlingdossiers gestolen uit auto", "J. Bakker", "Het Baken",
				"leerlingdossiers, zorggegevens", "Laptop onbeheerd in auto", "Laptop op afstand gewist, aangifte gedaan", "ja", "ja", "M-2024-0517",
				"Bijzondere gegevens van kinderen", "ja"},
			{"2024-9-30", "Phishingmail ontvangen, niemand heeft op de link geklikt", "", "", "nee", "", "Waarschuwing aan alle medewerkers",
				"nee", "nee", "", "Geen persoonsgegevens betrokken", "nee"},
			{d(2025, 1, 13), "Papieren toetsen in de bus laten liggen", "A. Yilmaz", "De Regenboog", "namen en toetsresultaten",
				"Toetsen meegenomen naar huis", "Afspraak: toetsen blijven op school", "ja", "nee", "", "Teruggevonden bij de vervoerder, ongeopend", "nee"},
		}},
	)
}

func ptr[T any](v T) *T { return &v }
