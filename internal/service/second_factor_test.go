package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
)

// enrolled sets up the second factor of a user of env and returns the
// secret and the recovery codes.
func (e *env) enrolled(name string) (string, []string) {
	e.t.Helper()
	id := e.actors[name].UserID
	en := must(e.svc.Accounts.BeginEnrolment(e.ctx, id))
	if !strings.HasPrefix(en.URL, "otpauth://totp/Lekwacht:") || !strings.Contains(en.URL, "secret="+en.Secret) {
		e.t.Fatalf("otpauth URL %q", en.URL)
	}
	// Reloading the page keeps the secret (and the QR code) until confirmed.
	if again := must(e.svc.Accounts.BeginEnrolment(e.ctx, id)); again.Secret != en.Secret {
		e.t.Fatal("a second look at the set-up page changed the secret")
	}
	codes := must(e.svc.Accounts.ConfirmEnrolment(e.ctx, id, must(totp.GenerateCode(en.Secret, e.clock.Now()))))
	return en.Secret, codes
}

func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	return must(totp.GenerateCode(secret, at))
}

// Issue 11: with an injected clock, a code of the previous and the next 30 s
// window is accepted, an older one refused, and a code used twice refused.
func TestSecondFactorWindowsAndReplay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.withPassword("officer", "het juiste lange wachtwoord")
	res := must(e.svc.Accounts.SignIn(e.ctx, "officer@example.nl", "het juiste lange wachtwoord"))
	if res.Step != service.NeedsEnrolment || res.Actor != nil {
		t.Fatalf("FG without a second factor: %+v, want NeedsEnrolment and no actor", res)
	}
	secret, codes := e.enrolled("officer")
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes, want 10", len(codes))
	}
	uid := e.actors["officer"].UserID
	res = must(e.svc.Accounts.SignIn(e.ctx, "officer@example.nl", "het juiste lange wachtwoord"))
	if res.Step != service.NeedsCode || res.Actor != nil || res.UserID != uid {
		t.Fatalf("FG with a second factor: %+v, want NeedsCode", res)
	}
	e.clock.Add(5 * time.Minute) // past the step that confirmed the set-up
	now := e.clock.Now()
	for _, tt := range []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"previous window", now.Add(-30 * time.Second), true},
		{"current window", now, true},
		{"same code again", now, false},
		{"next window", now.Add(30 * time.Second), true},
		{"next window again", now.Add(30 * time.Second), false},
		{"two windows ago", now.Add(-60 * time.Second), false},
		{"two windows ahead", now.Add(60 * time.Second), false},
	} {
		a, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, codeAt(t, secret, tt.at), "192.0.2.1")
		if tt.ok && (err != nil || a == nil || a.UserID != uid) {
			t.Errorf("%s: %v, want signed in", tt.name, err)
		}
		if !tt.ok && !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("%s: %v, want refused", tt.name, err)
		}
	}
	// The previous window after the next one was used: older than the
	// latest code used, so refused (one code cannot follow a later one).
	if _, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, codeAt(t, secret, now.Add(-30*time.Second)), "192.0.2.1"); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("older code after a newer one: %v", err)
	}
	// Typed with a space, as apps show it, a fresh code is fine.
	e.clock.Add(2 * time.Minute)
	c := codeAt(t, secret, e.clock.Now())
	if _, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, c[:3]+" "+c[3:], "192.0.2.1"); err != nil {
		t.Errorf("code with a space: %v", err)
	}
	if _, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, "twaalf", "192.0.2.1"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("not a code: %v, want Invalid with a message", err)
	}
}

// Recovery codes work once each, in any case and with or without the dash.
func TestRecoveryCodesOnceEach(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, codes := e.enrolled("desk")
	uid := e.actors["desk"].UserID
	if a, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, strings.ToUpper(codes[0]), "192.0.2.1"); err != nil || a.UserID != uid {
		t.Fatalf("first recovery code: %v", err)
	}
	if _, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, codes[0], "192.0.2.1"); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("recovery code used twice: %v", err)
	}
	if _, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, strings.ReplaceAll(codes[1], "-", ""), "192.0.2.1"); err != nil {
		t.Errorf("second recovery code without its dash: %v", err)
	}
	// Another user's code does not open this account.
	_, others := e.enrolled("board")
	if _, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, others[0], "192.0.2.1"); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("someone else's recovery code: %v", err)
	}
	sf := must(e.svc.Accounts.SecondFactorOf(e.ctx, e.actors["desk"]))
	if !sf.Enabled || !sf.Required || sf.RecoveryLeft != 8 {
		t.Errorf("status %+v, want enabled, required, 8 left", sf)
	}
	// New codes replace the old ones.
	fresh := must(e.svc.Accounts.NewRecoveryCodes(e.ctx, e.actors["desk"]))
	if _, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, codes[2], "192.0.2.1"); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("old recovery code after new ones were made: %v", err)
	}
	if _, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, fresh[9], "192.0.2.1"); err != nil {
		t.Errorf("new recovery code: %v", err)
	}
	// Only hashes are stored.
	for _, c := range append(codes, fresh...) {
		plain := strings.ReplaceAll(c, "-", "")
		if n := e.count(`SELECT count(*) FROM recovery_codes WHERE encode(code_hash, 'escape') LIKE '%' || $1 || '%'`, plain); n != 0 {
			t.Fatalf("recovery code %s stored readable", c)
		}
	}
}

// Wrong codes are throttled like wrong passwords: after five from one
// address, the next waits; another address is slowed only after ten.
func TestSecondFactorThrottle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	secret, _ := e.enrolled("board")
	uid := e.actors["board"].UserID
	e.clock.Add(time.Minute)
	for i := range 5 {
		if _, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, "000000", "198.51.100.7"); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("wrong code %d: %v", i+1, err)
		}
	}
	_, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, codeAt(t, secret, e.clock.Now()), "198.51.100.7")
	if !apperr.Is(err, apperr.TooManyRequests) || !strings.Contains(err.Error(), "verkeerde code") {
		t.Fatalf("right code while throttled: %v, want TooManyRequests in Dutch", err)
	}
	for i := range 5 {
		if _, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, "000000", "203.0.113.9"); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("wrong code %d from a second address: %v", i+1, err)
		}
	}
	if _, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, codeAt(t, secret, e.clock.Now()), "192.0.2.55"); !apperr.Is(err, apperr.TooManyRequests) {
		t.Errorf("ten wrong codes for the account: a third address goes on at once: %v", err)
	}
	e.clock.Add(20 * time.Second)
	if _, _, err := e.svc.Accounts.SignInCode(e.ctx, uid, codeAt(t, secret, e.clock.Now()), "192.0.2.55"); err != nil {
		t.Errorf("right code after the wait: %v", err)
	}
}

// An administrator resets a user's second factor in their own organisation
// only; it is audited, and the next sign-in sets it up again.
func TestSecondFactorReset(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.withPassword("officer", "het juiste lange wachtwoord")
	e.enrolled("officer")
	uid := e.actors["officer"].UserID
	for _, who := range []string{"admin_b", "desk", "officer"} {
		if err := e.svc.Accounts.ResetSecondFactor(e.ctx, e.actors[who], uid); err == nil {
			t.Errorf("%s reset the FG's second factor", who)
		}
	}
	if err := e.svc.Accounts.ResetSecondFactor(e.ctx, e.actors["admin"], uid); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'second_factor_reset' AND subject_id = $1 AND actor_id = $2`, uid, e.actors["admin"].UserID); n != 1 {
		t.Errorf("%d audit rows for the reset", n)
	}
	if n := e.count(`SELECT count(*) FROM recovery_codes WHERE person_id = (SELECT person_id FROM users WHERE id = $1)`, uid); n != 0 {
		t.Errorf("%d recovery codes left after the reset", n)
	}
	res := must(e.svc.Accounts.SignIn(e.ctx, "officer@example.nl", "het juiste lange wachtwoord"))
	if res.Step != service.NeedsEnrolment {
		t.Errorf("after the reset: step %v, want NeedsEnrolment", res.Step)
	}
	// A reporter may, but need not, set one up.
	e.withPassword("staff", "een ander lang wachtwoord")
	if res := must(e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", "een ander lang wachtwoord")); res.Step != service.SignedIn || res.Actor == nil {
		t.Errorf("reporter: %+v, want signed in at once", res)
	}
	e.enrolled("staff")
	if res := must(e.svc.Accounts.SignIn(e.ctx, "staff@example.nl", "een ander lang wachtwoord")); res.Step != service.NeedsCode {
		t.Errorf("reporter with a second factor: %+v, want NeedsCode", res)
	}
}

// Native fuzz test of the code parser (outside input): it never panics, and
// what it accepts is six digits or ten characters of the recovery alphabet.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"123456", "123 456", " 12-34-56 ", "abcde-fgh23", "ABCDE FGH23", "", "12345", "1234567",
		"abcde-fgh2!", "١٢٣٤٥٦", "１２３４５６", "abcdefghij\x00", strings.Repeat("1", 100), "ǅabcde-fgh2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kind, code := service.ParseCode(s)
		switch kind {
		case service.CodeTOTP:
			if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
				t.Fatalf("%q read as app code %q", s, code)
			}
		case service.CodeRecovery:
			if len(code) != 10 || strings.Trim(code, "abcdefghijklmnopqrstuvwxyz234567") != "" {
				t.Fatalf("%q read as recovery code %q", s, code)
			}
		case service.CodeInvalid:
			if code != "" {
				t.Fatalf("%q refused but returned %q", s, code)
			}
		}
	})
}

// Native fuzz test of what "Mijn sessies" reads from outside: the
// User-Agent header and the client's address. Never a panic, never more
// than a few words, never the full address.
func FuzzSessionDevice(f *testing.F) {
	f.Add("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:135.0) Gecko/20100101 Firefox/135.0", "192.0.2.77")
	f.Add("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) CriOS/120 Safari/604.1", "2001:db8:1234:5678::1")
	f.Add("", "")
	f.Add(strings.Repeat("Chrome/", 1000), "::ffff:10.1.2.3")
	f.Fuzz(func(t *testing.T, ua, addr string) {
		if d := service.DescribeDevice(ua); len(d) > 40 {
			t.Fatalf("device %q too long", d)
		}
		n := service.CoarseNetwork(addr)
		if len(n) > 50 {
			t.Fatalf("network %q too long", n)
		}
		if n != "" && !strings.HasSuffix(n, "/24") && !strings.HasSuffix(n, "/48") {
			t.Fatalf("network %q is not a /24 or /48", n)
		}
	})
}

func TestCoarseNetwork(t *testing.T) {
	for in, want := range map[string]string{"192.0.2.77": "192.0.2.0/24", "2001:db8:1234:5678::1": "2001:db8:1234::/48",
		"::ffff:10.1.2.3": "10.1.2.0/24", "niet-een-adres": ""} {
		if got := service.CoarseNetwork(in); got != want {
			t.Errorf("CoarseNetwork(%q) = %q, want %q", in, got, want)
		}
	}
}

// Native fuzz test of the e-mail domains an administrator types for a
// single sign-on provider.
func FuzzParseDomains(f *testing.F) {
	for _, s := range []string{"school.nl, bestuur.nl", "@School.NL\nbestuur.nl", "", "..", "a.b", "xn--bcher-kva.nl", "école.fr", strings.Repeat("a.", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ds, ok := service.ParseDomains(s)
		if ok && (len(ds) == 0 || len(ds) > 20) {
			t.Fatalf("%q: accepted %d domains", s, len(ds))
		}
		for _, d := range ds {
			if d != strings.ToLower(d) || !strings.Contains(d, ".") || strings.ContainsAny(d, " @,") {
				t.Fatalf("%q: domain %q", s, d)
			}
		}
	})
}
