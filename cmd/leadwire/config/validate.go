package config

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/language"

	"leadwire/core"
	"leadwire/storage"
)

// validateWith fills defaults, checks every key and builds the core
// definitions. dbKey names where the database came from: the database key
// or $LEADWIRE_DB.
func (c *Config) validateWith(p *problems, dbKey string) {
	c.checkDatabase(p, dbKey)
	c.checkHTTP(p)

	s := core.DefaultSettings()
	if c.TimeZone == "" {
		c.TimeZone = s.TimeZone
	}
	if err := core.ValidateTimeZone(c.TimeZone); err != nil {
		p.errf("timezone", "%v", err)
	}
	s.TimeZone = c.TimeZone
	if c.Currency == "" {
		c.Currency = s.Currency
	}
	if cur, err := core.NormalizeCurrency(c.Currency); err != nil {
		p.errf("currency", "%v", err)
	} else {
		c.Currency = cur
	}
	s.Currency = c.Currency
	if c.Region != "" {
		if r, err := normalizeRegion(c.Region); err != nil {
			p.errf("region", "%v", err)
		} else {
			c.Region = r
		}
	}
	s.DefaultRegion = c.Region
	if tag, err := core.ParseLocale(c.Locale); err != nil {
		p.errf("locale", "%v", err)
	} else {
		s.Locale = tag
	}
	if cal, err := core.ParseCalendar(c.Calendar); err != nil {
		p.errf("calendar", "%v", err)
	} else {
		s.Calendar = cal
	}
	s.Rates = c.checkRates(p)
	s.Scoring = c.checkScoring(p)
	s.LostReasons = checkReasons(p, "reasons.lost", c.Reasons.Lost, s.LostReasons)
	s.DisqualifyReasons = checkReasons(p, "reasons.disqualify", c.Reasons.Disqualify, s.DisqualifyReasons)
	c.settings = s

	c.checkPeople(p)
	c.checkPipelines(p)
	c.checkTargets(p)
	c.checkRules(p)
	c.checkEmail(p)
	c.checkForms(p)
	c.checkWebhooks(p)
	c.checkSlack(p)
	c.checkTelegram(p)
	c.checkSMTP(p)
	c.checkAlerts(p)
	c.checkDigest(p)
	c.checkSequences(p)
	c.checkRetention(p)
}

func (c *Config) checkDatabase(p *problems, key string) {
	const valid = "use sqlite:PATH (e.g. sqlite:./leadwire.db) or postgres://user:password@host:5432/dbname"
	db := strings.TrimSpace(c.Database)
	if db == "" {
		db = DefaultDatabase
	}
	c.Database = db
	switch {
	case strings.HasPrefix(db, "sqlite:"):
		if strings.TrimPrefix(db, "sqlite:") == "" {
			p.errf(key, "sqlite: needs a file path; %s", valid)
		}
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		// Never echo the URL: it usually carries a password.
		if _, err := url.Parse(db); err != nil {
			p.errf(key, "the PostgreSQL URL does not parse (check that special characters in the password are %%-encoded); %s", valid)
		}
	default:
		if scheme, _, ok := strings.Cut(db, ":"); ok && isScheme(scheme) {
			p.errf(key, "unknown database scheme %q; %s", scheme, valid)
		} else {
			// A key=value DSN may carry a password: shown masked.
			p.errf(key, "database %q has no scheme; %s", storage.Redact(db), valid)
		}
	}
}

func isScheme(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

func (c *Config) checkHTTP(p *problems) {
	if c.HTTP.Listen == "" {
		c.HTTP.Listen = DefaultListen
	}
	if _, port, err := net.SplitHostPort(c.HTTP.Listen); err != nil {
		p.errf("http.listen", "invalid listen address %q; write host:port such as 127.0.0.1:8080 or :8080", c.HTTP.Listen)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		p.errf("http.listen", "invalid port %q; use a number from 1 to 65535", port)
	}
	for _, t := range []struct {
		key string
		d   *Duration
		def time.Duration
	}{
		{"http.read_header_timeout", &c.HTTP.ReadHeaderTimeout, DefaultReadHeaderTimeout},
		{"http.read_timeout", &c.HTTP.ReadTimeout, DefaultReadTimeout},
		{"http.write_timeout", &c.HTTP.WriteTimeout, DefaultWriteTimeout},
		{"http.idle_timeout", &c.HTTP.IdleTimeout, DefaultIdleTimeout},
	} {
		switch {
		case *t.d == 0:
			*t.d = Duration(t.def)
		case *t.d < 0 || time.Duration(*t.d) > time.Hour:
			p.errf(t.key, "%s must be between 1ms and 1h (leave it out for the default %v)", t.key[len("http."):], t.def)
		}
	}
	switch {
	case c.HTTP.MaxBody == 0:
		c.HTTP.MaxBody = DefaultMaxBody
	case c.HTTP.MaxBody < 0 || c.HTTP.MaxBody > 32<<20:
		p.errf("http.max_body", "max_body must be between 1 and 32MiB (leave it out for the default 1MiB)")
	}
	if c.HTTP.PublicURL != "" {
		u, err := url.Parse(c.HTTP.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.errf("http.public_url", "invalid public URL %q; write it like https://leads.example.com", c.HTTP.PublicURL)
		} else {
			c.HTTP.PublicURL = strings.TrimRight(c.HTTP.PublicURL, "/")
		}
	}
}

func (c *Config) checkRates(p *problems) core.Rates {
	out := core.Rates{Base: c.Currency, Rates: map[string]float64{}}
	norm := map[string]float64{}
	for _, key := range keyList(c.Rates) {
		path := "rates." + key
		code, err := core.NormalizeCurrency(key)
		if err != nil {
			p.errf(path, "%v", err)
			continue
		}
		if _, dup := norm[code]; dup {
			p.errf(path, "%s has two rates; keep one", code)
			continue
		}
		rate := c.Rates[key]
		switch {
		case math.IsNaN(rate) || math.IsInf(rate, 0) || rate <= 0:
			p.errf(path, "invalid rate %v; give the value of one %s in %s, a positive number such as 0.026", rate, code, c.Currency)
			continue
		case code == c.Currency && rate != 1:
			p.errf(path, "%s is the reporting currency; its rate is 1 (or leave it out)", code)
			continue
		}
		norm[code] = rate
		if code != c.Currency {
			out.Rates[code] = rate
		}
	}
	c.Rates = norm
	return out
}

var ruleKinds = []string{core.RuleField, core.RuleSource, core.RuleCorporate, core.RuleFreeMail, core.RuleKeyword}

var ruleFields = []string{"name", "email", "phone", "company", "message"}

var scoreEvents = []string{core.EventReplied, core.EventMeetingConfirmed}

func (c *Config) checkScoring(p *problems) core.Scoring {
	s := core.DefaultScoring()
	if c.Scoring.Rules != nil {
		s.Rules = make([]core.ScoreRule, 0, len(c.Scoring.Rules))
		for i, r := range c.Scoring.Rules {
			path := fmt.Sprintf("scoring.rules[%d]", i)
			r.Name = strings.TrimSpace(r.Name)
			if r.Name == "" {
				p.errf(path+".name", "a rule needs a name; it explains the points to reps")
			}
			switch r.Kind {
			case core.RuleField:
				if r.Field == "" {
					p.errf(path+".field", "a field rule needs field; valid fields are %s", strings.Join(ruleFields, ", "))
				} else if !slices.Contains(ruleFields, r.Field) {
					p.errf(path+".field", "unknown field %q%s", r.Field, didYouMean(r.Field, ruleFields, "fields"))
				}
			case core.RuleSource:
				if r.Value == "" {
					p.errf(path+".value", "a source rule needs value: a channel (email, webform, webhook, telegram, slack) or a source name")
				}
			case core.RuleKeyword:
				if len(r.Keywords) == 0 {
					p.errf(path+".keywords", "a keyword rule needs keywords: a list of words to look for")
				}
			case core.RuleCorporate, core.RuleFreeMail:
			case "":
				p.errf(path+".kind", "a rule needs a kind; valid kinds are %s", strings.Join(ruleKinds, ", "))
			default:
				p.errf(path+".kind", "unknown rule kind %q%s", r.Kind, didYouMean(r.Kind, ruleKinds, "kinds"))
			}
			s.Rules = append(s.Rules, core.ScoreRule{Name: r.Name, Kind: r.Kind, Field: r.Field, Value: r.Value, Keywords: r.Keywords, Points: r.Points})
		}
	}
	for _, ev := range keyList(c.Scoring.Events) {
		if !slices.Contains(scoreEvents, ev) {
			p.errf("scoring.events."+ev, "unknown event %q%s", ev, didYouMean(ev, scoreEvents, "events"))
			continue
		}
		s.Events[ev] = c.Scoring.Events[ev]
	}
	if d := c.Scoring.DecayPerWeek; d != nil {
		if *d < 0 {
			p.errf("scoring.decay_per_week", "decay must be 0 or more points a week, not %d", *d)
		}
		s.DecayPerWeek = *d
	}
	for i, dom := range c.Scoring.FreeMailDomains {
		d := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(dom), "@"))
		if !strings.Contains(d, ".") || strings.ContainsAny(d, "@ /:") {
			p.errf(fmt.Sprintf("scoring.free_mail_domains[%d]", i), "invalid domain %q; write it like gmail.com", dom)
			continue
		}
		s.FreeMailDomains[d] = true
	}
	return s
}

// checkReasons maps configured reasons; none configured means def.
func checkReasons(p *problems, path string, in []Reason, def []core.Reason) []core.Reason {
	if len(in) == 0 {
		return def
	}
	out := make([]core.Reason, 0, len(in))
	seen := map[string]int{}
	for i, r := range in {
		at := fmt.Sprintf("%s[%d]", path, i)
		label, labels := r.Label.check(p, at+".label")
		if label == "" {
			p.errf(at, "a reason needs a label, the text people pick")
			continue
		}
		code := strings.TrimSpace(r.Code)
		if code == "" {
			code = slug(label)
		}
		if code == "" || code != slug(code) {
			p.errf(at, "invalid code %q; use lower-case letters, digits and _ such as no_budget", r.Code)
			continue
		}
		if first, dup := seen[code]; dup {
			p.errf(at, "reason code %q is used twice (first at %s[%d]); give one an explicit code", code, path, first)
			continue
		}
		seen[code] = i
		out = append(out, core.Reason{Code: code, Label: label, Labels: labels})
	}
	return out
}

// slug derives a reason code from a label: "No budget" → "no_budget",
// "Brak budżetu" → "brak_budżetu". Letters of any script are kept (with
// their combining marks, which Thai and Vietnamese need).
func slug(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			gap = false
			b.WriteRune(r)
			continue
		}
		gap = true
	}
	return b.String()
}

func normalizeRegion(s string) (string, error) {
	r := strings.ToUpper(strings.TrimSpace(s))
	reg, err := language.ParseRegion(r)
	if len(r) != 2 || err != nil || !reg.IsCountry() {
		return "", fmt.Errorf("unknown region %q; use an ISO 3166 country code such as TH, PL, VN, IR or CN", s)
	}
	return reg.String(), nil
}
