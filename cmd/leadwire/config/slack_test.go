package config_test

import (
	"fmt"
	"testing"

	"leadwire/cmd/leadwire/config"
)

func TestSlackModeErrorsKeepTheirKeysAndLines(t *testing.T) {
	for _, tt := range []struct {
		name string
		src  string
		want []string
	}{
		{"an unknown mode is refused at slack.mode", "slack:\n  bot_token: xoxb-1\n  signing_secret: s\n  mode: events #<\n", []string{"slack.mode", `unknown mode "events"`}},
		{"http mode without a signing secret is refused at slack", "slack: #<\n  bot_token: xoxb-1\n", []string{"slack.signing_secret", "signing secret"}},
		{"socket mode with a bot token as app token is refused at slack.app_token", "slack:\n  mode: socket\n  bot_token: xoxb-1\n  app_token: xoxb-2 #<\n", []string{"slack.app_token", "xapp-"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(valid+tt.src), "leadwire.yaml", env(nil))
			checkErr(t, err, append(tt.want, fmt.Sprintf("at line %d:", markedLine(t, valid+tt.src)))...)
		})
	}
	c := mustParse(t, valid+"slack:\n  mode: SOCKET\n  bot_token: xoxb-1\n  app_token: xapp-1\n", nil)
	if c.Slack.Mode != "socket" {
		t.Errorf("mode %q", c.Slack.Mode)
	}
}
