package main

import (
	"fmt"
	"time"

	"leadwire/core"
)

// UsersLinkCodeCmd prints a one-time code that links a Telegram account to
// a user: the user sends it to the bot as /start CODE.
type UsersLinkCodeCmd struct {
	Email string `arg:"" help:"The leadwire user's email."`
}

// Run makes the code. On the command line anyone may (they hold the
// database); as --as someone, an admin for anyone, a user for themselves.
func (c *UsersLinkCodeCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	u, err := svc.Directory.UserByEmail(a.ctx, c.Email)
	if err != nil {
		return fmt.Errorf("link code for %s: %w; add the user first with leadwire users add", c.Email, err)
	}
	if actor != nil && actor.Role != core.RoleAdmin && actor.ID != u.ID {
		return core.Errorf(core.KindForbidden, "only an admin makes link codes for others")
	}
	code, err := svc.Directory.NewLinkCode(a.ctx, u)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "%s\n", code)
	fmt.Fprintf(a.errOut, "send the Telegram bot: /start %s (valid %d minutes, once) to link %s\n",
		code, int(core.LinkCodeTTL/time.Minute), u.Email)
	return nil
}
