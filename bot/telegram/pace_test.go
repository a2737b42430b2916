package telegram

import (
	"testing"
	"time"
)

func TestPacer(t *testing.T) {
	now := start
	t.Run("a person's chat gets one message a second", func(t *testing.T) {
		p := newPacer()
		if p.reserve(int64(42), now) != 0 {
			t.Fatal("first message held")
		}
		if w := p.reserve(int64(42), now.Add(300*time.Millisecond)); w != 700*time.Millisecond {
			t.Fatalf("second message waits %v", w)
		}
		if p.reserve(int64(42), now.Add(time.Second)) != 0 {
			t.Fatal("held after a second")
		}
	})
	t.Run("a group gets twenty a minute", func(t *testing.T) {
		p := newPacer()
		for i := range 20 {
			if w := p.reserve(int64(-100500), now.Add(time.Duration(i)*100*time.Millisecond)); w != 0 {
				t.Fatalf("message %d waits %v", i, w)
			}
		}
		if w := p.reserve("-100500", now.Add(3*time.Second)); w != 57*time.Second {
			t.Fatalf("the 21st waits %v", w)
		}
	})
	t.Run("a burst to many chats keeps thirty a second and no chat over its limit", func(t *testing.T) {
		p := newPacer()
		// 1,000 notifications to 100 chats, each sent when the pacer
		// allows: a simulated clock stepping 10 ms.
		type msg struct{ chat int64 }
		var queue []msg
		for i := range 1000 {
			queue = append(queue, msg{chat: int64(i % 100)})
		}
		perSecond := map[int64]int{}
		perChatSecond := map[[2]int64]int{}
		clock := now
		for len(queue) > 0 {
			var rest []msg
			for _, m := range queue {
				if p.reserve(m.chat, clock) == 0 {
					s := int64(clock.Sub(now) / time.Second)
					perSecond[s]++
					perChatSecond[[2]int64{m.chat, s}]++
				} else {
					rest = append(rest, m)
				}
			}
			queue = rest
			clock = clock.Add(10 * time.Millisecond)
		}
		for s, n := range perSecond {
			if n > 30 {
				t.Fatalf("second %d: %d messages", s, n)
			}
		}
		for k, n := range perChatSecond {
			if n > 1 {
				t.Fatalf("chat %d got %d messages in second %d", k[0], n, k[1])
			}
		}
		if took := clock.Sub(now); took > 40*time.Second {
			t.Fatalf("burst took %v", took)
		} else {
			t.Logf("1,000 messages to 100 chats in %v (simulated)", took)
		}
	})
}
