package server

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/web"
)

// multiLine are the fields that are text areas: only they may hold line
// breaks. Every other field is one line.
var multiLine = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(`actions_taken amend_content answer authority_reason aware_reason board_reason
		breach_contact breach_reason cause conclusions consequences effects how_inform information late_reason
		letter_text measures_recipient measures_taken nature notice_plan off_hours officer_contact organisational_incidental
		organisational_structural processes proposals public_reason question reason reopen_reason school_contact
		signature subjects_reason summary technical_incidental technical_structural view what_happened`) {
		m[f] = true
	}
	return m
}()

// Messages beside a field whose value held characters that cannot be stored.
const (
	msgBadChars = "Hier stond een teken dat Lekwacht niet kan opslaan: een nul-teken of tekens die geen geldige tekst zijn " +
		"(dat gebeurt soms na plakken uit een ander programma). Het is weggehaald; kijk de tekst na en verstuur het formulier opnieuw."
	msgLineBreak = "Dit veld is één regel: de regeleinden zijn vervangen door spaties. Kijk de tekst na en verstuur het formulier opnieuw."
)

// badInput names the fields whose values cannot be taken: a NUL byte or
// invalid UTF-8 anywhere (PostgreSQL refuses both, which used to be a 500
// half-way through a page or an export), or a line break in a one-line field.
func badInput(values url.Values) []string {
	var bad []string
	for name, vs := range values {
		for _, v := range vs {
			if badChars(name) || badChars(v) || (!multiLine[name] && strings.ContainsAny(v, "\r\n")) {
				bad = append(bad, name)
				break
			}
		}
	}
	slices.Sort(bad)
	return bad
}

func badChars(v string) bool { return strings.IndexByte(v, 0) >= 0 || !utf8.ValidString(v) }

// cleanValues takes the characters that cannot be stored out of values, in
// place, and returns the message for each field it changed.
func cleanValues(values url.Values) map[string]string {
	fields := map[string]string{}
	for name, vs := range values {
		key := name
		if badChars(name) {
			key = strings.ReplaceAll(strings.ToValidUTF8(name, ""), "\x00", "")
			delete(values, name)
			fields[key] = msgBadChars
		}
		out := make([]string, len(vs))
		for i, v := range vs {
			if badChars(v) {
				v = strings.ReplaceAll(strings.ToValidUTF8(v, ""), "\x00", "")
				fields[key] = msgBadChars
			}
			if !multiLine[key] && strings.ContainsAny(v, "\r\n") {
				v = strings.Join(strings.FieldsFunc(v, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
				if _, ok := fields[key]; !ok {
					fields[key] = msgLineBreak
				}
			}
			out[i] = v
		}
		values[key] = out
	}
	return fields
}

// cleanInput deals, once for every route, with a request whose query or
// form holds such a value. A form sent with POST is cleaned and the request
// goes on, marked (apperr.WithBadInput): the service layer refuses to change
// anything, so the page shows its form again as typed, less those
// characters, with a message beside each field, and 422. A query (a search,
// an export) is refused with 422 and a Dutch page naming the field. Uploads
// (multipart) are read by their handlers, which check their text fields.
func (s *Server) cleanInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bad := badInput(r.URL.Query())
		if len(bad) == 0 && r.Method == http.MethodPost && !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			if err := r.ParseForm(); err == nil && len(badInput(r.PostForm)) > 0 {
				fields := cleanValues(r.PostForm)
				r.Form = url.Values{}
				for _, vs := range []url.Values{r.PostForm, r.URL.Query()} {
					for k, v := range vs {
						r.Form[k] = append(r.Form[k], v...)
					}
				}
				s.log.Info("form cleaned", "method", r.Method, "route", routeOf(r), "reason", "bad characters", "fields", slices.Sorted(maps.Keys(fields)))
				next.ServeHTTP(w, r.WithContext(apperr.WithBadInput(r.Context(), fields)))
				return
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
