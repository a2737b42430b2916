package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"leadwire/core"
)

// remind reads "D45|L123 WHEN WHAT": the date phrase at the start (or the
// end) of the text, the rest is the task.
func (c *Conversation) remind(ctx context.Context, r *request) Reply {
	if isPerson(r.args.word(0)) {
		return c.remindFor(ctx, r)
	}
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "%s", r.t("remind.not_task", "Ref", ref.String(), "Command", c.cmd(c.word(r.p, c.byName["snooze"])+" "+ref.String()+" 2h")))
	}
	if err != nil {
		return c.fail(r, err)
	}
	return c.doRemind(ctx, r, ref, r.args.rest(1))
}

// readWhen reads a reminder's text: the time and what to do; the refusal
// is a reply.
func (c *Conversation) readWhen(r *request, ref core.Ref, text string) (time.Time, string, *Reply) {
	at, title, err := c.dates.read(text, r.now, r.loc, orderFor(r.user.Locale))
	if de := (*dateError)(nil); errors.As(err, &de) {
		return at, "", &Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("remind.refused", "Error", de.Error(),
			"Example1", c.cmd(c.word(r.p, c.byName["remind"])+" "+ref.String()+" "+r.t("remind.example_date")),
			"Example2", c.cmd(c.word(r.p, c.byName["remind"])+" "+ref.String()+" "+r.t("remind.example")))}
	}
	if err != nil {
		return at, "", &Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("remind.no_time", "Text", strconv.Quote(text),
			"Example", c.cmd(c.word(r.p, c.byName["remind"])+" "+ref.String()+" "+r.t("remind.example")))}
	}
	if !at.After(r.now) {
		rep := c.passed(at, r)
		return at, "", &rep
	}
	return at, title, nil
}

func (c *Conversation) doRemind(ctx context.Context, r *request, ref core.Ref, text string) Reply {
	at, title, fail := c.readWhen(r, ref, text)
	if fail != nil {
		return *fail
	}
	t, err := c.svc.FollowUp(ctx, r.user, ref, title, at)
	if err != nil {
		return c.fail(r, err)
	}
	text = r.t("remind.set", "Ref", fmt.Sprintf("T%d", t.ID), "When", r.zoned(t.DueAt), "Title", t.Title, "On", ref.String())
	if r.press && ref.Kind == 'D' {
		// From a deal card's button: the card shows its new next task.
		if d, err := c.svc.Deal(ctx, r.user, ref.ID); err == nil {
			return r.changed(text, r.dealCard(ctx, d))
		}
	}
	return Reply{Text: text, Tone: ToneGood}
}

// passed answers a time that is not in the future, showing how it was read.
func (c *Conversation) passed(at time.Time, r *request) Reply {
	return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("time.passed", "When", r.zoned(at))}
}

// tasks lists the asker's open tasks.
func (c *Conversation) tasks(ctx context.Context, r *request) Reply {
	return c.taskList(ctx, r, time.Time{}, List{Title: r.t("tasks.mine"), Empty: r.t("tasks.mine.empty", "Command", c.cmd(c.word(r.p, c.byName["remind"])+" D45 "+r.t("remind.example")))})
}

// today lists tasks due before the end of the asker's day, overdue ones
// included.
func (c *Conversation) today(ctx context.Context, r *request) Reply {
	y, m, d := r.now.In(r.loc).Date()
	end := time.Date(y, m, d+1, 0, 0, 0, 0, r.loc)
	return c.taskList(ctx, r, end, List{Title: r.t("tasks.today"), Empty: r.t("tasks.today.empty")})
}

func (c *Conversation) taskList(ctx context.Context, r *request, before time.Time, list List) Reply {
	tasks, err := c.svc.Tasks(ctx, r.user, core.TaskFilter{OwnerID: r.user.ID, OpenOnly: true, DueBefore: before, Limit: c.opts.Limit + 1})
	if err != nil {
		return c.fail(r, err)
	}
	if len(tasks) > c.opts.Limit {
		tasks, list.More = tasks[:c.opts.Limit], r.t("list.first", "N", c.opts.Limit)
	}
	for _, t := range tasks {
		list.Items = append(list.Items, r.taskItem(ctx, t))
	}
	return Reply{Lists: []List{list}, Ephemeral: true}
}

func (c *Conversation) done(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'T')
	if fail != nil {
		return *fail
	}
	return c.doDone(ctx, r, id)
}

func (c *Conversation) doDone(ctx context.Context, r *request, id int64) Reply {
	t, err := c.svc.CompleteTask(ctx, r.user, id)
	if err != nil {
		return c.fail(r, err)
	}
	return r.changed(r.t("task.done", "Ref", fmt.Sprintf("T%d", t.ID), "Title", t.Title))
}

func (c *Conversation) snooze(ctx context.Context, r *request) Reply {
	id, fail := c.refArg(r, 0, 'T')
	if fail != nil {
		return *fail
	}
	return c.doSnooze(ctx, r, id, r.args.rest(1))
}

func (c *Conversation) doSnooze(ctx context.Context, r *request, id int64, when string) Reply {
	at, err := c.dates.readWhole(when, r.now, r.loc, orderFor(r.user.Locale))
	if de := (*dateError)(nil); errors.As(err, &de) {
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("snooze.refused", "Error", de.Error(), "Usage", c.usageLine(r, c.byName["snooze"]))}
	}
	if err != nil {
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("snooze.unreadable", "When", strconv.Quote(when), "Usage", c.usageLine(r, c.byName["snooze"]))}
	}
	if !at.After(r.now) {
		return c.passed(at, r)
	}
	t, err := c.svc.SnoozeTask(ctx, r.user, id, at)
	if err != nil {
		return c.fail(r, err)
	}
	return r.changed(r.t("task.snoozed", "Ref", fmt.Sprintf("T%d", t.ID), "When", r.zoned(t.SnoozedUntil), "Title", t.Title))
}
