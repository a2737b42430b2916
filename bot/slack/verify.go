package slack

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// maxBody bounds a request from Slack; its payloads are a few KiB.
const maxBody = 1 << 20

// verify reads the body of a request from Slack and checks its v0
// signature (HMAC-SHA256 of "v0:timestamp:body" with the signing secret)
// and that its timestamp is within five minutes. A request seen before,
// with the same signature, is a replay and is refused too. The error is
// for the log; the caller answers 401.
func (a *Adapter) verify(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxBody {
		return nil, errors.New("body too large")
	}
	sv, err := slack.NewSecretsVerifier(r.Header, a.opts.SigningSecret)
	if err != nil {
		return nil, err // missing headers, or a stale timestamp
	}
	if _, err := sv.Write(body); err != nil {
		return nil, err
	}
	if err := sv.Ensure(); err != nil {
		return nil, err
	}
	// A valid signature is only ever sent once by Slack: its retries carry a
	// new timestamp. Signatures older than the window are refused above, so
	// remembering them for the window is enough. The key is the signature
	// as verified, not as sent: the hex of the header is read in either
	// case, so "ABC…" and "abc…" are one request.
	if !a.firstTime(r.Context(), a.requests, "sig:"+replayKey(r.Header.Get("X-Slack-Signature"))) {
		return nil, errors.New("replayed request")
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// replayKey is a verified v0 signature in one spelling: lower-case hex, as
// Slack sends it and as every spelling the verifier accepts decodes to.
func replayKey(header string) string {
	return strings.ToLower(strings.TrimSpace(header))
}

// replayWindow is how long a signature or an event id is remembered:
// Slack refuses requests older than five minutes, and retries an event for
// about half an hour.
const replayWindow = time.Hour

// firstTime reports whether key (a signature, an event id) is new to this
// replica and to every other on the database within the replay window:
// behind a load balancer, Slack's retry may reach another replica than the
// first attempt did. The replica's own set answers its repeats without a
// database round trip; when the database cannot answer, that set decides.
func (a *Adapter) firstTime(ctx context.Context, set *seen, key string) bool {
	if !set.add(key, a.now()) {
		return false
	}
	ok, err := a.svc.FirstTime(ctx, "slack:"+key, replayWindow)
	if err != nil {
		a.log.Warn("slack: shared replay memory unavailable; this replica's decides", "err", err)
		return true
	}
	return ok
}

// forgetSeen drops key from both memories, so Slack's retry is acted on.
func (a *Adapter) forgetSeen(ctx context.Context, set *seen, key string) {
	set.forget(key)
	if err := a.svc.ForgetSeen(context.WithoutCancel(ctx), "slack:"+key); err != nil {
		a.log.Warn("slack: forget a failed event", "key", key, "err", err)
	}
}

// seen is a set of keys that forget themselves after a while: the
// signatures and event ids this replica acted on. The database holds the
// same keys for every replica (firstTime).
type seen struct {
	mu    sync.Mutex
	ttl   time.Duration
	keys  map[string]time.Time
	sweep time.Time
}

func newSeen(ttl time.Duration) *seen {
	return &seen{ttl: ttl, keys: map[string]time.Time{}}
}

// add records key and reports whether it is new.
func (s *seen) add(key string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.sweep) > s.ttl/4 {
		for k, at := range s.keys {
			if now.Sub(at) > s.ttl {
				delete(s.keys, k)
			}
		}
		s.sweep = now
	}
	if at, ok := s.keys[key]; ok && now.Sub(at) <= s.ttl {
		return false
	}
	s.keys[key] = now
	return true
}

// has reports whether key was added within the window.
func (s *seen) has(key string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.keys[key]
	return ok && now.Sub(at) <= s.ttl
}

// forget drops key, so adding it again is new.
func (s *seen) forget(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.keys, key)
}
