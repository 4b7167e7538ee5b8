// Package password holds Lekwacht's password policy (issue 11): at least 12
// characters, not on the list of common passwords shipped in the binary
// (common.txt), and never the e-mail address. It imports only the standard
// library, and says why a password is refused in Dutch.
package password

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// MinLength and MaxLength bound a password, in characters and bytes.
const (
	MinLength = 12
	MaxLength = 256
)

//go:embed common.txt
var commonFile string

var common = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonFile, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
})

// IsCommon reports whether a password is on the list, or is a word of the
// list made long only by repeating it or by digits and signs around it
// ("Wachtwoord2026!", "dragondragon", "!!welkom12345").
func IsCommon(pw string) bool {
	p := strings.ToLower(strings.TrimSpace(pw))
	list := common()
	if list[p] {
		return true
	}
	core := strings.TrimFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	if core != "" && core != p && list[core] {
		return true
	}
	// One word typed two or three times.
	for n := 2; n <= 3; n++ {
		if l := len(core); l%n == 0 && l > 0 && strings.Repeat(core[:l/n], n) == core && list[core[:l/n]] {
			return true
		}
	}
	return false
}

// Check returns why the password is refused for the account with this
// e-mail address, or "" when it is fine.
func Check(pw, email string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	lower := strings.ToLower(pw)
	local, _, _ := strings.Cut(email, "@")
	switch {
	case utf8.RuneCountInString(pw) < MinLength:
		return fmt.Sprintf("Kies een wachtwoord van minstens %d tekens. Een zin van een paar woorden werkt goed.", MinLength)
	case len(pw) > MaxLength:
		return fmt.Sprintf("Dit wachtwoord is te lang (meer dan %d tekens).", MaxLength)
	case email != "" && (strings.Contains(lower, email) || (len(local) >= 3 && strings.Contains(lower, local))):
		return "Gebruik uw e-mailadres niet in uw wachtwoord."
	case IsCommon(pw):
		return "Dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden die inbrekers het eerst proberen. Kies iets dat alleen u bedenkt, bijvoorbeeld een zin van een paar woorden."
	}
	return ""
}
