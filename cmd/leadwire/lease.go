package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"leadwire/core"
)

// Lease timing of serve: a replica asks for a free lease every leaseEvery,
// holds it for leaseTTL and renews it every leaseEvery, so a replica that
// dies is replaced within leaseTTL+leaseEvery (well within a minute).
const (
	leaseTTL   = 30 * time.Second
	leaseEvery = 10 * time.Second
)

// leaseStore is what a leaser needs of the store.
type leaseStore interface {
	TryLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// leaser runs the parts that must have a single owner among the replicas
// on one database (an IMAP mailbox, the Telegram long polling): each only
// while this process holds its lease.
type leaser struct {
	store  leaseStore
	holder string        // this process: host, pid and a random part
	ttl    time.Duration // how long a taken or renewed lease lasts
	every  time.Duration // how often to ask for the lease and to renew it
	clock  core.Clock
	log    *slog.Logger
}

// newLeaser returns a leaser with serve's timing and a holder id naming
// this process.
func newLeaser(store leaseStore, clock core.Clock, log *slog.Logger) *leaser {
	return &leaser{store: store, holder: leaseHolder(), ttl: leaseTTL, every: leaseEvery, clock: clock, log: log}
}

// leaseHolder names this process among the replicas: "host:pid:random";
// the random part tells apart two processes that reuse a pid (containers).
func leaseHolder() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	b := make([]byte, 6)
	rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

// run runs fn while holding the lease name, until ctx ends; then it
// returns nil. Without the lease it asks again every l.every. Holding it,
// it renews it every l.every; when the lease is lost to another replica,
// or cannot be renewed before it expires, fn's context is cancelled and,
// once fn has returned, run asks again. When fn returns while ctx goes on,
// the lease is released and fn's error returned (nil: asked again). When
// ctx ends, fn's context ends with it and the lease is released once fn
// has returned, so another replica takes over at once.
func (l *leaser) run(ctx context.Context, name string, fn func(context.Context) error) error {
	log := l.log.With("lease", name)
	for {
		ok, err := l.store.TryLease(ctx, name, l.holder, l.ttl, l.clock.Now())
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			log.Warn("lease not taken; asking again", "err", err, "retry_in", l.every)
		}
		if ok {
			if err := l.hold(ctx, name, fn, log); err != nil || ctx.Err() != nil {
				return err
			}
		}
		t := time.NewTimer(l.every)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// hold runs fn under the lease just taken until fn returns or the lease
// is lost.
func (l *leaser) hold(ctx context.Context, name string, fn func(context.Context) error, log *slog.Logger) error {
	log.Info("lease taken; running", "holder", l.holder)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(runCtx) }()
	held := l.clock.Now().Add(l.ttl) // the lease is surely ours until then
	tick := time.NewTicker(l.every)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			l.release(name, log)
			return err
		case <-tick.C:
		}
		if ctx.Err() != nil {
			continue // fn is stopping; done comes next
		}
		now := l.clock.Now()
		ok, err := l.store.TryLease(ctx, name, l.holder, l.ttl, now)
		switch {
		case ok:
			held = now.Add(l.ttl)
			continue
		case err == nil:
			log.Warn("lease taken over by another replica; stopping here")
		case now.Add(l.every).Before(held):
			// One failed renewal is not yet a lost lease: the next try
			// still comes before it expires.
			log.Warn("lease not renewed; trying again before it expires", "err", err)
			continue
		default:
			log.Error("lease not renewed and about to expire; stopping here", "err", err)
		}
		cancel()
		if err := <-done; err != nil {
			log.Warn("stopped without its lease", "err", err)
		}
		return nil
	}
}

// release gives the lease up, even when ctx has ended (shutdown), so
// another replica need not wait for it to expire.
func (l *leaser) release(name string, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := l.store.ReleaseLease(ctx, name, l.holder); err != nil {
		log.Warn("lease not released; it expires on its own", "err", err, "within", l.ttl)
		return
	}
	log.Info("lease released")
}
