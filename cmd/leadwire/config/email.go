package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"leadwire/connectors/email"
	"leadwire/core"
	"leadwire/internal/mailauth"
)

// Email configures the inboxes leads are read from.
type Email struct {
	Mailboxes []Mailbox `yaml:"mailboxes"`
}

// Mailbox is one IMAP account the email connector reads. Validation fills
// in the defaults, so the fields hold what will be used.
type Mailbox struct {
	Name            string       `yaml:"name"`     // unique; the lead source, e.g. sales-th
	Host            string       `yaml:"host"`     // imap.example.com
	Port            int          `yaml:"port"`     // default 993 with tls, else 143
	TLS             core.TLSMode `yaml:"tls"`      // tls (default), starttls, or none (loopback hosts only)
	Username        string       `yaml:"username"` // the login
	Password        string       `yaml:"password"` // usually ${VAR}; auth: password only
	Auth            string       `yaml:"auth"`     // password (default) or oauth2
	OAuth2          OAuth2       `yaml:"oauth2"`   // with auth: oauth2
	Folders         []string     `yaml:"folders"`  // default [INBOX]; IDLE watches the first, the others are polled
	Team            string       `yaml:"team"`     // the team its leads go to; default: the first team
	Since           Period       `yaml:"since"`    // how far back a first sync reaches; default 7d
	InternalDomains []string     `yaml:"internal_domains"`
	PollInterval    Duration     `yaml:"poll_interval"` // without IDLE, and for the other folders; default 1m
}

// Mailbox defaults.
const (
	DefaultMailboxSince = Period(7 * 24 * time.Hour)
	DefaultPollInterval = Duration(time.Minute)
)

// Period is a duration that may also be written in days: 7d, 36h, 90m.
type Period time.Duration

// UnmarshalText parses a period such as 7d or 168h.
func (d *Period) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err == nil && n >= 0 && n <= 36500 {
			*d = Period(time.Duration(n) * 24 * time.Hour)
			return nil
		}
	} else if v, err := time.ParseDuration(s); err == nil {
		*d = Period(v)
		return nil
	}
	return fmt.Errorf("invalid period %q; write it in days like 7d, or like 36h", b)
}

// MarshalText formats the period, in days when it is whole days.
func (d Period) MarshalText() ([]byte, error) {
	v := time.Duration(d)
	if v > 0 && v%(24*time.Hour) == 0 {
		return []byte(strconv.Itoa(int(v/(24*time.Hour))) + "d"), nil
	}
	return []byte(v.String()), nil
}

var mailboxName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// checkEmail validates the mailboxes and fills in their defaults. It runs
// after checkPeople, so that teams are known.
func (c *Config) checkEmail(p *problems) {
	names := map[string]int{}
	for i := range c.Email.Mailboxes {
		m := &c.Email.Mailboxes[i]
		path := fmt.Sprintf("email.mailboxes[%d]", i)
		m.Name = strings.TrimSpace(m.Name)
		switch first, dup := names[m.Name]; {
		case m.Name == "":
			p.errf(path+".name", "a mailbox needs a name such as sales-th; it names the source of its leads")
		case !mailboxName.MatchString(m.Name):
			p.errf(path+".name", "invalid name %q; use letters, digits, '.', '-' and '_', such as sales-th", m.Name)
		case dup:
			p.errf(path+".name", "duplicate mailbox name %q (also email.mailboxes[%d])", m.Name, first)
		default:
			names[m.Name] = i
		}
		srv := email.Mailbox{Host: m.Host, Port: m.Port, TLS: m.TLS, Username: m.Username, Password: m.Password,
			Auth: mailauth.Kind(m.Auth), OAuth: m.OAuth2.Settings()}
		if err := srv.CheckAuth(); err != nil {
			p.settings(path, err)
		} else {
			m.Auth = string(srv.Auth)
			m.OAuth2.setFrom(srv.OAuth)
		}
		p.settings(path, srv.CheckServer())
		m.Host, m.Port, m.TLS = srv.Host, srv.Port, srv.TLS
		if strings.TrimSpace(m.Username) == "" {
			p.errf(path+".username", "a mailbox needs the username it logs in with")
		}
		if len(m.Folders) == 0 {
			m.Folders = []string{"INBOX"}
		}
		seen := map[string]bool{}
		for j, f := range m.Folders {
			f = strings.TrimSpace(f)
			m.Folders[j] = f
			switch {
			case f == "":
				p.errf(fmt.Sprintf("%s.folders[%d]", path, j), "empty folder name; write INBOX or the folder's full name, such as Leads/Web")
			case seen[f]:
				p.errf(fmt.Sprintf("%s.folders[%d]", path, j), "folder %q is listed twice", f)
			}
			seen[f] = true
		}
		if m.Team != "" {
			m.Team = c.team(p, path+".team", m.Team)
		}
		switch {
		case m.Since == 0:
			m.Since = DefaultMailboxSince
		case m.Since < 0:
			p.errf(path+".since", "since must reach back some time, such as 7d")
		}
		switch {
		case m.PollInterval == 0:
			m.PollInterval = DefaultPollInterval
		case time.Duration(m.PollInterval) < time.Second:
			p.errf(path+".poll_interval", "poll_interval must be at least 1s, such as 1m")
		}
		for j, dom := range m.InternalDomains {
			d := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(dom), "@"))
			if !strings.Contains(d, ".") || strings.ContainsAny(d, "@ /:") {
				p.errf(fmt.Sprintf("%s.internal_domains[%d]", path, j), "invalid domain %q; write it like example.com", dom)
				continue
			}
			m.InternalDomains[j] = d
		}
	}
}
