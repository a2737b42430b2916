package tgpoll

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"

	"github.com/go-telegram/bot/models"
)

// SecretHeader carries the secret token given to setWebhook on every
// update Telegram posts.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// Webhook receives a bot's updates when Telegram posts them (webhook
// mode) instead of being asked for them.
type Webhook struct {
	// Secret is the token every update must carry in SecretHeader;
	// anything else is refused with 401 and not looked at. Empty refuses
	// everything.
	Secret string
	Log    *slog.Logger
	// First, when set, reports whether an update is new, so one sent
	// again after it was handled (the answer lost) is not handled twice.
	// Leave it nil when Handle is idempotent itself.
	First func(ctx context.Context, id int64) bool
	// Handle acts on one update. An error means it was not handled:
	// Telegram is answered 503 and sends it again.
	Handle func(ctx context.Context, u *models.Update) error
}

// ServeHTTP handles one update before answering, so Telegram sends it
// again if leadwire stops half-way. The secret is compared in constant
// time.
func (h Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	got := r.Header.Get(SecretHeader)
	if h.Secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(h.Secret)) != 1 {
		h.log().Warn("telegram webhook refused", "path", r.URL.Path, "remote", r.RemoteAddr, "token_present", got != "")
		http.Error(w, "missing or wrong secret token", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "unreadable update", http.StatusBadRequest)
		return
	}
	var u models.Update
	if err := json.Unmarshal(body, &u); err != nil {
		http.Error(w, "malformed update", http.StatusBadRequest)
		return
	}
	if h.First != nil && !h.First(r.Context(), u.ID) {
		w.WriteHeader(http.StatusOK) // sent again: handled already
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), HandleWithin)
	defer cancel()
	if err := h.Handle(ctx, &u); err != nil {
		h.log().Warn("telegram webhook update not handled; Telegram will send it again", "path", r.URL.Path, "update", u.ID, "err", err)
		http.Error(w, "not handled; send it again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (h Webhook) log() *slog.Logger {
	if h.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Log
}
