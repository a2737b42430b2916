package slack

import (
	"errors"
	"fmt"
	"strings"

	"leadwire/core"
)

// Mode is how Slack reaches the app.
type Mode string

// The modes.
const (
	ModeHTTP   Mode = "http"   // Slack calls /slack/commands, /slack/interactions and /slack/events
	ModeSocket Mode = "socket" // the app holds a Socket Mode connection (RunSocket)
)

// Settings are how Slack reaches the app and the credentials that mode
// needs. Check validates them; the config file calls it for the slack
// keys.
type Settings struct {
	Mode          Mode   // "" is ModeHTTP
	BotToken      string // "": Slack is off, and no credential is needed
	SigningSecret string // ModeHTTP
	AppToken      string // ModeSocket: xapp-…
}

// Check fills in the default mode and reports a mode it does not know or
// a credential the mode needs and lacks, each a *core.SettingError at its
// key (mode, signing_secret, app_token), joined.
func (s *Settings) Check() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &core.SettingError{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	s.Mode = Mode(strings.ToLower(strings.TrimSpace(string(s.Mode))))
	if s.Mode == "" {
		s.Mode = ModeHTTP
	}
	on := s.BotToken != ""
	switch s.Mode {
	case ModeHTTP:
		if on && s.SigningSecret == "" {
			bad("signing_secret", "http mode needs the app's signing secret (Basic Information → App Credentials) to verify Slack's requests")
		}
	case ModeSocket:
		if on && !strings.HasPrefix(s.AppToken, "xapp-") {
			bad("app_token", "socket mode needs an app-level token (xapp-…) with the connections:write scope")
		}
	default:
		bad("mode", "unknown mode %q; use http (Slack calls /slack/commands, /slack/interactions and /slack/events) or socket", s.Mode)
	}
	return errors.Join(errs...)
}
