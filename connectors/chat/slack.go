package chat

import (
	"context"
	"strconv"
	"strings"
	"time"

	"leadwire/core"
)

// SlackInbound maps an intake channel message to an inbound: the channel is
// the source, channel and ts the idempotency key, the author's Slack id
// the contact's handle; a reply in a thread continues the thread's lead.
// A tool's post is the lead it carries: the prospect's details are read
// from its text.
func SlackInbound(m core.SlackMessage) core.Inbound {
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
// adapter's intake hook (bot/slack.IntakeFunc), as it is.
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
func (s *SlackIntake) Capture(ctx context.Context, m core.SlackMessage) (core.CaptureResult, error) {
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
