package slack

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestReplicasActOnceOnSlacksRetries serves Slack from two adapters on one
// database, as two replicas behind a load balancer: Slack's retry of an
// event reaching the other replica is not acted on again, nor is a
// request replayed to it.
func TestReplicasActOnceOnSlacksRetries(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, false)
		other := New(w.conv, w.svc, Options{BotToken: "xoxb-test", SigningSecret: secret, APIURL: w.api.APIURL()})
		other.skipLocales = true
		if err := other.Check(w.ctx); err != nil {
			t.Fatal(err)
		}
		replicas := []*http.ServeMux{w.mux, http.NewServeMux()}
		for pattern, h := range other.Routes() {
			replicas[1].HandleFunc(pattern, h)
		}
		w.api.take()
		body, _ := json.Marshal(map[string]any{"token": "legacy", "team_id": "T0ACME", "api_app_id": "A0LW", "type": "event_callback",
			"event_id": "Ev7001", "event_time": start.Unix(), "event": map[string]any{"type": "app_mention", "user": "U0NIRAN",
				"text": "<@U0BOT> help", "ts": "1793610000.000900", "channel": "C0BKK", "event_ts": "1793610000.000900"}})
		post := func(replica int, signedAt time.Time, header http.Header) int {
			t.Helper()
			r := httptest.NewRequest(http.MethodPost, "/slack/events", strings.NewReader(string(body)))
			r.Header.Set("Content-Type", "application/json")
			sign(r, string(body), secret, signedAt)
			for k, v := range header {
				r.Header[k] = v
			}
			rec := httptest.NewRecorder()
			replicas[replica].ServeHTTP(rec, r)
			return rec.Code
		}
		first := time.Now()
		if code := post(0, first, nil); code != http.StatusOK {
			t.Fatalf("first delivery: %d", code)
		}
		if calls := w.api.take(); len(calls) != 1 || calls[0].Method != "chat.postEphemeral" {
			t.Fatalf("first delivery: calls %v", methods(calls))
		}
		if code := post(1, first.Add(-time.Second), http.Header{"X-Slack-Retry-Num": {"1"}}); code != http.StatusOK {
			t.Fatalf("retry on the other replica: %d", code)
		}
		if code := post(1, first, nil); code != http.StatusUnauthorized {
			t.Errorf("the first request replayed to the other replica answered %d, want 401", code)
		}
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("the other replica acted again: calls %v", methods(calls))
		}
	})
}
