package core_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"leadwire/core"
)

func TestJobOutcomes(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name      string
		err       error
		after     time.Duration
		retry     bool
		permanent bool
	}{
		{"done is neither", nil, 0, false, false},
		{"an ordinary error is neither", boom, 0, false, false},
		{"a retry after a while says how long, wrapped or not", fmt.Errorf("post: %w", core.RetryAfter(3*time.Second)), 3 * time.Second, true, false},
		{"a permanent failure is permanent, wrapped or not", fmt.Errorf("post: %w", core.Permanent(boom)), 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after, retry := core.RetryAfterOf(tt.err)
			if after != tt.after || retry != tt.retry || core.IsPermanent(tt.err) != tt.permanent {
				t.Fatalf("RetryAfterOf = %s %v, IsPermanent = %v", after, retry, core.IsPermanent(tt.err))
			}
		})
	}
	if !errors.Is(core.Permanent(boom), boom) {
		t.Fatal("a permanent failure does not unwrap to its cause")
	}
}
