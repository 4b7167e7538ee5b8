package server_test

import (
	"testing"
)

// TestE2EEveryPageAtBothWidths opens the pages the journeys do not reach,
// as the role that uses each, so that every page of Lekwacht is checked
// with axe-core at 1280 and 390 px and for sideways scrolling, and
// screenshotted (checkPage, through assertNoProblems; issue 14).
func TestE2EEveryPageAtBothWidths(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	app := newTestApp(t)
	b := newBrowser(t, app, chromium)
	usb := itoa(app.demoCase(1))

	for _, role := range []struct {
		email, name string
		pages       []string
	}{
		{demoAdmin, "Bea Beheerder", []string{"/beheer/gebruikers", "/beheer/gebruikers/nieuw", "/beheer/scholen",
			"/beheer/bewaartermijn", "/beheer/contactgegevens", "/register/exporteren", "/verwerkers", "/verwerkers/nieuw"}},
		{demoDesk, "Mehmet Meldpunt", []string{"/meldpunt", "/register", "/register?q=usb&breach=yes", "/register/import",
			"/berichten", "/meldingen/" + usb, "/meldingen/" + usb + "/dossier", "/mijn-meldingen", "/melden"}},
		{demoOfficer, "Femke de Functionaris", []string{"/", "/analyse", "/meldingen/" + usb + "/betrokkenen/brieven",
			"/meldingen/" + usb + "/betrokkenen/brieven/ouders", "/meldingen/" + usb + "/betrokkenen/brieven/pers"}},
	} {
		e2eSignIn(b, "/", role.email, "/", role.name)
		for _, p := range role.pages {
			if status := b.navigate(p); status != 200 {
				t.Errorf("%s as %s: status %d, want 200", p, role.email, status)
				continue
			}
			b.assertNoProblems(p + " as " + role.email)
		}
		e2eSignOut(b)
	}
}
