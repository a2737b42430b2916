package hooks_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"leadwire/connectors/hooks"
)

// The example of the Standard Webhooks specification.
func TestSignaturesAreStandardWebhooks(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	at := time.Unix(1614265330, 0)
	body := []byte(`{"test": 2432232314}`)
	got, err := hooks.Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", at, body)
	if err != nil || got != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Fatalf("signature %q, %v", got, err)
	}
	if !hooks.Verify(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", at, body, "v1,bm9wZQ== "+got) {
		t.Error("a receiver cannot verify it among others")
	}
	if hooks.Verify(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", at.Add(time.Second), body, got) {
		t.Error("another timestamp verifies")
	}
	if _, err := hooks.Sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "x", at, body); err == nil {
		t.Error("a secret without whsec_ signs")
	}
	s := hooks.NewSecret()
	if !strings.HasPrefix(s, "whsec_") || len(s) != len("whsec_")+44 || s == hooks.NewSecret() {
		t.Errorf("new secret %q", s)
	}
}

func TestTargetsInsideAreRefused(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ url, want string }{
		{"ftp://example.com/x", "no http or https URL"},
		{"http://127.0.0.1:8080/hook", "a loopback address"},
		{"http://[::1]/hook", "a loopback address"},
		{"http://10.1.2.3/hook", "a private address"},
		{"http://192.168.1.10/hook", "a private address"},
		{"http://169.254.169.254/latest/meta-data", "a link-local address"},
		{"http://[::ffff:127.0.0.1]/hook", "a loopback address"},
		{"http://100.64.0.1/hook", "an internal address"},
		{"http://0.0.0.0/hook", "an unspecified address"},
		{"https://user:pw@hooks.example.com/x", "carries no user or password"},
	} {
		t.Run(tc.url+" is refused", func(t *testing.T) {
			err := hooks.CheckURL(ctx, tc.url, false)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("a public address is taken", func(t *testing.T) {
		if err := hooks.CheckURL(ctx, "https://93.184.215.14/hook", false); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("hooks.allow_private lets a private address through", func(t *testing.T) {
		if err := hooks.CheckURL(ctx, "http://10.1.2.3/hook", true); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSending(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	var got *http.Request
	var gotBody []byte
	status := 204
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		gotBody, _ = io.ReadAll(r.Body)
		if status == 429 {
			w.Header().Set("Retry-After", "120")
		}
		w.WriteHeader(status)
		io.WriteString(w, strings.Repeat("ไทย", 400)) // 3,600 bytes of Thai
	}))
	defer srv.Close()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	msg := hooks.Message{ID: "evt_1", Type: "deal.won", At: at, Body: []byte(`{"type":"deal.won"}`), URL: srv.URL + "/hook", Secret: secret}

	t.Run("a loopback receiver is refused at connect time", func(t *testing.T) {
		res, _ := hooks.NewSender(false).Send(context.Background(), msg)
		if res.OK() || got != nil || !strings.Contains(res.Err.Error(), "a loopback address") {
			t.Fatalf("got %+v", res)
		}
	})
	s := hooks.NewSender(true)
	t.Run("a receiver gets the event signed, and a 2xx is taken", func(t *testing.T) {
		res, _ := s.Send(context.Background(), msg)
		if !res.OK() || res.Status != 204 {
			t.Fatalf("got %+v", res)
		}
		ts, _ := strconv.ParseInt(got.Header.Get("webhook-timestamp"), 10, 64)
		if got.Header.Get("webhook-id") != "evt_1" || ts != at.Unix() ||
			!hooks.Verify(secret, "evt_1", time.Unix(ts, 0), gotBody, got.Header.Get("webhook-signature")) {
			t.Errorf("headers %v", got.Header)
		}
	})
	t.Run("a refusal is an error with its Retry-After and an excerpt cut on a character", func(t *testing.T) {
		status = 429
		res, wait := s.Send(context.Background(), msg)
		if res.OK() || res.Status != 429 || wait != 2*time.Minute {
			t.Fatalf("got %+v, %s", res, wait)
		}
		if len(res.Excerpt) != 510 || !utf8.ValidString(res.Excerpt) || !strings.HasPrefix(strings.Repeat("ไทย", 400), res.Excerpt) {
			t.Errorf("excerpt of %d bytes: %q", len(res.Excerpt), res.Excerpt)
		}
	})
}
