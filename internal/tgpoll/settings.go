package tgpoll

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"leadwire/core"
)

// Mode is how Telegram's updates reach both bots.
type Mode string

// The modes.
const (
	ModePolling Mode = "polling" // leadwire asks with getUpdates
	ModeWebhook Mode = "webhook" // Telegram calls the bots' webhook paths
)

// Settings are what both bots share (the mode and the webhook secret) and
// their tokens. Check validates them; the config file calls it for the
// telegram keys, and each bot checks its own token and secret the same
// way when it is made.
type Settings struct {
	Mode          Mode   // "" is ModePolling
	BotToken      string // the reps' bot; "": off
	IntakeToken   string // the prospects' intake bot; "": off
	WebhookSecret string // ModeWebhook: the X-Telegram-Bot-Api-Secret-Token every update carries
}

// Check fills in the default mode and reports each problem as a
// *core.SettingError at its key (mode, webhook_secret, bot_token,
// intake_token), joined.
func (s *Settings) Check() error {
	var errs []error
	bad := func(key string, err error) {
		errs = append(errs, &core.SettingError{Key: key, Message: err.Error()})
	}
	s.Mode = Mode(strings.ToLower(strings.TrimSpace(string(s.Mode))))
	if s.Mode == "" {
		s.Mode = ModePolling
	}
	switch s.Mode {
	case ModePolling:
	case ModeWebhook:
		if (s.BotToken != "" || s.IntakeToken != "") && s.WebhookSecret == "" {
			bad("webhook_secret", errors.New("webhook mode needs a secret token (1-256 of A-Z a-z 0-9 _ -) that Telegram sends with every update"))
		}
	default:
		bad("mode", fmt.Errorf("unknown mode %q; use polling (leadwire asks Telegram with getUpdates) or webhook (Telegram calls /telegram/webhook)", s.Mode))
	}
	if s.WebhookSecret != "" {
		if err := CheckWebhookSecret(s.WebhookSecret); err != nil {
			bad("webhook_secret", err)
		}
	}
	if s.BotToken != "" {
		if err := CheckToken(s.BotToken); err != nil {
			bad("bot_token", err)
		}
	}
	if s.IntakeToken != "" {
		if err := CheckToken(s.IntakeToken); err != nil {
			bad("intake_token", err)
		}
		if s.IntakeToken == s.BotToken {
			bad("intake_token", errors.New("the intake bot needs a bot of its own: prospects and reps cannot share telegram.bot_token"))
		}
	}
	return errors.Join(errs...)
}

// CheckToken reports a token that is not a bot token as @BotFather gives
// them: "123456789:AA…".
func CheckToken(token string) error {
	if !strings.Contains(token, ":") {
		return errors.New("a bot token looks like 123456789:AA…; get one from @BotFather")
	}
	return nil
}

// webhookSecret is what Telegram accepts as a secret_token.
var webhookSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// CheckWebhookSecret reports a secret Telegram would refuse in setWebhook.
func CheckWebhookSecret(secret string) error {
	if !webhookSecret.MatchString(secret) {
		return errors.New("Telegram takes 1-256 characters of A-Z a-z 0-9 _ - as a secret token")
	}
	return nil
}
