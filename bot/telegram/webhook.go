package telegram

import (
	"context"
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
// must carry the configured secret token. One sent again after it was
// handled (the answer lost) is recognised by its update_id and not
// handled twice.
func (a *Adapter) Webhook(w http.ResponseWriter, r *http.Request) {
	tgpoll.Webhook{Secret: a.opts.WebhookSecret, Log: a.log, First: a.firstUpdate,
		Handle: func(ctx context.Context, u *models.Update) error { a.HandleUpdate(ctx, u); return nil },
	}.ServeHTTP(w, r)
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
