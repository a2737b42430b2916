package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"leadwire/core"
)

var openLead = []core.LeadStatus{core.LeadNew, core.LeadClaimed}

// leads lists leads: mine (default), new, top or unclaimed.
func (c *Conversation) leads(ctx context.Context, r *request) Reply {
	mode, ok := pick(r.args.word(0), "mine", "new", "top", "unclaimed")
	if !ok {
		return c.usage(r, c.byName["leads"])
	}
	if (mode == "new" || mode == "unclaimed") && r.user.Role != core.RoleAdmin && r.user.TeamID == 0 {
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("leads.no_team", "Command", c.cmd(c.word(r.p, c.byName["leads"])))}
	}
	limit := c.opts.Limit + 1
	var list List
	var leads []core.Lead
	var err error
	switch mode {
	case "mine":
		list = List{Title: r.t("leads.mine"), Empty: r.t("leads.mine.empty", "Command", c.cmd(c.word(r.p, c.byName["leads"])+" unclaimed"))}
		leads, err = c.svc.Leads(ctx, r.user, core.LeadFilter{OwnerID: r.user.ID, Statuses: openLead, Limit: limit})
	case "new", "unclaimed":
		list = List{Title: r.t("leads.unclaimed"), Empty: r.t("leads.unclaimed.empty")}
		leads, err = c.svc.Leads(ctx, r.user, core.LeadFilter{Unowned: true, Statuses: []core.LeadStatus{core.LeadNew}, Limit: limit})
	case "top":
		list = List{Title: r.t("leads.top"), Empty: r.t("leads.top.empty")}
		f := core.LeadFilter{Statuses: openLead, OrderBy: "score", Limit: limit}
		if leads, err = c.svc.Leads(ctx, r.user, f); err == nil && r.user.Role == core.RoleRep {
			// A rep's reach is own leads plus the team's unclaimed ones.
			f.Unowned = true
			var more []core.Lead
			more, err = c.svc.Leads(ctx, r.user, f)
			// In a team whose reps read the team's, the first list has
			// the unclaimed ones already.
			for _, l := range more {
				if !slices.ContainsFunc(leads, func(m core.Lead) bool { return m.ID == l.ID }) {
					leads = append(leads, l)
				}
			}
			slices.SortStableFunc(leads, func(a, b core.Lead) int { return b.Score - a.Score })
		}
	}
	if err != nil {
		return c.fail(r, err)
	}
	if len(leads) > c.opts.Limit {
		leads, list.More = leads[:c.opts.Limit], r.t("list.first", "N", c.opts.Limit)
	}
	for i := range leads {
		it := r.leadItem(ctx, &leads[i])
		if leads[i].OwnerID == 0 && leads[i].Open() {
			it.Buttons = []Button{{r.t("button.claim"), act("claim", leads[i].Ref()), StylePrimary}}
		}
		list.Items = append(list.Items, it)
	}
	return Reply{Lists: []List{list}, Ephemeral: true}
}

// pick matches word to one of the choices by prefix; "" is the first.
func pick(word string, choices ...string) (string, bool) {
	w := strings.ToLower(word)
	if w == "" {
		return choices[0], true
	}
	for _, ch := range choices {
		if strings.HasPrefix(ch, w) {
			return ch, true
		}
	}
	return "", false
}

func (c *Conversation) lead(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'L')
	if fail != nil {
		return *fail
	}
	return c.show(ctx, r, core.Ref{Kind: 'L', ID: id})
}

func (c *Conversation) claim(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'L')
	if fail != nil {
		return *fail
	}
	return c.doClaim(ctx, r, id)
}

func (c *Conversation) doClaim(ctx context.Context, r *request, id int64) Reply {
	l, err := c.svc.Claim(ctx, r.user, id)
	if err != nil {
		return c.fail(r, err)
	}
	card := r.leadCard(ctx, l)
	card.Note = r.t("note.claimed_by", "Who", r.userName(ctx, r.user.ID), "Ago", r.ago(r.now))
	return r.changed(r.t("lead.claimed", "Ref", l.Ref()), card)
}

// findUser resolves "@rep": a Slack mention (<@U123> or <@U123|name>), an
// email, or the start of a name or email among the asker's team (everyone
// for an admin).
func (c *Conversation) findUser(ctx context.Context, r *request, who string) (*core.User, error) {
	dir, actor := c.svc.Directory, r.user
	who = strings.TrimSpace(who)
	if id, ok := strings.CutPrefix(who, "<@"); ok {
		id, _, _ = strings.Cut(strings.TrimSuffix(id, ">"), "|")
		return dir.UserBySlackID(ctx, id)
	}
	if strings.Contains(who, "@") && !strings.HasPrefix(who, "@") {
		if email, err := core.NormalizeEmail(who); err == nil {
			return dir.UserByEmail(ctx, email)
		}
	}
	name := strings.ToLower(strings.TrimPrefix(who, "@"))
	if name == "" {
		return nil, core.Errorf(core.KindInvalid, "%s", r.t("assign.whom", "Usage", c.usageLine(r, c.byName["assign"])))
	}
	// An admin picks among everyone, anyone else among their team; someone
	// in no team has nobody but themselves (no team is not every team).
	users := []core.User{*actor}
	if actor.Role == core.RoleAdmin || actor.TeamID != 0 {
		f := core.UserFilter{TeamID: actor.TeamID}
		if actor.Role == core.RoleAdmin {
			f.TeamID = 0
		}
		var err error
		if users, err = dir.Users(ctx, f); err != nil {
			return nil, err
		}
	}
	var matches []*core.User
	for i := range users {
		u := &users[i]
		local, _, _ := strings.Cut(u.Email, "@")
		full := strings.ToLower(u.Name)
		if !u.Active {
			continue
		}
		if full == name || local == name {
			return u, nil
		}
		if strings.HasPrefix(full, name) || strings.HasPrefix(local, name) || hasWordPrefix(full, name) {
			matches = append(matches, u)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return nil, core.Errorf(core.KindNotFound, "%s", r.t("assign.nobody", "Who", strconv.Quote(who)))
	}
	var names []string
	for _, u := range matches {
		names = append(names, u.Name+" <"+u.Email+">")
	}
	return nil, core.Errorf(core.KindInvalid, "%s", r.t("assign.ambiguous", "Who", strconv.Quote(who), "Names", strings.Join(names, ", ")))
}

// hasWordPrefix reports whether a later word of s starts with prefix.
func hasWordPrefix(s, prefix string) bool {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '-' }) {
		if strings.HasPrefix(w, prefix) {
			return true
		}
	}
	return false
}

// qualify reads "L123 [PIPELINE] [VALUE [CURRENCY]]": the first word that
// starts with a digit is the value.
func (c *Conversation) qualify(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'L')
	if fail != nil {
		return *fail
	}
	words := r.args.words[1:]
	// The value is the first word that starts with a digit, in any
	// script (Persian and Thai digits too).
	at := slices.IndexFunc(words, func(w string) bool { r, _ := utf8.DecodeRuneInString(w); return unicode.IsDigit(r) })
	in := core.QualifyInput{Pipeline: strings.Join(words, " ")}
	if at >= 0 {
		if len(words) > at+2 {
			return c.usage(r, c.byName["qualify"])
		}
		in.Pipeline = strings.Join(words[:at], " ")
		cur := c.svc.Settings().Currency
		if len(words) == at+2 {
			cur = words[at+1]
		}
		v, err := core.ParseMoneyIn(words[at], cur, r.user.Locale)
		if err != nil {
			return c.fail(r, err)
		}
		in.Value = v
	}
	return c.doQualify(ctx, r, id, in)
}

func (c *Conversation) doQualify(ctx context.Context, r *request, id int64, in core.QualifyInput) Reply {
	d, err := c.svc.Qualify(ctx, r.user, id, in)
	if err != nil {
		return c.fail(r, err)
	}
	return r.changed(r.t("lead.qualified", "Ref", core.LeadRef(id), "Deal", d.Ref(), "Stage", r.stageName(ctx, d)), r.dealCard(ctx, d))
}

func (c *Conversation) disqualify(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'L')
	if fail != nil {
		return *fail
	}
	if r.args.len() < 2 {
		return c.askDisqualify(ctx, r, id)
	}
	return c.doDisqualify(ctx, r, id, r.args.rest(1))
}

// askDisqualify offers the configured reasons; from a button, on the card.
func (c *Conversation) askDisqualify(ctx context.Context, r *request, id int64) Reply {
	ref := core.LeadRef(id)
	menu := reasonMenu(r.t("disqualify.why", "Ref", ref), "disq", ref, c.svc.Settings().DisqualifyReasons,
		c.cmd(c.word(r.p, c.byName["disqualify"])+" "+ref+" "+r.t("arg.reason")))
	if r.press {
		l, err := c.svc.Lead(ctx, r.user, id)
		if err != nil {
			return c.fail(r, err)
		}
		card := r.leadCard(ctx, l)
		card.Menu = menu
		return Reply{Cards: []Card{card}, Update: true}
	}
	return Reply{Tone: ToneWarn, Ephemeral: true, Menu: menu,
		Text: r.t("disqualify.ask", "Ref", ref, "Usage", c.usageLine(r, c.byName["disqualify"]))}
}

func reasonMenu(title, verb, ref string, reasons []core.Reason, custom string) *Menu {
	m := &Menu{Title: title, Custom: custom}
	for i, rs := range reasons {
		m.Options = append(m.Options, Option{Label: rs.Label, Action: reasonAction(verb, ref, i, rs)})
	}
	return m
}

func (c *Conversation) doDisqualify(ctx context.Context, r *request, id int64, reason string) Reply {
	l, err := c.svc.Disqualify(ctx, r.user, id, reason)
	if err != nil {
		return c.fail(r, err)
	}
	card := r.leadCard(ctx, l)
	card.Note = r.t("note.disqualified_by", "Who", r.userName(ctx, r.user.ID), "Ago", r.ago(r.now))
	return r.changed(r.t("lead.disqualified", "Ref", l.Ref(), "Reason", l.DisqualifyReason), card)
}
