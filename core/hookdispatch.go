package core

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// HookGiveUp is how long a subscription may fail before it is disabled:
// its deliveries are retried with growing pauses until then.
const HookGiveUp = 72 * time.Hour

// Pauses between attempts of one delivery: doubling from the first to
// the last (1s, 2s, 4s, … 6h), so a receiver that drops one request is
// caught up within seconds and one that is down is asked about 20 times
// in HookGiveUp.
const (
	hookFirstRetry = time.Second
	hookMaxRetry   = 6 * time.Hour
)

// HookMessage is one event to post to one receiver.
type HookMessage struct {
	ID     string
	Type   EventType
	At     time.Time // when it is sent
	Body   []byte
	URL    string
	Secret string
}

// HookResult is what a receiver answered.
type HookResult struct {
	Status     int // 0: no answer
	Latency    time.Duration
	Excerpt    string
	Err        error         // nil: taken (2xx)
	RetryAfter time.Duration // the receiver's Retry-After, if any
}

// HookSender posts events; connectors/hooks implements it.
type HookSender interface {
	SendHook(ctx context.Context, m HookMessage) HookResult
}

// EventRenderer writes an event as receivers get it: its id, type, time
// and the record as the API writes it.
type EventRenderer func(e HookEvent) ([]byte, error)

// HookDispatcher delivers the outbox: the due deliveries, at most one a
// record and subscription at a time so each record's events arrive in
// order, each retried with growing pauses until HookGiveUp.
type HookDispatcher struct {
	svc     *Service
	box     Sealer
	send    HookSender
	render  EventRenderer
	workers int

	mu      sync.Mutex
	secrets map[int64]string // by hook id, opened once
}

// NewHookDispatcher returns a dispatcher that opens secrets with box,
// renders bodies with render and posts them with send, workers at once
// (0: 16).
func NewHookDispatcher(svc *Service, box Sealer, send HookSender, render EventRenderer, workers int) *HookDispatcher {
	if workers <= 0 {
		workers = 16
	}
	return &HookDispatcher{svc: svc, box: box, send: send, render: render, workers: workers, secrets: map[int64]string{}}
}

// hookBackoff is the pause after the nth failed attempt, with a little
// jitter so that many failing deliveries do not come back at once.
func hookBackoff(n int) time.Duration {
	d := hookFirstRetry
	for i := 1; i < n && d < hookMaxRetry; i++ {
		d *= 2
	}
	d = min(d, hookMaxRetry)
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

type hookAttempt struct {
	due DueDelivery
	res HookResult
}

// Round makes up to limit due deliveries and records how each went; it
// returns how many it attempted. A crash between sending and recording
// sends again: receivers drop repeats by the event id.
func (d *HookDispatcher) Round(ctx context.Context, limit int) (int, error) {
	s := d.svc
	due, err := s.store.DueHookDeliveries(ctx, s.clock.Now(), limit)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	hooks, err := s.store.ListHooks(ctx)
	if err != nil {
		return 0, err
	}
	byID := map[int64]*Hook{}
	for i := range hooks {
		byID[hooks[i].ID] = &hooks[i]
	}
	out := make([]hookAttempt, len(due))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(d.workers, len(due)) {
		wg.Go(func() {
			for i := range work {
				out[i] = hookAttempt{due[i], d.attempt(ctx, byID[due[i].HookID], due[i])}
			}
		})
	}
	for i := range due {
		work <- i
	}
	close(work)
	wg.Wait()
	if ctx.Err() != nil {
		return 0, ctx.Err() // cut short: what was sent goes again
	}
	return len(out), s.store.Update(ctx, func(tx Tx) error { return d.record(ctx, tx, byID, out) })
}

// attempt posts one delivery.
func (d *HookDispatcher) attempt(ctx context.Context, h *Hook, due DueDelivery) HookResult {
	if h == nil {
		return HookResult{Err: errors.New("the subscription is gone")}
	}
	secret, err := d.secret(h)
	if err != nil {
		return HookResult{Err: err}
	}
	body, err := d.render(due.Event)
	if err != nil {
		return HookResult{Err: fmt.Errorf("render %s: %w", due.EventID, err)}
	}
	return d.send.SendHook(ctx, HookMessage{ID: due.EventID, Type: due.EventType, At: d.svc.clock.Now(), Body: body, URL: h.URL, Secret: secret})
}

func (d *HookDispatcher) secret(h *Hook) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.secrets[h.ID]; ok {
		return s, nil
	}
	s, err := OpenHookSecret(d.box, h)
	if err == nil {
		d.secrets[h.ID] = s
	}
	return s, err
}

// record saves the attempts of a round: a taken delivery is done, a
// failed one waits its pause, and a subscription failing past HookGiveUp
// is disabled and every active admin told, once.
func (d *HookDispatcher) record(ctx context.Context, tx Tx, hooks map[int64]*Hook, attempts []hookAttempt) error {
	now := d.svc.clock.Now()
	failing := map[int64]string{} // hook id → last error, this round
	ok := map[int64]bool{}
	for _, a := range attempts {
		del := a.due.HookDelivery
		del.Attempts++
		del.LastAt, del.Status, del.Latency, del.Excerpt = now, a.res.Status, a.res.Latency, a.res.Excerpt
		if a.res.Err == nil {
			del.State, del.Error, del.DeliveredAt = DeliveryDelivered, "", now
			ok[del.HookID] = true
		} else {
			del.Error = truncate(a.res.Err.Error(), 500)
			del.NextAt = now.Add(max(hookBackoff(del.Attempts), a.res.RetryAfter))
			failing[del.HookID] = del.Error
		}
		if err := tx.UpdateHookDelivery(ctx, &del); err != nil {
			return err
		}
	}
	for id := range ok {
		if h := hooks[id]; h != nil && !h.FailingSince.IsZero() {
			if err := tx.SetHookFailing(ctx, id, time.Time{}); err != nil {
				return err
			}
		}
	}
	for id, why := range failing {
		h := hooks[id]
		if h == nil || ok[id] {
			continue
		}
		if h.FailingSince.IsZero() {
			if err := tx.SetHookFailing(ctx, id, now); err != nil {
				return err
			}
			continue
		}
		if now.Sub(h.FailingSince) < HookGiveUp {
			continue
		}
		if err := tx.DisableHook(ctx, id, now, why); err != nil {
			return err
		}
		d.svc.log.Warn("webhook disabled after failing too long", "hook", id, "since", h.FailingSince, "err", why)
		if err := d.svc.announceHookDisabled(ctx, tx, h, why); err != nil {
			return err
		}
	}
	return nil
}

// announceHookDisabled tells every active admin, once, that a
// subscription was disabled.
func (s *Service) announceHookDisabled(ctx context.Context, tx Tx, h *Hook, why string) error {
	admins, err := tx.ListUsers(ctx, UserFilter{Role: RoleAdmin})
	if err != nil {
		return err
	}
	for _, u := range admins {
		if !u.Active {
			continue
		}
		n := Notice{Kind: NoticeHookDisabled, UserID: u.ID, HookID: h.ID, Text: h.URL, Key: NoticeKey("hook-disabled", h.ID)}
		if _, err := s.Notices.Announce(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s[:n])
	return string(r[:len(r)-1]) + "…"
}

// HookLogKept is how long the delivery log keeps a delivery made or
// given up.
const HookLogKept = 30 * 24 * time.Hour

// Prune drops the delivery log older than HookLogKept.
func (d *HookDispatcher) Prune(ctx context.Context) (int64, error) {
	var n int64
	err := d.svc.store.Update(ctx, func(tx Tx) error {
		var err error
		n, err = tx.PruneHookDeliveries(ctx, d.svc.clock.Now().Add(-HookLogKept))
		return err
	})
	return n, err
}

// Run makes rounds until ctx ends: at once while there is more to send,
// else every pause (after a failure, every few seconds); it prunes the
// log once an hour.
func (d *HookDispatcher) Run(ctx context.Context, pause time.Duration) error {
	const batch = 200
	var pruned time.Time
	for {
		if time.Since(pruned) > time.Hour {
			if n, err := d.Prune(ctx); err != nil {
				d.svc.log.Warn("webhook log not pruned", "err", err)
			} else if n > 0 {
				d.svc.log.Info("webhook log pruned", "deliveries", n)
			}
			pruned = time.Now()
		}
		n, err := d.Round(ctx, batch)
		if ctx.Err() != nil {
			return nil
		}
		wait := pause
		switch {
		case err != nil:
			d.svc.log.Error("webhook round failed", "err", err)
			wait = max(pause, 5*time.Second)
		case n == batch:
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}
