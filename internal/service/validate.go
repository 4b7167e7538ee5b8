package service

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// text trims a typed text and checks its length: at least min characters
// (tooShort says what to write), at most max. It returns the trimmed text.
func text(errs apperr.FieldErrors, field, v string, min, max int, tooShort string) string {
	v = strings.TrimSpace(v)
	switch n := utf8.RuneCountInString(v); {
	case n < min:
		errs.Add(field, tooShort)
	case n > max:
		errs.Add(field, fmt.Sprintf("Deze tekst is te lang (meer dan %d tekens).", max))
	}
	return v
}
