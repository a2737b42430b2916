package core

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// JobInfo is what a handler may need to know about the run of its job
// beyond the job itself.
type JobInfo struct {
	ID          int64
	Attempt     int       // 1 on the first run; a RetryAfter does not count
	MaxAttempts int       // the last attempt is Attempt == MaxAttempts
	CreatedAt   time.Time // when the job was enqueued
}

// LastAttempt reports whether a failure now ends the job for good.
func (i JobInfo) LastAttempt() bool { return i.Attempt >= i.MaxAttempts }

// Handlers are the handlers of the job kinds, by kind: cmd fills them
// (Handle) with the services' and adapters' handlers, and storage's job
// runner runs them.
type Handlers struct {
	byKind map[string]handler
}

type handler struct {
	run     func(ctx context.Context, args []byte, info JobInfo) error
	timeout time.Duration
}

// NewHandlers returns an empty set of handlers.
func NewHandlers() *Handlers { return &Handlers{byKind: map[string]handler{}} }

// HandleOption tunes a handler.
type HandleOption func(*handler)

// JobTimeout bounds one run of the handler (the runner's default, a
// minute, otherwise).
func JobTimeout(d time.Duration) HandleOption { return func(h *handler) { h.timeout = d } }

// Handle registers fn as the handler of J's kind, replacing any before.
// fn returns nil, RetryAfter, Permanent or an ordinary error (see
// RetryAfter).
func Handle[J Job](h *Handlers, fn func(ctx context.Context, job J, info JobInfo) error, opts ...HandleOption) {
	var zero J
	hd := handler{run: func(ctx context.Context, args []byte, info JobInfo) error {
		var job J
		if err := json.Unmarshal(args, &job); err != nil {
			return Permanent(fmt.Errorf("%s job: %w", zero.Kind(), err))
		}
		return fn(ctx, job, info)
	}}
	for _, o := range opts {
		o(&hd)
	}
	h.byKind[zero.Kind()] = hd
}

// Kinds are the kinds handled, sorted.
func (h *Handlers) Kinds() []string {
	kinds := make([]string, 0, len(h.byKind))
	for k := range h.byKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return kinds
}

// Timeout is the handler's JobTimeout; 0 when it has none.
func (h *Handlers) Timeout(kind string) time.Duration { return h.byKind[kind].timeout }

// Run runs the handler of kind on the job's JSON arguments.
func (h *Handlers) Run(ctx context.Context, kind string, args []byte, info JobInfo) error {
	hd, ok := h.byKind[kind]
	if !ok {
		return Permanent(fmt.Errorf("no handler of %s jobs", kind))
	}
	return hd.run(WithVia(ctx, ViaJob), args, info)
}

// Periodic is a job enqueued on a timer by one replica at a time (the
// elected leader).
type Periodic struct {
	ID          string        // names the timer; stays the same across releases
	Every       time.Duration // how often
	Job         Job           // what is enqueued
	MaxAttempts int           // 0: the default; 1 when the next tick is the retry
	RunOnStart  bool          // also once when the leader starts
}
