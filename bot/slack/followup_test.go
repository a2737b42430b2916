package slack

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"leadwire/storage/storagetest"
)

// gate holds slow work until released, and says when work has started.
type gate struct {
	started chan struct{}
	release chan struct{}
}

func newGate(w *world) *gate {
	g := &gate{started: make(chan struct{}, 16), release: make(chan struct{})}
	w.adapter.slowHook = func(ctx context.Context) {
		g.started <- struct{}{}
		select {
		case <-g.release:
		case <-ctx.Done():
		}
	}
	return g
}

func TestSlowCommands(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	w.deal("Bangkok", "niran", "ploy@siam.example")

	t.Run("a slow command is acknowledged before its work is done, and answered through response_url", func(t *testing.T) {
		g := newGate(w)
		typ, body := reply(t, w.command("U0SOMCHAI", "stats team"))
		// The HTTP answer is here while the work is still held at the gate.
		<-g.started
		if typ != "ephemeral" || !strings.Contains(body, "Working on it") {
			t.Fatalf("acknowledgement %s %s", typ, body)
		}
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("answered before the work was done: %v", methods(calls))
		}
		close(g.release)
		calls := w.api.await(1)
		if len(calls) != 1 || calls[0].Method != "response" {
			t.Fatalf("calls %v", methods(calls))
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(calls[0].Raw), &m); err != nil {
			t.Fatal(err)
		}
		if m["replace_original"] != false || strings.Contains(calls[0].Raw, "Working on it") || m["blocks"] == nil {
			t.Fatalf("follow-up %s", calls[0].Raw)
		}
	})
	t.Run("a quick command is answered in the response", func(t *testing.T) {
		w.adapter.slowHook = nil
		_, body := reply(t, w.command("U0NIRAN", "pipeline"))
		if strings.Contains(body, "Working on it") {
			t.Fatalf("body %s", body)
		}
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("calls %v", methods(calls))
		}
	})
	t.Run("a stranger's slow command gets the access answer at once and no work", func(t *testing.T) {
		_, body := reply(t, w.command("U0STRANGER", "stats team"))
		if !strings.Contains(body, "not a leadwire user") {
			t.Fatalf("body %s", body)
		}
	})
	t.Run("after five follow-ups to one response_url the answer comes in a DM", func(t *testing.T) {
		for i := range 6 {
			reply(t, w.commandVia("U0SOMCHAI", "forecast", "/response/budget"))
			calls := w.api.await(1)
			want, to := "response", ""
			if i == 5 {
				want, to = "chat.postMessage", "U0SOMCHAI"
			}
			if len(calls) != 1 || calls[0].Method != want || calls[0].Param("channel") != to {
				t.Fatalf("follow-up %d: calls %v %+v", i+1, methods(calls), calls)
			}
		}
	})
	t.Run("shutdown waits for slow work, then refuses new slow commands", func(t *testing.T) {
		g := newGate(w)
		reply(t, w.command("U0NIRAN", "stats team"))
		<-g.started
		done := make(chan error, 1)
		go func() { done <- w.adapter.Shutdown(context.Background()) }()
		select {
		case err := <-done:
			t.Fatalf("shutdown returned %v before the work was done", err)
		default:
		}
		close(g.release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if calls := w.api.take(); len(calls) != 1 {
			t.Fatalf("calls %v", methods(calls))
		}
		_, body := reply(t, w.command("U0NIRAN", "stats team"))
		if !strings.Contains(body, "restarting") {
			t.Fatalf("body %s", body)
		}
	})
}

func TestShutdownCutsSlowWorkShortAtItsDeadline(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	g := newGate(w) // never released: the work waits for its context
	reply(t, w.command("U0SOMCHAI", "stats team"))
	<-g.started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.adapter.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("shutdown = %v, want context.Canceled", err)
	}
	// The work's context ended with it, so its answer was never posted.
	if calls := w.api.take(); len(calls) != 0 {
		t.Fatalf("calls %v", methods(calls))
	}
}
