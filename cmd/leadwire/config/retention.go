package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Retention is how long personal data is kept where nobody needs it
// (GDPR's storage limitation); an unset key keeps it for ever.
//
//	retention:
//	  raw_messages: 90d        # inbounds kept because they could not be read
//	  webhook_bodies: 30d      # bodies in the webhook delivery log
//	  disqualified_leads: 2y   # a contact with only disqualified leads and nothing since
type Retention struct {
	RawMessages       Keep `yaml:"raw_messages"`
	WebhookBodies     Keep `yaml:"webhook_bodies"`
	DisqualifiedLeads Keep `yaml:"disqualified_leads"`
}

// Keep is a retention period: days (90d), weeks (8w), years (2y, of 365
// days) or a Go duration (36h).
type Keep time.Duration

// UnmarshalText parses a period.
func (k *Keep) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	bad := fmt.Errorf("invalid period %q; write it like 90d, 8w or 2y", b)
	if s == "" {
		return bad
	}
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour, 'y': 365 * 24 * time.Hour}[s[len(s)-1]]
	if unit != 0 {
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil || n <= 0 || n > 100*365 {
			return bad
		}
		*k = Keep(time.Duration(n) * unit)
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v <= 0 {
		return bad
	}
	*k = Keep(v)
	return nil
}

// MarshalText formats the period as a Go duration.
func (k Keep) MarshalText() ([]byte, error) { return []byte(time.Duration(k).String()), nil }

// checkRetention puts the retention periods into the settings; a period
// shorter than a day is surely a slip.
func (c *Config) checkRetention(p *problems) {
	for _, f := range []struct {
		key string
		v   Keep
		to  *time.Duration
	}{
		{"retention.raw_messages", c.Retention.RawMessages, &c.settings.Retention.RawMessages},
		{"retention.webhook_bodies", c.Retention.WebhookBodies, &c.settings.Retention.WebhookBodies},
		{"retention.disqualified_leads", c.Retention.DisqualifiedLeads, &c.settings.Retention.DisqualifiedLeads},
	} {
		if f.v != 0 && time.Duration(f.v) < 24*time.Hour {
			p.errf(f.key, "%s is less than a day; write it like 90d or 2y", time.Duration(f.v))
			continue
		}
		*f.to = time.Duration(f.v)
	}
}
