package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"

	"leadwire/core"
	"leadwire/internal/wait"
)

// TestPollRecordsARevokedToken checks that a token Telegram refuses
// becomes the connector's error, which the admins' alert reads, and that
// the first successful poll clears it.
func TestPollRecordsARevokedToken(t *testing.T) {
	w := newWorld(t)
	status := func() core.ConnectorStatus {
		all, err := w.db.ConnectorStatuses(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range all {
			if s.Connector == CheckpointConnector {
				return s
			}
		}
		return core.ConnectorStatus{}
	}
	until := func(what string, cond func(core.ConnectorStatus) bool) {
		t.Helper()
		if !wait.Until(wait.Patience, func() bool { return cond(status()) }) {
			t.Fatalf("not within %s: %s; status %+v", wait.Patience, what, status())
		}
	}
	w.api.Revoke(token, true)
	ctx, cancel := context.WithCancel(w.ctx)
	done := make(chan error, 1)
	go func() { done <- w.adapter.Poll(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	until("the refused token is recorded", func(s core.ConnectorStatus) bool {
		return strings.Contains(s.LastError, "401") && strings.Contains(s.LastError, "telegram.bot_token")
	})
	if strings.Contains(status().LastError, token) {
		t.Fatal("the connector error shows the token")
	}

	w.api.Revoke(token, false) // a new token, as it were
	until("the error is cleared by a successful poll", func(s core.ConnectorStatus) bool { return s.LastError == "" })
}

// TestPollClearsAnErrorLeftBehind checks that a restart with a working
// token clears the error a previous run recorded.
func TestPollClearsAnErrorLeftBehind(t *testing.T) {
	w := newWorld(t)
	if err := w.svc.Connectors.ConnectorError(w.ctx, CheckpointConnector, errors.New("telegram refused the bot token (401 Unauthorized)")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(w.ctx)
	done := make(chan error, 1)
	go func() { done <- w.adapter.Poll(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	var all []core.ConnectorStatus
	if !wait.Until(wait.Patience, func() bool {
		var err error
		if all, err = w.db.ConnectorStatuses(w.ctx); err != nil {
			t.Fatal(err)
		}
		return len(all) == 1 && all[0].LastError == ""
	}) {
		t.Fatalf("error not cleared within %s: %+v", wait.Patience, all)
	}
}
