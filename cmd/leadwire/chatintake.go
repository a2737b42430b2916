package main

import (
	"context"

	slackbot "leadwire/bot/slack"
	"leadwire/connectors/chat"
	"leadwire/core"
	"leadwire/internal/tgpoll"
)

// telegramIntake builds the bot prospects write to from
// telegram.intake_token; nil when there is none.
func (a *App) telegramIntake() (*chat.Telegram, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	if !cfg.Telegram.IntakeEnabled() {
		return nil, nil
	}
	svc, err := a.Service()
	if err != nil {
		return nil, err
	}
	opts := chat.TelegramOptions{Token: cfg.Telegram.IntakeToken, APIURL: cfg.Telegram.APIURL,
		Greetings: cfg.Telegram.IntakeGreeting, Team: cfg.Telegram.IntakeTeam, Log: a.Logger().With("connector", "telegram:intake")}
	if cfg.Telegram.Mode == tgpoll.ModeWebhook {
		opts.WebhookURL, opts.WebhookSecret = cfg.HTTP.PublicURL+chat.IntakeWebhookPath, cfg.Telegram.WebhookSecret
	}
	return chat.NewTelegram(svc, opts)
}

// runIntake checks the intake bot's token (and registers its webhook),
// then, in polling mode, reads the prospects' messages until ctx ends:
// serve runs it with the connectors' context. A Telegram that cannot be
// reached at start is logged, not fatal: polling retries.
func (a *App) runIntake(ctx context.Context, lease *leaser, intake *chat.Telegram) error {
	if intake == nil {
		return nil
	}
	if err := intake.Check(ctx); err != nil {
		a.Logger().Warn("telegram intake bot is not reachable or its webhook not registered", "err", err)
	}
	if a.cfg.Telegram.Mode == tgpoll.ModeWebhook {
		return nil
	}
	return lease.run(ctx, intake.Connector(), intake.Run)
}

// slackIntake is the Slack adapter's hook for slack.intake_channels:
// connectors/chat turns each message into a lead or an activity.
func slackIntake(svc *core.Service, teams map[string]string) slackbot.IntakeFunc {
	return chat.NewSlackIntake(svc, teams).Capture
}
