package slack

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"leadwire/bot"
	"leadwire/core"
)

// IntakeMessage is a person's message in an intake channel, handed to
// Options.Intake with the author's profile (users.info) when it could be
// read.
type IntakeMessage struct {
	Channel  string
	TS       string
	ThreadTS string // set on a reply in a thread: the thread's first message
	User     string // the author's Slack id
	Name     string // the author's real name
	Email    string // the author's email, when the app may read it
	Text     string
}

// IntakeFunc captures an intake channel message as a lead or an activity
// (connectors/chat provides it); a message seen before is a
// CaptureResult with Duplicate set.
type IntakeFunc func(ctx context.Context, m IntakeMessage) (core.CaptureResult, error)

// isIntake reports whether a channel is an intake channel.
func (a *Adapter) isIntake(channel string) bool {
	return a.opts.Intake != nil && a.intake[channel]
}

// intakeEvent reports whether an event is a message in an intake channel.
func (a *Adapter) intakeEvent(ev slackevents.EventsAPIEvent) bool {
	e, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent)
	return ok && e.ChannelType != "im" && a.isIntake(e.Channel)
}

// intakeMessage captures a person's message in an intake channel and
// answers a new lead in its thread with the lead card — or, in a channel
// shared with other organisations (Slack Connect, where the prospect and
// others read along), with a short acknowledgement only: the card, with
// the prospect's details and score, reaches the team in its own channel
// through the new-lead notice. The bot's own
// posts, other bots', edits and the team's own messages are not prospects
// writing: a colleague answering in a prospect's thread is recorded on
// the lead's timeline as an answer. An error means the message was not
// stored: the event should come again.
func (a *Adapter) intakeMessage(ctx context.Context, e *slackevents.MessageEvent, extShared bool) error {
	switch e.SubType {
	case "", "file_share", "thread_broadcast":
	default:
		return nil // bot_message, message_changed, channel_join, …
	}
	if bot := a.botUser.Load(); e.BotID != "" || e.User == "" || (bot != nil && e.User == *bot) {
		return nil
	}
	if u, err := a.conv.SlackUser(ctx, e.User); err != nil {
		return fmt.Errorf("slack intake: %w", err)
	} else if u != nil {
		return a.teamAnswer(ctx, u, e)
	}
	m := IntakeMessage{Channel: e.Channel, TS: e.TimeStamp, ThreadTS: e.ThreadTimeStamp, User: e.User,
		Text: strings.TrimSpace(e.Text)}
	su, err := a.api.GetUserInfoContext(ctx, e.User)
	switch {
	case err != nil:
		a.log.Warn("slack users.info failed; the contact gets the Slack id only", "slack", e.User, "err", err)
	case su.IsBot:
		return nil
	default:
		m.Name, m.Email = profileName(su), su.Profile.Email
		if m.Email != "" {
			// A colleague whose Slack account is not linked yet.
			u, err := a.svc.Store().UserByEmail(ctx, strings.ToLower(m.Email))
			if err == nil && u.Active {
				return a.teamAnswer(ctx, u, e)
			}
			if err != nil && !core.IsNotFound(err) {
				return fmt.Errorf("slack intake: %w", err)
			}
		}
	}
	res, err := a.opts.Intake(ctx, m)
	switch {
	case err != nil && core.KindOf(err) == core.KindInternal:
		return err
	case err != nil:
		a.log.Warn("slack intake message refused", "channel", e.Channel, "ts", e.TimeStamp, "err", err)
		return nil
	case !res.NewLead:
		return nil // an activity on the author's lead or deal, or seen before
	}
	a.log.Info("slack intake lead", "lead", res.LeadID, "channel", e.Channel, "ext_shared", extShared)
	if extShared {
		if _, err := a.post(ctx, e.Channel, e.TimeStamp, bot.Reply{Text: intakeAck}); err != nil {
			a.log.Warn("slack intake answer failed", "lead", res.LeadID, "err", err)
		}
		return nil
	}
	reply, _, err := a.conv.TeamLeadNotice(ctx, res.LeadID)
	if err != nil {
		a.log.Warn("slack intake card failed", "lead", res.LeadID, "err", err)
		return nil
	}
	if _, err := a.post(ctx, e.Channel, e.TimeStamp, reply); err != nil {
		a.log.Warn("slack intake answer failed", "lead", res.LeadID, "err", err)
	}
	return nil
}

// teamAnswer records a colleague's message in the thread of a prospect's
// intake message as an answer on that lead's timeline.
func (a *Adapter) teamAnswer(ctx context.Context, u *core.User, e *slackevents.MessageEvent) error {
	if e.ThreadTimeStamp == "" || e.ThreadTimeStamp == e.TimeStamp {
		return nil // the team talking in the channel, not answering anyone
	}
	_, err := a.svc.RecordChatAnswer(ctx, u, core.SlackMessageRef(e.Channel, e.ThreadTimeStamp),
		core.SlackMessageRef(e.Channel, e.TimeStamp), e.Text)
	if err != nil && core.KindOf(err) != core.KindInternal {
		a.log.Warn("slack intake answer not recorded", "channel", e.Channel, "ts", e.TimeStamp, "err", err)
		return nil
	}
	return err
}

// intakeAck answers a prospect's first message in a shared channel.
const intakeAck = "Thank you! We have your message; someone from our team will answer you here shortly."

// profileName is the name a Slack profile shows.
func profileName(u *slack.User) string {
	for _, n := range []string{u.RealName, u.Profile.RealName, u.Profile.DisplayName, u.Name} {
		if n = strings.TrimSpace(n); n != "" {
			return n
		}
	}
	return ""
}

// PostThread posts a plain text in a thread of a channel: a rep's reply to
// a prospect of an intake channel (connectors/chat's ReplyWorker).
func (a *Adapter) PostThread(ctx context.Context, channel, thread, text string) error {
	opts := []slack.MsgOption{slack.MsgOptionText(text, true)}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	if _, _, err := a.api.PostMessageContext(ctx, channel, opts...); err != nil {
		return fmt.Errorf("chat.postMessage to %s: %w", channel, err)
	}
	return nil
}
