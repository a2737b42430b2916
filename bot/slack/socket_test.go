package slack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/slacktest"
	"leadwire/storage/storagetest"
)

func TestSocketMode(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	lead := w.lead("Bangkok", "Somsak", "somsak@siam.example")
	deal := w.deal("Bangkok", "niran", "ploy@siam.example")
	ref, dref := core.LeadRef(lead), core.DealRef(deal)
	ws := slacktest.NewSocket(t)
	w.api.SocketURL(ws.URL())
	w.adapter.opts.AppToken = "xapp-1-test"

	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- w.adapter.RunSocket(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-stopped
	})
	select {
	case <-ws.Hello:
	case <-time.After(20 * time.Second):
		t.Fatal("no connection within 20 s")
	}
	if calls := w.api.take(); len(calls) != 1 || calls[0].Method != "apps.connections.open" {
		t.Fatalf("calls %v", methods(calls))
	}

	t.Run("a slash command is acknowledged with its answer", func(t *testing.T) {
		ws.Send <- map[string]any{"envelope_id": "E1", "type": "slash_commands", "accepts_response_payload": true,
			"payload": map[string]any{"team_id": "T0ACME", "channel_id": "C0BKK", "user_id": "U0NIRAN", "command": "/lw",
				"text": "deal " + dref, "response_url": w.api.URL + "/response/socket", "trigger_id": "1.2.3", "api_app_id": "A0LW"}}
		ack := ws.Ack("E1")
		b, _ := json.Marshal(ack["payload"])
		if !strings.Contains(string(b), `"response_type":"ephemeral"`) || !strings.Contains(string(b), "Somsak") {
			t.Fatalf("ack payload %s", b)
		}
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("calls %v", methods(calls))
		}
	})
	t.Run("a slow slash command is acknowledged at once and followed up", func(t *testing.T) {
		ws.Send <- map[string]any{"envelope_id": "E2", "type": "slash_commands", "accepts_response_payload": true,
			"payload": map[string]any{"channel_id": "C0BKK", "user_id": "U0SOMCHAI", "command": "/lw", "text": "stats team",
				"response_url": w.api.URL + "/response/socket"}}
		ack := ws.Ack("E2")
		if b, _ := json.Marshal(ack["payload"]); !strings.Contains(string(b), "Working on it") {
			t.Fatalf("ack payload %s", b)
		}
		if calls := w.api.await(1); calls[0].Method != "response" {
			t.Fatalf("calls %v", methods(calls))
		}
	})
	t.Run("a button press is acknowledged and updates the card", func(t *testing.T) {
		ws.Send <- map[string]any{"envelope_id": "E3", "type": "interactive", "accepts_response_payload": false,
			"payload": w.pressIn("U0PIM", "C0BKK", "1793610000.000100", "claim:"+ref)}
		ws.Ack("E3")
		calls := w.api.take()
		if len(calls) != 1 || calls[0].Method != "chat.update" || !strings.Contains(calls[0].Param("blocks"), "claimed by Pim Jaidee") {
			t.Fatalf("calls %v", methods(calls))
		}
	})
	t.Run("a mention is acknowledged and answered in its thread, once", func(t *testing.T) {
		event := map[string]any{"token": "legacy", "team_id": "T0ACME", "api_app_id": "A0LW", "type": "event_callback",
			"event_id": "Ev101", "event_time": start.Unix(),
			"event": map[string]any{"type": "app_mention", "user": "U0NIRAN", "text": "<@U0BOT> won " + dref,
				"ts": "1793610000.000500", "channel": "C0BKK", "event_ts": "1793610000.000500"}}
		ws.Send <- map[string]any{"envelope_id": "E4", "type": "events_api", "accepts_response_payload": false, "payload": event}
		if ack := ws.Ack("E4"); ack["payload"] != nil {
			t.Fatalf("ack %v", ack)
		}
		calls := w.api.await(1)
		if len(calls) != 1 || calls[0].Method != "chat.postMessage" || calls[0].Param("thread_ts") != "1793610000.000500" {
			t.Fatalf("calls %v", methods(calls))
		}
		if d, _ := w.db.DealByID(w.ctx, deal); d.Status != core.DealWon {
			t.Fatalf("deal is %s", d.Status)
		}
		// A retry is acknowledged too; that it was not acted on shows
		// once the handlers are done, when RunSocket has returned.
		ws.Send <- map[string]any{"envelope_id": "E5", "type": "events_api", "retry_attempt": 1, "retry_reason": "timeout", "payload": event}
		ws.Ack("E5")
	})
	t.Run("it stops when its context ends, its handlers done", func(t *testing.T) {
		cancel()
		select {
		case err := <-stopped:
			if err != nil {
				t.Fatal(err)
			}
			stopped <- nil // for the cleanup
		case <-time.After(20 * time.Second):
			t.Fatal("still running 20 s after cancel")
		}
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("the retried event was acted on again: %v", methods(calls))
		}
	})
}
