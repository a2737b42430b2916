package email

import (
	"math/rand/v2"
	"time"
)

// backoff spaces out reconnection attempts: capped exponential growth with
// full jitter, so that many mailboxes failing together (a provider outage)
// do not come back in step.
type backoff struct {
	min, max time.Duration
	attempt  int
}

// next returns how long to wait before the next attempt and counts it.
func (b *backoff) next() time.Duration {
	ceil := b.max
	if b.attempt < 32 {
		if d := b.min << b.attempt; d > 0 && d < b.max {
			ceil = d
		}
	}
	b.attempt++
	// Half fixed, half random: never much sooner than the schedule says,
	// yet spread out.
	half := ceil / 2
	return half + rand.N(half+1)
}

// reset starts the schedule over after a success.
func (b *backoff) reset() { b.attempt = 0 }
