package core

import (
	"errors"
	"fmt"
)

// ErrorKind tells callers which kind of failure happened, so adapters can map
// it to an HTTP status or a chat reply in one place.
type ErrorKind int

// The error kinds a caller must tell apart.
const (
	KindInternal ErrorKind = iota
	KindNotFound
	KindInvalid
	KindForbidden
	KindConflict
)

func (k ErrorKind) String() string {
	switch k {
	case KindNotFound:
		return "not found"
	case KindInvalid:
		return "invalid"
	case KindForbidden:
		return "forbidden"
	case KindConflict:
		return "conflict"
	}
	return "internal"
}

// Error is a failure with a kind and a message fit for a user. Key, when
// set, names the message in the chats' catalogs, with Pairs (name, value,
// …) filling its placeholders: a chat says it in the reader's language,
// Message is the English of the CLI, the API and the log.
type Error struct {
	Kind    ErrorKind
	Message string
	Key     string
	Pairs   []any
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error of the given kind.
func Errorf(kind ErrorKind, format string, args ...any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Refusal returns an *Error of the kind with a catalog key: message is its
// English, pairs fill the key's placeholders (Refusal(KindForbidden,
// "assign.rep", "only a manager or an admin assigns", "Ref", "D45")).
func Refusal(kind ErrorKind, key, message string, pairs ...any) error {
	return &Error{Kind: kind, Message: message, Key: key, Pairs: pairs}
}

// MessageKey returns the catalog key of err's *Error and its pairs, ""
// when it has none.
func MessageKey(err error) (string, []any) {
	var e *Error
	if errors.As(err, &e) {
		return e.Key, e.Pairs
	}
	return "", nil
}

// KindOf returns the kind of the first *Error in err's chain, or KindInternal.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// IsNotFound reports whether err is a not-found error.
func IsNotFound(err error) bool { return err != nil && KindOf(err) == KindNotFound }

// Message returns the user-facing message of err: the *Error's message when
// there is one, else a generic text (internal details are not for users).
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrUnavailable marks a failure of something leadwire depends on that
// a later attempt may not meet: the database unreachable, its disk full,
// its file deleted or read-only. Such an error keeps KindInternal (a
// connector holds the inbound and tries again); HTTP answers it 503 with
// Retry-After, so a sender tries again too.
var ErrUnavailable = errors.New("temporarily unavailable")

// Unavailable marks err as ErrUnavailable, keeping its text; errors.Is and
// errors.As still find err's own chain.
func Unavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) {
		return err
	}
	return unavailableError{err}
}

type unavailableError struct{ err error }

func (e unavailableError) Error() string   { return e.err.Error() }
func (e unavailableError) Unwrap() []error { return []error{ErrUnavailable, e.err} }
