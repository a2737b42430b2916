package config

import (
	"net/mail"
	"strings"

	lwmail "leadwire/bot/mail"
	"leadwire/core"
)

// SMTP is the submission server leadwire sends its own mail through:
// digests to managers and sequence steps to contacts. It is on when host
// is set.
type SMTP struct {
	Host     string       `yaml:"host"`
	Port     int          `yaml:"port"` // default 587 with starttls, 465 with tls
	TLS      core.TLSMode `yaml:"tls"`  // starttls (default), tls, or none (loopback hosts only)
	Username string       `yaml:"username"`
	Password string       `yaml:"password"` // usually ${SMTP_PASSWORD}
	From     string       `yaml:"from"`     // "Name <address>": the sender of digests, and of sequence mail when the owner has no address

	from mail.Address
}

// Enabled reports whether outgoing mail is configured.
func (s SMTP) Enabled() bool { return s.Host != "" }

// FromAddress is the parsed from key.
func (s SMTP) FromAddress() mail.Address { return s.from }

// checkSMTP fills the SMTP defaults and validates the keys.
func (c *Config) checkSMTP(p *problems) {
	s := &c.SMTP
	s.Host = strings.TrimSpace(s.Host)
	if s.Host == "" {
		return
	}
	srv := lwmail.Config{Host: s.Host, Port: s.Port, TLS: s.TLS}
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
