package main

import (
	"fmt"

	"leadwire/bot/mail"
	"leadwire/cmd/leadwire/config"
	"leadwire/core"
)

// sequenceMailer is the SMTP sender sequence steps go out through, nil
// when smtp is not configured; status is told how each delivery went.
func sequenceMailer(cfg *config.Config, status mail.Status) (core.Mailer, error) {
	s, err := smtpSender(cfg, status)
	if s == nil {
		return nil, err
	}
	return mail.Mailer{S: s}, nil
}

// smtpSender is the sender of digests and sequence steps, nil when smtp
// is not configured; how each delivery went is the status of the smtp
// connector (leadwire connectors status, the connector alerts).
func smtpSender(cfg *config.Config, status mail.Status) (*mail.Sender, error) {
	if !cfg.SMTP.Enabled() {
		return nil, nil
	}
	s := cfg.SMTP
	sender, err := mail.NewSender(mail.Config{Host: s.Host, Port: s.Port, TLS: s.TLS, Username: s.Username, Password: s.Password,
		From: s.FromAddress(), Status: status})
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return sender, nil
}

// smtpMailer is the mailer of sequence steps, nil when smtp is not
// configured; with sequences configured that is worth a warning, as their
// steps will stop.
func (a *App) smtpMailer() (core.Mailer, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	svc, err := a.Service()
	if err != nil {
		return nil, err
	}
	m, err := sequenceMailer(cfg, svc.Connectors)
	if err != nil {
		return nil, err
	}
	if m == nil && len(cfg.Sequences) > 0 {
		a.Logger().Warn("sequences are configured but smtp is not; their steps will stop")
	}
	return m, nil
}
