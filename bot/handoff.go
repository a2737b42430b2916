package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"leadwire/core"
)

// assign reads "L123|D45 @rep|EMAIL|NAME|next": a lead given, or a deal
// handed over.
func (c *Conversation) assign(ctx context.Context, r *request) Reply {
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "%s", r.t("assign.not_task", "Ref", ref.String()))
	}
	if err != nil {
		return c.fail(r, err)
	}
	return c.doAssign(ctx, r, ref, r.args.rest(1))
}

func (c *Conversation) doAssign(ctx context.Context, r *request, ref core.Ref, who string) Reply {
	next := strings.EqualFold(who, "next") || strings.EqualFold(who, "auto")
	var to *core.User
	if !next {
		var err error
		if to, err = c.findUser(ctx, r, who); err != nil {
			return c.fail(r, err)
		}
	}
	if ref.Kind == 'D' {
		var d *core.Deal
		var err error
		if next {
			d, err = c.svc.AssignDealRoundRobin(ctx, r.user, ref.ID)
		} else {
			d, err = c.svc.AssignDeal(ctx, r.user, ref.ID, to.ID)
		}
		if err != nil {
			return c.fail(r, err)
		}
		card := r.dealCard(ctx, d)
		card.Note = r.t("note.assigned_by", "Who", r.userName(ctx, r.user.ID), "Ago", r.ago(r.now))
		return r.changed(r.t("deal.assigned", "Ref", d.Ref(), "Who", r.userName(ctx, d.OwnerID)), card)
	}
	var l *core.Lead
	var err error
	if next {
		l, err = c.svc.AssignRoundRobin(ctx, r.user, ref.ID)
	} else {
		l, err = c.svc.Assign(ctx, r.user, ref.ID, to.ID)
	}
	if err != nil {
		return c.fail(r, err)
	}
	card := r.leadCard(ctx, l)
	card.Note = r.t("note.assigned_by", "Who", r.userName(ctx, r.user.ID), "Ago", r.ago(r.now))
	return r.changed(r.t("lead.assigned", "Ref", l.Ref(), "Who", r.userName(ctx, l.OwnerID)), card)
}

// isPerson reports whether a word names a person rather than a record: a
// Slack mention, "@name" or an email.
func isPerson(word string) bool {
	if strings.HasPrefix(word, "<@") || strings.HasPrefix(word, "@") {
		return true
	}
	_, err := core.ParseRef(word)
	return err != nil && strings.Contains(word, "@")
}

// remindFor reads "@rep D45|L123 WHEN WHAT": a manager gives a rep a task.
func (c *Conversation) remindFor(ctx context.Context, r *request) Reply {
	if r.args.len() < 3 {
		return c.usage(r, c.byName["remind"])
	}
	to, err := c.findUser(ctx, r, r.args.word(0))
	if err != nil {
		return c.fail(r, err)
	}
	ref, err := core.ParseRef(r.args.word(1))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "%s", r.t("remind.not_task", "Ref", ref.String(), "Command", c.cmd(c.word(r.p, c.byName["snooze"])+" "+ref.String()+" 2h")))
	}
	if err != nil {
		return c.fail(r, err)
	}
	text := r.args.rest(2)
	at, title, fail := c.readWhen(r, ref, text)
	if fail != nil {
		return *fail
	}
	t, err := c.svc.FollowUpFor(ctx, r.user, to.ID, ref, title, at)
	if err != nil {
		return c.fail(r, err)
	}
	if t.OwnerID == r.user.ID {
		return Reply{Text: r.t("remind.set", "Ref", fmt.Sprintf("T%d", t.ID), "When", r.zoned(t.DueAt), "Title", t.Title, "On", ref.String()), Tone: ToneGood}
	}
	return Reply{Tone: ToneGood, Text: r.t("remind.given", "Ref", fmt.Sprintf("T%d", t.ID), "Who", r.userName(ctx, t.OwnerID),
		"When", r.zoned(t.DueAt), "Title", t.Title, "On", ref.String())}
}

// history shows the timeline of a lead or deal, newest first, a page at a
// time with a More button.
func (c *Conversation) history(ctx context.Context, r *request) Reply {
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "%s", r.t("history.not_task", "Ref", ref.String()))
	}
	if err != nil {
		return c.fail(r, err)
	}
	return c.historyPage(ctx, r, ref, 0)
}

func (c *Conversation) historyPage(ctx context.Context, r *request, ref core.Ref, before int64) Reply {
	acts, more, err := c.svc.TimelinePage(ctx, r.user, ref, before, c.opts.Limit)
	if err != nil {
		return c.fail(r, err)
	}
	list := List{Title: r.t("history.title", "Ref", ref.String()), Empty: r.t("history.empty", "Ref", ref.String())}
	if before != 0 {
		list.Title = r.t("history.title_more", "Ref", ref.String())
	}
	for _, a := range acts {
		list.Items = append(list.Items, r.activityItem(ctx, a))
	}
	// More replaces the page it was pressed on.
	rep := Reply{Lists: []List{list}, Ephemeral: true, Update: r.press}
	if more {
		rep.Buttons = []Button{{r.t("button.more"), act("hist", ref.String(), strconv.FormatInt(acts[len(acts)-1].ID, 10)), StyleDefault}}
	}
	return rep
}

// activityItem is a timeline entry: when, who and through what, then its
// words.
func (r *request) activityItem(ctx context.Context, a core.Activity) Item {
	who := r.t("history.leadwire")
	switch {
	case a.UserID != 0:
		who = r.userName(ctx, a.UserID)
	case a.Kind == core.ActivityEmailIn || a.Kind == core.ActivityChatIn || a.Kind == core.ActivityFormSubmitted:
		who = r.t("history.prospect")
	}
	it := Item{Text: r.t("history.item", "When", r.at(a.At), "Who", who, "Channel", r.t("activity."+string(a.Kind)))}
	it.Detail = clip(r.activityText(ctx, a), 200)
	return it
}

// why explains a lead's or deal's score, point by point, and how it was
// routed.
func (c *Conversation) why(ctx context.Context, r *request) Reply {
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "%s", r.t("history.not_task", "Ref", ref.String()))
	}
	if err != nil {
		return c.fail(r, err)
	}
	w, err := c.svc.Why(ctx, r.user, ref)
	if err != nil {
		return c.fail(r, err)
	}
	score := List{Title: r.t("why.title", "Ref", ref.String(), "Score", w.Score), Empty: r.t("why.no_score")}
	if w.Lead != nil && ref.Kind == 'D' {
		score.Title = r.t("why.title_deal", "Ref", ref.String(), "Lead", w.Lead.Ref(), "Score", w.Score)
	}
	for _, h := range w.Hits {
		it := Item{Text: fmt.Sprintf("%+d · %s", h.Points, r.scoreRule(h.Rule)), Detail: r.at(h.At)}
		if h.Detail != "" {
			it.Detail = h.Detail + " · " + it.Detail
		}
		if h.Points < 0 {
			it.Tone = ToneWarn
		}
		score.Items = append(score.Items, it)
	}
	if w.Decay > 0 {
		score.Items = append(score.Items, Item{Text: fmt.Sprintf("%+d · %s", -w.Decay, r.t("why.decay")), Tone: ToneWarn})
	}
	routing := List{Title: r.t("why.routing"), Empty: r.t("why.routing.none")}
	teams := map[int64]string{}
	for _, rt := range w.Routes {
		routing.Items = append(routing.Items, r.routeItem(ctx, rt, teams))
	}
	return Reply{Lists: []List{score, routing}, Ephemeral: true}
}

// routeItem says how one routing step went.
func (r *request) routeItem(ctx context.Context, rt core.Route, teams map[int64]string) Item {
	team, ok := teams[rt.TeamID]
	if !ok && rt.TeamID != 0 {
		if t, err := r.c.svc.Directory.TeamByID(ctx, rt.TeamID); err == nil {
			team = t.Name
		}
		teams[rt.TeamID] = team
	}
	to, by := r.userName(ctx, rt.ToID), r.userName(ctx, rt.ByID)
	if rt.ByID == 0 {
		by = r.t("history.leadwire")
	}
	var text string
	switch rt.How {
	case core.RouteTeam:
		text = r.t("route.team", "Team", team)
	case core.RouteFirstTeam:
		text = r.t("route.first_team", "Team", team)
	case core.RouteClaimed:
		text = r.t("route.claimed", "To", to)
	case core.RouteAssigned:
		text = r.t("route.assigned", "To", to, "By", by)
	case core.RouteRoundRobin:
		text = r.t("route.round_robin", "To", to, "By", by)
		if rt.Rule != "" {
			text = r.t("route.round_robin_rule", "To", to, "Rule", rt.Rule)
		}
	case core.RouteImported:
		text = r.t("route.imported", "To", to, "By", by)
	default:
		text = string(rt.How)
	}
	detail := []string{r.at(rt.At)}
	if rt.Region != "" {
		detail = append(detail, r.t("route.region", "Region", rt.Region))
	}
	if rt.FromID != 0 && rt.FromID != rt.ToID {
		detail = append(detail, r.t("route.from", "Who", r.userName(ctx, rt.FromID)))
	}
	if rt.DealID != 0 {
		text = core.DealRef(rt.DealID) + ": " + text
	}
	return Item{Text: text, Detail: strings.Join(detail, " · ")}
}

// assignedNotice is what the new owner of a lead or deal gets: why it is
// theirs, its card, its open tasks and the latest of its timeline; or, to
// the old owner, that it was handed over.
func (c *Conversation) assignedNotice(ctx context.Context, n core.Notice) (Reply, error) {
	sub, err := c.svc.Notices.NoticeSubject(ctx, n)
	if err != nil {
		return Reply{}, err
	}
	r := c.request(sub.Reader, args{}, false)
	ref, card, owner := core.LeadRef(n.LeadID), Card{}, int64(0)
	if sub.Deal != nil {
		ref, card, owner = sub.Deal.Ref(), r.dealCard(ctx, sub.Deal), sub.Deal.OwnerID
	} else if sub.Lead != nil {
		card, owner = r.leadCard(ctx, sub.Lead), sub.Lead.OwnerID
	}
	by := r.t("history.leadwire")
	if n.By != 0 {
		by = r.userName(ctx, n.By)
	}
	if n.Kind == core.NoticeHandedOver {
		card.Buttons = nil // not theirs to act on any more
		return r.in(Reply{Text: r.t("notice.handed_over", "Ref", ref, "To", r.userName(ctx, owner), "By", by), Cards: []Card{card}}), nil
	}
	text := r.t("notice.assigned", "Ref", ref, "By", by)
	switch {
	case n.Text != "":
		text = r.t("notice.assigned_rule", "Ref", ref, "Rule", n.Text)
	case n.How == core.RouteRoundRobin:
		text = r.t("notice.assigned_rr", "Ref", ref)
	case n.How == core.RouteImported:
		text = r.t("notice.assigned_import", "Ref", ref, "By", by)
	}
	rep := Reply{Text: text, Tone: ToneGood, Cards: []Card{card}}
	pref, _ := core.ParseRef(ref)
	tasks, err := c.svc.RecordTasks(ctx, sub.Reader, pref, c.opts.Limit)
	if core.KindOf(err) == core.KindForbidden {
		// Given on again before this was delivered: the text and card say
		// what it was, the rest is no longer theirs to read.
		return r.in(rep), nil
	}
	if err != nil {
		return Reply{}, err
	}
	open := List{Title: r.t("notice.open_tasks"), Empty: r.t("notice.open_tasks.empty")}
	for _, t := range tasks {
		it := r.taskItem(ctx, t)
		if t.OwnerID != sub.Reader.ID {
			it.Buttons = nil // another's task: theirs to do
		}
		open.Items = append(open.Items, it)
	}
	acts, _, err := c.svc.TimelinePage(ctx, sub.Reader, pref, 0, 3)
	if err != nil {
		return Reply{}, err
	}
	latest := List{Title: r.t("notice.latest"), Empty: r.t("history.empty", "Ref", ref)}
	for _, a := range acts {
		latest.Items = append(latest.Items, r.activityItem(ctx, a))
	}
	rep.Lists = []List{open, latest}
	return r.in(rep), nil
}

// taskGivenNotice tells a rep a manager gave them a task: the task with
// Done and Snooze, and its deal's card.
func (c *Conversation) taskGivenNotice(ctx context.Context, n core.Notice) (Reply, error) {
	sub, err := c.svc.Notices.NoticeSubject(ctx, n)
	if err != nil {
		return Reply{}, err
	}
	r := c.request(sub.Reader, args{}, false)
	t := sub.Task
	by := r.t("history.leadwire")
	if n.By != 0 {
		by = r.userName(ctx, n.By)
	}
	rep := Reply{Text: r.t("notice.task_given", "By", by, "Ref", fmt.Sprintf("T%d", t.ID), "When", r.zoned(t.Due()), "Title", t.Title),
		Lists: []List{{Items: []Item{r.taskItem(ctx, *t)}}}}
	if sub.Deal != nil {
		card := r.dealCard(ctx, sub.Deal)
		card.Buttons = nil // the task's buttons are the ones to press
		rep.Cards = []Card{card}
	}
	return r.in(rep), nil
}

// scoreRule names what gave points: a configured rule by its name, an
// engagement event ("event: replied") and a rule's add_score ("rule:NAME")
// in the reader's words.
func (r *request) scoreRule(rule string) string {
	if name, ok := strings.CutPrefix(rule, "rule:"); ok {
		return r.t("why.rule", "Rule", name)
	}
	if event, ok := strings.CutPrefix(rule, "event: "); ok {
		if s := r.t("event." + event); s != "event."+event {
			return s
		}
	}
	return rule
}
