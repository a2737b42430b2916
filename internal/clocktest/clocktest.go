// Package clocktest is the fake core.Clock for tests: it stands where the
// test puts it and moves only when told, safe for concurrent use.
package clocktest

import (
	"sync"
	"time"

	"leadwire/core"
)

// Clock is a core.Clock a test sets and advances.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

var _ core.Clock = (*Clock)(nil)

// New returns a clock standing at t0.
func New(t0 time.Time) *Clock { return &Clock{now: t0} }

// Now returns the time the clock stands at.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (back, if d is negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}
