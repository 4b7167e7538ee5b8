package apperr

import "context"

type badInputKey struct{}

// WithBadInput notes in ctx the form fields whose values held characters
// that cannot be stored (a NUL byte, invalid UTF-8, a line break in a
// one-line field), each with the message to show beside it. The web layer
// takes them out of the values and lets the page run, so that its form comes
// back as typed; the service layer refuses any change while ctx carries
// them (issue 15.3).
func WithBadInput(ctx context.Context, fields map[string]string) context.Context {
	return context.WithValue(ctx, badInputKey{}, fields)
}

// BadInput is the refusal for a request whose form held such characters,
// or nil when it held none.
func BadInput(ctx context.Context) error {
	fields, _ := ctx.Value(badInputKey{}).(map[string]string)
	if len(fields) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Fields: fields,
		Message: "Er staat een teken in het formulier dat Lekwacht niet kan opslaan. Het is weggehaald; kijk het veld na en verstuur het opnieuw."}
}
