package config

import (
	"fmt"
	"net/textproto"
	"strings"

	"leadwire/connectors/webhook"
	"leadwire/core"
)

// Webhooks configures POST /api/v1/inbound, where senders holding a token
// (leadwire tokens create) push leads as JSON.
type Webhooks struct {
	MaxBytes Size            `yaml:"max_bytes"` // body limit; default 1MiB
	Sources  []WebhookSource `yaml:"sources"`
}

// WebhookSource is a sender whose payload is read through a mapping, or
// whose deliveries must be signed. A source that is not configured may
// still deliver in leadwire's own schema.
type WebhookSource struct {
	Name            string            `yaml:"name"`             // letters, digits, . - _
	Team            string            `yaml:"team"`             // its leads' team; a payload's team wins; default: the first team
	Mapping         map[string]string `yaml:"mapping"`          // JSON path → contact field, subject, message, external_id, team or metadata.KEY
	Secret          string            `yaml:"secret"`           // HMAC-SHA256 key; set: every delivery must be signed
	SignatureHeader string            `yaml:"signature_header"` // default X-Signature
}

// checkWebhooks validates the webhook sources after checkPeople.
func (c *Config) checkWebhooks(p *problems) {
	if c.Webhooks.MaxBytes < 0 || c.Webhooks.MaxBytes > 32<<20 {
		p.errf("webhooks.max_bytes", "max_bytes must be between 1 and 32MiB (0: the default 1MiB)")
	}
	seen := map[string]int{}
	for i := range c.Webhooks.Sources {
		s := &c.Webhooks.Sources[i]
		path := fmt.Sprintf("webhooks.sources[%d]", i)
		s.Name = strings.TrimSpace(s.Name)
		if !core.ValidName(s.Name) {
			p.errf(path+".name", "a source needs a name of letters, digits, '.', '-' or '_', such as typeform")
		} else if first, dup := seen[s.Name]; dup {
			p.errf(path+".name", "duplicate source %q (also webhooks.sources[%d])", s.Name, first)
		} else {
			seen[s.Name] = i
		}
		if s.Team != "" {
			s.Team = c.team(p, path+".team", s.Team)
		}
		targets := map[string]string{}
		for _, jp := range keyList(s.Mapping) {
			at := path + ".mapping." + jp
			if _, err := webhook.ParsePath(jp); err != nil {
				p.errf(at, "%v", err)
			}
			target := strings.TrimSpace(s.Mapping[jp])
			if err := webhook.CheckTarget(target); err != nil {
				p.errf(at, "%v", err)
			} else if other, dup := targets[target]; dup {
				p.errf(at, "%s is mapped from %s already; keep one", target, other)
			}
			targets[target] = jp
		}
		if s.SignatureHeader == "" {
			s.SignatureHeader = webhook.DefaultSignatureHeader
		} else if strings.ContainsAny(s.SignatureHeader, " :\r\n") {
			p.errf(path+".signature_header", "invalid header name %q; write it like X-Signature", s.SignatureHeader)
		}
		s.SignatureHeader = textproto.CanonicalMIMEHeaderKey(s.SignatureHeader)
	}
}

// WebhookSources returns the sources as the webhook connector takes them.
func (c *Config) WebhookSources() []webhook.Source {
	out := make([]webhook.Source, 0, len(c.Webhooks.Sources))
	for _, s := range c.Webhooks.Sources {
		out = append(out, webhook.Source{Name: s.Name, Team: s.Team, Mapping: s.Mapping, Secret: s.Secret,
			SignatureHeader: s.SignatureHeader})
	}
	return out
}
