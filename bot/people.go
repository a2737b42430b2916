package bot

import (
	"context"
	"fmt"
	"strings"

	"leadwire/core"
)

// company shows a company within the asker's reach: its people, open
// deals, their value and when anyone last heard from it.
func (c *Conversation) company(ctx context.Context, r *request) Reply {
	v, err := c.svc.Company(ctx, r.user, r.args.rest(0))
	if err != nil {
		return c.fail(err)
	}
	var value []string
	for _, m := range v.OpenValue {
		value = append(value, core.Money{Amount: m.Amount, Currency: m.Currency}.String())
	}
	card := Card{Title: v.Name, Subtitle: v.Domain, Fields: []Field{
		{"Contacts", fmt.Sprint(v.Contacts)},
		{"Open deals", fmt.Sprint(v.OpenDeals)},
		{"Open value", orNone(strings.Join(value, " + "))},
		{"Last activity", ago(v.LastActivity, r.now)},
	}, Text: v.Notes}
	people := List{Title: "People", Empty: "Nobody of your team."}
	for i, p := range v.People {
		if i == c.opts.Limit {
			people.More = fmt.Sprintf("showing %d of %d", c.opts.Limit, len(v.People))
			break
		}
		people.Items = append(people.Items, Item{Ref: core.ContactRef(p.ID), Text: core.ContactRef(p.ID) + " " + contactTitle(&core.Contact{Name: p.Name, Emails: p.Emails}, "contact"),
			Detail: contactLine(&p)})
	}
	deals := List{Title: "Open deals", Empty: "No open deals."}
	for i := range v.Deals {
		if i == c.opts.Limit {
			deals.More = fmt.Sprintf("showing %d of %d", c.opts.Limit, len(v.Deals))
			break
		}
		deals.Items = append(deals.Items, r.dealItem(ctx, &v.Deals[i]))
	}
	return Reply{Cards: []Card{card}, Lists: []List{people, deals}, Ephemeral: true}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
