package hooks

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"leadwire/core"
)

// Limits on a receiver: how long it may take to answer, how much of its
// answer is read, and how much of that is kept in the delivery log.
const (
	Timeout      = 10 * time.Second
	readLimit    = 64 << 10
	excerptLimit = 512
)

// Sender posts signed events.
type Sender struct {
	client *http.Client
}

// NewSender returns a sender; allowPrivate lets targets on private and
// loopback addresses through (hooks.allow_private, for a receiver on the
// same network).
func NewSender(allowPrivate bool) *Sender {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		d.Control = control
	}
	tr := &http.Transport{
		DialContext:           d.DialContext,
		Proxy:                 nil, // a proxy would connect for us, past the guard
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: Timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
	return &Sender{client: &http.Client{Transport: tr, Timeout: Timeout,
		// A redirect is answered as it is: the receiver's URL is the
		// one subscribed.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Message is one event to send.
type Message struct {
	ID     string // the event id, the same on every retry: receivers dedupe by it
	Type   string
	At     time.Time // when it is sent (webhook-timestamp)
	Body   []byte
	URL    string
	Secret string
}

// Result is what a receiver answered.
type Result struct {
	Status  int // 0: no answer
	Latency time.Duration
	Excerpt string // the start of the answer, valid UTF-8
	Err     error  // no answer, or not 2xx
}

// OK reports whether the receiver took the event (any 2xx).
func (r Result) OK() bool { return r.Err == nil }

// Send posts the message and reports the answer; RetryAfter is the
// receiver's Retry-After when it asked for one.
func (s *Sender) Send(ctx context.Context, m Message) (res Result, retryAfter time.Duration) {
	sig, err := Sign(m.Secret, m.ID, m.At, m.Body)
	if err != nil {
		return Result{Err: err}, 0
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.URL, bytes.NewReader(m.Body))
	if err != nil {
		return Result{Err: err}, 0
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "leadwire-webhooks")
	h.Set("webhook-id", m.ID)
	h.Set("webhook-timestamp", strconv.FormatInt(m.At.Unix(), 10))
	h.Set("webhook-signature", sig)
	start := time.Now()
	resp, err := s.client.Do(req)
	res.Latency = time.Since(start)
	if err != nil {
		res.Err = err
		return res, 0
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, readLimit))
	res.Status = resp.StatusCode
	res.Excerpt = excerpt(raw)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		res.Err = fmt.Errorf("the receiver answered %s", resp.Status)
		if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs > 0 {
			retryAfter = time.Duration(min(secs, 86400)) * time.Second
		}
	}
	return res, retryAfter
}

// excerpt is the start of an answer, cut on a character boundary, with
// invalid bytes replaced.
func excerpt(b []byte) string {
	if len(b) > excerptLimit {
		cut := excerptLimit
		for cut > 0 && !utf8.RuneStart(b[cut]) {
			cut--
		}
		b = b[:cut]
	}
	return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
}

// SendHook implements core.HookSender.
func (s *Sender) SendHook(ctx context.Context, m core.HookMessage) core.HookResult {
	res, wait := s.Send(ctx, Message{ID: m.ID, Type: string(m.Type), At: m.At, Body: m.Body, URL: m.URL, Secret: m.Secret})
	return core.HookResult{Status: res.Status, Latency: res.Latency, Excerpt: res.Excerpt, Err: res.Err, RetryAfter: wait}
}
