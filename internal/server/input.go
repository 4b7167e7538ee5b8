package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/web"
)

// multiLine are the fields that are text areas: only they may hold line
// breaks. Every other field is one line.
var multiLine = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(`actions_taken amend_content answer authority_reason aware_reason board_reason
		breach_contact breach_reason cause conclusions consequences effects how_inform information late_reason
		measures_recipient measures_taken nature notice_plan off_hours officer_contact organisational_incidental
		organisational_structural processes proposals public_reason question reason reopen_reason school_contact
		signature subjects_reason summary technical_incidental technical_structural view what_happened`) {
		m[f] = true
	}
	return m
}()

// badInput names the fields whose values cannot be taken: a NUL byte or
// invalid UTF-8 anywhere (PostgreSQL refuses both, which used to be a 500
// half-way through a page or an export), or a line break in a one-line field.
func badInput(values url.Values) []string {
	var bad []string
	for name, vs := range values {
		for _, v := range vs {
			if strings.IndexByte(v, 0) >= 0 || !utf8.ValidString(v) || !utf8.ValidString(name) ||
				(!multiLine[name] && strings.ContainsAny(v, "\r\n")) {
				bad = append(bad, name)
				break
			}
		}
	}
	slices.Sort(bad)
	return bad
}

// cleanInput refuses, once for every route, a request whose query or form
// holds such a value, with 422 and a Dutch page naming the field. The form
// itself is kept by the browser: going back shows it as typed. Uploads
// (multipart) are read by their handlers, which check their text fields.
func (s *Server) cleanInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bad := badInput(r.URL.Query())
		if r.Method == http.MethodPost && !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			if err := r.ParseForm(); err == nil {
				bad = append(bad, badInput(r.PostForm)...)
			}
		}
		if len(bad) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		s.log.Info("request refused", "method", r.Method, "route", routeOf(r), "status", http.StatusUnprocessableEntity, "reason", "bad characters", "fields", bad)
		msg := fmt.Sprintf("In het veld ‘%s’ staat een teken dat Lekwacht niet kan opslaan: een nul-teken, tekens die geen geldige tekst zijn, "+
			"of een regeleinde in een veld van één regel. Ga terug, pas de tekst aan (typ hem bijvoorbeeld opnieuw in plaats van hem te plakken) en verstuur hem opnieuw.",
			strings.Join(bad, "’, ‘"))
		s.render(w, r, http.StatusUnprocessableEntity, web.ErrorPage(s.page(r, "Ongeldige tekens"), http.StatusUnprocessableEntity, msg, ""))
	})
}
