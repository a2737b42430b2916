package chat

import (
	"context"
	"strconv"
	"strings"
	"time"

	"leadwire/core"
)

// SlackMessage is a message a person posted in a Slack intake channel,
// with the author's profile (users.info) when it could be read.
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

// SlackInbound maps an intake channel message to an inbound: the channel is
// the source, channel and ts the idempotency key, the author's Slack id
// the contact's handle; a reply in a thread continues the thread's lead.
// A tool's post is the lead it carries: the prospect's details are read
// from its text.
func SlackInbound(m SlackMessage) core.Inbound {
	in := core.Inbound{
		Channel:    core.ChannelSlack,
		Source:     m.Channel,
		ExternalID: core.SlackMessageRef(m.Channel, m.TS),
		Text:       m.Text,
		ReceivedAt: slackTime(m.TS),
	}
	if m.Tool != "" {
		postedInbound(m.Text, &in)
		in.Metadata["posted_by"] = m.Tool
	} else {
		in.Name, in.Email, in.Handle = m.Name, m.Email, core.ChannelSlack+":"+m.User
	}
	if m.ThreadTS != "" && m.ThreadTS != m.TS {
		in.References = []string{core.SlackMessageRef(m.Channel, m.ThreadTS)}
	}
	return in
}

// SlackIntake captures intake channel messages; its Capture is the Slack
// adapter's intake hook.
type SlackIntake struct {
	svc   *core.Service
	teams map[string]string
}

// NewSlackIntake returns the intake of Slack channels, routing a channel's
// leads to its team in teams (channel id → team name; a channel missing
// or "" goes to the default team).
func NewSlackIntake(svc *core.Service, teams map[string]string) *SlackIntake {
	return &SlackIntake{svc: svc, teams: teams}
}

// Capture stores a message as a lead or an activity; a message seen
// before changes nothing (CaptureResult.Duplicate).
func (s *SlackIntake) Capture(ctx context.Context, m SlackMessage) (core.CaptureResult, error) {
	in := SlackInbound(m)
	in.Team = s.teams[m.Channel]
	return s.svc.Capture(ctx, in)
}

// slackTime reads a Slack ts ("1793610000.000100"); zero when it is not one.
func slackTime(ts string) time.Time {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || s <= 0 {
		return time.Time{}
	}
	us, _ := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	return time.Unix(s, us*1000).UTC()
}
