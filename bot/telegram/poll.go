package telegram

import (
	"context"

	"github.com/go-telegram/bot/models"

	"leadwire/core"
	"leadwire/internal/tgpoll"
)

// Poll reads updates with getUpdates until ctx ends, handling each in turn
// and saving the offset after it (checkpoint CheckpointConnector /
// CheckpointKey), so a restart neither replays a handled update nor skips
// an unhandled one. Errors of the Bot API are logged and retried with a
// growing pause (a 429's retry_after when given); a token Telegram refuses
// (401: revoked or mistyped) is also recorded as the connector's error, so
// the admins are alerted, and cleared by the next successful poll. Poll
// returns nil when ctx ends.
func (a *Adapter) Poll(ctx context.Context) error {
	return tgpoll.Run(ctx, tgpoll.Config{
		APIURL: a.opts.APIURL, Token: a.opts.Token, Timeout: a.opts.PollTimeout,
		AllowedUpdates: []string{"message", "callback_query"},
		HTTP:           a.http, Log: a.log,
		Checkpoint: core.Checkpoint{Connector: CheckpointConnector, Key: CheckpointKey},
		Load:       a.svc.Connectors.LoadCheckpoint,
		Save:       a.svc.Connectors.Checkpoint,
		SetError:   a.svc.Connectors.ConnectorError,
		TokenKey:   "telegram.bot_token",
		Statuses:   a.svc.Connectors.Statuses,
		Handle: func(ctx context.Context, u *models.Update) error {
			// A command is answered once, not retried.
			a.HandleUpdate(ctx, u)
			return nil
		},
	})
}
