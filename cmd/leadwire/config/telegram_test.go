package config_test

import (
	"testing"

	"leadwire/cmd/leadwire/config"
)

func TestTelegram(t *testing.T) {
	t.Run("polling is the default and the API URL loses its slash", func(t *testing.T) {
		c := mustParse(t, valid+"telegram:\n  bot_token: \"123:AA\"\n  api_url: http://localhost:8081/\n", nil)
		if c.Telegram.Mode != config.TelegramPolling || !c.Telegram.Enabled() || c.Telegram.APIURL != "http://localhost:8081" {
			t.Fatalf("telegram %+v", c.Telegram)
		}
	})
	for _, tc := range []struct{ name, src, want string }{
		{"webhook mode needs a secret", "telegram:\n  bot_token: \"123:AA\"\n  mode: webhook\n", "telegram.webhook_secret"},
		{"a secret Telegram would refuse is refused", "telegram:\n  bot_token: \"123:AA\"\n  mode: webhook\n  webhook_secret: \"a b\"\n", "1-256 characters"},
		{"an unknown mode is refused", "telegram:\n  bot_token: \"123:AA\"\n  mode: push\n", "unknown mode \"push\""},
		{"a malformed token is refused", "telegram:\n  bot_token: nonsense\n", "@BotFather"},
		{"a malformed API URL is refused", "telegram:\n  bot_token: \"123:AA\"\n  api_url: ftp:/x\n", "telegram.api_url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Parse([]byte(valid+tc.src), "leadwire.yaml", env(nil))
			checkErr(t, err, tc.want)
		})
	}
}
