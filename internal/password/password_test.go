package password

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		pw, email, want string
	}{
		{"kort", "a@b.nl", "minstens 12"},
		{"elf tekens!", "a@b.nl", "minstens 12"},
		{strings.Repeat("x", 257), "a@b.nl", "te lang"},
		{"qwertyuiop12345", "a@b.nl", "veelgebruikte"}, // on the list as such
		{"1qaz2wsx3edc", "a@b.nl", "veelgebruikte"},
		{"Wachtwoord2026!", "a@b.nl", "veelgebruikte"}, // a Dutch word made long with digits
		{"Password123456", "a@b.nl", "veelgebruikte"},
		{"dragondragon", "a@b.nl", "veelgebruikte"},
		{"welkomwelkomwelkom", "a@b.nl", "veelgebruikte"},
		{"femke.de.vries@school.nl!", "femke.de.vries@school.nl", "e-mailadres"},
		{"ikbenfemke.de.vries2026", "femke.de.vries@school.nl", "e-mailadres"},
		{"Jan-op-school-2026", "jo@school.nl", ""}, // a two-letter local part is no reason
		{"paard batterij nietje", "fg@demo.lekwacht.nl", ""},
		{"lekwacht-demo", "fg@demo.lekwacht.nl", ""},
		{"het juiste lange wachtwoord", "officer@example.nl", ""},
		{"één twee drie vier", "a@b.nl", ""},
	} {
		got := Check(tt.pw, tt.email)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("Check(%q, %q) = %q, want %q", tt.pw, tt.email, got, tt.want)
		}
	}
}

func TestListIsLoaded(t *testing.T) {
	if n := len(common()); n < 10000 {
		t.Fatalf("%d common passwords, want the shipped list of over 10,000", n)
	}
}

// Native fuzz test: Check never panics and refuses what is too short.
func FuzzCheck(f *testing.F) {
	f.Add("Wachtwoord2026!", "a@b.nl")
	f.Add("", "")
	f.Add("\xff\xfe", "@")
	f.Fuzz(func(t *testing.T, pw, email string) {
		got := Check(pw, email)
		if len([]rune(pw)) < MinLength && got == "" {
			t.Fatalf("%q accepted", pw)
		}
	})
}
