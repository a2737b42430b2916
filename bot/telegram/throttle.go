package telegram

import (
	"sync"
	"time"
)

// Link code failures allowed from one chat within the window.
const (
	linkFailures = 5
	linkWindow   = 10 * time.Minute
)

// throttle counts failures by chat in a sliding window; a chat with max
// failures in the window is refused until the oldest leaves it.
type throttle struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	byChat map[int64][]time.Time
}

func newThrottle(max int, window time.Duration) *throttle {
	return &throttle{max: max, window: window, byChat: map[int64][]time.Time{}}
}

// allow reports whether the chat may try again at now.
func (t *throttle) allow(chat int64, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.recent(chat, now)) < t.max
}

// add counts a failure of the chat at now.
func (t *throttle) add(chat int64, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byChat[chat] = append(t.recent(chat, now), now)
	if len(t.byChat) > 10000 {
		for c := range t.byChat { // forget chats whose failures are old
			if len(t.recent(c, now)) == 0 {
				delete(t.byChat, c)
			}
		}
	}
}

// recent drops the chat's failures older than the window; t.mu is held.
func (t *throttle) recent(chat int64, now time.Time) []time.Time {
	ts := t.byChat[chat]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= t.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(t.byChat, chat)
		return nil
	}
	t.byChat[chat] = ts
	return ts
}
