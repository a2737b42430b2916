package chat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/slack-go/slack"

	"leadwire/core"
)

// SlackPoster posts a plain text in a Slack thread; the Slack adapter
// implements it. A refusal that retrying cannot change is
// core.ErrUndeliverable: the adapter keeps the one list of Slack's
// permanent errors.
type SlackPoster interface {
	PostThread(ctx context.Context, channel, thread, text string) error
}

// ReplySender runs core.ChatReplyJob: it sends a rep's reply to the
// prospect through the Telegram intake bot, or in the thread of their
// Slack intake message. A rate limit retries the job after the time
// asked; a prospect who cannot be reached (blocked the bot) ends it for
// good and says so on the timeline; other failures are retried.
type ReplySender struct {
	svc      *core.Service
	telegram *Telegram   // nil: the intake bot is off
	slack    SlackPoster // nil: Slack is off
	log      *slog.Logger
}

// NewReplySender returns the sender; telegram or slack may be nil when
// that chat is off, and replies for it then end with a note.
func NewReplySender(svc *core.Service, telegram *Telegram, slack SlackPoster, log *slog.Logger) *ReplySender {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &ReplySender{svc: svc, telegram: telegram, slack: slack, log: log}
}

// Handle is the handler of core.ChatReplyJob.
func (w *ReplySender) Handle(ctx context.Context, j core.ChatReplyJob, _ core.JobInfo) error {
	a, err := w.svc.Store().ActivityByID(ctx, j.ActivityID)
	if core.IsNotFound(err) {
		return core.Permanent(err)
	}
	if err != nil {
		return err
	}
	switch j.Channel {
	case core.ChannelTelegram:
		chat, perr := strconv.ParseInt(j.To, 10, 64)
		switch {
		case perr != nil:
			err = core.Undeliverable(fmt.Errorf("telegram chat %q: %w", j.To, perr))
		case w.telegram == nil:
			err = core.Undeliverable(errors.New("the Telegram intake bot is off (telegram.intake_token)"))
		default:
			err = w.telegram.Send(ctx, chat, a.Body)
		}
	case core.ChannelSlack:
		if w.slack == nil {
			err = core.Undeliverable(errors.New("Slack is off (slack.bot_token)"))
		} else {
			err = w.slack.PostThread(ctx, j.To, j.Thread, a.Body)
		}
	default:
		err = core.Undeliverable(fmt.Errorf("no chat %q to reply in", j.Channel))
	}
	return w.outcome(ctx, j, err)
}

// outcome maps a send's failure onto the job's outcome.
func (w *ReplySender) outcome(ctx context.Context, j core.ChatReplyJob, err error) error {
	var tgLimited *tg.TooManyRequestsError
	var slackLimited *slack.RateLimitedError
	switch {
	case err == nil:
		w.log.Info("chat reply sent", "activity", j.ActivityID, "channel", j.Channel)
		return nil
	case errors.As(err, &tgLimited):
		return core.RetryAfter(max(time.Duration(tgLimited.RetryAfter)*time.Second, time.Second))
	case errors.As(err, &slackLimited):
		return core.RetryAfter(max(slackLimited.RetryAfter, time.Second))
	case errors.Is(err, core.ErrUndeliverable):
		w.log.Warn("chat reply undeliverable", "activity", j.ActivityID, "channel", j.Channel, "err", err)
		if nerr := w.svc.ChatReplyUndelivered(ctx, j.ActivityID, "The prospect did not get this reply: "+reason(err)); nerr != nil {
			return nerr // retried: the note is worth having
		}
		return core.Permanent(err)
	}
	return err
}

// reason says in words why a reply was not delivered.
func reason(err error) string {
	switch {
	case errors.Is(err, tg.ErrorForbidden):
		return "they blocked the Telegram bot or never started it."
	case errors.Is(err, core.ErrUndeliverable):
		return strings.TrimPrefix(err.Error(), core.ErrUndeliverable.Error()+": ") + "."
	}
	return err.Error() + "."
}
