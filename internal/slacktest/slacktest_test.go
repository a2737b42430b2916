package slacktest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"leadwire/internal/slacktest"
)

// post calls a Web API method, form-encoded, and decodes the answer.
func post(t *testing.T, s *slacktest.Server, method string, form url.Values) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(s.APIURL()+method, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return resp, m
}

func TestTheStandInAnswersLikeSlack(t *testing.T) {
	t.Run("a DM to a user is answered with its D id and kept in its history, newest first", func(t *testing.T) {
		s := slacktest.New(t)
		for _, text := range []string{"first", "second"} {
			_, m := post(t, s, "chat.postMessage", url.Values{"channel": {"U0NIRAN"}, "text": {text},
				"metadata": {`{"event_type":"leadwire_notice","event_payload":{"key":"k-` + text + `"}}`}})
			if m["ok"] != true || m["channel"] != "D0U0NIRAN" || m["ts"] == "" {
				t.Fatalf("answer %v", m)
			}
		}
		_, m := post(t, s, "conversations.history", url.Values{"channel": {"D0U0NIRAN"}})
		msgs, _ := m["messages"].([]any)
		if len(msgs) != 2 || msgs[0].(map[string]any)["text"] != "second" {
			t.Fatalf("history %v", m)
		}
		if calls := s.Take(); len(calls) != 3 || calls[0].Param("text") != "first" || calls[2].Method != "conversations.history" {
			t.Fatalf("calls %+v", calls)
		}
	})
	t.Run("a limited call is answered 429 with Retry-After, and the next one is accepted", func(t *testing.T) {
		s := slacktest.New(t)
		s.Limit(1, 30*time.Second)
		resp, m := post(t, s, "chat.postMessage", url.Values{"channel": {"C0BKK"}})
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "30" || m["error"] != "ratelimited" {
			t.Fatalf("%d %v %v", resp.StatusCode, resp.Header, m)
		}
		if _, m := post(t, s, "chat.postMessage", url.Values{"channel": {"C0BKK"}}); m["ok"] != true {
			t.Fatalf("after the limit: %v", m)
		}
	})
	t.Run("a refused method or channel gets Slack's error code and is recorded with it", func(t *testing.T) {
		s := slacktest.New(t)
		s.Refuse("conversations.history", "missing_scope")
		s.RefuseChannel("U0GONE", "channel_not_found")
		if _, m := post(t, s, "conversations.history", url.Values{"channel": {"D0U0NIRAN"}}); m["error"] != "missing_scope" {
			t.Fatalf("history: %v", m)
		}
		if _, m := post(t, s, "chat.postMessage", url.Values{"channel": {"U0GONE"}}); m["error"] != "channel_not_found" {
			t.Fatalf("post: %v", m)
		}
		if _, m := post(t, s, "chat.postMessage", url.Values{"channel": {"U0NIRAN"}}); m["ok"] != true {
			t.Fatalf("another channel: %v", m)
		}
		if calls := s.Await(3); calls[1].Error != "channel_not_found" || calls[2].Error != "" {
			t.Fatalf("calls %+v", calls)
		}
	})
}
