package config

import (
	"net/url"
	"regexp"
	"strings"
)

// Slack is the Slack app: the bot answers slash commands, buttons, mentions
// and direct messages, and posts new leads to the teams' channels. It is
// on when bot_token is set.
type Slack struct {
	Mode          string `yaml:"mode"`           // http (default): Slack calls /slack/…; socket: Socket Mode
	BotToken      string `yaml:"bot_token"`      // xoxb-…; empty: Slack is off
	SigningSecret string `yaml:"signing_secret"` // verifies requests in http mode
	AppToken      string `yaml:"app_token"`      // xapp-…, for socket mode
	Command       string `yaml:"command"`        // the slash command; default /lw
	AutoProvision bool   `yaml:"auto_provision"` // link unknown Slack users to leadwire users by email
	APIURL        string `yaml:"api_url"`        // Web API base; default https://slack.com/api/ (GovSlack, tests)
	// IntakeChannels are channel ids whose messages are prospects
	// writing: each becomes a lead, or an activity on the author's.
	IntakeChannels []string `yaml:"intake_channels"`
}

// Slack modes.
const (
	SlackHTTP   = "http"
	SlackSocket = "socket"
)

// slackChannelID matches a public or private channel id.
var slackChannelID = regexp.MustCompile(`^[CG][A-Z0-9]{2,}$`)

// DefaultSlackCommand is the slash command when none is configured.
const DefaultSlackCommand = "/lw"

// Enabled reports whether the Slack app is configured.
func (s Slack) Enabled() bool { return s.BotToken != "" }

// checkSlack fills the Slack defaults and validates the keys.
func (c *Config) checkSlack(p *problems) {
	s := &c.Slack
	s.Mode = strings.ToLower(strings.TrimSpace(s.Mode))
	if s.Mode == "" {
		s.Mode = SlackHTTP
	}
	s.Command = strings.TrimSpace(s.Command)
	if s.Command == "" {
		s.Command = DefaultSlackCommand
	}
	if !strings.HasPrefix(s.Command, "/") || len(s.Command) < 2 || strings.ContainsAny(s.Command, " \t") {
		p.errf("slack.command", "invalid slash command %q; write it like /lw", s.Command)
	}
	switch s.Mode {
	case SlackHTTP:
		if s.Enabled() && s.SigningSecret == "" {
			p.errf("slack.signing_secret", "http mode needs the app's signing secret (Basic Information → App Credentials) to verify Slack's requests")
		}
	case SlackSocket:
		if s.Enabled() && !strings.HasPrefix(s.AppToken, "xapp-") {
			p.errf("slack.app_token", "socket mode needs an app-level token (xapp-…) with the connections:write scope")
		}
	default:
		p.errf("slack.mode", "unknown mode %q; use http (Slack calls /slack/commands, /slack/interactions and /slack/events) or socket", s.Mode)
	}
	for i, ch := range s.IntakeChannels {
		ch = strings.TrimSpace(ch)
		s.IntakeChannels[i] = ch
		if !slackChannelID.MatchString(ch) {
			p.errf("slack.intake_channels", "%q is not a channel id; write the id, like C0123ABCD (channel details → About, at the bottom), not its #name", ch)
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
