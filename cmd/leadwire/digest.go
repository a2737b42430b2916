package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"leadwire/bot"
	"leadwire/bot/mail"
	slackbot "leadwire/bot/slack"
	telegrambot "leadwire/bot/telegram"
	"leadwire/core"
	"leadwire/internal/typeset"
)

// DigestCmd prints a preview of a manager's digest as a channel would
// show it.
type DigestCmd struct {
	Manager string `required:"" help:"The manager (email) whose digest to show." placeholder:"EMAIL"`
	Date    string `help:"The day the digest covers, YYYY-MM-DD in the manager's time zone. Default: yesterday, which is what this morning's digest covers." placeholder:"YYYY-MM-DD"`
	Format  string `enum:"text,html,slack,telegram" default:"text" help:"text (the email's plain text), html (the email's HTML), slack (Block Kit JSON) or telegram (Telegram HTML)."`
	Charts  string `help:"Also write the charts as PNG files into this folder." placeholder:"DIR" type:"path"`
}

// Run builds the digest and prints it.
func (c *DigestCmd) Run(a *App) error {
	svc, err := a.Service()
	if err != nil {
		return err
	}
	u, err := svc.Directory.UserByEmail(a.ctx, c.Manager)
	if err != nil {
		return fmt.Errorf("--manager %s: %w; see leadwire users list", c.Manager, err)
	}
	date := c.Date
	if date == "" {
		y, m, d := svc.Clock().Now().In(u.Location()).Date()
		date = time.Date(y, m, d-1, 12, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	fonts, err := a.chartFonts()
	if err != nil {
		return err
	}
	rep, err := bot.NewConversation(svc, nil, bot.Options{Fonts: fonts}).DigestReply(a.ctx, u.ID, date)
	if err != nil {
		if core.KindOf(err) == core.KindInvalid {
			return core.Errorf(core.KindInvalid, "--date: %s", core.Message(err))
		}
		return err
	}
	switch c.Format {
	case "text", "html":
		text, html, _, err := mail.DigestMail(rep)
		if err != nil {
			return err
		}
		if c.Format == "html" {
			text = html
		}
		fmt.Fprint(a.out, text)
	case "slack":
		b, err := json.MarshalIndent(slackbot.Message(rep), "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintln(a.out, string(b))
	case "telegram":
		fmt.Fprintln(a.out, telegrambot.HTML(rep))
	}
	if c.Charts != "" {
		if err := os.MkdirAll(c.Charts, 0o755); err != nil {
			return err
		}
		for _, ch := range rep.Charts {
			if err := os.WriteFile(filepath.Join(c.Charts, ch.Name), ch.PNG, 0o644); err != nil {
				return err
			}
			fmt.Fprintln(a.errOut, "wrote", filepath.Join(c.Charts, ch.Name))
		}
	}
	return nil
}

// chartFonts are the fonts the digest's charts are drawn with: the
// embedded ones and, for Chinese, the font file digest.cjk_font names,
// else one found on this machine. Loaded once.
func (a *App) chartFonts() (*typeset.Fonts, error) {
	if a.fonts != nil {
		return a.fonts, nil
	}
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	if cfg.Digest.CJKFont == "" {
		a.fonts = typeset.System()
		return a.fonts, nil
	}
	fonts, err := typeset.WithCJK(cfg.Digest.CJKFont)
	if err != nil {
		return nil, fmt.Errorf("digest.cjk_font: %w", err)
	}
	a.fonts = fonts
	return fonts, nil
}
