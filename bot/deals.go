package bot

import (
	"context"
	"fmt"
	"strings"

	"leadwire/core"
)

var openDeal = []core.DealStatus{core.DealOpen}

// deals lists open deals: mine (default), the team's, or in a stage.
func (c *Conversation) deals(ctx context.Context, r *request) Reply {
	word := strings.ToLower(r.args.rest(0))
	f := core.DealFilter{Statuses: openDeal, Limit: c.opts.Limit + 1}
	list := List{Title: r.t("deals.mine"), Empty: r.t("deals.mine.empty", "Command", c.cmd(c.word(r.p, c.byName["qualify"])+" L123"))}
	var note string
	switch {
	case word == "" || word == "mine" || word == "me" || word == "my":
		f.OwnerID = r.user.ID
	case word == "team" || word == "all":
		if r.user.Role == core.RoleRep && !r.readsTeam(ctx) {
			note = r.t("deals.team_for_manager")
			f.OwnerID = r.user.ID
		} else {
			list = List{Title: r.t("deals.team"), Empty: r.t("deals.team.empty", "Command", c.cmd(c.word(r.p, c.byName["leads"])+" unclaimed"))}
		}
	default:
		p, err := c.svc.Directory.DefaultPipeline(ctx)
		if err != nil {
			return c.fail(r, err)
		}
		st, err := core.MatchStage(p, word)
		if err != nil {
			return c.fail(r, err)
		}
		f.StageID = st.ID
		if st.Kind != core.StageOpen {
			f.Statuses = nil
		}
		list = List{Title: r.t("deals.in", "Stage", st.Name), Empty: r.t("deals.in.empty", "Stage", st.Name)}
	}
	deals, err := c.svc.Deals(ctx, r.user, f)
	if err != nil {
		return c.fail(r, err)
	}
	if len(deals) > c.opts.Limit {
		deals, list.More = deals[:c.opts.Limit], r.t("deals.more", "N", c.opts.Limit, "Command", c.cmd(c.word(r.p, c.byName["pipeline"])))
	}
	for i := range deals {
		list.Items = append(list.Items, r.dealItem(ctx, &deals[i]))
	}
	rep := Reply{Text: note, Lists: []List{list}, Ephemeral: true}
	if note != "" {
		rep.Tone = ToneWarn
	}
	return rep
}

func (c *Conversation) deal(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'D')
	if fail != nil {
		return *fail
	}
	return c.show(ctx, r, core.Ref{Kind: 'D', ID: id})
}

func (c *Conversation) move(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'D')
	if fail != nil {
		return *fail
	}
	stage := r.args.rest(1)
	if stage == "" {
		return c.askStage(ctx, r, id)
	}
	d, err := c.svc.Move(ctx, r.user, id, stage)
	if err != nil {
		return c.fail(r, err)
	}
	return c.moved(ctx, r, d)
}

// askStage answers a move without a stage with the usage and a button for
// every other open stage.
func (c *Conversation) askStage(ctx context.Context, r *request, id int64) Reply {
	rep := c.usage(r, c.byName["move"])
	d, err := c.svc.Deal(ctx, r.user, id)
	if err != nil {
		return c.fail(r, err)
	}
	if p := r.pipeline(ctx, d.PipelineID); p != nil && d.Status == core.DealOpen {
		for _, st := range p.OpenStages() {
			if st.ID != d.StageID {
				rep.Buttons = append(rep.Buttons, Button{st.Name, act("stage", d.Ref(), fmt.Sprint(st.ID)), StyleDefault})
			}
		}
	}
	return rep
}

// doMoveTo moves a deal to a stage by id (a button).
func (c *Conversation) doMoveTo(ctx context.Context, r *request, dealID, stageID int64) Reply {
	d, err := c.svc.Deal(ctx, r.user, dealID)
	if err != nil {
		return c.fail(r, err)
	}
	var st *core.Stage
	if p := r.pipeline(ctx, d.PipelineID); p != nil {
		st = p.Stage(stageID)
	}
	if st == nil {
		return staleButton(r)
	}
	if d, err = c.svc.Move(ctx, r.user, dealID, st.Name); err != nil {
		return c.fail(r, err)
	}
	return c.moved(ctx, r, d)
}

func (c *Conversation) moved(ctx context.Context, r *request, d *core.Deal) Reply {
	card := r.dealCard(ctx, d)
	card.Note = r.t("note.moved_by", "Who", r.userName(ctx, r.user.ID), "Ago", r.ago(r.now))
	if d.Status == core.DealWon {
		return r.changed(r.t("deal.won", "Ref", d.Ref(), "Value", r.money(d.Value)), card)
	}
	return r.changed(r.t("deal.moved", "Ref", d.Ref(), "Stage", r.stageName(ctx, d)), card)
}

func (c *Conversation) won(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'D')
	if fail != nil {
		return *fail
	}
	return c.doWin(ctx, r, id)
}

func (c *Conversation) doWin(ctx context.Context, r *request, id int64) Reply {
	d, err := c.svc.Win(ctx, r.user, id)
	if err != nil {
		return c.fail(r, err)
	}
	return c.moved(ctx, r, d)
}

func (c *Conversation) lost(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'D')
	if fail != nil {
		return *fail
	}
	if r.args.len() < 2 {
		return c.askLost(ctx, r, id)
	}
	return c.doLose(ctx, r, id, r.args.rest(1))
}

// askLost offers the configured lost reasons; from a button, on the card.
func (c *Conversation) askLost(ctx context.Context, r *request, id int64) Reply {
	ref := core.DealRef(id)
	menu := reasonMenu(r.t("lost.why", "Ref", ref), "lost", ref, c.svc.Settings().LostReasons,
		c.cmd(c.word(r.p, c.byName["lost"])+" "+ref+" "+r.t("arg.reason")))
	if r.press {
		d, err := c.svc.Deal(ctx, r.user, id)
		if err != nil {
			return c.fail(r, err)
		}
		card := r.dealCard(ctx, d)
		card.Menu = menu
		return Reply{Cards: []Card{card}, Update: true}
	}
	return Reply{Tone: ToneWarn, Ephemeral: true, Menu: menu,
		Text: r.t("lost.ask", "Ref", ref, "Usage", c.usageLine(r, c.byName["lost"]))}
}

func (c *Conversation) doLose(ctx context.Context, r *request, id int64, reason string) Reply {
	d, err := c.svc.Lose(ctx, r.user, id, reason)
	if err != nil {
		return c.fail(r, err)
	}
	card := r.dealCard(ctx, d)
	card.Note = r.t("note.closed_by", "Who", r.userName(ctx, r.user.ID), "Ago", r.ago(r.now))
	return r.changed(r.t("deal.lost", "Ref", d.Ref(), "Reason", d.LostReason), card)
}

func (c *Conversation) reopen(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'D')
	if fail != nil {
		return *fail
	}
	return c.doReopen(ctx, r, id)
}

func (c *Conversation) doReopen(ctx context.Context, r *request, id int64) Reply {
	d, err := c.svc.Reopen(ctx, r.user, id)
	if err != nil {
		return c.fail(r, err)
	}
	card := r.dealCard(ctx, d)
	card.Note = r.t("note.reopened_by", "Who", r.userName(ctx, r.user.ID), "Ago", r.ago(r.now))
	return r.changed(r.t("deal.reopened", "Ref", d.Ref(), "Stage", r.stageName(ctx, d)), card)
}

func (c *Conversation) note(ctx context.Context, r *request) Reply {
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "%s", r.t("note.not_task", "Ref", ref.String()))
	}
	if err != nil {
		return c.fail(r, err)
	}
	if _, err := c.svc.Note(ctx, r.user, ref, r.args.rest(1)); err != nil {
		return c.fail(r, err)
	}
	return r.changed(r.t("note.done", "Ref", ref.String()))
}

// value reads "D45 AMOUNT [CURRENCY]"; without a currency the deal keeps
// its own.
func (c *Conversation) value(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'D')
	if fail != nil {
		return *fail
	}
	if r.args.len() > 3 {
		return c.usage(r, c.byName["value"])
	}
	cur := r.args.word(2)
	if cur == "" {
		d, err := c.svc.Deal(ctx, r.user, id)
		if err != nil {
			return c.fail(r, err)
		}
		cur = d.Value.Currency
	}
	v, err := core.ParseMoneyIn(r.args.word(1), cur, r.user.Locale)
	if err != nil {
		return c.fail(r, err)
	}
	d, err := c.svc.SetValue(ctx, r.user, id, v)
	if err != nil {
		return c.fail(r, err)
	}
	return r.changed(r.t("deal.value_set", "Ref", d.Ref(), "Value", r.money(d.Value)), r.dealCard(ctx, d))
}

// setClose sets the expected close date from a date phrase, read as a
// calendar date in the asker's zone.
func (c *Conversation) setClose(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'D')
	if fail != nil {
		return *fail
	}
	date, err := c.dates.readDate(r.args.rest(1), r.now, r.loc, r.user.Locale)
	if err != nil {
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("error.with_usage", "Error", core.Message(err), "Usage", c.usageLine(r, c.byName["close"]))}
	}
	d, err := c.svc.SetCloseDate(ctx, r.user, id, date)
	if err != nil {
		return c.fail(r, err)
	}
	return r.changed(r.t("deal.close_set", "Ref", d.Ref(), "Date", r.closeDate(d.ExpectedClose)), r.dealCard(ctx, d))
}

// readsTeam reports whether the asker's team lets its reps read every
// lead and deal of the team.
func (r *request) readsTeam(ctx context.Context) bool {
	if r.user.TeamID == 0 {
		return false
	}
	t, err := r.c.svc.Directory.TeamByID(ctx, r.user.TeamID)
	return err == nil && t.Visibility == core.VisibilityTeam
}
