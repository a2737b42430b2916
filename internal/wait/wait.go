// Package wait polls for a condition in tests, with a deadline, instead of
// sleeping for a guess.
package wait

import (
	"testing"
	"time"
)

// Patience is how long For waits: generous, because a loaded CI machine
// running the race detector is slow, and a condition that holds ends the
// wait at once.
const Patience = 20 * time.Second

// every is how often a condition is polled.
const every = 5 * time.Millisecond

// For polls cond every few milliseconds until it holds, failing t with
// what it waited for once Patience has passed.
func For(t testing.TB, what string, cond func() bool) {
	t.Helper()
	Within(t, Patience, what, cond)
}

// Within is For with a patience of the caller's, for tests that
// deliberately wait longer (or shorter).
func Within(t testing.TB, patience time.Duration, what string, cond func() bool) {
	t.Helper()
	if !Until(patience, cond) {
		t.Fatalf("not within %s: %s", patience, what)
	}
}

// Until polls cond until it holds or patience passes, and reports whether
// it held: for a caller that fails with its own account of what it saw.
func Until(patience time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(every) // polling, with a deadline
	}
	return true
}
