package tgpoll

import (
	"errors"
	"strings"
	"testing"

	"leadwire/core"
)

func TestSettingsCheckTheModeTokensAndSecret(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    Settings
		want map[string]string // key → part of its message; nil: valid
		mode Mode
	}{
		{"polling is the default mode", Settings{BotToken: "1:A"}, nil, ModePolling},
		{"a mode is read in any case", Settings{Mode: " WebHook ", BotToken: "1:A", WebhookSecret: "s3cret"}, nil, ModeWebhook},
		{"webhook mode needs a secret", Settings{Mode: ModeWebhook, IntakeToken: "2:B"}, map[string]string{"webhook_secret": "needs a secret token"}, ModeWebhook},
		{"webhook mode with both bots off needs nothing", Settings{Mode: ModeWebhook}, nil, ModeWebhook},
		{"a secret Telegram would refuse is refused", Settings{BotToken: "1:A", WebhookSecret: "a b"}, map[string]string{"webhook_secret": "1-256 characters"}, ModePolling},
		{"an unknown mode is refused", Settings{Mode: "push"}, map[string]string{"mode": `unknown mode "push"`}, "push"},
		{"a malformed token is refused", Settings{BotToken: "nonsense"}, map[string]string{"bot_token": "@BotFather"}, ModePolling},
		{"the bots may not share a token", Settings{BotToken: "1:A", IntakeToken: "1:A"}, map[string]string{"intake_token": "a bot of its own"}, ModePolling},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			err := s.Check()
			if s.Mode != tc.mode {
				t.Errorf("mode %q, want %q", s.Mode, tc.mode)
			}
			got := map[string]string{}
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range j.Unwrap() {
					var se *core.SettingError
					if !errors.As(e, &se) {
						t.Fatalf("%v is no setting error", e)
					}
					got[se.Key] = se.Message
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("Check: %v, want problems at %v", err, tc.want)
			}
			for key, part := range tc.want {
				if !strings.Contains(got[key], part) {
					t.Errorf("%s: %q, want …%s…", key, got[key], part)
				}
			}
		})
	}
}
