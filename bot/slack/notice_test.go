package slack

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/slacktest"
	"leadwire/storage/storagetest"
)

func TestNotify(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	now := start
	w.adapter.now = func() time.Time { return now }
	niran := w.users["niran"]
	dealID := w.deal("Bangkok", "niran", "somsak@example.com")
	task, err := w.svc.FollowUp(w.ctx, niran, core.Ref{Kind: 'D', ID: dealID}, "Call Somsak back", start.Add(time.Hour))
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
	t.Run("a reminder is a DM to the owner with Done and Snooze", func(t *testing.T) {
		w.api.take()
		if err := w.adapter.Notify(w.ctx, reminder); err != nil {
			t.Fatal(err)
		}
		calls := w.api.take()
		if len(calls) != 1 || calls[0].Method != "chat.postMessage" || calls[0].Param("channel") != "U0NIRAN" {
			t.Fatalf("calls %v", methods(calls))
		}
		blocks := calls[0].Param("blocks")
		for _, want := range []string{"Call Somsak back", fmt.Sprintf("done:T%d", task.ID), fmt.Sprintf("snooze:T%d:1h", task.ID)} {
			if !strings.Contains(blocks, want) {
				t.Errorf("blocks lack %q: %s", want, blocks)
			}
		}
	})
	t.Run("a second message to the DM within a second waits its turn", func(t *testing.T) {
		now = now.Add(300 * time.Millisecond)
		snoozed(t, w.adapter.Notify(w.ctx, reminder), 700*time.Millisecond)
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("calls %v", methods(calls))
		}
	})
	t.Run("another user's DM is not held up", func(t *testing.T) {
		n := core.Notice{Kind: core.NoticeText, UserID: w.users["pim"].ID, Text: "Quarter closes Friday", Key: "t1"}
		if err := w.adapter.Notify(w.ctx, n); err != nil {
			t.Fatal(err)
		}
		if calls := w.api.take(); len(calls) != 1 || calls[0].Param("channel") != "U0PIM" {
			t.Fatalf("calls %v", methods(calls))
		}
	})
	t.Run("a 429 snoozes for Retry-After", func(t *testing.T) {
		now = now.Add(2 * time.Second)
		w.api.Limit(1, 30*time.Second)
		snoozed(t, w.adapter.Notify(w.ctx, reminder), 30*time.Second)
	})
	t.Run("a rotting deal goes with its card and how long it has been idle", func(t *testing.T) {
		now = now.Add(2 * time.Second)
		w.api.take()
		if err := w.adapter.Notify(w.ctx, core.Notice{Kind: core.NoticeRotting, UserID: niran.ID, DealID: dealID, Key: "r"}); err != nil {
			t.Fatal(err)
		}
		calls := w.api.take()
		if len(calls) != 1 || !strings.Contains(calls[0].Param("text"), "no activity for 0 days") {
			t.Fatalf("calls %+v", calls)
		}
	})
	t.Run("Slack's channel_not_found is undeliverable", func(t *testing.T) {
		gone := slacktest.New(t)
		gone.Refuse("", "channel_not_found")
		a := New(w.conv, w.svc, Options{BotToken: "xoxb-test", APIURL: gone.APIURL()})
		if err := a.Notify(w.ctx, reminder); !errors.Is(err, core.ErrUndeliverable) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("someone without Slack is undeliverable", func(t *testing.T) {
		err := w.adapter.Notify(w.ctx, core.Notice{Kind: core.NoticeText, UserID: w.users["ada"].ID, Text: "hi", Key: "t2"})
		if !errors.Is(err, core.ErrUndeliverable) {
			t.Fatalf("got %v", err)
		}
	})
}

// TestNoticeDeliveredAgainIsNotPostedTwice: a notice whose job runs again
// (its earlier attempt failed, or its replica died after Slack took the
// post) looks in the channel for the post it carries in its metadata,
// and posts only when it is not there.
func TestNoticeDeliveredAgainIsNotPostedTwice(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	now := start
	w.adapter.now = func() time.Time { now = now.Add(2 * time.Second); return now } // never paced
	niran := w.users["niran"]
	again := core.WithRedelivery(w.ctx, start.Add(-time.Hour))
	notice := func(key string) core.Notice {
		return core.Notice{Kind: core.NoticeText, UserID: niran.ID, Text: "Quarter closes Friday", Key: key}
	}
	posts := func(calls []call) int {
		return len(slices.DeleteFunc(slices.Clone(calls), func(c call) bool { return c.Method != "chat.postMessage" }))
	}

	t.Run("a first delivery posts with its key in the metadata, and does not look", func(t *testing.T) {
		w.api.take()
		if err := w.adapter.Notify(w.ctx, notice("n1")); err != nil {
			t.Fatal(err)
		}
		calls := w.api.take()
		if got := strings.Join(methods(calls), ","); got != "chat.postMessage" || !strings.Contains(calls[0].Param("metadata"), `"key":"n1"`) {
			t.Fatalf("calls %s, metadata %s", got, calls[0].Param("metadata"))
		}
	})
	t.Run("delivered again, it finds the post in the DM and posts nothing", func(t *testing.T) {
		if err := w.adapter.Notify(again, notice("n1")); err != nil {
			t.Fatal(err)
		}
		calls := w.api.take()
		if got := strings.Join(methods(calls), ","); got != "conversations.open,conversations.history" {
			t.Fatalf("calls %s", got)
		}
		if calls[1].Param("channel") != "D0U0NIRAN" || calls[1].Param("include_all_metadata") != "1" {
			t.Fatalf("history asked %v", calls[1].Form)
		}
	})
	t.Run("delivered again when the first attempt never reached Slack, it posts", func(t *testing.T) {
		if err := w.adapter.Notify(again, notice("n2")); err != nil {
			t.Fatal(err)
		}
		if n := posts(w.api.take()); n != 1 {
			t.Fatalf("%d posts", n)
		}
	})
	t.Run("a team channel is read as it is", func(t *testing.T) {
		team := core.Notice{Kind: core.NoticeText, TeamID: niran.TeamID, Text: "New price list", Key: "n3"}
		if err := w.adapter.Notify(w.ctx, team); err != nil {
			t.Fatal(err)
		}
		w.api.take()
		if err := w.adapter.Notify(again, team); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(methods(w.api.take()), ","); got != "conversations.history" {
			t.Fatalf("calls %s", got)
		}
	})
	t.Run("a digest found without its charts (the earlier delivery died between) gets them, once", func(t *testing.T) {
		w.deal("Bangkok", "niran", "ploy@siam.example") // a funnel to draw
		digest := core.Notice{Kind: core.NoticeDigest, UserID: w.users["somchai"].ID, Date: "2026-11-02", Key: "digest:somchai:2026-11-02"}
		w.api.take()
		w.api.Refuse("files.getUploadURLExternal", "internal_error")
		if err := w.adapter.Notify(w.ctx, digest); err == nil {
			t.Fatal("a failed upload was not an error")
		}
		w.api.Refuse("files.getUploadURLExternal", "")
		if n := posts(w.api.take()); n != 1 {
			t.Fatalf("%d posts", n)
		}
		if err := w.adapter.Notify(again, digest); err != nil {
			t.Fatal(err)
		}
		calls := w.api.take()
		if n := posts(calls); n != 0 {
			t.Fatalf("the digest was posted again (%d)", n)
		}
		var uploaded []string
		for _, c := range calls {
			if c.Method == "files.getUploadURLExternal" {
				uploaded = append(uploaded, c.Param("filename"))
			}
			if c.Method == "files.completeUploadExternal" && c.Param("channel_id") != "D0U0SOMCHAI" {
				t.Errorf("shared in %q", c.Param("channel_id"))
			}
		}
		if !slices.Contains(uploaded, "funnel.png") {
			t.Fatalf("charts shared %v, calls %s", uploaded, methods(calls))
		}
		if err := w.adapter.Notify(again, digest); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(methods(w.api.take()), ","); got != "conversations.open,conversations.history" {
			t.Fatalf("a third delivery: calls %s", got)
		}
	})
	t.Run("when the channel cannot be read, it posts rather than lose the notice", func(t *testing.T) {
		w.api.Refuse("conversations.history", "missing_scope")
		if err := w.adapter.Notify(again, notice("n1")); err != nil {
			t.Fatal(err)
		}
		if n := posts(w.api.take()); n != 1 {
			t.Fatalf("%d posts", n)
		}
	})
}
