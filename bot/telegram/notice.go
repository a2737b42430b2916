package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/internal/tgpoll"
)

// Channel implements core.Notifier.
func (a *Adapter) Channel() string { return core.ChannelTelegram }

// Notify implements core.Notifier: it sends the notice, rendered by the
// conversation, to the user's linked chat or to the team's group, within
// Telegram's limits (a chat over them comes back as core.RetryAfter, and
// so does a 429, for its retry_after). A user
// who blocked the bot (403), a chat Telegram does not know, or a
// recipient with no Telegram at all is core.ErrUndeliverable; a record
// gone is core's not-found error. A notice with charts (a digest) goes out
// in parts (sendInParts).
func (a *Adapter) Notify(ctx context.Context, n core.Notice) error {
	chat, err := a.noticeChat(ctx, n)
	if err != nil {
		return fmt.Errorf("telegram notice %s: %w", n.Key, err)
	}
	if n.Thread != "" {
		return a.placeNotice(ctx, chat, n)
	}
	if wait := a.pace.reserve(chat, a.now()); wait > 0 {
		return core.RetryAfter(wait)
	}
	reply, err := a.conv.NoticeReply(ctx, n)
	if err != nil {
		return fmt.Errorf("telegram notice %s: %w", n.Key, err)
	}
	if len(reply.Charts) > 0 {
		return a.sendInParts(ctx, chat, n.Key, reply)
	}
	if _, err := a.Send(ctx, chat, reply); err != nil {
		return noticeError(fmt.Errorf("telegram notice %s: %w", n.Key, err))
	}
	return nil
}

// placeNotice sends a threaded notice (a prospect's burst), recording the
// message, or edits the one sent for its thread (editMessageText); a
// failure gives the placement back for the retry.
func (a *Adapter) placeNotice(ctx context.Context, chat any, n core.Notice) error {
	pl, err := a.svc.Notices.PlaceNotice(ctx, core.ChannelTelegram, n)
	if err != nil || (!pl.Post && pl.Edit == "") {
		return err // a message shows it already: no room taken in the pace
	}
	if wait := a.pace.reserve(chat, a.now()); wait > 0 {
		if uerr := a.svc.Notices.NoticeUnplaced(ctx, core.ChannelTelegram, n, pl); uerr != nil {
			return uerr
		}
		return core.RetryAfter(wait)
	}
	reply, err := a.conv.NoticeReply(ctx, n)
	if err == nil {
		if pl.Edit != "" {
			msg, perr := strconv.Atoi(pl.Edit)
			if perr != nil {
				return core.Permanent(fmt.Errorf("telegram notice %s: message %q: %w", n.Key, pl.Edit, perr))
			}
			err = a.edit(ctx, chatID(pl.Target), msg, reply)
			if err != nil && strings.Contains(err.Error(), "message is not modified") {
				err = nil // an edit made again shows what the message shows
			}
		} else {
			var id int
			if id, err = a.sendText(ctx, chat, reply); err == nil {
				return a.svc.Notices.NoticePlaced(ctx, core.ChannelTelegram, n, fmt.Sprint(chat), strconv.Itoa(id))
			}
		}
	}
	if err == nil {
		return nil
	}
	if uerr := a.svc.Notices.NoticeUnplaced(ctx, core.ChannelTelegram, n, pl); uerr != nil {
		a.log.Warn("telegram: cannot give a notice's thread back", "key", n.Key, "err", uerr)
	}
	if core.IsNotFound(err) {
		return fmt.Errorf("telegram notice %s: %w", n.Key, err)
	}
	return noticeError(fmt.Errorf("telegram notice %s: %w", n.Key, err))
}

// partsKept is how long the parts of a notice sent in parts are
// remembered: longer than any job's retries.
const partsKept = 72 * time.Hour

// sendInParts sends a notice with charts (a digest) as its parts: the
// message, then each chart. Each part is paced as a message of its own
// and remembered once Telegram has it, so a delivery that comes back (a
// snooze for the pace, a 429 on a photo, a retry, a replica that died)
// sends only the parts still missing instead of the whole digest again.
// Telegram keeps no history a bot can read; the record is leadwire's own
// (seen_keys). A record that cannot be read or written is logged and the
// part counts as not sent: at least once, never lost.
func (a *Adapter) sendInParts(ctx context.Context, chat any, key string, r bot.Reply) error {
	base := fmt.Sprintf("telegram:notice:%v:%s:", chat, key)
	booked := true // Notify booked the first message to go out
	part := func(name string, send func() error) error {
		k := base + name
		sent, err := a.svc.Seen(ctx, k)
		if err != nil {
			a.log.Warn("telegram: cannot tell whether a notice's part went out; sending it", "key", k, "err", err)
		}
		if sent {
			return nil
		}
		if !booked {
			if wait := a.pace.reserve(chat, a.now()); wait > 0 {
				return core.RetryAfter(wait)
			}
		}
		booked = false
		if err := send(); err != nil {
			return noticeError(fmt.Errorf("telegram notice %s: %w", key, err))
		}
		if _, err := a.svc.FirstTime(ctx, k, partsKept); err != nil {
			a.log.Warn("telegram: a notice's part went out but is not recorded; a retry sends it again", "key", k, "err", err)
		}
		return nil
	}
	if err := part("message", func() error { _, err := a.sendText(ctx, chat, r); return err }); err != nil {
		return err
	}
	for _, ch := range r.Charts {
		if err := part("chart:"+ch.Name, func() error { return a.sendChart(ctx, chat, ch) }); err != nil {
			return err
		}
	}
	return nil
}

// noticeChat is where a notice goes: the user's private chat (its id is
// the user's Telegram id) or the team's group.
func (a *Adapter) noticeChat(ctx context.Context, n core.Notice) (any, error) {
	dir := a.svc.Directory
	if n.UserID != 0 {
		u, err := dir.UserByID(ctx, n.UserID)
		if err != nil {
			return nil, err
		}
		if u.TelegramID == 0 || !u.Active {
			return nil, core.Undeliverable(fmt.Errorf("user %d has no Telegram account linked", u.ID))
		}
		return u.TelegramID, nil
	}
	t, err := dir.TeamByID(ctx, n.TeamID)
	if err != nil {
		return nil, err
	}
	chat := chatID(t.TelegramChat)
	if chat == nil {
		return nil, core.Undeliverable(fmt.Errorf("team %s has no Telegram group", t.Name))
	}
	return chat, nil
}

// noticeError maps a failed send: a 429 snoozes for retry_after, a
// blocked bot or an unknown chat is final, anything else is retried.
func noticeError(err error) error {
	var limited *tg.TooManyRequestsError
	switch {
	case errors.As(err, &limited):
		return core.RetryAfter(max(time.Duration(limited.RetryAfter)*time.Second, time.Second))
	case tgpoll.Permanent(err):
		return core.Undeliverable(err)
	}
	return err
}
