package core

import (
	"strings"
	"time"
)

// Engagement events that add points to a lead.
const (
	EventReplied          = "replied"
	EventMeetingConfirmed = "meeting_confirmed"
)

// Score rule kinds.
const (
	RuleField     = "field"     // Field is present (name, email, phone, company, message)
	RuleSource    = "source"    // the lead's source channel equals Value
	RuleCorporate = "corporate" // the email domain is not a free-mail provider
	RuleFreeMail  = "free_mail" // the email domain is a free-mail provider
	RuleKeyword   = "keyword"   // any of Keywords appears in subject or message
)

// ScoreRule gives points to a lead that matches it.
type ScoreRule struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Field    string   `json:"field,omitempty"`
	Value    string   `json:"value,omitempty"`
	Keywords []string `json:"keywords,omitempty"`
	Points   int      `json:"points"`
}

// ScoreHit explains points a lead got: which rule, how many, and why.
type ScoreHit struct {
	Rule   string    `json:"rule"`
	Points int       `json:"points"`
	Detail string    `json:"detail,omitempty"`
	At     time.Time `json:"at"`
}

// Scoring is the configured scoring model.
type Scoring struct {
	Rules []ScoreRule
	// Events maps an engagement event to its points.
	Events map[string]int
	// DecayPerWeek is subtracted for every full week without activity.
	DecayPerWeek int
	// FreeMailDomains are consumer mail providers (gmail.com, …).
	FreeMailDomains map[string]bool
}

// DefaultScoring is the scoring model used when the config has none.
func DefaultScoring() Scoring {
	return Scoring{
		Rules: []ScoreRule{
			{Name: "has phone", Kind: RuleField, Field: "phone", Points: 10},
			{Name: "has company", Kind: RuleField, Field: "company", Points: 10},
			{Name: "corporate email", Kind: RuleCorporate, Points: 15},
			{Name: "free-mail address", Kind: RuleFreeMail, Points: -5},
			{Name: "web form", Kind: RuleSource, Value: ChannelWebform, Points: 10},
			{Name: "buying words", Kind: RuleKeyword, Keywords: []string{"pricing", "price", "quote", "demo", "buy", "purchase", "proposal"}, Points: 15},
		},
		Events:          map[string]int{EventReplied: 20, EventMeetingConfirmed: 30},
		DecayPerWeek:    5,
		FreeMailDomains: DefaultFreeMailDomains(),
	}
}

// DefaultFreeMailDomains lists common consumer mail providers, worldwide.
func DefaultFreeMailDomains() map[string]bool {
	m := map[string]bool{}
	for _, d := range strings.Fields(`gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.co.jp
		yahoo.com.vn ymail.com hotmail.com hotmail.co.uk outlook.com live.com msn.com icloud.com
		me.com mac.com aol.com gmx.de gmx.net web.de mail.ru yandex.ru yandex.com proton.me
		protonmail.com zoho.com qq.com 163.com 126.com sina.com sohu.com wp.pl o2.pl onet.pl
		interia.pl naver.com daum.net seznam.cz libero.it orange.fr free.fr laposte.net
		gazeta.pl op.pl vp.pl tlen.pl poczta.fm poczta.onet.pl go2.pl interia.eu int.pl
		foxmail.com yeah.net sina.cn 139.com 189.cn 21cn.com tom.com aliyun.com vip.qq.com vip.163.com
		hotmail.co.th yahoo.co.th outlook.co.th truemail.co.th loxinfo.co.th csloxinfo.com ksc.co.th tot.co.th 3bb.co.th
		vnn.vn hn.vnn.vn hcm.vnn.vn fpt.vn fpt.com.vn viettel.vn vnpt.vn gmail.com.vn
		chmail.ir mailfa.com iran.ir parsonline.net parsonline.com yahoo.ir gmail.ir shatel.ir
		outlook.fr hotmail.fr hotmail.de outlook.de mail.com gmx.com inbox.ru bk.ru list.ru rambler.ru`) {
		m[d] = true
	}
	return m
}

// ScoreLead evaluates the rules against a new lead and its contact.
func (s Scoring) ScoreLead(l *Lead, c *Contact, now time.Time) []ScoreHit {
	var hits []ScoreHit
	domain := c.Domain
	if domain == "" && len(c.Emails) > 0 {
		domain = EmailDomain(c.Emails[0])
	}
	text := strings.ToLower(l.Subject + "\n" + l.Message)
	for _, r := range s.Rules {
		hit, detail := false, ""
		switch r.Kind {
		case RuleField:
			switch r.Field {
			case "name":
				hit = c.Name != ""
			case "email":
				hit = len(c.Emails) > 0
			case "phone":
				hit = len(c.Phones) > 0
			case "company":
				hit = c.Company != ""
			case "message":
				hit = strings.TrimSpace(l.Message) != ""
			}
		case RuleSource:
			hit = strings.EqualFold(l.SourceChannel, r.Value) || strings.EqualFold(l.SourceName, r.Value)
			detail = l.SourceChannel
		case RuleCorporate:
			hit = domain != "" && !s.FreeMailDomains[domain]
			detail = domain
		case RuleFreeMail:
			hit = domain != "" && s.FreeMailDomains[domain]
			detail = domain
		case RuleKeyword:
			for _, k := range r.Keywords {
				if k != "" && strings.Contains(text, strings.ToLower(k)) {
					hit, detail = true, k
					break
				}
			}
		}
		if hit {
			hits = append(hits, ScoreHit{Rule: r.Name, Points: r.Points, Detail: detail, At: now})
		}
	}
	return hits
}

// EventHit returns the hit for an engagement event, false when the event
// carries no points.
func (s Scoring) EventHit(event string, now time.Time) (ScoreHit, bool) {
	p, ok := s.Events[event]
	if !ok || p == 0 {
		return ScoreHit{}, false
	}
	return ScoreHit{Rule: "event: " + event, Points: p, At: now}, true
}

// Total adds up hits, plus the decay for idle weeks since lastActivity.
// It never goes below zero.
func (s Scoring) Total(hits []ScoreHit, lastActivity, now time.Time) int {
	total := 0
	for _, h := range hits {
		total += h.Points
	}
	total -= s.Decay(lastActivity, now)
	return max(total, 0)
}

// Decay is the points lost for full idle weeks between lastActivity and now.
func (s Scoring) Decay(lastActivity, now time.Time) int {
	if lastActivity.IsZero() || s.DecayPerWeek <= 0 || !now.After(lastActivity) {
		return 0
	}
	weeks := int(now.Sub(lastActivity) / (7 * 24 * time.Hour))
	return weeks * s.DecayPerWeek
}

// EmailDomain returns the lower-case domain of an address.
func EmailDomain(email string) string {
	if i := strings.LastIndexByte(email, '@'); i >= 0 {
		return strings.ToLower(email[i+1:])
	}
	return ""
}
