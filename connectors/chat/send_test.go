package chat_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"leadwire/connectors/chat"
	"leadwire/core"
)

// TestSendToAChatThatIsGoneIsUndeliverable: the intake bot goes by the
// same list of final Telegram answers as the reps' bot's notices.
func TestSendToAChatThatIsGoneIsUndeliverable(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		code       int
	}{
		{"a prospect who blocked the bot", `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`, http.StatusForbidden},
		{"a chat Telegram does not know", `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`, http.StatusBadRequest},
		{"a deactivated prospect", `{"ok":false,"error_code":400,"description":"Bad Request: user is deactivated"}`, http.StatusBadRequest},
	} {
		t.Run(tc.name+" is undeliverable", func(t *testing.T) {
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.code)
				io.WriteString(w, tc.body)
			}))
			defer api.Close()
			intake, err := chat.NewTelegram(nil, chat.TelegramOptions{Token: "77:INTAKE", APIURL: api.URL})
			if err != nil {
				t.Fatal(err)
			}
			if err := intake.Send(t.Context(), 4242, "hello"); !errors.Is(err, core.ErrUndeliverable) {
				t.Errorf("Send: %v, want it undeliverable", err)
			}
		})
	}
}
