package slack

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"leadwire/bot"
	"leadwire/core"
)

// IntakeFunc captures an intake channel message, with its author's
// profile when it could be read, as a lead or an activity
// (connectors/chat's SlackIntake.Capture is one); a message seen before
// is a CaptureResult with Duplicate set.
type IntakeFunc func(ctx context.Context, m core.SlackMessage) (core.CaptureResult, error)

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
// through the new-lead notice. Another tool's post (an app, a workflow, an
// incoming webhook) is the lead it carries. The bot's own posts, edits and
// the team's own messages are not prospects writing: a colleague
// answering in a prospect's thread is recorded on the lead's timeline as
// an answer. An error means the message was not stored: the event should
// come again.
func (a *Adapter) intakeMessage(ctx context.Context, e *slackevents.MessageEvent, extShared bool) error {
	switch e.SubType {
	case "", "file_share", "thread_broadcast", "bot_message":
	default:
		return nil // message_changed, channel_join, …
	}
	switch {
	case a.ownPost(e):
		return nil
	case e.BotID != "" || e.SubType == "bot_message":
		return a.toolPost(ctx, e, extShared)
	case e.User == "":
		return nil
	}
	if u, err := a.conv.SlackUser(ctx, e.User); err != nil {
		return fmt.Errorf("slack intake: %w", err)
	} else if u != nil {
		return a.teamAnswer(ctx, u, e)
	}
	m := core.SlackMessage{Channel: e.Channel, TS: e.TimeStamp, ThreadTS: e.ThreadTimeStamp, User: e.User,
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
			u, err := a.svc.Directory.UserByEmail(ctx, m.Email)
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
	}
	return a.answerLead(ctx, e, res, extShared)
}

// ownPost reports whether the bot itself posted the message.
func (a *Adapter) ownPost(e *slackevents.MessageEvent) bool {
	user, id := a.botUser.Load(), a.botID.Load()
	return user != nil && e.User != "" && e.User == *user || id != nil && e.BotID != "" && e.BotID == *id
}

// toolPost captures the lead another tool posted in an intake channel. A
// post the lead cannot be read from (no email address, phone number) is
// answered in its thread with why, so the team sees it was not taken;
// one in a thread is only logged.
func (a *Adapter) toolPost(ctx context.Context, e *slackevents.MessageEvent, extShared bool) error {
	m := core.SlackMessage{Channel: e.Channel, TS: e.TimeStamp, ThreadTS: e.ThreadTimeStamp, User: e.User,
		Text: strings.TrimSpace(e.Text), Tool: a.toolName(ctx, e)}
	if m.Text == "" && e.Message != nil {
		m.Text = strings.TrimSpace(blocksText(e.Message.Blocks))
	}
	if m.Text == "" {
		m.Text = strings.TrimSpace(blocksText(e.Blocks))
	}
	res, err := a.opts.Intake(ctx, m)
	switch {
	case err != nil && core.KindOf(err) == core.KindInternal:
		return err
	case err != nil && m.ThreadTS != "" && m.ThreadTS != m.TS:
		a.log.Warn("slack intake post in a thread refused", "channel", e.Channel, "ts", e.TimeStamp, "tool", m.Tool, "err", err)
		return nil // a tool talking in a thread is not posting a lead
	case err != nil:
		a.log.Warn("slack intake post refused", "channel", e.Channel, "ts", e.TimeStamp, "tool", m.Tool, "err", err)
		// In the channel's words: the organisation's language.
		p := a.conv.Printer(nil, "")
		text := p.T("slack.intake_refused", "Error", strings.TrimSuffix(p.ErrorText(err), "."))
		if _, err := a.post(ctx, e.Channel, e.TimeStamp, bot.Reply{Text: text, Tone: bot.ToneBad}); err != nil {
			a.log.Warn("slack intake answer failed", "channel", e.Channel, "ts", e.TimeStamp, "err", err)
		}
		return nil
	}
	return a.answerLead(ctx, e, res, extShared)
}

// toolName names the tool that posted a message: the name it posted
// under, else its bot's name (bots.info), else its bot id; a bot's name
// is asked for once.
func (a *Adapter) toolName(ctx context.Context, e *slackevents.MessageEvent) string {
	if name := strings.TrimSpace(e.Username); name != "" {
		return name
	}
	if e.BotID == "" {
		return e.User
	}
	if name, ok := a.botNames.Load(e.BotID); ok {
		return name.(string)
	}
	name := e.BotID
	if b, err := a.api.GetBotInfoContext(ctx, slack.GetBotInfoParameters{Bot: e.BotID}); err != nil {
		a.log.Debug("slack bots.info failed; the tool is named by its id", "bot", e.BotID, "err", err)
	} else if b.Name != "" {
		name = b.Name
	}
	a.botNames.Store(e.BotID, name)
	return name
}

// answerLead answers a new lead from an intake channel in its thread: the
// card, or in a shared channel the acknowledgement.
func (a *Adapter) answerLead(ctx context.Context, e *slackevents.MessageEvent, res core.CaptureResult, extShared bool) error {
	if !res.NewLead {
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
// a prospect of an intake channel (connectors/chat's ReplyWorker). An
// answer of Slack's that retrying cannot change (Permanent) is
// core.ErrUndeliverable.
func (a *Adapter) PostThread(ctx context.Context, channel, thread, text string) error {
	opts := []slack.MsgOption{slack.MsgOptionText(text, true)}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	if _, _, err := a.api.PostMessageContext(ctx, channel, opts...); err != nil {
		return undeliverable(fmt.Errorf("chat.postMessage to %s: %w", channel, err))
	}
	return nil
}

// blocksText is the text of a message's section, header, context and rich
// text blocks, one a line: what a tool that posts Block Kit only shows.
func blocksText(blocks slack.Blocks) string {
	var lines []string
	add := func(t *slack.TextBlockObject) {
		if t != nil && strings.TrimSpace(t.Text) != "" {
			lines = append(lines, t.Text)
		}
	}
	for _, b := range blocks.BlockSet {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			add(b.Text)
		case *slack.SectionBlock:
			add(b.Text)
			for _, f := range b.Fields {
				add(f)
			}
		case *slack.ContextBlock:
			for _, el := range b.ContextElements.Elements {
				if t, ok := el.(*slack.TextBlockObject); ok {
					add(t)
				}
			}
		case *slack.RichTextBlock:
			var b2 strings.Builder
			richText(&b2, b.Elements)
			if s := strings.TrimSpace(b2.String()); s != "" {
				lines = append(lines, s)
			}
		}
	}
	return strings.Join(lines, "\n")
}

// richText writes the plain text of rich text elements, a line each.
func richText(w *strings.Builder, elems []slack.RichTextElement) {
	for _, el := range elems {
		switch el := el.(type) {
		case *slack.RichTextSection:
			sectionText(w, el.Elements)
		case *slack.RichTextList:
			richText(w, el.Elements)
		case *slack.RichTextPreformatted:
			sectionText(w, el.Elements)
		case *slack.RichTextQuote:
			sectionText(w, el.Elements)
		}
	}
}

// sectionText writes the text and links of a rich text section and ends
// the line.
func sectionText(w *strings.Builder, elems []slack.RichTextSectionElement) {
	for _, se := range elems {
		switch se := se.(type) {
		case *slack.RichTextSectionTextElement:
			w.WriteString(se.Text)
		case *slack.RichTextSectionLinkElement:
			w.WriteString(cmp.Or(se.Text, se.URL))
		}
	}
	w.WriteString("\n")
}
