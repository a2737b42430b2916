package main

import (
	"fmt"

	"leadwire/cmd/leadwire/config"
	"leadwire/core"
	"leadwire/internal/mailauth"
)

// mailboxTokens is the token source of a mailbox with auth: oauth2. A
// delegated sign-in is kept in the database, sealed: without a secrets key
// it cannot be, and serve refuses to start, saying how to make one.
func (a *App) mailboxTokens(m config.Mailbox) (*mailauth.Source, error) {
	set := m.OAuth2.Settings()
	if set.Grant == mailauth.App {
		return mailauth.NewSource(set, m.Name, m.Username, nil), nil
	}
	grants, box, err := a.Grants()
	if err != nil {
		return nil, err
	}
	if box == nil {
		return nil, fmt.Errorf("mailbox %s (auth: oauth2): %w", m.Name, core.ErrNoSecretsKey)
	}
	return mailauth.NewSource(set, m.Name, m.Username, grants), nil
}

// smtpTokens is the token source of smtp with auth: oauth2 (its own app
// grant, or the sign-in of the mailbox it names), nil otherwise.
func (a *App) smtpTokens() (*mailauth.Source, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	s := cfg.SMTP
	if s.Auth != string(mailauth.OAuth2) {
		return nil, nil
	}
	if s.Mailbox != "" {
		m, err := oauthMailbox(cfg, s.Mailbox)
		if err != nil {
			return nil, err
		}
		return a.mailboxTokens(m)
	}
	set := s.OAuth2.Settings()
	return mailauth.NewSource(set, "smtp", s.Username, nil), nil
}
