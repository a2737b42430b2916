package main

import (
	"fmt"
	"strings"

	"leadwire/core"
	"leadwire/internal/display"
	"leadwire/internal/view"
)

// WebhooksCmd groups the webhook subcommands.
type WebhooksCmd struct {
	Log WebhooksLogCmd `cmd:"" help:"Show the webhook delivery log: what arrived, what it became, why a delivery was refused."`
}

// WebhooksLogCmd shows the delivery log.
type WebhooksLogCmd struct {
	Source  string `help:"Only deliveries from this source." placeholder:"SOURCE"`
	Refused bool   `help:"Only refused deliveries."`
	Limit   int    `help:"How many, newest first." default:"50"`
	Body    bool   `help:"Show what each delivery carried (its first 4 KiB)."`
	JSON    bool   `help:"Print JSON, bodies included."`
}

type deliveryJSON struct {
	ID         int64   `json:"id"`
	At         *string `json:"at"`
	Source     string  `json:"source"`
	Token      string  `json:"token,omitempty"`
	Status     int     `json:"status"`
	Outcome    string  `json:"outcome"`
	Ref        string  `json:"ref,omitempty"`
	Error      string  `json:"error,omitempty"`
	ExternalID string  `json:"external_id,omitempty"`
	Size       int64   `json:"size"`
	Body       string  `json:"body"`
	Truncated  bool    `json:"truncated,omitempty"`
}

// Run prints the deliveries, newest first.
func (c *WebhooksLogCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	f := core.DeliveryFilter{Source: c.Source, Limit: c.Limit}
	if c.Refused {
		f.Outcome = core.DeliveryRefused
	}
	ds, err := svc.Deliveries(a.ctx, actor, f)
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]deliveryJSON, len(ds))
		for i, d := range ds {
			out[i] = deliveryJSON{ID: d.ID, At: view.Time(d.At), Source: d.Source, Token: d.Token, Status: d.Status,
				Outcome: d.Outcome, Ref: d.Ref, Error: d.Error, ExternalID: d.ExternalID, Size: d.Size,
				Body: strings.ToValidUTF8(string(d.Body), "\uFFFD"), Truncated: int64(len(d.Body)) < d.Size}
		}
		return a.JSON(out)
	}
	if len(ds) == 0 {
		fmt.Fprintln(a.out, "no webhook deliveries logged yet")
		return nil
	}
	w := display.NewTable(a.out)
	fmt.Fprintln(w, "AT\tSOURCE\tTOKEN\tSTATUS\tRESULT\tSIZE\tEXTERNAL ID")
	for _, d := range ds {
		result := d.Outcome
		switch {
		case d.Outcome == core.DeliveryRefused:
			result = "refused: " + clip(d.Error, 80)
		case d.Ref != "":
			result += " " + d.Ref
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%d\t%s\n", a.when(actor, d.At), orDash(d.Source), orDash(d.Token), d.Status,
			result, d.Size, orDash(clip(d.ExternalID, 40)))
		if c.Body {
			w.Flush()
			body := strings.ToValidUTF8(string(d.Body), "\uFFFD")
			if int64(len(d.Body)) < d.Size {
				body += fmt.Sprintf(" … (%d of %d bytes kept)", len(d.Body), d.Size)
			}
			fmt.Fprintf(a.out, "    %s\n", strings.ReplaceAll(body, "\n", "\n    "))
		}
	}
	return w.Flush()
}
