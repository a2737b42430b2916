package wait_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"leadwire/internal/wait"
)

// recorder is a testing.TB whose Fatalf records the message and stops
// the calling goroutine, as the real one does.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	panic(r)
}

func TestForReturnsOnceTheConditionHolds(t *testing.T) {
	var n atomic.Int32
	wait.For(t, "the third poll", func() bool { return n.Add(1) >= 3 })
	if got := n.Load(); got != 3 {
		t.Fatalf("polled %d times, want 3", got)
	}
}

func TestWithinFailsWithWhatItWaitedFor(t *testing.T) {
	r := &recorder{TB: t}
	func() {
		defer func() {
			if p := recover(); p != r {
				t.Fatalf("recovered %v, want the recorder's Fatalf", p)
			}
		}()
		wait.Within(r, 20*time.Millisecond, "never", func() bool { return false })
	}()
	if !strings.Contains(r.failed, "never") {
		t.Fatalf("Within failed with %q, want what it waited for", r.failed)
	}
}

func TestUntilReportsWhetherTheConditionHeld(t *testing.T) {
	if wait.Until(10*time.Millisecond, func() bool { return false }) {
		t.Error("a condition that never holds was reported as held")
	}
	if !wait.Until(10*time.Millisecond, func() bool { return true }) {
		t.Error("a condition that holds at once was reported as not held")
	}
}
