package core

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxChatReply is the longest reply, in characters, a chat takes in one
// message (Telegram's limit).
const MaxChatReply = 4096

// ChatReplyJob sends a rep's reply to the prospect on the channel the
// prospect last wrote on: a chat_out activity in their chat, or an
// email_out activity (its Subject, and its ExternalRef the Message-ID)
// by mail.
type ChatReplyJob struct {
	ActivityID int64  `json:"activity_id"`
	Channel    string `json:"channel"`          // ChannelTelegram, ChannelSlack or ChannelEmail
	To         string `json:"to"`               // the Telegram chat id, the Slack channel id, or the prospect's address
	Thread     string `json:"thread,omitempty"` // Slack: the ts of the message the prospect started with
	// Mail: the sender (the owner), the name to write to, the messages
	// it answers, and the mailbox the lead came from (its Sent folder
	// gets a copy).
	From       string   `json:"from,omitempty"`
	FromName   string   `json:"from_name,omitempty"`
	ToName     string   `json:"to_name,omitempty"`
	InReplyTo  string   `json:"in_reply_to,omitempty"`
	References []string `json:"references,omitempty"`
	Mailbox    string   `json:"mailbox,omitempty"`
}

// Kind implements Job.
func (ChatReplyJob) Kind() string { return "chat_reply" }

// JobOptions implements JobScheduler: a reply is sent once.
func (j ChatReplyJob) JobOptions() JobOptions {
	return JobOptions{UniqueKey: NoticeKey("chat_reply", j.ActivityID)}
}

// ChatReply is what Service.ReplyToContact did: the activity recorded and
// where it goes.
type ChatReply struct {
	Activity *Activity
	Contact  *Contact
	Job      ChatReplyJob
}

// TelegramMessageRef is the external id of a Telegram message, as its
// activity's ExternalRef: "telegram:CHAT:MESSAGE".
func TelegramMessageRef(chat int64, message int) string {
	return "telegram:" + strconv.FormatInt(chat, 10) + ":" + strconv.Itoa(message)
}

// SlackMessage is a message a person posted in a Slack intake channel,
// with the author's profile (users.info) when it could be read: what the
// Slack adapter hands to its intake hook and connectors/chat captures.
type SlackMessage struct {
	Channel  string
	TS       string
	ThreadTS string // set on a reply in a thread: the thread's first message
	User     string // the author's Slack id
	Name     string // the author's real name
	Email    string // the author's email, when the app may read it
	Text     string
	// Tool is set when an app, a workflow or an incoming webhook posted
	// the message (its name): the prospect is in the text, not the author.
	Tool string
}

// SlackMessageRef is the external id of a Slack message, as its
// activity's ExternalRef: "slack:CHANNEL:TS".
func SlackMessageRef(channel, ts string) string { return "slack:" + channel + ":" + ts }

// chatRef reads a TelegramMessageRef or a SlackMessageRef.
func chatRef(ref string) (channel, to, ts string, ok bool) {
	ch, rest, _ := strings.Cut(ref, ":")
	to, ts, ok = strings.Cut(rest, ":")
	switch {
	case !ok || to == "" || ts == "":
		return "", "", "", false
	case ch == ChannelTelegram:
		if _, err := strconv.ParseInt(to, 10, 64); err != nil {
			return "", "", "", false
		}
	case ch != ChannelSlack:
		return "", "", "", false
	}
	return ch, to, ts, true
}

// ReplyToContact sends text to the prospect of a lead or deal in the chat
// they wrote from (the Telegram intake bot, or the thread of their message
// in a Slack intake channel): in one transaction it records a chat_out
// activity on the timeline and enqueues the ChatReplyJob that delivers it.
// A contact who never wrote in chat is refused, with how else to reach
// them.
func (s *Service) ReplyToContact(ctx context.Context, actor *User, ref Ref, text string) (*ChatReply, error) {
	text = strings.TrimSpace(cleanText(text))
	if text == "" {
		return nil, Fail(KindInvalid, "error.reply_empty", "the reply is empty; write: reply {Ref} your text", "Ref", ref)
	}
	if n := utf8.RuneCountInString(text); n > MaxMailReply {
		return nil, Fail(KindInvalid, "error.reply_too_long_mail", "the reply is {N} characters; a reply by mail takes at most {Max}, so shorten it or send it in parts",
			"N", n, "Max", MaxMailReply)
	}
	out := &ChatReply{}
	err := s.store.Update(ctx, func(tx Tx) error {
		contactID, leadID, dealID, err := target(ctx, tx, actor, ref)
		if err != nil {
			return err
		}
		if ref.Kind == 'L' {
			// A reply on the lead stays on the lead's timeline.
			dealID = 0
		}
		c, err := tx.ContactByID(ctx, contactID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		act := &Activity{Kind: ActivityChatOut, ContactID: contactID, LeadID: leadID, DealID: dealID, UserID: actor.ID, Body: text, At: now}
		job, last, err := s.replyRoute(ctx, tx, c)
		if err != nil {
			return err
		}
		if job.Channel == ChannelEmail {
			if err := s.mailReply(ctx, tx, actor, c, leadID, dealID, last, &job, act); err != nil {
				return err
			}
		} else if n := utf8.RuneCountInString(text); n > MaxChatReply {
			return Fail(KindInvalid, "error.reply_too_long", "the reply is {N} characters; a chat message takes at most {Max}, so send it in parts", "N", n, "Max", MaxChatReply)
		}
		if err := tx.AddActivity(ctx, act); err != nil {
			return err
		}
		if err := s.touch(ctx, tx, leadID, dealID, now); err != nil {
			return err
		}
		job.ActivityID = act.ID
		if err := tx.Enqueue(ctx, job); err != nil {
			return err
		}
		out.Activity, out.Contact, out.Job = act, c, job
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reply on %s: %w", ref, err)
	}
	return out, nil
}

// ReplyContact returns the prospect a reply on ref goes to, once the
// actor may act on the lead or deal: reading a teammate's record does not
// let a rep answer on it.
func (s *Service) ReplyContact(ctx context.Context, actor *User, ref Ref) (*Contact, error) {
	contactID, _, _, err := target(ctx, s.store, actor, ref)
	if err != nil {
		return nil, err
	}
	return s.store.ContactByID(ctx, contactID)
}

// chatRoute finds where a reply to the contact goes: the chat of their
// newest chat message (in Slack, the thread of the first message they
// wrote in that channel), else their Telegram handle.
func chatRoute(ctx context.Context, tx Reader, c *Contact) (ChatReplyJob, error) {
	acts, err := tx.ListActivities(ctx, ActivityFilter{ContactID: c.ID, Limit: 500})
	if err != nil {
		return ChatReplyJob{}, err
	}
	var job ChatReplyJob
	for _, a := range acts { // newest first
		if a.Kind != ActivityChatIn {
			continue
		}
		ch, to, ts, ok := chatRef(a.ExternalRef)
		if !ok {
			continue
		}
		switch {
		case job.Channel == "":
			job = ChatReplyJob{Channel: ch, To: to}
			if ch == ChannelTelegram {
				return job, nil
			}
			job.Thread = ts
		case ch == ChannelSlack && to == job.To:
			job.Thread = ts // an older message in the same channel
		}
	}
	if job.Channel != "" {
		return job, nil
	}
	for _, h := range c.Handles {
		if id, ok := strings.CutPrefix(h, ChannelTelegram+":"); ok {
			if _, err := strconv.ParseInt(id, 10, 64); err == nil {
				return ChatReplyJob{Channel: ChannelTelegram, To: id}, nil
			}
		}
	}
	return ChatReplyJob{}, noChat(c)
}

// noChat refuses a reply to a contact who never wrote in chat, saying how
// else to reach them.
func noChat(c *Contact) error {
	who := c.Name
	if who == "" {
		who = "—"
	}
	switch {
	case len(c.Emails) > 0:
		return Fail(KindInvalid, "error.no_chat_email", "{Who} has never written to us in chat, so a reply cannot reach them there; write to {Email} by email instead",
			"Who", who, "Email", c.Emails[0])
	case len(c.Phones) > 0:
		return Fail(KindInvalid, "error.no_chat_phone", "{Who} has never written to us in chat, so a reply cannot reach them there; call {Phone} instead",
			"Who", who, "Phone", c.Phones[0])
	}
	return Fail(KindInvalid, "error.no_chat", "{Who} has never written to us in chat, so a reply cannot reach them there; there is no email or phone either: add one, or note the lead instead",
		"Who", who)
}

// replyUndelivered notes on the timeline that a reply did not reach the
// prospect, and tells the rep who wrote it in chat, in one transaction.
// A reason leadwire words itself is a catalog term (an Error whose key is
// under "term."), shown in the reader's language; any other (what a mail
// server answered) is shown as it came.
func (s *Service) replyUndelivered(ctx context.Context, activityID int64, cause error) error {
	why := cleanLine(strings.TrimPrefix(cause.Error(), ErrUndeliverable.Error()+": "))
	arg := TextArg(why)
	var msgs []NoticeMsg
	var e *Error
	if errors.As(cause, &e) && strings.HasPrefix(e.Key, "term.") && len(e.Pairs) == 0 {
		arg = Arg{Term: strings.TrimPrefix(e.Key, "term.")}
		msgs = []NoticeMsg{{Key: e.Key}}
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		a, err := tx.ActivityByID(ctx, activityID)
		if err != nil {
			return err
		}
		if err := tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: a.ContactID, LeadID: a.LeadID, DealID: a.DealID,
			Key: "timeline.reply_undelivered", Args: Args{"Error": arg}, At: s.clock.Now()}); err != nil {
			return err
		}
		if a.UserID == 0 {
			return nil
		}
		_, err = s.Notices.Announce(ctx, tx, Notice{Kind: NoticeReplyFailed, UserID: a.UserID, ActivityID: a.ID,
			Text: why, Msgs: msgs, Key: NoticeKey("reply_failed", a.ID)})
		return err
	})
	if err != nil {
		return fmt.Errorf("note undelivered reply %d: %w", activityID, err)
	}
	return nil
}

// ChatReplyUndelivered notes on the timeline that a reply could not reach
// the prospect (they blocked the bot, the channel is gone), next to the
// reply itself, so the rep sees it and tries another way.
func (s *Service) ChatReplyUndelivered(ctx context.Context, activityID int64, reason string) error {
	err := s.store.Update(ctx, func(tx Tx) error {
		a, err := tx.ActivityByID(ctx, activityID)
		if err != nil {
			return err
		}
		return tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: a.ContactID, LeadID: a.LeadID, DealID: a.DealID,
			Key: "timeline.reply_undelivered", Args: Args{"Error": TextArg(cleanLine(reason))}, At: s.clock.Now()})
	})
	if err != nil {
		return fmt.Errorf("note undelivered reply %d: %w", activityID, err)
	}
	return nil
}

// RecordChatAnswer records what a user wrote straight in a prospect's chat
// — an answer in the Slack thread of their intake message — as a chat_out
// activity on the thread's lead or deal, so the timeline holds both sides
// of the conversation; nothing is sent, the prospect has it already.
// threadRef is the ExternalRef of the thread's first message and
// messageRef the answer's own; a thread no lead started is left alone
// (false), and an answer recorded before is not recorded again.
func (s *Service) RecordChatAnswer(ctx context.Context, actor *User, threadRef, messageRef, text string) (bool, error) {
	text = strings.TrimSpace(cleanText(text))
	if text == "" || threadRef == "" || messageRef == "" {
		return false, nil
	}
	recorded := false
	err := s.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.ActivityByExternalRef(ctx, messageRef); err == nil || !IsNotFound(err) {
			return err // recorded before, or the lookup failed
		}
		first, err := tx.ActivityByExternalRef(ctx, threadRef)
		if IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		now := s.clock.Now()
		act := &Activity{Kind: ActivityChatOut, ContactID: first.ContactID, LeadID: first.LeadID, DealID: first.DealID,
			UserID: actor.ID, Body: text, ExternalRef: messageRef, At: now}
		if err := tx.AddActivity(ctx, act); err != nil {
			return err
		}
		recorded = true
		return s.touch(ctx, tx, first.LeadID, first.DealID, now)
	})
	if err != nil {
		return false, fmt.Errorf("record the answer in %s: %w", threadRef, err)
	}
	return recorded, nil
}

// ProspectMessage is a text for a prospect, on the channel they last
// wrote on.
type ProspectMessage struct {
	Channel string // ChannelTelegram, ChannelSlack or ChannelEmail
	To      string // the Telegram chat id, the Slack channel id, or the address
	Thread  string // Slack: the ts of the message the prospect started with
	Text    string

	// Mail: From (the owner), the prospect's name, the subject, the
	// Message-ID to send with, the threading headers, when it was
	// written, and the IMAP mailbox whose Sent folder gets a copy ("":
	// none).
	From       mail.Address
	ToName     string
	Subject    string
	MessageID  string
	InReplyTo  string
	References []string
	Date       time.Time
	Mailbox    string
}

// ProspectSenders sends each message through the sender of its channel:
// the chat senders and the mail sender behind one ProspectSender. A
// channel without a sender is undeliverable.
type ProspectSenders map[string]ProspectSender

// SendToProspect implements ProspectSender.
func (ps ProspectSenders) SendToProspect(ctx context.Context, m ProspectMessage) error {
	if send := ps[m.Channel]; send != nil {
		return send.SendToProspect(ctx, m)
	}
	if m.Channel == ChannelEmail {
		return Undeliverable(errors.New("mail is off: no smtp server is configured"))
	}
	return Undeliverable(fmt.Errorf("no way to reach the prospect on %s", channelName(m.Channel)))
}

// ProspectSender delivers texts to prospects: the chat adapters
// implement it. A rate limit is RetryAfter; a prospect it can never
// reach (they blocked the bot, the channel is gone) is Undeliverable,
// wrapping the reason in words a rep reads.
type ProspectSender interface {
	SendToProspect(ctx context.Context, m ProspectMessage) error
}

// ChatReplyHandler runs ChatReplyJob through send: it sends the reply's
// text, and when the prospect cannot be reached it says so on the
// timeline and ends the job for good. Other failures are retried.
func (s *Service) ChatReplyHandler(send ProspectSender) func(context.Context, ChatReplyJob, JobInfo) error {
	return func(ctx context.Context, j ChatReplyJob, info JobInfo) error {
		a, err := s.store.ActivityByID(ctx, j.ActivityID)
		if IsNotFound(err) {
			return Permanent(err)
		}
		if err != nil {
			return err
		}
		m := ProspectMessage{Channel: j.Channel, To: j.To, Thread: j.Thread, Text: a.Body}
		if j.Channel == ChannelEmail {
			m.From, m.ToName, m.Subject, m.MessageID = mail.Address{Name: j.FromName, Address: j.From}, j.ToName, a.Subject, a.ExternalRef
			m.InReplyTo, m.References, m.Date, m.Mailbox = j.InReplyTo, j.References, a.At, j.Mailbox
		}
		err = send.SendToProspect(ctx, m)
		switch {
		case err == nil:
			s.log.Info("reply sent", "activity", j.ActivityID, "channel", j.Channel)
			return nil
		case errors.Is(err, ErrUndeliverable) || info.LastAttempt():
			s.log.Warn("reply undeliverable", "activity", j.ActivityID, "channel", j.Channel, "attempt", info.Attempt, "err", err)
			if nerr := s.replyUndelivered(ctx, j.ActivityID, err); nerr != nil {
				return nerr // retried: the note is worth having
			}
			return Permanent(err)
		}
		return err
	}
}
