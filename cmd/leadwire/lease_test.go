package main

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/wait"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// replica is one `leadwire serve` of the lease tests: a leaser on the
// shared database running a part that notes when it runs.
type replica struct {
	name    string
	store   *replicaStore
	leaser  *leaser
	running atomic.Bool
	runs    atomic.Int32
	cancel  context.CancelFunc
	done    chan error
}

// replicaStore is the shared database as one replica sees it: it counts
// the replica's lease requests, and once crashed it releases nothing, as a
// process that died would not.
type replicaStore struct {
	*storage.DB
	tries   atomic.Int32
	crashed atomic.Bool
	failing atomic.Int32 // this many lease requests fail (-1: all) before reaching the database
}

func (s *replicaStore) TryLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error) {
	s.tries.Add(1)
	if n := s.failing.Load(); n != 0 {
		if n > 0 {
			s.failing.Add(-1)
		}
		return false, errors.New("database unreachable")
	}
	return s.DB.TryLease(ctx, name, holder, ttl, now)
}

func (s *replicaStore) ReleaseLease(ctx context.Context, name, holder string) error {
	if s.crashed.Load() {
		return nil
	}
	return s.DB.ReleaseLease(ctx, name, holder)
}

// startReplicas starts one replica per name, all running the part under
// the lease "email:sales"; active counts how many run the part at once and
// overlap is set when ever more than one did.
func startReplicas(t *testing.T, db *storage.DB, ttl time.Duration, names ...string) (rs []*replica, overlap *atomic.Bool) {
	t.Helper()
	var active atomic.Int32
	overlap = &atomic.Bool{}
	for _, n := range names {
		r := &replica{name: n, store: &replicaStore{DB: db}, done: make(chan error, 1)}
		r.leaser = &leaser{store: r.store, holder: n, ttl: ttl, every: 20 * time.Millisecond,
			clock: core.SystemClock{}, log: slog.New(slog.DiscardHandler)}
		ctx, cancel := context.WithCancel(context.Background())
		r.cancel = cancel
		go func() {
			r.done <- r.leaser.run(ctx, "email:sales", func(ctx context.Context) error {
				if active.Add(1) > 1 {
					overlap.Store(true)
				}
				r.runs.Add(1)
				r.running.Store(true)
				<-ctx.Done()
				r.running.Store(false)
				active.Add(-1)
				return nil
			})
		}()
		rs = append(rs, r)
	}
	t.Cleanup(func() {
		for _, r := range rs {
			r.cancel()
		}
		for _, r := range rs {
			r.stop(t)
		}
	})
	return rs, overlap
}

// stop waits for the replica's run to return (once; later calls return
// at once).
func (r *replica) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	select {
	case err, ok := <-r.done:
		if ok {
			close(r.done)
			if err != nil {
				t.Errorf("replica %s: run returned %v, want nil at shutdown", r.name, err)
			}
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("replica %s did not stop within 30s", r.name)
	}
}

// holderOf waits until one of two replicas runs and returns it and the
// other.
func holderOf(t *testing.T, rs []*replica) (holder, other *replica) {
	t.Helper()
	wait.For(t, "one replica runs the part", func() bool { return rs[0].running.Load() || rs[1].running.Load() })
	if rs[0].running.Load() {
		return rs[0], rs[1]
	}
	return rs[1], rs[0]
}

// refusedWhileHeld checks that other, asking for the lease several more
// times while holder runs, never ran.
func refusedWhileHeld(t *testing.T, holder, other *replica) {
	t.Helper()
	tries := other.store.tries.Load()
	wait.For(t, "the other replica asks three more times", func() bool { return other.store.tries.Load() >= tries+3 })
	if other.runs.Load() != 0 || !holder.running.Load() {
		t.Fatalf("while %s holds the lease: %s ran %d times, holder running = %v", holder.name, other.name, other.runs.Load(), holder.running.Load())
	}
}

func TestLeaseRunnerRunsOnOneReplica(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		t.Run("of two replicas one runs; when it dies the other takes over after the lease expires", func(t *testing.T) {
			rs, overlap := startReplicas(t, db, 2*time.Second, "a", "b")
			holder, other := holderOf(t, rs)
			refusedWhileHeld(t, holder, other)

			holder.store.crashed.Store(true) // it stops renewing and never releases
			holder.stop(t)
			wait.For(t, "the other replica takes over", other.running.Load)
			if overlap.Load() {
				t.Error("both replicas ran the part at once")
			}
			if holder.runs.Load() != 1 || other.runs.Load() != 1 {
				t.Errorf("runs: %s %d, %s %d; want 1 each", holder.name, holder.runs.Load(), other.name, other.runs.Load())
			}
		})
		t.Run("a replica that shuts down releases its lease, so the other takes over long before it would expire", func(t *testing.T) {
			// A lease of an hour can only change hands by a release.
			rs, overlap := startReplicas(t, db, time.Hour, "c", "d")
			holder, other := holderOf(t, rs)
			refusedWhileHeld(t, holder, other)

			holder.stop(t)
			wait.For(t, "the other replica takes over", other.running.Load)
			if overlap.Load() {
				t.Error("both replicas ran the part at once")
			}
		})
		t.Run("a replica whose lease was taken over stops the part and asks again", func(t *testing.T) {
			rs, _ := startReplicas(t, db, time.Hour, "e")
			e := rs[0]
			wait.For(t, "the replica runs the part", e.running.Load)
			// Another holder takes the lease as if e's had expired.
			ok, err := db.TryLease(context.Background(), "email:sales", "intruder", time.Hour, time.Now().Add(2*time.Hour))
			if err != nil || !ok {
				t.Fatalf("take over: %v, %v", ok, err)
			}
			wait.For(t, "the replica stops the part", func() bool { return !e.running.Load() })
			tries := e.store.tries.Load()
			wait.For(t, "the replica asks again", func() bool { return e.store.tries.Load() >= tries+2 })
			if e.runs.Load() != 1 {
				t.Errorf("runs = %d while the intruder holds the lease, want 1", e.runs.Load())
			}
			if err := db.ReleaseLease(context.Background(), "email:sales", "intruder"); err != nil {
				t.Fatal(err)
			}
			wait.For(t, "the replica runs the part again", e.running.Load)
		})
		t.Run("one failed renewal is retried; renewals failing until the lease would expire stop the part", func(t *testing.T) {
			rs, _ := startReplicas(t, db, time.Second, "f")
			f := rs[0]
			wait.For(t, "the replica runs the part", f.running.Load)
			f.store.failing.Store(1)
			tries := f.store.tries.Load()
			wait.For(t, "the replica renews twice more", func() bool { return f.store.tries.Load() >= tries+3 })
			if !f.running.Load() || f.runs.Load() != 1 {
				t.Fatalf("after one failed renewal: running %v, runs %d; want still running, once", f.running.Load(), f.runs.Load())
			}
			f.store.failing.Store(-1)
			wait.For(t, "the replica stops the part", func() bool { return !f.running.Load() })
			f.store.failing.Store(0)
			wait.For(t, "the replica runs the part again", f.running.Load)
		})
	})
}
