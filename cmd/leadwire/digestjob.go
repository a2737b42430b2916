package main

import (
	"leadwire/bot"
	"leadwire/bot/mail"
)

// mailNotifier is the email channel's notifier (digests over SMTP), nil
// when smtp is not configured. The notice sender hands it the email
// notices.
func (a *App) mailNotifier() (*mail.Notifier, error) {
	cfg, svc, t, err := a.smtpParts()
	if err != nil || !cfg.SMTP.Enabled() {
		return nil, err
	}
	sender, err := smtpSender(cfg, svc.Connectors, t)
	if err != nil {
		return nil, err
	}
	fonts, err := a.chartFonts()
	if err != nil {
		return nil, err
	}
	return mail.NewNotifier(svc, bot.NewConversation(svc, nil, bot.Options{Log: a.Logger(), Fonts: fonts}), sender), nil
}
