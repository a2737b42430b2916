package config

import (
	"net/mail"
	"strings"
)

// SMTP is the submission server leadwire sends its own mail through:
// digests to managers and sequence steps to contacts. It is on when host
// is set.
type SMTP struct {
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"` // default 587 with starttls, 465 with tls
	TLS      string `yaml:"tls"`  // starttls (default), tls, or none (loopback hosts only)
	Username string `yaml:"username"`
	Password string `yaml:"password"` // usually ${SMTP_PASSWORD}
	From     string `yaml:"from"`     // "Name <address>": the sender of digests, and of sequence mail when the owner has no address

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
	if strings.ContainsAny(s.Host, "/@ ") || strings.Count(s.Host, ":") == 1 {
		p.errf("smtp.host", "invalid host %q; give the name alone, such as smtp.example.com, and the port under port", s.Host)
	}
	s.TLS = strings.ToLower(strings.TrimSpace(s.TLS))
	switch s.TLS {
	case "":
		s.TLS = "starttls"
	case "tls", "starttls":
	case "none":
		if !isLoopback(s.Host) {
			p.errf("smtp.tls", "tls: none would send the password and the mail unencrypted; it is allowed only for a loopback relay (localhost, 127.0.0.1, ::1), not %s; use starttls or tls", s.Host)
		}
	default:
		p.errf("smtp.tls", "unknown tls %q%s; valid values are %s", s.TLS, didYouMean(s.TLS, tlsModes, "values"), strings.Join(tlsModes, ", "))
	}
	if s.Port == 0 {
		s.Port = 587
		if s.TLS == "tls" {
			s.Port = 465
		}
	} else if s.Port < 1 || s.Port > 65535 {
		p.errf("smtp.port", "invalid port %d; use a number from 1 to 65535 (usually 587 with starttls, 465 with tls)", s.Port)
	}
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
