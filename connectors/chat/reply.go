package chat

import (
	"context"
	"errors"
	"fmt"
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

// ReplySender delivers reps' replies to prospects (core.ProspectSender):
// through the Telegram intake bot, or in the thread of their Slack intake
// message. A rate limit is core.RetryAfter the time asked; a prospect who
// cannot be reached (blocked the bot) is core.Undeliverable with the
// reason in words.
type ReplySender struct {
	telegram *Telegram   // nil: the intake bot is off
	slack    SlackPoster // nil: Slack is off
}

var _ core.ProspectSender = (*ReplySender)(nil)

// NewReplySender returns the sender; telegram or slack may be nil when
// that chat is off, and replies for it are then undeliverable.
func NewReplySender(telegram *Telegram, slack SlackPoster) *ReplySender {
	return &ReplySender{telegram: telegram, slack: slack}
}

// SendToProspect implements core.ProspectSender.
func (w *ReplySender) SendToProspect(ctx context.Context, m core.ProspectMessage) error {
	var err error
	switch m.Channel {
	case core.ChannelTelegram:
		chat, perr := strconv.ParseInt(m.To, 10, 64)
		switch {
		case perr != nil:
			err = core.Undeliverable(fmt.Errorf("telegram chat %q: %w", m.To, perr))
		case w.telegram == nil:
			err = core.Undeliverable(errors.New("the Telegram intake bot is off (telegram.intake_token)"))
		default:
			err = w.telegram.Send(ctx, chat, m.Text)
		}
	case core.ChannelSlack:
		if w.slack == nil {
			err = core.Undeliverable(errors.New("Slack is off (slack.bot_token)"))
		} else {
			err = w.slack.PostThread(ctx, m.To, m.Thread, m.Text)
		}
	default:
		err = core.Undeliverable(fmt.Errorf("no chat %q to reply in", m.Channel))
	}
	return outcome(err)
}

// outcome maps a send's failure onto core's delivery outcomes.
func outcome(err error) error {
	var tgLimited *tg.TooManyRequestsError
	var slackLimited *slack.RateLimitedError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tgLimited):
		return core.RetryAfter(max(time.Duration(tgLimited.RetryAfter)*time.Second, time.Second))
	case errors.As(err, &slackLimited):
		return core.RetryAfter(max(slackLimited.RetryAfter, time.Second))
	case errors.Is(err, core.ErrUndeliverable):
		return core.Undeliverable(reason(err))
	}
	return err
}

// reason says why a reply was not delivered: in the reader's language
// when leadwire words it (a catalog term), else as the adapter said it.
func reason(err error) error {
	var e *core.Error
	switch {
	case errors.Is(err, tg.ErrorForbidden):
		return core.Fail(core.KindInvalid, "term.undelivered.telegram_blocked", "they blocked the Telegram bot or never started it")
	case errors.As(err, &e):
		return e
	case errors.Is(err, core.ErrUndeliverable):
		return errors.New(strings.TrimPrefix(err.Error(), core.ErrUndeliverable.Error()+": "))
	}
	return err
}
