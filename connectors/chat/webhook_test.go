package chat_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"leadwire/connectors/chat"
	"leadwire/core"
	"leadwire/internal/tgpoll"
	"leadwire/internal/tgtest"
)

// TestTelegramIntakeWebhook runs the intake bot in webhook mode: Check
// registers the webhook with its secret, an update without the secret is
// refused, one with it becomes a lead, the same update posted again (as
// Telegram does when its answer was lost) adds nothing, and an update that
// could not be stored is answered 503 so Telegram sends it again.
func TestTelegramIntakeWebhook(t *testing.T) {
	w := newWorld(t)
	const secret = "intake-s3cret"
	intake, err := chat.NewTelegram(w.svc, chat.TelegramOptions{Token: intakeToken, APIURL: w.api.URL, PollTimeout: time.Second,
		WebhookURL: "https://leads.example.com" + chat.IntakeWebhookPath, WebhookSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	for pattern, h := range intake.Routes() {
		mux.HandleFunc(pattern, h)
	}
	post := func(secret string, id int64, u map[string]any) int {
		u["update_id"] = id
		body, _ := json.Marshal(u)
		r := httptest.NewRequest(http.MethodPost, chat.IntakeWebhookPath, strings.NewReader(string(body)))
		if secret != "" {
			r.Header.Set(tgpoll.SecretHeader, secret)
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, r)
		return rec.Code
	}
	leads := func() []core.Lead {
		t.Helper()
		l, err := w.db.ListLeads(w.ctx, core.LeadFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}

	t.Run("check registers the webhook with the secret", func(t *testing.T) {
		w.api.Take()
		if err := intake.Check(w.ctx); err != nil {
			t.Fatal(err)
		}
		set := tgtest.Only(w.api.Take(), "setWebhook")
		if len(set) != 1 || set[0].Token != intakeToken || set[0].Params["url"] != "https://leads.example.com/telegram/intake" ||
			set[0].Params["secret_token"] != secret || !strings.Contains(set[0].Params["allowed_updates"], "message") {
			t.Fatalf("setWebhook calls %+v", set)
		}
	})
	t.Run("an update without the secret or with a wrong one is refused", func(t *testing.T) {
		for _, s := range []string{"", "intake-s3creT"} {
			if code := post(s, 1, prospect(5001, 1, persian)); code != http.StatusUnauthorized {
				t.Errorf("secret %q: status %d, want 401", s, code)
			}
		}
		if n := len(leads()); n != 0 {
			t.Fatalf("%d leads from refused updates", n)
		}
	})
	t.Run("an update with the secret becomes a lead, once", func(t *testing.T) {
		for range 2 {
			if code := post(secret, 2, prospect(5001, 2, persian)); code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
		}
		l := leads()
		if len(l) != 1 || l[0].Message != persian || l[0].SourceChannel != core.ChannelTelegram {
			t.Fatalf("leads %+v", l)
		}
	})
	t.Run("a malformed update is refused", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, chat.IntakeWebhookPath, strings.NewReader("{not json"))
		r.Header.Set(tgpoll.SecretHeader, secret)
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, r)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", rec.Code)
		}
	})
	t.Run("an update that cannot be stored is asked for again", func(t *testing.T) {
		w.db.Close()
		if code := post(secret, 3, prospect(5002, 1, thai)); code != http.StatusServiceUnavailable {
			t.Fatalf("status %d with the database closed, want 503", code)
		}
	})
}
