package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"leadwire/connectors/hooks"
	"leadwire/core"
	"leadwire/internal/display"
	"leadwire/internal/secretbox"
	"leadwire/internal/view"
)

// HooksCmd groups the outgoing webhook subcommands.
type HooksCmd struct {
	Add        HooksAddCmd        `cmd:"" help:"Subscribe a URL to events and print its whsec_ secret, once."`
	List       HooksListCmd       `cmd:"" help:"List the subscriptions: URL, events, active or disabled."`
	Remove     HooksRemoveCmd     `cmd:"" help:"Remove a subscription and its delivery log."`
	Deliveries HooksDeliveriesCmd `cmd:"" help:"The delivery log: status, latency and the start of each answer, newest first."`
	Redeliver  HooksRedeliverCmd  `cmd:"" help:"Send a delivered or failed event to its subscription again."`
	Test       HooksTestCmd       `cmd:"" help:"Send a signed sample event to a receiver and show its answer."`
}

// HooksAddCmd subscribes a URL.
type HooksAddCmd struct {
	URL         string `arg:"" help:"The receiver's URL (http or https; private and loopback addresses only with hooks.allow_private)."`
	Events      string `required:"" help:"The events to send, comma-separated: lead.created, lead.claimed, lead.assigned, lead.disqualified, deal.created, deal.updated, deal.stage_changed, deal.won, deal.lost, task.overdue, rule.matched; * for all but rule.matched." placeholder:"EVENTS"`
	Description string `help:"What it is for." placeholder:"TEXT"`
	JSON        bool   `help:"Print the subscription, secret included, as JSON."`
}

// Run adds the subscription; the secret goes alone to stdout so a script
// can capture it (or in the JSON), the note about it to stderr.
func (c *HooksAddCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	events, err := core.ParseEventTypes(c.Events)
	if err != nil {
		return err
	}
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	box, err := a.secretsBox()
	if err != nil {
		return err
	}
	h, secret, err := svc.Hooks.Add(a.ctx, actor, box, hookInput(cfg.Hooks.AllowPrivate, c.URL, events, c.Description))
	if err != nil {
		return err
	}
	if c.JSON {
		v := view.HookOf(h)
		v.Secret = secret
		return a.JSON(v)
	}
	fmt.Fprintf(a.errOut, "subscribed %s (id %d) to %s. Copy its secret now: it cannot be shown again.\n"+
		"Receivers check webhook-signature with it (Standard Webhooks).\n", h.URL, h.ID, h.EventNames())
	fmt.Fprintln(a.out, secret)
	return nil
}

// hookInput is a subscription to add, checked by the SSRF guard unless
// private targets are allowed.
func hookInput(allowPrivate bool, url string, events []core.EventType, desc string) core.HookInput {
	return core.HookInput{URL: url, Events: events, Description: desc, NewSecret: hooks.NewSecret,
		CheckURL: func(ctx context.Context, u string) error { return hooks.CheckURL(ctx, u, allowPrivate) }}
}

// HooksListCmd lists subscriptions.
type HooksListCmd struct {
	JSON bool `help:"Print JSON."`
}

// Run prints the subscriptions.
func (c *HooksListCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	hs, err := svc.Hooks.List(a.ctx, actor)
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]view.Hook, len(hs))
		for i := range hs {
			out[i] = view.HookOf(&hs[i])
		}
		return a.JSON(out)
	}
	if len(hs) == 0 {
		fmt.Fprintln(a.out, "no webhooks yet; add one with leadwire hooks add URL --events lead.created,deal.won")
		return nil
	}
	w := display.NewTable(a.out)
	fmt.Fprintln(w, "ID\tURL\tEVENTS\tSTATE\tCREATED\tBY")
	for _, h := range hs {
		state := "active"
		if !h.Active() {
			state = "disabled " + a.when(actor, h.DisabledAt) + ": " + h.DisabledReason
		} else if !h.FailingSince.IsZero() {
			state = "failing since " + a.when(actor, h.FailingSince)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", h.ID, oneLine(h.URL), h.EventNames(), oneLine(state), a.when(actor, h.CreatedAt), orDash(h.CreatedBy))
	}
	return w.Flush()
}

// HooksRemoveCmd removes a subscription.
type HooksRemoveCmd struct {
	ID int64 `arg:"" help:"The subscription's id from leadwire hooks list."`
}

// Run removes it.
func (c *HooksRemoveCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	if err := svc.Hooks.Remove(a.ctx, actor, c.ID); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "removed webhook %d\n", c.ID)
	return nil
}

// HooksDeliveriesCmd prints the delivery log.
type HooksDeliveriesCmd struct {
	Hook   int64 `help:"Only this subscription's." placeholder:"ID"`
	Failed bool  `help:"Only deliveries given up, or pending after a failed attempt."`
	Limit  int   `help:"At most this many (default 100)." default:"100"`
	JSON   bool  `help:"Print JSON."`
}

// Run prints the deliveries, newest first.
func (c *HooksDeliveriesCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	ds, err := svc.Hooks.Deliveries(a.ctx, actor, core.HookDeliveryFilter{HookID: c.Hook, Failed: c.Failed, Limit: c.Limit})
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]view.HookDelivery, len(ds))
		for i := range ds {
			out[i] = view.HookDeliveryOf(&ds[i])
		}
		return a.JSON(out)
	}
	if len(ds) == 0 {
		fmt.Fprintln(a.out, "no deliveries")
		return nil
	}
	w := display.NewTable(a.out)
	fmt.Fprintln(w, "ID\tHOOK\tEVENT\tTYPE\tRECORD\tSTATE\tTRIES\tSTATUS\tLATENCY\tLAST TRY\tANSWER")
	for _, d := range ds {
		answer := d.Excerpt
		if d.Error != "" {
			answer = d.Error + " " + answer
		}
		state := string(d.State)
		if d.State == core.DeliveryPending && d.Attempts > 0 {
			state = "retry " + a.when(actor, d.NextAt)
		}
		fmt.Fprintf(w, "%d\t%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", d.ID, d.HookID, d.EventID, d.EventType, d.Record, state, d.Attempts,
			statusText(d.Status), d.Latency, a.when(actor, d.LastAt), oneLine(clip(answer, 80)))
	}
	return w.Flush()
}

// oneLine is outside text (a receiver's answer, a URL) fit for one table
// cell on a terminal: control characters, tabs and line breaks become
// spaces, so it can neither break the table nor send escape sequences.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

func statusText(s int) string {
	if s == 0 {
		return "-"
	}
	return strconv.Itoa(s)
}

// HooksRedeliverCmd sends an event again.
type HooksRedeliverCmd struct {
	Delivery int64 `arg:"" help:"The delivery's id from leadwire hooks deliveries."`
}

// Run enqueues the new delivery; serve sends it.
func (c *HooksRedeliverCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	d, err := svc.Hooks.Redeliver(a.ctx, actor, c.Delivery)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "event %s queued again as delivery %d to webhook %d; leadwire serve sends it\n", d.EventID, d.ID, d.HookID)
	return nil
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

// secretsBox is the box secrets are sealed with; nil when no key is set.
func (a *App) secretsBox() (core.Sealer, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	box, err := secretbox.Load(cfg.Secrets.Key, a.getenv)
	if err != nil || box == nil {
		return nil, err
	}
	return box, nil
}

// hookDispatcher delivers the webhook outbox for serve.
func (a *App) hookDispatcher() (*core.HookDispatcher, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	svc, err := a.Service()
	if err != nil {
		return nil, err
	}
	box, err := a.secretsBox()
	if err != nil {
		return nil, err
	}
	return core.NewHookDispatcher(svc, box, hooks.NewSender(cfg.Hooks.AllowPrivate), view.EventBody, 0), nil
}
