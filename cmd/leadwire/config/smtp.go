package config

import (
	"net/mail"
	"strings"

	lwmail "leadwire/bot/mail"
	"leadwire/core"
	"leadwire/internal/mailauth"
)

// SMTP is the submission server leadwire sends its own mail through:
// digests to managers and sequence steps to contacts. It is on when host
// is set.
type SMTP struct {
	Host     string       `yaml:"host"`
	Port     int          `yaml:"port"` // default 587 with starttls, 465 with tls
	TLS      core.TLSMode `yaml:"tls"`  // starttls (default), tls, or none (loopback hosts only)
	Username string       `yaml:"username"`
	Password string       `yaml:"password"` // usually ${SMTP_PASSWORD}; auth: password only
	Auth     string       `yaml:"auth"`     // password (default) or oauth2
	OAuth2   OAuth2       `yaml:"oauth2"`   // with auth: oauth2
	// Mailbox (auth: oauth2) sends with that mailbox's sign-in: its
	// provider, client and grant, instead of an oauth2 section.
	Mailbox string `yaml:"mailbox"`
	From    string `yaml:"from"` // "Name <address>": the sender of digests, and of sequence mail when the owner has no address

	from mail.Address
}

// Enabled reports whether outgoing mail is configured.
func (s SMTP) Enabled() bool { return s.Host != "" || s.Auth == string(mailauth.OAuth2) }

// FromAddress is the parsed from key.
func (s SMTP) FromAddress() mail.Address { return s.from }

// checkSMTP fills the SMTP defaults and validates the keys.
func (c *Config) checkSMTP(p *problems) {
	s := &c.SMTP
	s.Host = strings.TrimSpace(s.Host)
	if s.Host == "" && s.Auth == "" {
		return
	}
	if name := strings.TrimSpace(s.Mailbox); name != "" {
		found := false
		for _, m := range c.Email.Mailboxes {
			if m.Name == name && m.Auth == string(mailauth.OAuth2) {
				// The relay uses the mailbox's sign-in: its provider,
				// client and grant.
				s.OAuth2, found = m.OAuth2, true
				if s.Username == "" {
					s.Username = m.Username
				}
			}
		}
		if !found {
			p.errf("smtp.mailbox", "no mailbox %q with auth: oauth2 to share the sign-in of", name)
			return
		}
	}
	srv := lwmail.Config{Host: s.Host, Port: s.Port, TLS: s.TLS, Username: s.Username, Password: s.Password,
		Auth: mailauth.Kind(s.Auth), OAuth: s.OAuth2.Settings()}
	srv.OAuth.Mailbox = s.Mailbox
	if err := srv.CheckAuth(); err != nil {
		p.settings("smtp", err)
	} else {
		s.Auth = string(srv.Auth)
		s.OAuth2.setFrom(srv.OAuth)
		if srv.Auth == mailauth.OAuth2 && srv.OAuth.Grant == mailauth.Delegated && s.Mailbox == "" {
			p.errf("smtp.auth", "a person's sign-in for smtp is a mailbox's: set smtp.mailbox to the mailbox (auth: oauth2) whose account sends, or use oauth2.grant: app")
		}
	}
	p.settings("smtp", srv.CheckServer())
	s.Host, s.Port, s.TLS = srv.Host, srv.Port, srv.TLS
	if strings.TrimSpace(s.From) == "" {
		p.errf("smtp.from", "outgoing mail needs a sender, such as \"Sales <sales@example.com>\"")
		return
	}
	a, err := mail.ParseAddress(s.From)
	if err != nil {
		p.errf("smtp.from", "invalid sender %q (%v); write it like \"Sales <sales@example.com>\"", s.From, err)
		return
	}
	s.from = *a
}
