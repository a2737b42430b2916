package config_test

import (
	"maps"
	"strings"
	"testing"

	telegrambot "leadwire/bot/telegram"
	"leadwire/cmd/leadwire/config"
	"leadwire/connectors/chat"
	"leadwire/internal/tgpoll"
)

func TestTelegram(t *testing.T) {
	t.Run("polling is the default and the API URL loses its slash", func(t *testing.T) {
		c := mustParse(t, valid+"telegram:\n  bot_token: \"123:AA\"\n  api_url: http://localhost:8081/\n", nil)
		if c.Telegram.Mode != tgpoll.ModePolling || !c.Telegram.Enabled() || c.Telegram.APIURL != "http://localhost:8081" {
			t.Fatalf("telegram %+v", c.Telegram)
		}
	})
	for _, tc := range []struct{ name, src, want string }{
		{"webhook mode needs a secret", "telegram:\n  bot_token: \"123:AA\"\n  mode: webhook\n", "telegram.webhook_secret"},
		{"webhook mode for the intake bot alone needs a secret too", "http:\n  public_url: https://leads.example.com\ntelegram:\n  intake_token: \"456:BB\"\n  mode: webhook\n", "telegram.webhook_secret"},
		{"webhook mode needs the public URL to register", "telegram:\n  bot_token: \"123:AA\"\n  mode: webhook\n  webhook_secret: s3cret\n", "set http.public_url"},
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

func TestChatIntake(t *testing.T) {
	t.Run("an intake bot and intake channels are read", func(t *testing.T) {
		c := mustParse(t, valid+"telegram:\n  intake_token: \"456:BB\"\n  intake_greeting: สวัสดีครับ\n"+
			"slack:\n  bot_token: xoxb-1\n  signing_secret: s\n  intake_channels: [C0INTAKE, \" G0PRIVATE \"]\n", nil)
		if !c.Telegram.IntakeEnabled() || c.Telegram.Enabled() || !maps.Equal(c.Telegram.IntakeGreeting, config.Greetings{"": "สวัสดีครับ"}) || c.Telegram.IntakeTeam != "" {
			t.Fatalf("telegram %+v", c.Telegram)
		}
		if got, want := c.Slack.IntakeTeams(), map[string]string{"C0INTAKE": "", "G0PRIVATE": ""}; !maps.Equal(got, want) {
			t.Fatalf("intake teams %v, want %v", got, want)
		}
	})
	t.Run("the greeting may be given per language", func(t *testing.T) {
		c := mustParse(t, valid+"telegram:\n  intake_token: \"456:BB\"\n  intake_greeting:\n    default: Hello!\n    TH: สวัสดีค่ะ\n    zh-Hans: 您好\n", nil)
		if want := (config.Greetings{"": "Hello!", "th": "สวัสดีค่ะ", "zh-hans": "您好"}); !maps.Equal(c.Telegram.IntakeGreeting, want) {
			t.Fatalf("greetings %v, want %v", c.Telegram.IntakeGreeting, want)
		}
	})
	t.Run("intake leads are routed to the configured teams", func(t *testing.T) {
		c := mustParse(t, valid+"  - name: Bangkok\n"+"telegram:\n  intake_token: \"456:BB\"\n  intake_team: bangkok\n"+
			"slack:\n  bot_token: xoxb-1\n  signing_secret: s\n  intake_channels:\n    - C0INTAKE\n    - {id: C0THAI, team: BANGKOK}\n", nil)
		if c.Telegram.IntakeTeam != "Bangkok" {
			t.Errorf("telegram intake team %q, want Bangkok as configured", c.Telegram.IntakeTeam)
		}
		if got, want := c.Slack.IntakeTeams(), map[string]string{"C0INTAKE": "", "C0THAI": "Bangkok"}; !maps.Equal(got, want) {
			t.Errorf("intake teams %v, want %v", got, want)
		}
	})
	for _, tc := range []struct{ name, src, want string }{
		{"a malformed intake token is refused", "telegram:\n  intake_token: nonsense\n", "telegram.intake_token"},
		{"the reps' token as the intake token is refused", "telegram:\n  bot_token: \"123:AA\"\n  intake_token: \"123:AA\"\n", "a bot of its own"},
		{"a channel name instead of an id is refused", "slack:\n  bot_token: xoxb-1\n  signing_secret: s\n  intake_channels: [\"#leads\"]\n", "not a channel id"},
		{"intake channels without the Slack app are refused", "slack:\n  intake_channels: [C0INTAKE]\n", "set slack.bot_token"},
		{"a channel listed twice is refused", "slack:\n  bot_token: xoxb-1\n  signing_secret: s\n  intake_channels: [C0INTAKE, {id: C0INTAKE}]\n", "listed twice"},
		{"an intake channel's unknown team is refused", "slack:\n  bot_token: xoxb-1\n  signing_secret: s\n  intake_channels: [{id: C0INTAKE, team: Sals}]\n", "slack.intake_channels[0].team"},
		{"a greeting in no language is refused", "telegram:\n  intake_token: \"456:BB\"\n  intake_greeting: {thai!: hi}\n", "telegram.intake_greeting.thai!"},
		{"the intake bot's unknown team is refused", "telegram:\n  intake_token: \"456:BB\"\n  intake_team: Slaes\n", "did you mean Sales?"},
		{"an intake channel's unknown key is refused", "slack:\n  bot_token: xoxb-1\n  signing_secret: s\n  intake_channels: [{channel: C0INTAKE}]\n", "intake_channels[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Parse([]byte(valid+tc.src), "leadwire.yaml", env(nil))
			checkErr(t, err, tc.want)
		})
	}
}

func TestTelegramBotsRefuseWhatTheConfigRefusesInTheSameWords(t *testing.T) {
	for _, tc := range []struct {
		name          string
		yaml          string
		token, secret string
	}{
		{"a malformed token", "telegram:\n  bot_token: nonsense\n  intake_token: also-nonsense\n", "nonsense", ""},
		{"a secret Telegram would refuse", "telegram:\n  bot_token: \"1:A\"\n  intake_token: \"2:B\"\n  webhook_secret: \"a b\"\n", "1:A", "a b"},
	} {
		t.Run(tc.name+" is refused by the config and both bots alike", func(t *testing.T) {
			_, cfgErr := config.Parse([]byte(valid+tc.yaml), "leadwire.yaml", env(nil))
			_, repsErr := telegrambot.New(nil, nil, telegrambot.Options{Token: tc.token, WebhookSecret: tc.secret})
			_, intakeErr := chat.NewTelegram(nil, chat.TelegramOptions{Token: tc.token, WebhookSecret: tc.secret})
			if cfgErr == nil || repsErr == nil || intakeErr == nil {
				t.Fatalf("config %v, reps' bot %v, intake bot %v", cfgErr, repsErr, intakeErr)
			}
			_, want, _ := strings.Cut(repsErr.Error(), "telegram: ")
			if !strings.HasSuffix(intakeErr.Error(), ": "+want) || !strings.Contains(cfgErr.Error(), ": "+want) {
				t.Errorf("config %q\nreps' bot %q\nintake bot %q", cfgErr, repsErr, intakeErr)
			}
		})
	}
}
