package config

import (
	"time"

	"leadwire/core"
)

// Alerts tune the alerts the admins get in chat about the connectors: a
// connector failing (a mailbox that cannot log in, a Telegram token
// revoked) or, for mailboxes, silent past SilentAfter; and again when it
// recovers.
type Alerts struct {
	SilentAfter  Duration `yaml:"silent_after"`  // a mailbox without a sync this long is silent; default 1h
	FailingAfter Duration `yaml:"failing_after"` // a connector failing this long without a good sync is told; default 5m
}

// checkAlerts fills the alert defaults and validates them. It runs after
// checkEmail: the configured mailboxes are the connectors that can go
// silent.
func (c *Config) checkAlerts(p *problems) {
	a := &c.Alerts
	switch {
	case a.SilentAfter == 0:
		a.SilentAfter = Duration(core.DefaultSilentAfter)
	case a.SilentAfter < Duration(time.Minute):
		p.errf("alerts.silent_after", "silent_after %s is too short: a quiet mailbox syncs every few minutes to twenty; use 1h or more, at least 1m", time.Duration(a.SilentAfter))
	}
	switch {
	case a.FailingAfter == 0:
		a.FailingAfter = Duration(core.DefaultFailingAfter)
	case a.FailingAfter < 0:
		p.errf("alerts.failing_after", "failing_after must be a duration such as 5m (0 for the default)")
	}
	c.settings.Alerts = core.Alerts{SilentAfter: time.Duration(a.SilentAfter), FailingAfter: time.Duration(a.FailingAfter)}
	for _, m := range c.Email.Mailboxes {
		if m.Name != "" {
			c.settings.Alerts.Watched = append(c.settings.Alerts.Watched, core.ConnectorName(core.ChannelEmail, m.Name))
		}
	}
}
