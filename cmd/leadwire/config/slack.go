package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	slackbot "leadwire/bot/slack"
)

// Slack is the Slack app: the bot answers slash commands, buttons, mentions
// and direct messages, and posts new leads to the teams' channels. It is
// on when bot_token is set.
type Slack struct {
	Mode          slackbot.Mode `yaml:"mode"`           // http (default): Slack calls /slack/…; socket: Socket Mode
	BotToken      string        `yaml:"bot_token"`      // xoxb-…; empty: Slack is off
	SigningSecret string        `yaml:"signing_secret"` // verifies requests in http mode
	AppToken      string        `yaml:"app_token"`      // xapp-…, for socket mode
	Command       string        `yaml:"command"`        // the slash command; default /lw
	AutoProvision bool          `yaml:"auto_provision"` // link unknown Slack users to leadwire users by email
	APIURL        string        `yaml:"api_url"`        // Web API base; default https://slack.com/api/ (GovSlack, tests)
	// IntakeChannels are the channels whose messages are prospects
	// writing: each becomes a lead, or an activity on the author's.
	IntakeChannels []IntakeChannel `yaml:"intake_channels"`
}

// IntakeChannel is a Slack intake channel: its id alone (C0123ABCD), or
// {id: C0123ABCD, team: Bangkok} to route its leads to a team other than
// the default one.
type IntakeChannel struct {
	ID   string `yaml:"id"`
	Team string `yaml:"team"` // "" the default team
}

func (ch *IntakeChannel) setScalar(s string) { ch.ID = s }

// IntakeTeams maps each intake channel id to its team ("" the default).
func (s Slack) IntakeTeams() map[string]string {
	teams := make(map[string]string, len(s.IntakeChannels))
	for _, ch := range s.IntakeChannels {
		teams[ch.ID] = ch.Team
	}
	return teams
}

// slackChannelID matches a public or private channel id.
var slackChannelID = regexp.MustCompile(`^[CG][A-Z0-9]{2,}$`)

// DefaultSlackCommand is the slash command when none is configured.
const DefaultSlackCommand = "/lw"

// Enabled reports whether the Slack app is configured.
func (s Slack) Enabled() bool { return s.BotToken != "" }

// checkSlack fills the Slack defaults and validates the keys.
func (c *Config) checkSlack(p *problems) {
	s := &c.Slack
	mode := slackbot.Settings{Mode: s.Mode, BotToken: s.BotToken, SigningSecret: s.SigningSecret, AppToken: s.AppToken}
	p.settings("slack", mode.Check())
	s.Mode = mode.Mode
	s.Command = strings.TrimSpace(s.Command)
	if s.Command == "" {
		s.Command = DefaultSlackCommand
	}
	if !strings.HasPrefix(s.Command, "/") || len(s.Command) < 2 || strings.ContainsAny(s.Command, " \t") {
		p.errf("slack.command", "invalid slash command %q; write it like /lw", s.Command)
	}
	seen := map[string]int{}
	for i := range s.IntakeChannels {
		ch, path := &s.IntakeChannels[i], fmt.Sprintf("slack.intake_channels[%d]", i)
		ch.ID = strings.TrimSpace(ch.ID)
		switch first, dup := seen[ch.ID]; {
		case !slackChannelID.MatchString(ch.ID):
			p.errf(path, "%q is not a channel id; write the id, like C0123ABCD (channel details → About, at the bottom), not its #name", ch.ID)
		case dup:
			p.errf(path, "channel %s is listed twice (also slack.intake_channels[%d])", ch.ID, first)
		default:
			seen[ch.ID] = i
		}
		if ch.Team != "" {
			ch.Team = c.team(p, path+".team", ch.Team)
		}
	}
	if len(s.IntakeChannels) > 0 && !s.Enabled() {
		p.errf("slack.intake_channels", "intake channels need the Slack app: set slack.bot_token")
	}
	if s.APIURL != "" {
		u, err := url.Parse(s.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.errf("slack.api_url", "invalid API URL %q; write it like https://slack.com/api/", s.APIURL)
		} else if !strings.HasSuffix(s.APIURL, "/") {
			s.APIURL += "/"
		}
	}
}
