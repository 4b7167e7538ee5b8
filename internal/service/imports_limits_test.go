package service_test

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
)

// wideSheet is a register of 1,000 rows with one cell in column XFD on each:
// read whole, every row becomes 16,384 cells.
func wideSheet(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	set := func(cell string, v any) {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "Datum")
	set("B1", "Omschrijving")
	for r := 2; r <= 1001; r++ {
		n := strconv.Itoa(r)
		set("A"+n, "12-03-2024")
		set("B"+n, "Brief kwijt")
		set("XFD"+n, "x")
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withoutDimension removes the sheet's declared size, as a crafted file
// would, so that only the row-by-row check can catch it.
func withoutDimension(t *testing.T, data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	dim := regexp.MustCompile(`<dimension [^>]*/>`)
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		r.Close()
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			b = dim.ReplaceAll(b, nil)
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

// Issue 15.1: a sheet padded to column XFD is refused with a Dutch message,
// and reading it stays within a memory bound (it used to take gigabytes).
func TestImportRefusesAWideSheetWithinAMemoryBound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk := e.actors["desk"]
	for name, data := range map[string][]byte{"declared": wideSheet(t), "undeclared": withoutDimension(t, wideSheet(t))} {
		id, err := e.svc.Incidents.UploadImport(e.ctx, desk, service.ImportUpload{Filename: "breed.xlsx", Data: data})
		if err != nil {
			t.Fatalf("%s: upload: %v", name, err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err = e.svc.Incidents.ImportSheet(e.ctx, desk, id, "")
		runtime.ReadMemStats(&after)
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.Invalid || !strings.Contains(ae.Message, "voorbij kolom 100") {
			t.Errorf("%s: %v, want a Dutch refusal of the wide sheet", name, err)
		}
		// TotalAlloc only grows; other parallel tests add to it, so the
		// bound is generous: reading the sheet whole took over 500 MB.
		if got := after.TotalAlloc - before.TotalAlloc; got > 150<<20 {
			t.Errorf("%s: reading the sheet allocated %d MB", name, got>>20)
		}
	}
}
