package config

import (
	"net/url"
	"strings"

	"golang.org/x/text/language"

	"leadwire/internal/tgpoll"
)

// Telegram is the Telegram bot: reps run the same commands as in Slack,
// with buttons as inline keyboards, once they have linked their account
// with /start CODE. It is on when bot_token is set.
type Telegram struct {
	BotToken      string      `yaml:"bot_token"`      // from @BotFather; empty: Telegram is off
	Mode          tgpoll.Mode `yaml:"mode"`           // polling (default): getUpdates; webhook: Telegram calls /telegram/webhook
	WebhookSecret string      `yaml:"webhook_secret"` // webhook mode: the X-Telegram-Bot-Api-Secret-Token every update carries
	APIURL        string      `yaml:"api_url"`        // Bot API server; default https://api.telegram.org (self-hosted, tests)
	// IntakeToken is a second bot, the one prospects write to: their
	// messages become leads; empty: no Telegram intake. It follows Mode,
	// on /telegram/intake in webhook mode.
	IntakeToken string `yaml:"intake_token"`
	// IntakeGreeting answers a prospect's /start: one text, or one per
	// language ({default: …, th: …, fa: …}); empty: an English default.
	IntakeGreeting Greetings `yaml:"intake_greeting"`
	// IntakeTeam is the team the intake bot's leads go to; empty: the
	// default team.
	IntakeTeam string `yaml:"intake_team"`
}

// Greetings are texts by language: IETF tags as Telegram reports a user's
// language ("th", "zh-hans"), lower-cased, and "" (written default) for
// everyone else. A single text is the default one.
type Greetings map[string]string

func (g *Greetings) setScalar(s string) { *g = Greetings{"": s} }

// check normalises the languages, reporting one that is not a language
// tag at path.
func (g *Greetings) check(p *problems, path string) {
	if len(*g) == 0 {
		return
	}
	out := make(Greetings, len(*g))
	for key, text := range *g {
		norm := strings.ToLower(strings.TrimSpace(key))
		if norm == "default" {
			norm = ""
		}
		if _, err := language.Parse(norm); norm != "" && err != nil {
			p.errf(path+"."+key, "%q is not a language; write a code such as th, fa, vi, pl, zh or zh-hans, or default", key)
			continue
		}
		out[norm] = text
	}
	*g = out
}

// IntakeEnabled reports whether the prospects' intake bot is configured.
func (t Telegram) IntakeEnabled() bool { return t.IntakeToken != "" }

// Enabled reports whether the Telegram bot is configured.
func (t Telegram) Enabled() bool { return t.BotToken != "" }

// checkTelegram fills the Telegram defaults and validates the keys.
func (c *Config) checkTelegram(p *problems) {
	t := &c.Telegram
	bots := tgpoll.Settings{Mode: t.Mode, BotToken: t.BotToken, IntakeToken: t.IntakeToken, WebhookSecret: t.WebhookSecret}
	p.settings("telegram", bots.Check())
	t.Mode = bots.Mode
	if t.Mode == tgpoll.ModeWebhook && (t.Enabled() || t.IntakeEnabled()) && c.HTTP.PublicURL == "" {
		p.errf("telegram.mode", "webhook mode registers the bots' addresses (http.public_url + /telegram/webhook, /telegram/intake) with Telegram: set http.public_url, or use polling")
	}
	t.IntakeGreeting.check(p, "telegram.intake_greeting")
	if t.IntakeTeam != "" {
		t.IntakeTeam = c.team(p, "telegram.intake_team", t.IntakeTeam)
	}
	if t.APIURL != "" {
		u, err := url.Parse(t.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.errf("telegram.api_url", "invalid API URL %q; write it like https://api.telegram.org", t.APIURL)
		} else {
			t.APIURL = strings.TrimRight(t.APIURL, "/")
		}
	}
}
