package slack

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestSignatures(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	body := url.Values{"user_id": {"U0NIRAN"}, "command": {"/lw"}, "text": {"help"}}.Encode()
	replayed := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
	sign(replayed, body, secret, time.Now().Add(-time.Minute)) // unlike the first case's
	cases := []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{"a request signed with the signing secret is answered", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
			sign(r, body, secret, time.Now())
			return r
		}, http.StatusOK},
		{"a request signed with another secret is refused", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
			sign(r, body, "not-the-secret", time.Now())
			return r
		}, http.StatusUnauthorized},
		{"a request signed six minutes ago is refused", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
			sign(r, body, secret, time.Now().Add(-6*time.Minute))
			return r
		}, http.StatusUnauthorized},
		{"a request whose body was changed is refused", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(strings.Replace(body, "help", "deals", 1)))
			sign(r, body, secret, time.Now())
			return r
		}, http.StatusUnauthorized},
		{"a request without a signature is refused", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
			r.Header.Set("X-Slack-Request-Timestamp", "1")
			return r
		}, http.StatusUnauthorized},
		{"a request without a timestamp is refused", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
			sign(r, body, secret, time.Now())
			r.Header.Del("X-Slack-Request-Timestamp")
			return r
		}, http.StatusUnauthorized},
		{"a signed request is answered the first time", func() *http.Request { return replayed.Clone(replayed.Context()) }, http.StatusOK},
		{"the same signed request sent again is refused", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
			r.Header = replayed.Header.Clone()
			return r
		}, http.StatusUnauthorized},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.req()
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			w.mux.ServeHTTP(rec, r)
			if rec.Code != c.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, c.want, rec.Body)
			}
			if c.want != http.StatusOK && strings.Contains(rec.Body.String(), "blocks") {
				t.Errorf("a refused request got an answer: %s", rec.Body)
			}
		})
	}
	t.Run("every endpoint checks the signature", func(t *testing.T) {
		w.api.take() // what the signed requests before called
		for _, path := range []string{"/slack/commands", "/slack/interactions", "/slack/events"} {
			r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(`{"type":"url_verification","challenge":"x"}`))
			sign(r, `{"type":"url_verification","challenge":"x"}`, "wrong", time.Now())
			rec := httptest.NewRecorder()
			w.mux.ServeHTTP(rec, r)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s: status %d", path, rec.Code)
			}
		}
		if calls := w.api.take(); len(calls) != 0 {
			t.Errorf("refused requests called Slack: %v", methods(calls))
		}
	})
}

func TestSeenForgets(t *testing.T) {
	s := newSeen(time.Minute)
	now := time.Now()
	if !s.add("a", now) || s.add("a", now.Add(30*time.Second)) {
		t.Fatal("a key is new once within the window")
	}
	if !s.add("a", now.Add(2*time.Minute)) {
		t.Fatal("a key is new again after the window")
	}
}

// A signed request sent again is a replay however its signature's hex is
// spelled: Slack's verifier reads hex in either case, so the replay memory
// must too.
func TestReplaysInAnotherLetterCaseAreRefused(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, false)
		deal := w.deal("Bangkok", "niran", "ploy@siam.example")
		form := url.Values{"team_id": {"T0ACME"}, "channel_id": {"C0BKK"}, "user_id": {"U0NIRAN"}, "command": {"/lw"},
			"text": {"note " + core.DealRef(deal) + " called, they want a discount"}, "response_url": {w.api.URL + "/response/cmd"},
			"trigger_id": {"13345224609.738474920.1"}}
		body := form.Encode()
		signed := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
		sign(signed, body, secret, time.Now())
		sig := signed.Header.Get("X-Slack-Signature")
		hexPart := strings.TrimPrefix(sig, "v0=")
		mixed := []byte(hexPart)
		for i := range mixed {
			if i%2 == 0 {
				mixed[i] = strings.ToUpper(string(mixed[i]))[0]
			}
		}
		cases := []struct {
			name, signature string
			want            int
		}{
			{"the request as Slack signed it is answered", sig, http.StatusOK},
			{"sent again with its hex in upper case it is a replay", "v0=" + strings.ToUpper(hexPart), http.StatusUnauthorized},
			{"sent again in mixed case it is a replay", "v0=" + string(mixed), http.StatusUnauthorized},
			{"sent again as it was it is a replay", sig, http.StatusUnauthorized},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
				r.Header = signed.Header.Clone()
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				r.Header.Set("X-Slack-Signature", c.signature)
				rec := httptest.NewRecorder()
				w.mux.ServeHTTP(rec, r)
				if rec.Code != c.want {
					t.Fatalf("status %d, want %d: %s", rec.Code, c.want, rec.Body)
				}
			})
		}
		t.Run("the note was made once", func(t *testing.T) {
			acts, err := db.ListActivities(w.ctx, core.ActivityFilter{DealID: deal})
			if err != nil {
				t.Fatal(err)
			}
			notes := 0
			for _, a := range acts {
				if a.Kind == core.ActivityNote {
					notes++
				}
			}
			if notes != 1 {
				t.Fatalf("%d notes, want 1", notes)
			}
		})
	})
}
