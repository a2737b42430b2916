package telegram

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Telegram's limits on what a bot sends: about one message a second to a
// chat, twenty a minute to a group, thirty a second in all.
var (
	chatLimit   = limit{n: 1, per: time.Second}
	groupLimit  = limit{n: 20, per: time.Minute}
	globalLimit = limit{n: 30, per: time.Second}
)

type limit struct {
	n   int
	per time.Duration
}

// pacer keeps queued messages (notifications) within Telegram's limits:
// reserve either books a send now or says how long to wait, and the job
// is snoozed that long. It counts this process's sends only; Telegram's
// 429 with retry_after catches the rest.
type pacer struct {
	mu     sync.Mutex
	byChat map[string][]time.Time
	all    []time.Time
}

func newPacer() *pacer { return &pacer{byChat: map[string][]time.Time{}} }

// isGroup tells a group or channel (a negative id, or an @name) from a
// person's private chat.
func isGroup(chat any) bool {
	switch c := chat.(type) {
	case int64:
		return c < 0
	case string:
		return strings.HasPrefix(c, "@") || strings.HasPrefix(c, "-")
	}
	return false
}

// reserve books a message to chat at now and returns 0, or returns how
// long until one may be sent, booking nothing.
func (p *pacer) reserve(chat any, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := fmt.Sprint(chat)
	lim := chatLimit
	if isGroup(chat) {
		lim = groupLimit
	}
	mine := prune(p.byChat[key], now, lim.per)
	p.all = prune(p.all, now, globalLimit.per)
	wait := max(waitFor(mine, now, lim), waitFor(p.all, now, globalLimit))
	if wait > 0 {
		p.byChat[key] = mine
		return wait
	}
	p.byChat[key] = append(mine, now)
	p.all = append(p.all, now)
	if len(p.byChat) > 10000 {
		for k, ts := range p.byChat {
			if len(prune(ts, now, time.Minute)) == 0 {
				delete(p.byChat, k)
			}
		}
	}
	return 0
}

// prune drops the times before the window ending at now.
func prune(ts []time.Time, now time.Time, per time.Duration) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-per)) {
		i++
	}
	return ts[i:]
}

// waitFor is how long until ts (within the window) leaves room for one
// more under l.
func waitFor(ts []time.Time, now time.Time, l limit) time.Duration {
	if len(ts) < l.n {
		return 0
	}
	return ts[len(ts)-l.n].Add(l.per).Sub(now)
}
