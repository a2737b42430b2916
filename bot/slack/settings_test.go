package slack

import (
	"errors"
	"strings"
	"testing"

	"leadwire/core"
)

func TestSettingsCheckTheModeAndItsCredentials(t *testing.T) {
	for _, tc := range []struct {
		name     string
		s        Settings
		key, msg string // "" when valid
		mode     Mode
	}{
		{"http is the default mode", Settings{BotToken: "xoxb-1", SigningSecret: "s"}, "", "", ModeHTTP},
		{"a mode is read in any case", Settings{Mode: " Socket ", BotToken: "xoxb-1", AppToken: "xapp-1"}, "", "", ModeSocket},
		{"http mode needs the signing secret", Settings{BotToken: "xoxb-1"}, "signing_secret", "needs the app's signing secret", ModeHTTP},
		{"socket mode needs an app-level token", Settings{Mode: ModeSocket, BotToken: "xoxb-1", AppToken: "xoxb-2"}, "app_token", "app-level token (xapp-…)", ModeSocket},
		{"Slack off needs no credentials", Settings{Mode: ModeSocket}, "", "", ModeSocket},
		{"an unknown mode names the valid ones", Settings{Mode: "events", BotToken: "xoxb-1"}, "mode", `unknown mode "events"; use http`, "events"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			err := s.Check()
			if s.Mode != tc.mode {
				t.Errorf("mode %q, want %q", s.Mode, tc.mode)
			}
			if tc.key == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			var se *core.SettingError
			if !errors.As(err, &se) || se.Key != tc.key || !strings.Contains(se.Message, tc.msg) {
				t.Fatalf("Check: %#v, want %s: …%s…", err, tc.key, tc.msg)
			}
		})
	}
}

func TestRunSocketRefusesWhatTheConfigRefuses(t *testing.T) {
	for _, token := range []string{"", "xoxb-not-an-app-token"} {
		a := New(nil, nil, Options{BotToken: "xoxb-1", AppToken: token, APIURL: "http://127.0.0.1:1/api/"})
		err := a.RunSocket(t.Context())
		if err == nil || !strings.Contains(err.Error(), "socket mode needs an app-level token (xapp-…)") {
			t.Errorf("app token %q: RunSocket %v", token, err)
		}
	}
}
