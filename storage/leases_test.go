package storage_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestLeases(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		const ttl = 30 * time.Second
		try := func(t *testing.T, name, holder string, now time.Time, want bool) {
			t.Helper()
			got, err := db.TryLease(ctx, name, holder, ttl, now)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("TryLease(%s, %s, %s) = %v, want %v", name, holder, now.Sub(day0), got, want)
			}
		}

		t.Run("the first to ask takes a free lease and the other is refused", func(t *testing.T) {
			try(t, "email:sales", "a", day0, true)
			try(t, "email:sales", "b", day0, false)
			try(t, "email:sales", "b", at(ttl-time.Second), false)
		})
		t.Run("the holder renews its lease and so keeps it past the first term", func(t *testing.T) {
			try(t, "email:sales", "a", at(10*time.Second), true)
			try(t, "email:sales", "b", at(ttl+time.Second), false) // renewed until 40s
		})
		t.Run("a lease the holder stopped renewing passes to another after it expires", func(t *testing.T) {
			try(t, "email:sales", "b", at(10*time.Second+ttl+time.Millisecond), true)
			try(t, "email:sales", "a", at(10*time.Second+ttl+2*time.Millisecond), false)
		})
		t.Run("leases of different names are independent", func(t *testing.T) {
			try(t, "telegram:bot", "a", day0, true)
		})
		t.Run("a release hands the lease over at once", func(t *testing.T) {
			try(t, "email:support", "a", day0, true)
			if err := db.ReleaseLease(ctx, "email:support", "a"); err != nil {
				t.Fatal(err)
			}
			try(t, "email:support", "b", at(time.Second), true)
		})
		t.Run("releasing a lease someone else holds leaves it held", func(t *testing.T) {
			if err := db.ReleaseLease(ctx, "email:support", "a"); err != nil {
				t.Fatal(err)
			}
			try(t, "email:support", "a", at(2*time.Second), false)
			try(t, "email:support", "b", at(3*time.Second), true)
		})
		t.Run("of two holders asking at once exactly one gets a free lease", func(t *testing.T) {
			for i := range 20 {
				name := "race:" + string(rune('a'+i))
				results := make(chan bool, 2)
				for _, h := range []string{"x", "y"} {
					go func() {
						ok, err := db.TryLease(ctx, name, h, ttl, day0)
						if err != nil {
							t.Error(err)
						}
						results <- ok
					}()
				}
				if a, b := <-results, <-results; a == b {
					t.Fatalf("lease %s: both got %v, want exactly one holder", name, a)
				}
			}
		})
		t.Run("the leases are listed by name with their holders", func(t *testing.T) {
			list, err := db.ListLeases(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) < 3 || list[0].Name != "email:sales" || list[0].Holder != "b" ||
				!list[0].ExpiresAt.Equal(at(10*time.Second+ttl+time.Millisecond+ttl)) || list[1].Name != "email:support" {
				t.Fatalf("leases = %+v", list)
			}
		})
	})
}

func TestDatabaseClock(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		before := time.Now().UTC()
		got, err := db.Now(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		// The test database runs on this machine: its clock is this one.
		if got.Before(before.Add(-time.Second)) || got.After(time.Now().Add(time.Second)) || got.Location() != time.UTC {
			t.Errorf("database time %v, local %v", got, before)
		}
		if c := db.Clock().Now(); c.Before(got) {
			t.Errorf("the clock went back: %v after %v", c, got)
		}
	})
}

func TestRemember(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
		remember := func(key string, at time.Time) bool {
			t.Helper()
			ok, err := db.Remember(ctx, key, at, at.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !remember("slack:event:Ev1", t0) {
			t.Fatal("a new key is not new")
		}
		if remember("slack:event:Ev1", t0.Add(30*time.Minute)) {
			t.Fatal("a key seen within its hour is new again")
		}
		if !remember("slack:event:Ev2", t0) {
			t.Fatal("another key is not new")
		}
		if !remember("slack:event:Ev1", t0.Add(61*time.Minute)) {
			t.Fatal("an expired key is not new")
		}
		for _, tc := range []struct {
			key  string
			at   time.Time
			want bool
		}{
			{"slack:event:Ev1", t0.Add(90 * time.Minute), true},   // renewed at 61 minutes, for an hour
			{"slack:event:Ev1", t0.Add(122 * time.Minute), false}, // expired again
			{"slack:event:Ev9", t0, false},                        // never seen
		} {
			if got, err := db.Remembered(ctx, tc.key, tc.at); err != nil || got != tc.want {
				t.Errorf("Remembered(%s, %s) = %v, %v; want %v", tc.key, tc.at.Sub(t0), got, err, tc.want)
			}
		}
		if !remember("slack:event:Ev9", t0) {
			t.Error("looking a key up recorded it")
		}
		if err := db.Forget(ctx, "slack:event:Ev2"); err != nil {
			t.Fatal(err)
		}
		if !remember("slack:event:Ev2", t0.Add(time.Minute)) {
			t.Fatal("a forgotten key is not new")
		}
		// Replicas asking at once: exactly one is first.
		var firsts atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				ok, err := db.Remember(ctx, "telegram:update:42", t0, t0.Add(time.Hour))
				if err != nil {
					t.Error(err)
				}
				if ok {
					firsts.Add(1)
				}
			})
		}
		wg.Wait()
		if n := firsts.Load(); n != 1 {
			t.Errorf("%d callers were first, want 1", n)
		}
		// Pruning runs now and then and keeps what has not expired.
		for i := range 600 {
			remember(fmt.Sprintf("k%d", i), t0.Add(2*time.Hour))
		}
		if remember("slack:event:Ev1", t0.Add(2*time.Hour)) {
			t.Error("pruning dropped a key that had not expired")
		}
	})
}
