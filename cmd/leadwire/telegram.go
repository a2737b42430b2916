package main

import (
	"context"
	"strings"

	"leadwire/bot"
	telegrambot "leadwire/bot/telegram"
	"leadwire/connectors/chat"
	"leadwire/core"
	"leadwire/internal/tgpoll"
)

// telegramAdapter builds the Telegram adapter from the telegram section;
// nil when Telegram is off.
func (a *App) telegramAdapter() (*telegrambot.Adapter, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	if !cfg.Telegram.Enabled() {
		return nil, nil
	}
	svc, err := a.Service()
	if err != nil {
		return nil, err
	}
	fonts, err := a.chartFonts()
	if err != nil {
		return nil, err
	}
	log := a.Logger().With("chat", "telegram")
	conv := bot.NewConversation(svc, nil, bot.Options{Prefix: telegrambot.Prefix, Log: log, Via: core.ViaTelegram, Fonts: fonts})
	opts := telegrambot.Options{Token: cfg.Telegram.BotToken, APIURL: cfg.Telegram.APIURL, Log: log}
	if cfg.Telegram.Mode == tgpoll.ModeWebhook {
		opts.WebhookSecret = cfg.Telegram.WebhookSecret
		if cfg.HTTP.PublicURL != "" {
			opts.WebhookURL = strings.TrimRight(cfg.HTTP.PublicURL, "/") + telegrambot.WebhookPath
		}
	}
	return telegrambot.New(conv, svc, opts)
}

// mountTelegram mounts the webhooks of the bots that are on (the reps'
// /telegram/webhook, the intake bot's /telegram/intake) in webhook mode;
// in polling mode nothing calls them, so they are not there to probe.
func (s *server) mountTelegram(tg *telegrambot.Adapter, intake *chat.Telegram) {
	if s.app.cfg.Telegram.Mode != tgpoll.ModeWebhook {
		return
	}
	if tg != nil {
		s.handleAll(tg.Routes())
	}
	if intake != nil {
		s.handleAll(intake.Routes())
	}
}

// runTelegram registers the bot's commands (and webhook), then, in polling
// mode, reads updates until ctx ends: serve runs it with the connectors'
// context, so it stops with them, after HTTP has drained. A Telegram that
// cannot be reached at start is logged, not fatal: polling retries. Only
// one replica polls (Telegram refuses two getUpdates at once): the one
// holding the lease.
func (a *App) runTelegram(ctx context.Context, lease *leaser, tg *telegrambot.Adapter) error {
	if tg == nil {
		return nil
	}
	if err := tg.Start(ctx); err != nil {
		a.Logger().Warn("telegram is not reachable; commands and webhook not registered", "err", err)
	}
	if a.cfg.Telegram.Mode == tgpoll.ModeWebhook {
		return nil
	}
	return lease.run(ctx, telegrambot.CheckpointConnector, tg.Poll)
}
