// Package problem turns errors into HTTP answers in one place: core's
// error kinds into statuses, with a detail fit for whoever called, and a
// database that is away into 503 with Retry-After. Handlers with a body
// shape of their own (web forms, webhooks, the unsubscribe page) take the
// status and detail from Of; the others answer with Write, a problem
// details body (RFC 9457).
package problem

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"leadwire/core"
)

// RetryAfter is how long a caller is asked to wait while the database is
// away: long enough not to hammer it, short enough for a sender's retry to
// land soon after it is back.
const RetryAfter = 30 * time.Second

// Problem is the HTTP answer to an error.
type Problem struct {
	Status int
	// Detail is fit for the caller, a stranger maybe: core's message for
	// the kinds a caller can act on, a plain sentence for the rest, never
	// an internal error's text.
	Detail string
	// RetryAfter, when positive, goes out as the Retry-After header.
	RetryAfter time.Duration
}

// Of maps err to its answer: a database that is away (core.ErrUnavailable)
// or a request that ended first is 503; core's kinds are 404 not found,
// 422 invalid, 403 forbidden, 409 conflict; anything else is 500.
func Of(err error) Problem {
	switch {
	case err == nil:
		return Problem{Status: http.StatusOK}
	case errors.Is(err, core.ErrUnavailable):
		return Problem{Status: http.StatusServiceUnavailable, RetryAfter: RetryAfter,
			Detail: "we cannot store anything just now; nothing was kept, please send it again in a minute"}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return Problem{Status: http.StatusServiceUnavailable,
			Detail: "the request ended before it was done; please send it again"}
	}
	switch core.KindOf(err) {
	case core.KindNotFound:
		return Problem{Status: http.StatusNotFound, Detail: core.Message(err)}
	case core.KindInvalid:
		return Problem{Status: http.StatusUnprocessableEntity, Detail: core.Message(err)}
	case core.KindForbidden:
		return Problem{Status: http.StatusForbidden, Detail: core.Message(err)}
	case core.KindConflict:
		return Problem{Status: http.StatusConflict, Detail: core.Message(err)}
	}
	return Problem{Status: http.StatusInternalServerError, Detail: "something went wrong on our side; please try again later"}
}

// Status is the problem of a status alone, with detail as its text.
func Status(status int, detail string) Problem {
	return Problem{Status: status, Detail: detail}
}

// SetRetryAfter sets the Retry-After header, in whole seconds, when p asks
// the caller to wait.
func (p Problem) SetRetryAfter(h http.Header) {
	if p.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int((p.RetryAfter+time.Second-1)/time.Second)))
	}
}

// Write answers with p as application/problem+json.
func (p Problem) Write(w http.ResponseWriter) {
	h := w.Header()
	p.SetRetryAfter(h)
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail,omitempty"`
	}{"about:blank", http.StatusText(p.Status), p.Status, p.Detail})
}

// Quote is outside input fit to echo in an answer: cut to at most n bytes
// on a character boundary and Go-quoted, so that a control character, an
// invalid byte or a quote shows escaped and the echo never reads as
// something else ("contact\x00", not "contact").
func Quote(s string, n int) string {
	if len(s) <= n {
		return strconv.Quote(s)
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}
