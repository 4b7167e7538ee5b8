// Package apperr defines the kinds of errors the application distinguishes,
// each with a message that is safe to show a user. Anything that is not an
// *Error is an internal failure: the user sees a generic message and a
// reference, the details go to the log.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind says what went wrong in terms the web layer can map to a status code.
type Kind int

const (
	// Internal is a failure the user cannot fix.
	Internal Kind = iota
	// Invalid means the input is wrong; Fields says where.
	Invalid
	// NotFound means the thing does not exist or the actor may not know it does.
	NotFound
	// Forbidden means the actor is known but may not do this.
	Forbidden
	// Unauthenticated means nobody is signed in, or the credentials are wrong.
	Unauthenticated
	// Conflict means the state changed under the actor (someone else acted first).
	Conflict
	// TooManyRequests means the actor must wait before trying again.
	TooManyRequests
	// Unavailable means the server is too busy right now (every slot for a
	// costly operation is taken); trying again shortly works.
	Unavailable
)

// Error is an error with a kind and a message written for users (in Dutch).
type Error struct {
	Kind    Kind
	Message string
	// Fields maps a form field name to the message to show beside it.
	Fields map[string]string
	// Err is the underlying cause, for the log only.
	Err error
	// RetryAfter, when set, says how long to wait (TooManyRequests,
	// Unavailable); the web layer sends it as the Retry-After header.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err carries the given kind.
func Is(err error, k Kind) bool {
	_, ok := As(err)
	return ok && KindOf(err) == k
}

// New returns an error of kind k with a user-facing message.
func New(k Kind, msg string) *Error { return &Error{Kind: k, Message: msg} }

// Newf is New with formatting.
func Newf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf is the standard "does not exist (for you)" error.
func NotFoundf(format string, args ...any) *Error { return Newf(NotFound, format, args...) }

// Forbiddenf is the standard "you may not" error.
func Forbiddenf(format string, args ...any) *Error { return Newf(Forbidden, format, args...) }

// Conflictf is the standard "someone else changed this" error.
func Conflictf(format string, args ...any) *Error { return Newf(Conflict, format, args...) }

// FieldErrors collects validation messages per field.
type FieldErrors map[string]string

// Add records msg for field unless that field already has a message.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns an Invalid error when any field has a message, else nil.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Message: "Niet alles is goed ingevuld. Kijk de vragen met een foutmelding na.", Fields: f}
}
