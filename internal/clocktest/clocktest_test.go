package clocktest_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"leadwire/internal/clocktest"
)

func TestClockMovesOnlyWhenTold(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	c := clocktest.New(t0)
	if got := c.Now(); !got.Equal(t0) {
		t.Fatalf("new clock at %v, want %v", got, t0)
	}
	c.Advance(90 * time.Minute)
	if got, want := c.Now(), t0.Add(90*time.Minute); !got.Equal(want) {
		t.Fatalf("after Advance at %v, want %v", got, want)
	}
	c.Set(t0)
	if got := c.Now(); !got.Equal(t0) {
		t.Fatalf("after Set at %v, want %v", got, t0)
	}
}

func TestClockIsSafeForConcurrentUse(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	c := clocktest.New(t0)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				c.Advance(time.Second)
				_ = c.Now()
			}
		}()
	}
	wg.Wait()
	if got, want := c.Now(), t0.Add(800*time.Second); !got.Equal(want) {
		t.Fatalf("at %v, want %v", got, want)
	}
}

func ExampleClock() {
	c := clocktest.New(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	c.Advance(36 * time.Hour)
	fmt.Println(c.Now().Format(time.RFC3339))
	// Output: 2026-11-03T21:00:00Z
}
