package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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

// Error is a failure with a kind and a message fit for a user. Message
// is English, for logs, the CLI and the API; Key, when set, names the
// message in the chats' catalogs, with Pairs (name, value, …) filling its
// placeholders, so a chat says it in the reader's language.
type Error struct {
	Kind    ErrorKind
	Message string
	// Key is the catalog's message id ("error.stage_unknown"); "" when
	// the error has none and Message is all there is.
	Key string
	// Pairs are name, value pairs for the message's placeholders. A
	// value that is a Labeler is written in the reader's language; a Term
	// is a word the catalog has under "term." + its key.
	Pairs []any
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error of the given kind without a catalog key: for
// texts no user reads in chat (configuration, storage internals).
func Errorf(kind ErrorKind, format string, args ...any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Fail returns an *Error of kind with the catalog message key. english is
// the message as en.yaml has it, with {Name} where the catalog has
// {{.Name}}, filled from pairs (name, value, name, value …):
//
//	Fail(KindConflict, "error.deal_in_stage_already", "{Ref} is already in {Stage}", "Ref", ref, "Stage", st)
//
// A test checks every Fail of core against en.yaml.
func Fail(kind ErrorKind, key, english string, pairs ...any) error {
	return &Error{Kind: kind, Message: fill(english, pairs), Key: key, Pairs: pairs}
}

// fill replaces {Name} in s by the value named Name in pairs.
func fill(s string, pairs []any) string {
	if !strings.Contains(s, "{") {
		return s
	}
	args := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		args = append(args, "{"+fmt.Sprint(pairs[i])+"}", fmt.Sprint(pairs[i+1]))
	}
	return strings.NewReplacer(args...).Replace(s)
}

// Labeler is a value of an error's Pairs that reads differently by
// language, such as a stage or a list of stages with their labels.
type Labeler interface {
	LabelIn(lang string) string
}

// Term is a value of an error's Pairs that is a word of the catalog: its
// key under "term." ("term.won") and its English (String).
type Term interface {
	TermKey() string
	String() string
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

// TermKey is the status's word in the catalog: "status.won".
func (s DealStatus) TermKey() string { return "status." + string(s) }
func (s DealStatus) String() string  { return string(s) }

// TermKey is the status's word in the catalog: "status.claimed".
func (s LeadStatus) TermKey() string { return "status." + string(s) }
func (s LeadStatus) String() string  { return string(s) }

// TermKey is the role's word in the catalog: "role.manager".
func (r Role) TermKey() string { return "role." + string(r) }
func (r Role) String() string  { return string(r) }

// stageList is stages in an error: their names in English, their labels
// in the reader's language.
type stageList []Stage

func (l stageList) String() string { return l.LabelIn("") }

// LabelIn joins the stages' labels in lang.
func (l stageList) LabelIn(lang string) string {
	names := make([]string, len(l))
	for i := range l {
		names[i] = l[i].Label(lang)
	}
	return strings.Join(names, ", ")
}

// LabelIn is the stage's label in lang; String its name.
func (s Stage) LabelIn(lang string) string { return s.Label(lang) }
func (s Stage) String() string             { return s.Name }

// Warning is something the reader of figures should know (a currency
// without a rate, a total held at its limit): English Text, for the CLI
// and JSON, and the catalog's Key and Pairs for a chat.
type Warning struct {
	Text  string
	Key   string
	Pairs []any
}

func (w Warning) String() string { return w.Text }

// MarshalJSON writes the warning as its English text.
func (w Warning) MarshalJSON() ([]byte, error) { return json.Marshal(w.Text) }

// Err is the warning as an *Error, for a printer to write in a language.
func (w Warning) Err() error {
	return &Error{Kind: KindInvalid, Message: w.Text, Key: w.Key, Pairs: w.Pairs}
}

func (w Warning) same(o Warning) bool { return w.Text == o.Text }

// warningOf is err as a warning.
func warningOf(err error) Warning {
	var e *Error
	if errors.As(err, &e) {
		return Warning{Text: e.Message, Key: e.Key, Pairs: e.Pairs}
	}
	return Warning{Text: err.Error()}
}
