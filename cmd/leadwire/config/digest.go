package config

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"leadwire/core"
)

// Digest schedules the managers' daily digest: at Time in each manager's
// own zone on Weekdays, to Channels.
type Digest struct {
	Time     string   `yaml:"time"`     // HH:MM; default 08:00
	Weekdays []string `yaml:"weekdays"` // mon … sun; default mon–fri
	Weekly   *bool    `yaml:"weekly"`   // Monday's digest covers the past 7 days; default on
	Channels []string `yaml:"channels"` // slack, telegram, email; default: every one that reaches the manager
	CJKFont  string   `yaml:"cjk_font"` // font file for Chinese in the charts; default: one found on the machine
}

var (
	digestDays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	digestVia  = []string{core.ChannelSlack, core.ChannelTelegram, core.ChannelEmail}
)

// noticeChannels are the channels notices can go out on: the chats that
// are configured, and email when smtp is.
func (c *Config) noticeChannels() []string {
	var out []string
	if c.Slack.Enabled() {
		out = append(out, core.ChannelSlack)
	}
	if c.Telegram.Enabled() {
		out = append(out, core.ChannelTelegram)
	}
	if c.SMTP.Enabled() {
		out = append(out, core.ChannelEmail)
	}
	return out
}

// checkDigest validates the digest keys into the settings, with the
// notice channels they choose among.
func (c *Config) checkDigest(p *problems) {
	c.settings.Channels = c.noticeChannels()
	d := &c.Digest
	ds := core.DigestSettings{At: 8 * time.Hour, Weekly: d.Weekly == nil || *d.Weekly}
	if s := strings.TrimSpace(d.Time); s != "" {
		at, err := time.Parse("15:04", s)
		if err != nil {
			p.errf("digest.time", "invalid time %q; write it as HH:MM on a 24-hour clock, such as 08:00 or 17:30", d.Time)
		} else {
			ds.At = time.Duration(at.Hour())*time.Hour + time.Duration(at.Minute())*time.Minute
		}
	}
	for i, w := range d.Weekdays {
		key := fmt.Sprintf("digest.weekdays[%d]", i)
		name := strings.ToLower(strings.TrimSpace(w))
		day := slices.Index(digestDays, name)
		if day < 0 && len(name) > 3 {
			// Full names too: monday, Tuesday.
			if d := slices.Index(digestDays, name[:3]); d >= 0 && strings.EqualFold(time.Weekday(d).String(), name) {
				day = d
			}
		}
		if day < 0 {
			p.errf(key, "unknown weekday %q; valid days are %s", w, strings.Join(digestDays, ", "))
			continue
		}
		if slices.Contains(ds.Weekdays, time.Weekday(day)) {
			p.errf(key, "%s is listed twice", w)
			continue
		}
		ds.Weekdays = append(ds.Weekdays, time.Weekday(day))
	}
	if len(d.Weekdays) == 0 {
		ds.Weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	for i, ch := range d.Channels {
		key := fmt.Sprintf("digest.channels[%d]", i)
		name := strings.ToLower(strings.TrimSpace(ch))
		switch {
		case !slices.Contains(digestVia, name):
			p.errf(key, "unknown channel %q%s; valid channels are %s", ch, didYouMean(name, digestVia, "channels"), strings.Join(digestVia, ", "))
		case name == core.ChannelEmail && !c.SMTP.Enabled():
			p.errf(key, "email digests need outgoing mail: set smtp.host and smtp.from, or drop email")
		case name == core.ChannelSlack && !c.Slack.Enabled():
			p.errf(key, "slack digests need the Slack app: set slack.bot_token, or drop slack")
		case name == core.ChannelTelegram && !c.Telegram.Enabled():
			p.errf(key, "telegram digests need the bot: set telegram.bot_token, or drop telegram")
		case slices.Contains(ds.Channels, name):
			p.errf(key, "%s is listed twice", ch)
		default:
			ds.Channels = append(ds.Channels, name)
		}
	}
	if d.CJKFont != "" {
		if st, err := os.Stat(d.CJKFont); err != nil || st.IsDir() {
			p.errf("digest.cjk_font", "no font file at %q; give the path of a .ttf, .otf or .ttc font with Chinese characters, such as /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc (Debian: fonts-noto-cjk)", d.CJKFont)
		}
	}
	c.settings.Digest = ds
}
