package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"

	"leadwire/internal/tgpoll"
)

// WebhookPath is where Telegram posts updates in webhook mode; register it
// with setWebhook, with the secret token.
const WebhookPath = "/telegram/webhook"

// Routes are the webhook mode endpoints, to mount on a mux.
func (a *Adapter) Routes() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{"POST " + WebhookPath: a.Webhook}
}

// Webhook handles POST /telegram/webhook: an update from Telegram, which
// must carry the configured X-Telegram-Bot-Api-Secret-Token (compared in
// constant time); anything else is refused with 401 and not looked at. The
// update is handled before the answer, so Telegram sends it again if
// leadwire stops half-way; one sent again after it was handled (the answer
// lost) is recognised by its update_id and not handled twice.
func (a *Adapter) Webhook(w http.ResponseWriter, r *http.Request) {
	got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
	if a.opts.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.opts.WebhookSecret)) != 1 {
		a.log.Warn("telegram webhook refused", "remote", r.RemoteAddr, "token_present", got != "")
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
	if !a.firstUpdate(r.Context(), u.ID) {
		w.WriteHeader(http.StatusOK) // sent again: handled already
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), tgpoll.HandleWithin)
	defer cancel()
	a.HandleUpdate(ctx, &u)
	w.WriteHeader(http.StatusOK)
}

// updateWindow is how long a webhook update id is remembered: Telegram
// gives up redelivering an update within a day.
const updateWindow = 24 * time.Hour

// firstUpdate reports whether the update is new to this replica and to
// every other on the database: behind a load balancer, Telegram's
// redelivery may reach another replica. When the database cannot answer,
// this replica's memory decides.
func (a *Adapter) firstUpdate(ctx context.Context, id int64) bool {
	if !a.updates.add(id) {
		return false
	}
	ok, err := a.svc.FirstTime(ctx, "telegram:update:"+strconv.FormatInt(id, 10), updateWindow)
	if err != nil {
		a.log.Warn("telegram: shared update memory unavailable; this replica's decides", "err", err)
		return true
	}
	return ok
}
