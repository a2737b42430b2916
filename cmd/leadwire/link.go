package main

import (
	"fmt"
	"regexp"
	"strings"

	"leadwire/core"
)

// UsersLinkCmd links a user's chat account, so the bot knows who writes.
type UsersLinkCmd struct {
	Email string `arg:"" help:"The leadwire user's email."`
	Slack string `help:"Slack member id (U…), from the profile's ⋮ → Copy member ID." placeholder:"U…"`
}

// slackID is a Slack member id: U or W and capitals and digits.
var slackID = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)

// Run links the account, refusing an id already linked to someone else.
func (c *UsersLinkCmd) Run(a *App) error {
	id := strings.ToUpper(strings.TrimSpace(c.Slack))
	if id == "" {
		return core.Errorf(core.KindInvalid, "name the account to link: leadwire users link %s --slack U…", c.Email)
	}
	if !slackID.MatchString(id) {
		return core.Errorf(core.KindInvalid, "invalid Slack member id %q; it looks like U01ABCDEF (profile → ⋮ → Copy member ID)", c.Slack)
	}
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	u, err := svc.Directory.UserByEmail(a.ctx, c.Email)
	if err != nil {
		return fmt.Errorf("link %s: %w; add the user first with leadwire users add", c.Email, err)
	}
	if other, err := svc.Directory.UserBySlackID(a.ctx, id); err == nil && other.ID != u.ID {
		return core.Errorf(core.KindConflict, "Slack %s is linked to %s already; unlink it there first (leadwire users set %s --slack …)", id, other.Email, other.Email)
	} else if err != nil && !core.IsNotFound(err) {
		return err
	}
	if u, err = svc.Directory.SaveUser(a.ctx, actor, core.UserDef{Email: u.Email, SlackID: id}); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "linked %s to Slack %s\n", u.Email, id)
	return a.warnConfigured(u)
}
