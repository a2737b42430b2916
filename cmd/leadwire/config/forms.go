package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"leadwire/connectors/webform"
	"leadwire/core"
)

// Form is a web form that creates leads: its page posts to /forms/{id}.
// Validation fills in the defaults.
type Form struct {
	ID             string            `yaml:"id"`              // the {id} of /forms/{id}: letters, digits, . - _
	Team           string            `yaml:"team"`            // its leads' team; default: the first team
	Fields         map[string]string `yaml:"fields"`          // posted name → name, email, phone, company, subject or message
	Required       []string          `yaml:"required"`        // contact fields or posted names that must be filled
	Redirect       string            `yaml:"redirect"`        // where a browser goes after posting; default: a thank-you page
	AllowedOrigins []string          `yaml:"allowed_origins"` // pages on other sites that may post (CORS); "*" any
	Honeypot       string            `yaml:"honeypot"`        // a hidden field people leave empty
	MaxBytes       Size              `yaml:"max_bytes"`       // default 64KiB, 1MiB for multipart
	MaxFields      int               `yaml:"max_fields"`      // default 100
	RateLimit      FormRates         `yaml:"rate_limit"`
}

// FormRates are a form's rate limits, written like 10/m, 5/s or off.
type FormRates struct {
	PerIP   string `yaml:"per_ip"`   // per client address (an IPv6 /64); default 10/m
	PerForm string `yaml:"per_form"` // for the whole form; default 50/s
}

// Form rate defaults.
const (
	DefaultFormPerIP   = "10/m"
	DefaultFormPerForm = "50/s"
)

// Size is a number of bytes, written as a number or with a unit: 65536,
// 64KiB, 1MiB, 512KB.
type Size int64

// UnmarshalText parses a size.
func (s *Size) UnmarshalText(b []byte) error {
	text := strings.TrimSpace(string(b))
	num := strings.TrimRight(text, "KMGiBkmgb ")
	unit := strings.ToLower(strings.TrimSpace(text[len(num):]))
	mult, ok := map[string]int64{"": 1, "b": 1, "k": 1 << 10, "kb": 1000, "kib": 1 << 10, "m": 1 << 20, "mb": 1000 * 1000, "mib": 1 << 20}[unit]
	n, err := strconv.ParseInt(strings.ReplaceAll(num, "_", ""), 10, 64)
	if !ok || err != nil || n < 0 || n > 1<<40/mult {
		return fmt.Errorf("invalid size %q; write it like 65536, 64KiB or 1MiB", b)
	}
	*s = Size(n * mult)
	return nil
}

// MarshalText formats the size in bytes.
func (s Size) MarshalText() ([]byte, error) { return []byte(strconv.FormatInt(int64(s), 10)), nil }

// maxFormBytes bounds max_bytes: forms carry messages, not uploads.
const maxFormBytes = 10 << 20

// checkForms validates the forms after checkPeople, so that teams are known.
func (c *Config) checkForms(p *problems) {
	seen := map[string]int{}
	for i := range c.Forms {
		f := &c.Forms[i]
		path := fmt.Sprintf("forms[%d]", i)
		f.ID = strings.TrimSpace(f.ID)
		if !core.ValidName(f.ID) {
			p.errf(path+".id", "a form needs an id of letters, digits, '.', '-' or '_', such as contact; its page posts to /forms/ID")
		} else if first, dup := seen[f.ID]; dup {
			p.errf(path+".id", "duplicate form id %q (also forms[%d])", f.ID, first)
		} else {
			seen[f.ID] = i
		}
		if f.Team != "" {
			f.Team = c.team(p, path+".team", f.Team)
		}
		for _, name := range keyList(f.Fields) {
			if target := f.Fields[name]; !slices.Contains(webform.Fields, target) {
				p.errf(path+".fields."+name, "unknown contact field %q%s", target, didYouMean(target, webform.Fields, "fields"))
			}
		}
		for j, req := range f.Required {
			if strings.TrimSpace(req) == "" {
				p.errf(fmt.Sprintf("%s.required[%d]", path, j), "name a contact field (%s) or a posted field", strings.Join(webform.Fields, ", "))
			}
		}
		if f.Redirect != "" {
			if u, err := url.Parse(f.Redirect); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				p.errf(path+".redirect", "invalid redirect %q; write a full URL such as https://example.com/thanks", f.Redirect)
			}
		}
		for j, o := range f.AllowedOrigins {
			if o == "*" {
				continue
			}
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.TrimRight(u.Path, "/") != "" || u.RawQuery != "" {
				p.errf(fmt.Sprintf("%s.allowed_origins[%d]", path, j), "invalid origin %q; write scheme and host only, such as https://example.com, or * for any", o)
				continue
			}
			f.AllowedOrigins[j] = strings.TrimRight(o, "/")
		}
		if f.Honeypot != "" {
			if _, mapped := f.Fields[f.Honeypot]; mapped || slices.Contains(webform.Fields, f.Honeypot) || slices.Contains(f.Required, f.Honeypot) {
				p.errf(path+".honeypot", "the honeypot %q must be a field people never fill, not a mapped or required one", f.Honeypot)
			}
		}
		if f.MaxBytes < 0 || f.MaxBytes > maxFormBytes {
			p.errf(path+".max_bytes", "max_bytes must be between 1 and 10MiB (0: the default)")
		}
		if f.MaxFields < 0 || f.MaxFields > 10_000 {
			p.errf(path+".max_fields", "max_fields must be between 1 and 10000 (0: the default %d)", webform.DefaultMaxFields)
		}
		if f.RateLimit.PerIP == "" {
			f.RateLimit.PerIP = DefaultFormPerIP
		}
		if f.RateLimit.PerForm == "" {
			f.RateLimit.PerForm = DefaultFormPerForm
		}
		if _, err := webform.ParseRate(f.RateLimit.PerIP); err != nil {
			p.errf(path+".rate_limit.per_ip", "%v", err)
		}
		if _, err := webform.ParseRate(f.RateLimit.PerForm); err != nil {
			p.errf(path+".rate_limit.per_form", "%v", err)
		}
	}
	for i, s := range c.HTTP.TrustedProxies {
		if _, err := parsePrefix(s); err != nil {
			p.errf(fmt.Sprintf("http.trusted_proxies[%d]", i), "%v", err)
		}
	}
}

// WebForms returns the forms as the web form connector takes them, each
// with the phone region of its team (else the organisation's).
func (c *Config) WebForms() []webform.Form {
	regions := map[string]string{}
	for _, t := range c.teams {
		regions[t.Name] = t.Region
	}
	out := make([]webform.Form, 0, len(c.Forms))
	for _, f := range c.Forms {
		region := regions[f.Team]
		if f.Team == "" && len(c.teams) > 0 {
			region = c.teams[0].Region // where the default team routes
		}
		if region == "" {
			region = c.Region
		}
		perIP, _ := webform.ParseRate(f.RateLimit.PerIP)
		perForm, _ := webform.ParseRate(f.RateLimit.PerForm)
		out = append(out, webform.Form{
			ID: f.ID, Team: f.Team, Region: region, Fields: f.Fields, Required: slices.Clone(f.Required),
			Redirect: f.Redirect, AllowedOrigins: slices.Clone(f.AllowedOrigins), Honeypot: f.Honeypot,
			Limits: webform.Limits{MaxBytes: int64(f.MaxBytes), MaxFields: f.MaxFields},
			PerIP:  perIP, PerForm: perForm,
		})
	}
	return out
}

// TrustedProxies returns http.trusted_proxies as address prefixes.
func (c *Config) TrustedProxies() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range c.HTTP.TrustedProxies {
		if p, err := parsePrefix(s); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// parsePrefix reads a CIDR prefix or a single address.
func parsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	return netip.Prefix{}, fmt.Errorf("invalid proxy address %q; write an address or a CIDR range such as 10.0.0.0/8 or ::1", s)
}

// team returns a configured team's name as the config spells it, matched
// without regard to case; an unknown one is a problem at path, with the
// nearest name suggested, and "". It runs after checkPeople.
func (c *Config) team(p *problems, path, name string) string {
	name = strings.TrimSpace(name)
	var names []string
	for _, t := range c.teams {
		if strings.EqualFold(t.Name, name) {
			return t.Name
		}
		names = append(names, t.Name)
	}
	p.errf(path, "unknown team %q%s", name, didYouMean(name, names, "teams"))
	return ""
}
