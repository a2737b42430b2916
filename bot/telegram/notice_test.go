package telegram

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"leadwire/core"
)

func TestNotify(t *testing.T) {
	w := newWorld(t)
	w.link("niran", 7001)
	niran, _ := w.db.UserByID(w.ctx, w.users["niran"].ID)
	task, err := w.svc.AddTask(w.ctx, niran, "Call Somsak back", start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	reminder := core.Notice{Kind: core.NoticeReminder, UserID: niran.ID, TaskID: task.ID, Key: core.ReminderKey(task.ID, task.DueAt)}
	snoozed := func(t *testing.T, err error, want time.Duration) {
		t.Helper()
		if after, ok := core.RetryAfterOf(err); !ok || after != want {
			t.Fatalf("got %v, want a snooze of %s", err, want)
		}
	}
	t.Run("a reminder goes to the owner's chat with Done and Snooze", func(t *testing.T) {
		w.api.take()
		if err := w.adapter.Notify(w.ctx, reminder); err != nil {
			t.Fatal(err)
		}
		m := sent(t, w.api.take())
		if m.Params["chat_id"] != "7001" || !strings.Contains(m.Params["text"], "Call Somsak back") {
			t.Fatalf("sent %v", m.Params)
		}
		b := buttons(t, m)
		if !slices.Contains(b, fmt.Sprintf("done:T%d", task.ID)) || !slices.Contains(b, fmt.Sprintf("snooze:T%d:1h", task.ID)) {
			t.Fatalf("buttons %v", b)
		}
	})
	t.Run("a second message to the chat within a second waits its turn", func(t *testing.T) {
		snoozed(t, w.adapter.Notify(w.ctx, reminder), time.Second)
		if calls := only(w.api.take(), "sendMessage"); len(calls) != 0 {
			t.Fatalf("sent %v", calls)
		}
	})
	t.Run("a 429 snoozes for retry_after", func(t *testing.T) {
		w.clock.Advance(2 * time.Second)
		w.api.Limit(1)
		snoozed(t, w.adapter.Notify(w.ctx, reminder), time.Second)
	})
	t.Run("an unclaimed lead goes to the team's group with Claim", func(t *testing.T) {
		id := w.lead("Somsak", "somsak@example.com")
		w.api.take()
		if err := w.adapter.Notify(w.ctx, core.Notice{Kind: core.NoticeUnclaimed, TeamID: niran.TeamID, LeadID: id, Key: "u"}); err != nil {
			t.Fatal(err)
		}
		m := sent(t, w.api.take())
		if m.Params["chat_id"] != "-100500" || !strings.Contains(m.Params["text"], "unclaimed") || !slices.Contains(buttons(t, m), fmt.Sprintf("claim:L%d", id)) {
			t.Fatalf("sent %v", m.Params)
		}
	})
	t.Run("a disabled webhook is told with its URL escaped", func(t *testing.T) {
		w.clock.Advance(2 * time.Second)
		w.api.take()
		n := core.Notice{Kind: core.NoticeHookDisabled, UserID: niran.ID, HookID: 7, Text: "https://hooks.example.com/a?b=<i>&c", Key: "hook-disabled:7"}
		if err := w.adapter.Notify(w.ctx, n); err != nil {
			t.Fatal(err)
		}
		m := sent(t, w.api.take())
		if text := m.Params["text"]; !strings.Contains(text, "Webhook 7 to https://hooks.example.com/a?b=&lt;i&gt;&amp;c is turned off") {
			t.Fatalf("sent %q", text)
		}
	})
	t.Run("someone without Telegram is undeliverable", func(t *testing.T) {
		err := w.adapter.Notify(w.ctx, core.Notice{Kind: core.NoticeText, UserID: w.users["pim"].ID, Text: "hi", Key: "t"})
		if !errors.Is(err, core.ErrUndeliverable) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a user who blocked the bot is undeliverable", func(t *testing.T) {
		blocked := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(http.StatusForbidden)
			rw.Write([]byte(`{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`))
		}))
		defer blocked.Close()
		a, err := New(w.conv, w.svc, Options{Token: token, APIURL: blocked.URL})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Notify(w.ctx, reminder); !errors.Is(err, core.ErrUndeliverable) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a task gone is core's not found", func(t *testing.T) {
		w.clock.Advance(2 * time.Second)
		err := w.adapter.Notify(w.ctx, core.Notice{Kind: core.NoticeReminder, UserID: niran.ID, TaskID: 9999, Key: "gone"})
		if !core.IsNotFound(err) {
			t.Fatalf("got %v", err)
		}
	})
}

// TestDigestGoesOutInParts: a digest is its message and its charts, each
// paced as a message and remembered once Telegram has it, so whatever
// brings its job back (a snooze for the pace, a 429 on a photo, a
// retry) sends only what is missing, never the digest twice.
func TestDigestGoesOutInParts(t *testing.T) {
	w := newWorld(t)
	w.link("somchai", 7100)
	somchai, _ := w.db.UserByID(w.ctx, w.users["somchai"].ID)
	niran := w.users["niran"]
	lead := w.lead("Somsak", "somsak@siam.example")
	if _, err := w.svc.Claim(w.ctx, niran, lead); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Qualify(w.ctx, niran, lead, core.QualifyInput{}); err != nil {
		t.Fatal(err)
	}
	digest := core.Notice{Kind: core.NoticeDigest, UserID: somchai.ID, Date: "2026-11-02", Key: "digest:somchai:2026-11-02"}
	reply, err := w.conv.NoticeReply(w.ctx, digest)
	if err != nil || len(reply.Charts) == 0 {
		t.Fatalf("no charts to send: %d, %v", len(reply.Charts), err)
	}
	w.api.take()
	w.api.LimitMethod("sendPhoto", 1)
	var calls []call
	for try := 0; ; try++ {
		if try > 10 {
			t.Fatalf("not delivered in 10 tries: %v", names(calls))
		}
		err := w.adapter.Notify(w.ctx, digest)
		calls = append(calls, w.api.take()...)
		if err == nil {
			break
		}
		after, ok := core.RetryAfterOf(err)
		if !ok {
			t.Fatalf("try %d: %v", try, err)
		}
		w.clock.Advance(after)
	}
	// The message, a photo paced to the next second and refused once
	// (429), sent again, then each other photo a second apart.
	want := []string{"sendMessage", "sendPhoto", "sendPhoto"}
	for range reply.Charts[1:] {
		want = append(want, "sendPhoto")
	}
	if got := names(calls); !slices.Equal(got, want) {
		t.Fatalf("calls %v, want %v", got, want)
	}
	for i, ch := range reply.Charts {
		if p := calls[2+i].Params["photo"]; !strings.HasPrefix(p, ch.Name+":") {
			t.Errorf("photo %d is %.20q, want %s", i, p, ch.Name)
		}
	}
	t.Run("delivered again, it sends nothing", func(t *testing.T) {
		w.clock.Advance(time.Minute)
		if err := w.adapter.Notify(w.ctx, digest); err != nil {
			t.Fatal(err)
		}
		if got := names(w.api.take()); len(got) != 0 {
			t.Fatalf("sent again: %v", got)
		}
	})
}
