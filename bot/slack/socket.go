package slack

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
	"golang.org/x/sync/errgroup"
)

// socketHandlers bounds the envelopes answered at once in Socket Mode.
const socketHandlers = 16

// RunSocket answers Slack through Socket Mode, for a workspace that cannot
// reach leadwire's HTTP endpoints: it opens a WebSocket with the app-level
// token (apps.connections.open), acknowledges every envelope, and routes
// slash commands, interactions and events to the handling HTTP mode uses.
// It reconnects when Slack asks and returns when ctx ends (nil) or the
// token is refused.
func (a *Adapter) RunSocket(ctx context.Context) error {
	if err := (&Settings{Mode: ModeSocket, BotToken: a.opts.BotToken, AppToken: a.opts.AppToken}).Check(); err != nil {
		return fmt.Errorf("slack socket mode: %w", err)
	}
	opts := append(a.apiOptions(), slack.OptionAppLevelToken(a.opts.AppToken))
	client := socketmode.New(slack.New(a.opts.BotToken, opts...), socketmode.OptionLog(socketLog{a.log}))

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		err := client.RunContext(ctx)
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("slack socket mode: %w", err)
	})
	g.Go(func() error {
		var handlers errgroup.Group
		handlers.SetLimit(socketHandlers)
		defer handlers.Wait()
		for {
			select {
			case <-ctx.Done():
				return nil
			case ev := <-client.Events:
				handlers.Go(func() error {
					a.envelope(ctx, client, ev)
					return nil
				})
			}
		}
	})
	return g.Wait()
}

// envelope acknowledges one Socket Mode message and acts on it.
func (a *Adapter) envelope(ctx context.Context, client *socketmode.Client, ev socketmode.Event) {
	switch ev.Type {
	case socketmode.EventTypeConnected:
		a.log.Info("slack socket mode connected")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed,
		socketmode.EventTypeErrorBadMessage:
		a.log.Warn("slack socket mode trouble", "type", string(ev.Type), "err", fmt.Sprint(ev.Data))
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("slack socket mode refused the app-level token; check slack.app_token")
	case socketmode.EventTypeSlashCommand:
		cmd, ok := ev.Data.(slack.SlashCommand)
		if !ok || ev.Request == nil {
			return
		}
		// The answer rides on the acknowledgement, as in an HTTP response.
		m := a.command(ctx, cmd)
		if err := client.AckCtx(ctx, ev.Request.EnvelopeID, m); err != nil {
			// Too big for an envelope: acknowledge, then post it.
			a.ack(ctx, client, ev.Request)
			if err := a.answerLater(ctx, cmd.ResponseURL, cmd.UserID, m); err != nil {
				a.log.Warn("slack answer failed", "slack", cmd.UserID, "err", err)
			}
		}
	case socketmode.EventTypeInteractive:
		cb, ok := ev.Data.(slack.InteractionCallback)
		if !ok || ev.Request == nil {
			return
		}
		if resp := a.interaction(ctx, &cb); resp != nil {
			if err := client.AckCtx(ctx, ev.Request.EnvelopeID, resp); err == nil {
				return
			}
		}
		a.ack(ctx, client, ev.Request)
	case socketmode.EventTypeEventsAPI:
		e, ok := ev.Data.(slackevents.EventsAPIEvent)
		if !ok || ev.Request == nil {
			return
		}
		if e.Type == slackevents.CallbackEvent && a.intakeEvent(e) {
			// An intake message is acknowledged once stored: one that
			// could not be is left unacknowledged, and Slack sends it
			// again.
			if err := a.callback(ctx, e, fmt.Sprint(ev.Request.RetryAttempt)); err != nil {
				a.log.Error("slack intake event not handled; Slack will retry", "err", err)
				return
			}
			a.ack(ctx, client, ev.Request)
			return
		}
		// Events want only the acknowledgement, at once; answers are posted.
		a.ack(ctx, client, ev.Request)
		if e.Type == slackevents.CallbackEvent {
			if err := a.callback(ctx, e, fmt.Sprint(ev.Request.RetryAttempt)); err != nil {
				a.log.Error("slack event not handled", "err", err)
			}
		}
	}
}

// ack acknowledges an envelope with no payload.
func (a *Adapter) ack(ctx context.Context, client *socketmode.Client, req *socketmode.Request) {
	if err := client.AckCtx(ctx, req.EnvelopeID, nil); err != nil {
		a.log.Warn("slack socket mode ack failed", "envelope", req.EnvelopeID, "err", err)
	}
}

// socketLog passes the socketmode client's own lines to the log, at debug.
type socketLog struct{ log *slog.Logger }

func (l socketLog) Output(_ int, s string) error {
	l.log.Debug("slack socket mode", "detail", s)
	return nil
}
