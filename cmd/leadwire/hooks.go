package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"leadwire/connectors/hooks"
	"leadwire/core"
)

// HooksCmd groups the outgoing webhook subcommands.
type HooksCmd struct {
	Test HooksTestCmd `cmd:"" help:"Send a signed sample event to a receiver and show its answer."`
}

// HooksTestCmd sends a sample event.
type HooksTestCmd struct {
	URL    string `arg:"" help:"The receiver's URL."`
	Secret string `help:"Sign with this whsec_ secret (default: a new one, printed)." placeholder:"WHSEC"`
}

// Run sends the event as a subscription would, through the same guard
// (hooks.allow_private) and signature, and prints what the receiver
// answered; a receiver that does not take it (no 2xx) fails the command.
// Only an admin manages webhooks.
func (c *HooksTestCmd) Run(a *App) error {
	actor, err := a.Actor()
	if err != nil {
		return err
	}
	if actor.Role != core.RoleAdmin {
		return core.Errorf(core.KindForbidden, "only an admin manages webhooks")
	}
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	if err := hooks.CheckURL(a.ctx, c.URL, cfg.Hooks.AllowPrivate); err != nil {
		return core.Errorf(core.KindInvalid, "%v", err)
	}
	secret := c.Secret
	if secret == "" {
		secret = hooks.NewSecret()
		fmt.Fprintf(a.errOut, "signing with a new secret: %s\n", secret)
	}
	b := make([]byte, 12)
	rand.Read(b)
	now := time.Now().UTC()
	id := "evt_test_" + hex.EncodeToString(b)
	body, _ := json.Marshal(map[string]any{"id": id, "type": "test", "timestamp": now.Format(time.RFC3339),
		"data": map[string]string{"message": "a test event from leadwire hooks test"}})
	res, _ := hooks.NewSender(cfg.Hooks.AllowPrivate).Send(a.ctx, hooks.Message{ID: id, Type: "test", At: now, Body: body, URL: c.URL, Secret: secret})
	if res.Status != 0 {
		fmt.Fprintf(a.out, "%s answered %d in %s\n", c.URL, res.Status, res.Latency.Round(time.Millisecond))
		if res.Excerpt != "" {
			fmt.Fprintf(a.out, "%s\n", res.Excerpt)
		}
	}
	if res.Err != nil {
		return fmt.Errorf("test event %s not taken: %w", id, res.Err)
	}
	fmt.Fprintf(a.out, "test event %s taken\n", id)
	return nil
}
