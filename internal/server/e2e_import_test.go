package server_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lekwacht/lekwacht/internal/xlsxsample"
)

// TestE2EImportExcelRegister: the desk imports the sample Excel register in
// a real Chromium, without JavaScript of its own: from the register page,
// upload, choose the sheet, keep the guessed columns, check, import, and
// find the cases in the register and the original row on a case page.
func TestE2EImportExcelRegister(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := newBrowser(t, app, chromiumPath(t))
	sample, err := xlsxsample.Sample()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "Datalekregister school.xlsx")
	if err := os.WriteFile(file, sample, 0o644); err != nil {
		t.Fatal(err)
	}

	e2eSignIn(b, "/register", demoDesk, "/register", e2eDeskName)
	if status := b.follow("click the import link", chromedp.Click(testID("register-import-link"))); status != 200 || b.location() != "/register/import" {
		t.Fatalf("import link: status %d at %s", status, b.location())
	}
	b.do("choose the file", chromedp.SetUploadFiles(testID("import-file"), []string{file}))
	if status := b.follow("upload", chromedp.Click(testID("import-upload"))); status != 200 {
		t.Fatalf("upload: status %d", status)
	}
	mapPath := b.location()
	if !regexp.MustCompile(`^/register/import/\d+$`).MatchString(mapPath) {
		t.Fatalf("after the upload the browser is at %s", mapPath)
	}
	b.chooseOption("#blad", "Register")
	if status := b.follow("choose the sheet", chromedp.Click(testID("import-sheet-submit"))); status != 200 {
		t.Fatalf("sheet: status %d", status)
	}
	for sel, want := range map[string]string{"#col0": "Datum van het incident (verplicht)", "#col1": "Wat is er gebeurd (verplicht)",
		"#col3": "School", "#col9": "Meldingsnummer AP", "#col11": "Betrokkenen geïnformeerd (ja/nee)"} {
		if got := b.selectedText(sel); got != want {
			t.Errorf("%s guessed as %q, want %q", sel, got, want)
		}
	}
	b.screenshot("import-1-mapping")
	if status := b.follow("check", chromedp.Click(testID("import-mapping-submit"))); status != 200 || b.location() != mapPath+"/controle" {
		t.Fatalf("preview: status %d at %s", status, b.location())
	}
	if n := b.count(`[data-testid="import-row-new"]`); n != 4 {
		t.Errorf("%d rows to create, want 4", n)
	}
	b.screenshot("import-2-preview")
	if status := b.follow("import", chromedp.Click(testID("import-run"))); status != 200 || b.location() != "/register" {
		t.Fatalf("import: status %d at %s", status, b.location())
	}
	if got := b.text(testID("flash")); got != "4 meldingen geïmporteerd uit Datalekregister school.xlsx." {
		t.Errorf("flash %q", got)
	}
	if n := b.count(`[data-testid="register-imported"]`); n != 4 {
		t.Errorf("%d imported cases in the register, want 4", n)
	}
	b.screenshot("import-3-register")
	if status := b.follow("open an imported case", chromedp.Click(chromedp.Search(`//tr[.//*[@data-testid="register-imported"]]//a[contains(concat(" ", @class, " "), " case-number ")]`))); status != 200 {
		t.Fatalf("case page: status %d", status)
	}
	if b.count(`[data-testid="import-origin"]`) != 1 {
		t.Error("the case page has no original row")
	}
	b.screenshot("import-4-case")
	b.assertNoProblems("the import")
}
