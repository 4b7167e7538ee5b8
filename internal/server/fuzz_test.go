package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzFormDecoding feeds a posted body through the form decoders of the
// report, the decision, a user and a processor, and the report on to its
// parser: whatever arrives is refused with messages or read, never a crash.
func FuzzFormDecoding(f *testing.F) {
	f.Add("what_happened=Laptop+kwijt&occurred_from=2026-11-20T08%3A00&personal_data=yes&carriers=laptop&subjects_estimate=12&ongoing=no")
	f.Add("what_happened=%00%FF&discovered_at=22-11-2026+9%3A15&school=1&school=2&data_kinds=x&data_kinds=y")
	f.Add("incident=on&personal_data=on&availability=temporary&unavailable_hours=1e9&data=special&breach=yes&subjects_channel=public")
	f.Add("email=A%40B.NL&name=%E2%80%AE&role_desk=on&schools_desk=1&schools_desk=-1&active=on")
	f.Add("name=Uitgever&contact=%0D%0A&delivery_hours=-72")
	f.Add("%zz=1&&=&a=%")
	f.Add(strings.Repeat("carriers=x&", 200))
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, loc)
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/melden", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil {
			return // the handlers answer this with a Dutch message
		}
		rf := reportFormFrom(r)
		if _, err := rf.Parse(now, loc, []int64{1}); err != nil && err.Error() == "" {
			t.Error("a refusal without a message")
		}
		df := decisionFormFrom(r.PostForm)
		if facts, errs := df.Facts(); len(errs) == 0 {
			_ = facts
		}
		_ = userFormFrom(r.PostForm)
		if _, err := processorForm(r.PostForm).Parse(); err != nil && err.Error() == "" {
			t.Error("a refusal without a message")
		}
	})
}

// After cleanInput has taken out what cannot be stored, nothing bad is left
// and every field it changed has its message; a clean form is not touched.
func FuzzCleanValues(f *testing.F) {
	f.Add("name=a%00b&summary=regel+een%0D%0Aregel+twee")
	f.Add("name=a%FFb&%FF%00=x&question=%0A")
	f.Add("email=juf%40school.nl&name=Juf+Ans")
	f.Add("title=%0D&title=%0A%00&title=ok")
	f.Fuzz(func(t *testing.T, body string) {
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		was := badInput(v)
		orig := v.Encode()
		fields := cleanValues(v)
		if left := badInput(v); len(left) > 0 {
			t.Fatalf("still bad after cleaning %q: %v", body, left)
		}
		if len(was) == 0 && (len(fields) > 0 || v.Encode() != orig) {
			t.Fatalf("a clean form %q was changed: %v", body, fields)
		}
		if len(was) > 0 && len(fields) == 0 {
			t.Fatalf("bad fields %v cleaned without a message", was)
		}
		for k, msg := range fields {
			if msg == "" || badChars(k) {
				t.Fatalf("field %q: message %q", k, msg)
			}
		}
	})
}

// FuzzSafeNext: where a sign-in or a switch of organisation continues
// ("next", "naar", typed by anyone into a link or form) is always a path on
// this site, never another host, scheme or a path the browser reads as one
// (//host, /\host), and a good local path is kept as it is.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/meldingen/12", "/register?termijn=overdue&q=laptop", "//evil.example/", "/\\evil.example",
		"https://evil.example/", "javascript:alert(1)", "", "meldingen/12", "/%2F%2Fevil.example", "/\t/evil.example", "\x00/",
		"/meldingen/12#x", "/ /evil.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got == "/" {
			return
		}
		if got != next {
			t.Fatalf("safeNext(%q) = %q: a local path is kept as it is or becomes /", next, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") {
			t.Fatalf("safeNext(%q) = %q leads off the site", next, got)
		}
		// What a browser makes of it, against this site, stays on it.
		base, _ := url.Parse("https://lekwacht.example/")
		if r := base.ResolveReference(u); r.Host != base.Host {
			t.Fatalf("safeNext(%q) = %q resolves to host %q", next, got, r.Host)
		}
	})
}
