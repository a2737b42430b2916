package slack

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"leadwire/bot"
	"leadwire/core"
)

// Channel implements core.Notifier.
func (a *Adapter) Channel() string { return core.ChannelSlack }

// Notify implements core.Notifier: it posts the notice, rendered by the
// conversation, to the user in a DM (chat.postMessage to their Slack id)
// or to the team's channel. Posts are paced to one a second per channel,
// as Slack allows: a notice to a busy channel comes back as
// core.RetryAfter the time until there is room, and so does Slack's 429,
// for its Retry-After. A channel Slack will not post to
// (channel_not_found, not_in_channel, account_inactive, user_not_found…)
// or a recipient with no Slack at all is core.ErrUndeliverable; a record
// gone is core's not-found error. A notice delivered again is first looked
// for in the channel (posted); a digest found there gets only the charts
// it is missing.
func (a *Adapter) Notify(ctx context.Context, n core.Notice) error {
	to, err := a.noticeTarget(ctx, n)
	if err != nil {
		return fmt.Errorf("slack notice %s: %w", n.Key, err)
	}
	if n.Thread != "" {
		// Placed first: a notice its thread's message shows already
		// takes no room in the pace.
		pl, err := a.svc.Notices.PlaceNotice(ctx, core.ChannelSlack, n)
		if err != nil || (!pl.Post && pl.Edit == "") {
			return err
		}
		if wait := a.pace.reserve(to, a.now()); wait > 0 {
			if uerr := a.svc.Notices.NoticeUnplaced(ctx, core.ChannelSlack, n, pl); uerr != nil {
				return uerr
			}
			return core.RetryAfter(wait)
		}
		return a.placeNotice(ctx, to, n, pl)
	}
	if wait := a.pace.reserve(to, a.now()); wait > 0 {
		return core.RetryAfter(wait)
	}
	var before *earlier
	if since, again := core.Redelivery(ctx); again {
		before = a.posted(ctx, to, n.Key, since)
	}
	if before != nil && n.Kind != core.NoticeDigest {
		return nil // only a digest has charts that may not have followed it
	}
	reply, err := a.conv.NoticeReply(ctx, n)
	if err != nil {
		return fmt.Errorf("slack notice %s: %w", n.Key, err)
	}
	if before != nil {
		return noticeError(a.shareMissing(ctx, before, n.Key, reply))
	}
	tag := slack.MsgOptionMetadata(slack.SlackMetadata{EventType: noticeEvent, EventPayload: map[string]any{"key": n.Key}})
	if _, err := a.post(ctx, to, "", reply, tag); err != nil {
		return noticeError(fmt.Errorf("slack notice %s: %w", n.Key, err))
	}
	return nil
}

// placeNotice posts a threaded notice (a prospect's burst), recording
// the message, or edits the one posted for its thread (chat.update); a
// failure gives the placement back for the retry.
func (a *Adapter) placeNotice(ctx context.Context, to string, n core.Notice, pl core.Placement) error {
	reply, err := a.conv.NoticeReply(ctx, n)
	if err == nil {
		if pl.Edit != "" {
			err = a.update(ctx, pl.Target, pl.Edit, reply)
		} else {
			tag := slack.MsgOptionMetadata(slack.SlackMetadata{EventType: noticeEvent, EventPayload: map[string]any{"key": n.Key}})
			var channel, ts string
			channel, ts, err = a.api.PostMessageContext(ctx, to, slack.MsgOptionText(Fallback(reply), false), slack.MsgOptionBlocks(Blocks(reply)...), tag)
			if err == nil {
				return a.svc.Notices.NoticePlaced(ctx, core.ChannelSlack, n, channel, ts)
			}
		}
	}
	if err == nil {
		return nil
	}
	if uerr := a.svc.Notices.NoticeUnplaced(ctx, core.ChannelSlack, n, pl); uerr != nil {
		a.log.Warn("slack: cannot give a notice's thread back", "key", n.Key, "err", uerr)
	}
	if core.IsNotFound(err) {
		return fmt.Errorf("slack notice %s: %w", n.Key, err)
	}
	return noticeError(fmt.Errorf("slack notice %s: %w", n.Key, err))
}

// noticeEvent is the metadata event type every notice is posted with, its
// key in the payload, so that a delivery made again can find it.
const noticeEvent = "leadwire_notice"

// earlier is a notice found posted by an earlier delivery: the channel it
// is in (a DM's D… id) and the names of the files shared there since.
type earlier struct {
	channel string
	files   map[string]bool
}

// shareMissing uploads the charts of a notice found posted before that
// did not follow it: the earlier delivery ended between the post and the
// uploads.
func (a *Adapter) shareMissing(ctx context.Context, before *earlier, key string, r bot.Reply) error {
	missing := slices.DeleteFunc(slices.Clone(r.Charts), func(c bot.Chart) bool { return before.files[c.Name] })
	if len(missing) == 0 {
		return nil
	}
	a.log.Info("slack notice was delivered before without all its charts; sharing the rest", "channel", before.channel, "key", key, "charts", len(missing))
	r.Charts = missing
	if err := a.uploadCharts(ctx, before.channel, "", r); err != nil {
		return fmt.Errorf("slack notice %s: %w", key, err)
	}
	return nil
}

// posted finds the notice of key posted to channel (a channel id, or a
// user's id for their DM) since the given time, or answers nil: a notice
// delivered again looks before it posts, so a replica that died after
// Slack took the post but before the job was recorded done does not post
// it twice. Anything that keeps it from looking (a scope missing: im:write
// opens the DM, im:history and channels:history read them) is logged, and
// the notice posted.
func (a *Adapter) posted(ctx context.Context, channel, key string, since time.Time) *earlier {
	id := channel
	if !strings.HasPrefix(id, "C") && !strings.HasPrefix(id, "G") && !strings.HasPrefix(id, "D") {
		dm, _, _, err := a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{channel}, ReturnIM: true})
		if err != nil {
			a.log.Warn("slack: cannot open the DM to look for a notice delivered before; posting it", "user", channel, "key", key, "err", err)
			return nil
		}
		id = dm.ID
	}
	params := &slack.GetConversationHistoryParameters{ChannelID: id, Oldest: fmt.Sprintf("%d.000000", since.Add(-time.Minute).Unix()),
		Limit: 200, IncludeAllMetadata: true}
	// The files shared after the notice: history comes newest first.
	files := map[string]bool{}
	for range 5 { // 1,000 messages since the notice was raised at most
		h, err := a.api.GetConversationHistoryContext(ctx, params)
		if err != nil {
			a.log.Warn("slack: cannot read the channel to look for a notice delivered before; posting it", "channel", id, "key", key, "err", err)
			return nil
		}
		for _, m := range h.Messages {
			if m.Metadata.EventType == noticeEvent && m.Metadata.EventPayload["key"] == key {
				a.log.Info("slack notice was delivered before; not posted again", "channel", id, "key", key, "ts", m.Timestamp)
				return &earlier{channel: id, files: files}
			}
			for _, f := range m.Files {
				files[f.Name] = true
			}
		}
		if !h.HasMore || h.ResponseMetaData.NextCursor == "" {
			break
		}
		params.Cursor = h.ResponseMetaData.NextCursor
	}
	return nil
}

// noticeTarget is where a notice goes: the user's Slack id (a DM) or the
// team's channel.
func (a *Adapter) noticeTarget(ctx context.Context, n core.Notice) (string, error) {
	dir := a.svc.Directory
	if n.UserID != 0 {
		u, err := dir.UserByID(ctx, n.UserID)
		if err != nil {
			return "", err
		}
		if u.SlackID == "" || !u.Active {
			return "", core.Undeliverable(fmt.Errorf("user %d has no Slack account linked", u.ID))
		}
		return u.SlackID, nil
	}
	t, err := dir.TeamByID(ctx, n.TeamID)
	if err != nil {
		return "", err
	}
	if t.SlackChannel == "" {
		return "", core.Undeliverable(fmt.Errorf("team %s has no Slack channel", t.Name))
	}
	return t.SlackChannel, nil
}

// noticeError maps a failed post: a 429 snoozes for Retry-After, an
// answer Slack will give again (Permanent) is final, anything else is retried.
func noticeError(err error) error {
	var limited *slack.RateLimitedError
	if errors.As(err, &limited) {
		return core.RetryAfter(max(limited.RetryAfter, time.Second))
	}
	return undeliverable(err)
}

// channelLimit is how often Slack takes a message in one channel (a DM
// is a channel of its own).
const channelLimit = time.Second

// pacer books posts so that each channel gets at most one a second from
// this process; replicas each pace their own, and Slack's 429 catches the
// rest.
type pacer struct {
	mu    sync.Mutex
	next  map[string]time.Time // when a channel is free again
	sweep time.Time
}

func newPacer() *pacer { return &pacer{next: map[string]time.Time{}} }

// reserve books a post to channel at now and returns 0, or returns how
// long until one may be sent, booking nothing.
func (p *pacer) reserve(channel string, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if free := p.next[channel]; now.Before(free) {
		return free.Sub(now)
	}
	p.next[channel] = now.Add(channelLimit)
	if now.Sub(p.sweep) > time.Minute {
		for ch, free := range p.next {
			if now.After(free) {
				delete(p.next, ch)
			}
		}
		p.sweep = now
	}
	return 0
}
