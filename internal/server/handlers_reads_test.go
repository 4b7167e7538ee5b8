package server_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestHandlersWhoViewedACase: reads through HTTP are recorded with the
// address; the FG's case page links "Ingezien door", whose page and CSV list
// them; nobody else gets them; the dossier shows the chains' heads.
func TestHandlersWhoViewedACase(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	id := app.demoCase(1)
	path := "/meldingen/" + itoa(id)
	desk, officer := app.as(demoDesk), app.as(demoOfficer)

	// The desk views the case from behind the proxy.
	req, err := http.NewRequest(http.MethodGet, app.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	res, err := desk.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("desk's case page: %d", res.StatusCode)
	}
	if page := app.get(desk, path); strings.Contains(page.Body, `data-testid="reads-link"`) {
		t.Error("the desk's case page links who viewed the case")
	}
	dossier := app.get(app.as(demoBoard), path+"/dossier")
	if dossier.StatusCode != http.StatusOK || !strings.Contains(dossier.Body, "Audittrail") ||
		!strings.Contains(dossier.Body, "regels; laatste ketenhash") {
		t.Errorf("dossier without the chains' heads: %d", dossier.StatusCode)
	}
	page := app.get(officer, path)
	if !strings.Contains(page.Body, `data-testid="reads-link"`) {
		t.Fatal("the FG's case page does not link who viewed the case")
	}

	reads := app.get(officer, path+"/ingezien")
	if reads.StatusCode != http.StatusOK {
		t.Fatalf("Ingezien door: %d", reads.StatusCode)
	}
	deskName := app.scalar(`SELECT name FROM users WHERE email = $1`, demoDesk)
	for _, want := range []string{"203.0.113.9", "Meldingspagina", "Dossier", html.EscapeString(deskName), `data-testid="read"`} {
		if !strings.Contains(reads.Body, want) {
			t.Errorf("Ingezien door lacks %q", want)
		}
	}
	if n := strings.Count(reads.Body, `data-testid="read"`); n != 4 { // desk twice, board's dossier, the FG's own look
		t.Errorf("%d reads listed, want 4", n)
	}
	csv := app.get(officer, path+"/ingezien.csv")
	if csv.StatusCode != http.StatusOK || !strings.HasPrefix(csv.Body, "\ufeffDatum en tijd;Gebruiker;Gebruikersnummer;Wat ingezien;IP-adres\r\n") ||
		!strings.Contains(csv.Body, ";203.0.113.9\r\n") || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("CSV: %d %q\n%s", csv.StatusCode, csv.Header.Get("Content-Type"), csv.Body)
	}

	for _, tc := range []struct {
		who    string
		status int
	}{
		{demoDesk, http.StatusForbidden}, {demoBoard, http.StatusForbidden}, {demoReporter, http.StatusNotFound},
		{demoAdmin, http.StatusNotFound}, {otherDesk, http.StatusNotFound}, {otherStaff, http.StatusNotFound},
	} {
		c := app.as(tc.who)
		for _, p := range []string{"/ingezien", "/ingezien.csv"} {
			if res := app.get(c, path+p); res.StatusCode != tc.status || strings.Contains(res.Body, "203.0.113.9") {
				t.Errorf("%s GET %s: %d, want %d", tc.who, p, res.StatusCode, tc.status)
			}
		}
	}
	if res := app.get(app.client(), path+"/ingezien"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous: %d, want 303", res.StatusCode)
	}

	// Signing out is a security event too.
	before := app.count(`SELECT count(*) FROM audit_log WHERE action = 'signed_out'`)
	if res := app.post(desk, "/uitloggen", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.StatusCode)
	}
	if n := app.count(`SELECT count(*) FROM audit_log WHERE action = 'signed_out' AND actor_id = $1 AND address = '127.0.0.1'`,
		app.userID(demoDesk)); n != 1 || before != 0 {
		t.Errorf("sign-outs recorded: %d (before %d)", n, before)
	}
}

// TestHandlersSecurityLog: the administrator and the FG of the whole
// organisation have the security log in their menu, as a page and a CSV;
// the desk does not.
func TestHandlersSecurityLog(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	admin := app.as(demoAdmin)
	page := app.get(admin, "/beveiligingslog")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `href="/beveiligingslog"`) ||
		!strings.Contains(page.Body, "Ingelogd") || !strings.Contains(page.Body, `data-testid="security-event"`) {
		t.Fatalf("administrator's security log: %d", page.StatusCode)
	}
	csv := app.get(app.as(demoOfficer), "/beveiligingslog.csv")
	if csv.StatusCode != http.StatusOK || !strings.HasPrefix(csv.Body, "\ufeffRegel;Datum en tijd;Gebruiker;Gebruikersnummer;Gebeurtenis;Code;") ||
		!strings.Contains(csv.Body, ";Ingelogd;signed_in;") || !strings.Contains(csv.Body, ";127.0.0.1\r\n") {
		t.Errorf("FG's CSV: %d\n%s", csv.StatusCode, csv.Body)
	}
	for _, who := range []string{demoDesk, demoBoard, demoReporter} {
		c := app.as(who)
		if home := app.get(c, "/"); strings.Contains(home.Body, `href="/beveiligingslog"`) {
			t.Errorf("%s has the security log in the menu", who)
		}
		for _, p := range []string{"/beveiligingslog", "/beveiligingslog.csv"} {
			if res := app.get(c, p); res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "127.0.0.1") {
				t.Errorf("%s GET %s: %d, want 403", who, p, res.StatusCode)
			}
		}
	}
}
