package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"leadwire/core"
)

// company shows a company within the asker's reach: its people, open
// deals, their value and when anyone last heard from it.
func (c *Conversation) company(ctx context.Context, r *request) Reply {
	v, err := c.svc.Company(ctx, r.user, r.args.rest(0))
	if err != nil {
		return c.fail(r, err)
	}
	var value []string
	for _, m := range v.OpenValue {
		value = append(value, r.money(core.Money{Amount: m.Amount, Currency: m.Currency}))
	}
	card := Card{Title: v.Name, Subtitle: v.Domain, Fields: []Field{
		{r.t("company.contacts"), fmt.Sprint(v.Contacts)},
		{r.t("company.open_deals"), fmt.Sprint(v.OpenDeals)},
		{r.t("company.open_value"), r.orNone(strings.Join(value, " + "))},
		{r.t("field.last_activity"), ago(r.p, v.LastActivity, r.now)},
	}, Text: v.Notes}
	people := List{Title: r.t("company.people"), Empty: r.t("company.people.empty")}
	for i, p := range v.People {
		if i == c.opts.Limit {
			people.More = r.t("list.showing_of", "N", c.opts.Limit, "Of", len(v.People))
			break
		}
		people.Items = append(people.Items, Item{Ref: core.ContactRef(p.ID), Text: core.ContactRef(p.ID) + " " + contactTitle(&core.Contact{Name: p.Name, Emails: p.Emails}, r.t("find.contact")),
			Detail: contactLine(r, &p)})
	}
	deals := List{Title: r.t("company.open_deals"), Empty: r.t("company.deals.empty")}
	for i := range v.Deals {
		if i == c.opts.Limit {
			deals.More = r.t("list.showing_of", "N", c.opts.Limit, "Of", len(v.Deals))
			break
		}
		deals.Items = append(deals.Items, r.dealItem(ctx, &v.Deals[i]))
	}
	return Reply{Cards: []Card{card}, Lists: []List{people, deals}, Ephemeral: true}
}

// orNone is s, or the word for none when it is empty.
func (r *request) orNone(s string) string {
	if s == "" {
		return r.t("none")
	}
	return s
}

// merge shows what merging the second contact into the first would do,
// with a button that does it.
func (c *Conversation) merge(ctx context.Context, r *request) Reply {
	a, err := core.ParseContactRef(r.args.word(0))
	if err != nil {
		return c.fail(r, err)
	}
	b, err := core.ParseContactRef(r.args.word(1))
	if err != nil {
		return c.fail(r, err)
	}
	p, err := c.svc.PlanMerge(ctx, r.user, a, b)
	if err != nil {
		return c.fail(r, err)
	}
	card := Card{Ref: p.Survivor.Ref(), Title: r.t("merge.title", "Merged", p.Merged.Ref(), "Survivor", p.Survivor.Ref()),
		Subtitle: contactTitle(&p.Result, p.Survivor.Ref()), Text: r.t("merge.rule"),
		Note: r.t("merge.moves", "Identities", p.Moves.Identities, "Leads", p.Moves.Leads, "Deals", p.Moves.Deals,
			"Activities", p.Moves.Activities, "Tasks", p.Moves.Tasks, "Enrollments", p.Moves.Enrollments)}
	for _, f := range p.Fields {
		card.Fields = append(card.Fields, Field{r.mergeField(f.Field), r.t("merge.choice", "Result", r.orNone(f.Result), "Other", r.orNone(otherOf(f)))})
	}
	card.Buttons = []Button{{r.t("button.merge"), act("merge", p.Survivor.Ref(), p.Merged.Ref()), StyleDanger}}
	return Reply{Cards: []Card{card}, Ephemeral: true}
}

// mergeField names a field a merge chooses ("time zone") in the asker's
// language.
func (r *request) mergeField(field string) string {
	id := "merge.field." + strings.ReplaceAll(field, " ", "_")
	if s := r.t(id); s != id {
		return s
	}
	return field
}

func otherOf(f core.FieldChoice) string {
	if f.Result == f.Other {
		return f.Survivor
	}
	return f.Other
}

// doMerge runs a merge button: "C12:C34".
func (c *Conversation) doMerge(ctx context.Context, r *request, refs string) Reply {
	sa, sb, _ := strings.Cut(refs, ":")
	a, errA := core.ParseContactRef(sa)
	b, errB := core.ParseContactRef(sb)
	if errA != nil || errB != nil {
		return staleButton(r)
	}
	m, err := c.svc.Merge(ctx, r.user, a, b)
	if err != nil {
		return c.fail(r, err)
	}
	return r.changed(r.t("merge.done", "Merged", core.ContactRef(m.MergedID), "Survivor", core.ContactRef(m.SurvivorID), "ID", m.ID))
}

// auditCmd shows the audit log of one record: to admins, and to the
// managers of the record's team.
func (c *Conversation) auditCmd(ctx context.Context, r *request) Reply {
	word := r.args.word(0)
	var f core.AuditFilter
	var ref string
	if id, err := core.ParseContactRef(word); err == nil {
		f.Contact, ref = id, core.ContactRef(id)
	} else if rf, err := core.ParseRef(word); err == nil && rf.Kind == 'D' {
		f.Deal, ref = rf.ID, rf.String()
	} else if err == nil && rf.Kind == 'L' {
		f.Lead, ref = rf.ID, rf.String()
	} else {
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("audit.not_a_record", "Word", word)}
	}
	f.Limit = c.opts.Limit
	entries, err := c.svc.Audit(ctx, r.user, f)
	if err != nil {
		return c.fail(r, err)
	}
	list := List{Title: r.t("audit.title", "Ref", ref), Empty: r.t("audit.empty")}
	for _, e := range entries {
		var parts []string
		for _, ch := range e.Changes {
			parts = append(parts, r.t("audit.change", "Field", ch.Field, "Before", r.orNone(ch.Before), "After", r.orNone(ch.After)))
		}
		if e.Target != "" {
			parts = append([]string{e.Target}, parts...)
		}
		if e.Note != "" {
			parts = append(parts, e.Note)
		}
		list.Items = append(list.Items, Item{Text: r.t("audit.item", "Action", e.Action, "Actor", e.Actor, "Via", string(e.Via), "When", r.at(e.At)),
			Detail: clip(strings.Join(parts, "; "), 200)})
	}
	return Reply{Lists: []List{list}, Ephemeral: true}
}

// showContact answers a contact id typed alone ("C12"): the contact's
// card and their leads and deals, as far as the asker may see them.
func (c *Conversation) showContact(ctx context.Context, r *request, id int64) Reply {
	ct, err := c.svc.Contact(ctx, r.user, id)
	if err != nil {
		return c.fail(r, err)
	}
	ref := ct.Ref()
	card := Card{Ref: ref, Title: contactTitle(ct, ref), Subtitle: ref}
	switch {
	case ct.MergedInto != 0:
		card.Status, card.Tone = r.t("contact.merged_into", "Ref", core.ContactRef(ct.MergedInto)), ToneWarn
	case !ct.ErasedAt.IsZero():
		card.Status, card.Tone = r.t("contact.erased", "When", r.at(ct.ErasedAt)), ToneWarn
	}
	add := func(key string, values []string) {
		if len(values) > 0 {
			card.Fields = append(card.Fields, Field{r.t(key), strings.Join(values, ", ")})
		}
	}
	add("field.emails", ct.Emails)
	phones := slices.Clone(ct.Phones)
	for _, p := range ct.InvalidPhones {
		phones = append(phones, r.t("contact.invalid_phone", "Phone", p))
	}
	add("field.phones", phones)
	add("field.chat", ct.Handles)
	if names, err := c.svc.CompanyNames(ctx, ct.ID); err == nil && names[ct.ID] != "" {
		add("field.company", []string{names[ct.ID]})
	} else if ct.Company != "" {
		add("field.company", []string{ct.Company})
	}
	if ct.TeamID != 0 {
		if t, err := c.svc.Directory.TeamByID(ctx, ct.TeamID); err == nil {
			add("field.team", []string{t.Name})
		}
	}
	rep := Reply{Cards: []Card{card}, Ephemeral: true}
	leads, err := c.svc.Leads(ctx, r.user, core.LeadFilter{ContactID: ct.ID, Limit: c.opts.Limit})
	if err != nil {
		return c.fail(r, err)
	}
	deals, err := c.svc.Deals(ctx, r.user, core.DealFilter{ContactID: ct.ID, Limit: c.opts.Limit})
	if err != nil {
		return c.fail(r, err)
	}
	if len(leads) > 0 {
		list := List{Title: r.t("field.leads")}
		for i := range leads {
			list.Items = append(list.Items, r.leadItem(ctx, &leads[i]))
		}
		rep.Lists = append(rep.Lists, list)
	}
	if len(deals) > 0 {
		list := List{Title: r.t("field.deals")}
		for i := range deals {
			list.Items = append(list.Items, r.dealItem(ctx, &deals[i]))
		}
		rep.Lists = append(rep.Lists, list)
	}
	return rep
}
