package main

import (
	"fmt"

	"leadwire/bot/mail"
	"leadwire/cmd/leadwire/config"
	"leadwire/core"
	"leadwire/internal/mailauth"
)

// sequenceMailer is the SMTP sender sequence steps go out through, nil
// when smtp is not configured; status is told how each delivery went.
func sequenceMailer(cfg *config.Config, status mail.Status, tokens mail.Tokens) (core.Mailer, error) {
	s, err := smtpSender(cfg, status, tokens)
	if s == nil {
		return nil, err
	}
	return mail.Mailer{S: s}, nil
}

// smtpSender is the sender of digests and sequence steps, nil when smtp
// is not configured; how each delivery went is the status of the smtp
// connector (leadwire connectors status, the connector alerts). tokens
// signs in with auth: oauth2.
func smtpSender(cfg *config.Config, status mail.Status, tokens mail.Tokens) (*mail.Sender, error) {
	if !cfg.SMTP.Enabled() {
		return nil, nil
	}
	s := cfg.SMTP
	c := mail.Config{Host: s.Host, Port: s.Port, TLS: s.TLS, Username: s.Username, Password: s.Password,
		Auth: mailauth.Kind(s.Auth), OAuth: s.OAuth2.Settings(), From: s.FromAddress(), Status: status}
	if tokens != nil {
		c.Tokens = tokens
	}
	sender, err := mail.NewSender(c)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return sender, nil
}

// smtpParts is what every sender of mail through the smtp server is made
// of: the config, the service (for the server's health) and the OAuth
// tokens of the smtp account, nil without OAuth.
func (a *App) smtpParts() (*config.Config, *core.Service, mail.Tokens, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, nil, nil, err
	}
	svc, err := a.Service()
	if err != nil {
		return nil, nil, nil, err
	}
	tokens, err := a.smtpTokens()
	if err != nil {
		return nil, nil, nil, err
	}
	if tokens == nil {
		return cfg, svc, nil, nil // a nil *mailauth.Source is no mail.Tokens
	}
	return cfg, svc, tokens, nil
}

// smtpMailer is the mailer of sequence steps, nil when smtp is not
// configured; with sequences configured that is worth a warning, as their
// steps will stop.
func (a *App) smtpMailer() (core.Mailer, error) {
	cfg, svc, t, err := a.smtpParts()
	if err != nil {
		return nil, err
	}
	m, err := sequenceMailer(cfg, svc.Connectors, t)
	if err != nil {
		return nil, err
	}
	if m == nil && len(cfg.Sequences) > 0 {
		a.Logger().Warn("sequences are configured but smtp is not; their steps will stop")
	}
	return m, nil
}
