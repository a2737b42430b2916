package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// NoticeKind is what a notice is about; it tells the notifier what to load
// and how to render it.
type NoticeKind string

// The notice kinds.
const (
	NoticeNewLead          NoticeKind = "new_lead"          // LeadID was captured; to its team's channels, with Claim
	NoticeReminder         NoticeKind = "reminder"          // TaskID fell due; to its owner, with Done and Snooze
	NoticeRotting          NoticeKind = "rotting"           // DealID has had no activity past its stage's limit; to its owner
	NoticeUnclaimed        NoticeKind = "unclaimed"         // LeadID waits past the team's response limit; to the team
	NoticeUnclaimedManager NoticeKind = "unclaimed_manager" // LeadID waits past twice the limit; to the team's manager
	NoticeDigest           NoticeKind = "digest"            // the digest of Date for manager UserID
	NoticeAlert            NoticeKind = "alert"             // Text: a connector failed or recovered; to each admin
	NoticeChannelFailing   NoticeKind = "channel_failing"   // Text: a channel of the user's fails; on another channel
	NoticeText             NoticeKind = "text"              // Text, e.g. a rule's notify action
	NoticeAssigned         NoticeKind = "assigned"          // LeadID or DealID was given to UserID, How, by By (a rule named in Text); with its card, open tasks and latest activities
	NoticeHandedOver       NoticeKind = "handed_over"       // LeadID or DealID of UserID was given to someone else by By
	NoticeTaskGiven        NoticeKind = "task_given"        // TaskID was made for its owner UserID by By
)

// Notice is a message leadwire sends on its own. It names its records
// rather than carrying them: the notifier loads them when it delivers, so
// a reminder shows the task as it is then.
type Notice struct {
	Kind   NoticeKind `json:"kind"`
	UserID int64      `json:"user_id,omitempty"` // to this user; 0 with TeamID: to the team's channel
	TeamID int64      `json:"team_id,omitempty"`
	TaskID int64      `json:"task_id,omitempty"`
	LeadID int64      `json:"lead_id,omitempty"`
	DealID int64      `json:"deal_id,omitempty"`
	Date   string     `json:"date,omitempty"` // a day, YYYY-MM-DD (digests)
	Text   string     `json:"text,omitempty"`
	By     int64      `json:"by,omitempty"`  // who did what the notice tells of; 0: nobody in particular
	How    RouteHow   `json:"how,omitempty"` // assigned, handed_over: how it was given
	// Key names this notice: one channel delivers one notice of a key
	// once, however often it is announced ("reminder:T7:1764061200").
	Key string `json:"key"`
}

// Notifier delivers notices on one channel (ChannelSlack, ChannelTelegram
// or ChannelEmail): the chat adapters and the mail sender implement it.
type Notifier interface {
	// Channel is the channel's name: ChannelSlack, ChannelTelegram, …
	Channel() string
	// Notify delivers n. An error wrapping ErrUndeliverable is final (the
	// user blocked the bot, the channel is gone); RetryAfter asks to be
	// tried again after a while (a pace, a 429); others are retried.
	Notify(ctx context.Context, n Notice) error
}

// ErrUndeliverable marks a delivery that retrying cannot fix.
var ErrUndeliverable = errors.New("undeliverable")

// Undeliverable wraps err as a final delivery failure.
func Undeliverable(err error) error { return fmt.Errorf("%w: %w", ErrUndeliverable, err) }

// NotifyJob delivers one notice on one channel; a job per channel lets
// one channel fail and retry without repeating the others.
type NotifyJob struct {
	Channel string `json:"channel"`
	Notice  Notice `json:"notice"`
}

// Kind implements Job.
func (NotifyJob) Kind() string { return "notify" }

// NotifyQueue is the queue notices are delivered from: apart from the
// jobs that raise them, so a burst of due reminders does not hold up the
// delivery of those already announced.
const NotifyQueue = "notify"

// JobOptions implements JobScheduler: a notice is enqueued once per
// channel and key, on NotifyQueue.
func (j NotifyJob) JobOptions() JobOptions {
	return JobOptions{UniqueKey: j.Channel + "|" + j.Notice.Key, Queue: NotifyQueue}
}

// NoticeChannels are the channels a notice can reach its recipient on,
// among those configured: a user's linked chats, a team's channels and
// address. Email carries a user only digests (their chats carry the rest);
// a team's address, when set, every team notice.
func NoticeChannels(n Notice, u *User, t *Team, configured []string) []string {
	var out []string
	for _, ch := range configured {
		ok := false
		switch {
		case u != nil && ch == ChannelSlack:
			ok = u.SlackID != ""
		case u != nil && ch == ChannelTelegram:
			ok = u.TelegramID != 0
		case u != nil && ch == ChannelEmail:
			ok = u.Email != "" && n.Kind == NoticeDigest
		case t != nil && ch == ChannelSlack:
			ok = t.SlackChannel != ""
		case t != nil && ch == ChannelTelegram:
			ok = t.TelegramChat != ""
		case t != nil && ch == ChannelEmail:
			ok = t.Email != ""
		}
		if ok {
			out = append(out, ch)
		}
	}
	return out
}

// Announce enqueues n, in tx, on every configured channel that reaches its
// recipient (the user when n.UserID is set, else the team). It returns the
// channels used; none is not an error (nobody has linked a chat yet).
func (s *Notices) Announce(ctx context.Context, tx Tx, n Notice) ([]string, error) {
	return s.AnnounceExcept(ctx, tx, n)
}

// AnnounceExcept is Announce on every channel but the excluded ones: a
// channel that fails is reported on the others.
func (s *Notices) AnnounceExcept(ctx context.Context, tx Tx, n Notice, exclude ...string) ([]string, error) {
	if n.Key == "" {
		return nil, fmt.Errorf("announce %s: a notice needs a key", n.Kind)
	}
	var (
		u   *User
		t   *Team
		err error
	)
	switch {
	case n.UserID != 0:
		if u, err = tx.UserByID(ctx, n.UserID); err != nil {
			return nil, fmt.Errorf("announce %s: %w", n.Kind, err)
		}
		if !u.Active {
			return nil, nil
		}
	case n.TeamID != 0:
		if t, err = tx.TeamByID(ctx, n.TeamID); err != nil {
			return nil, fmt.Errorf("announce %s: %w", n.Kind, err)
		}
	default:
		return nil, fmt.Errorf("announce %s: a notice needs a user or a team", n.Kind)
	}
	configured := s.settings.Channels
	if n.Kind == NoticeDigest {
		configured = s.digestChannels()
	}
	channels := NoticeChannels(n, u, t, configured)
	channels = slices.DeleteFunc(channels, func(ch string) bool { return slices.Contains(exclude, ch) })
	for _, ch := range channels {
		if err := tx.Enqueue(ctx, NotifyJob{Channel: ch, Notice: n}); err != nil {
			return nil, err
		}
	}
	return channels, nil
}

// NoticeKey builds a notice key from its parts: NoticeKey("reminder",
// "T7", 1764061200) is "reminder:T7:1764061200".
func NoticeKey(parts ...any) string {
	b := make([]byte, 0, 32)
	for i, p := range parts {
		if i > 0 {
			b = append(b, ':')
		}
		switch v := p.(type) {
		case string:
			b = append(b, v...)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		default:
			b = fmt.Append(b, v)
		}
	}
	return string(b)
}

// redeliveryKey marks a context that delivers a notice again.
type redeliveryKey struct{}

// WithRedelivery marks ctx as delivering a notice again: an earlier
// attempt, made since the given time, failed or was cut off by its
// replica's death, and may have reached the channel all the same. A
// notifier that can look (Slack's history) checks before it posts.
func WithRedelivery(ctx context.Context, since time.Time) context.Context {
	return context.WithValue(ctx, redeliveryKey{}, since)
}

// Redelivery reports whether ctx delivers a notice again, and since when
// it may have been delivered.
func Redelivery(ctx context.Context) (since time.Time, again bool) {
	since, again = ctx.Value(redeliveryKey{}).(time.Time)
	return since, again
}
