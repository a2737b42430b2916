package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"leadwire/core"
)

// remind reads "D45|L123 WHEN WHAT": the date phrase at the start (or the
// end) of the text, the rest is the task.
func (c *Conversation) remind(ctx context.Context, r *request) Reply {
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "reminders go on a lead or a deal, not on %s; to put a task off: %s", ref, c.cmd("snooze "+ref.String()+" 2h"))
	}
	if err != nil {
		return c.fail(err)
	}
	return c.doRemind(ctx, r, ref, r.args.rest(1))
}

func (c *Conversation) doRemind(ctx context.Context, r *request, ref core.Ref, text string) Reply {
	at, title, err := c.dates.read(text, r.now, r.loc, orderFor(r.user.Locale))
	if de := (*dateError)(nil); errors.As(err, &de) {
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: fmt.Sprintf("%s; write the date and time first, e.g. %s or %s", de,
			c.cmd("remind "+ref.String()+" 12 dec 16:30 call back"), c.cmd("remind "+ref.String()+" tomorrow 9am call back"))}
	}
	if err != nil {
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: fmt.Sprintf("When? I found no time in %q; put it first, e.g. %s", text, c.cmd("remind "+ref.String()+" tomorrow 9am call back"))}
	}
	if !at.After(r.now) {
		return c.passed(at, r)
	}
	t, err := c.svc.FollowUp(ctx, r.user, ref, title, at)
	if err != nil {
		return c.fail(err)
	}
	text = fmt.Sprintf("T%d due %s: %s (on %s).", t.ID, formatZoned(t.DueAt, r.loc, r.now), t.Title, ref)
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
	return Reply{Tone: ToneWarn, Ephemeral: true, Text: fmt.Sprintf("%s has passed; give a later time, e.g. tomorrow 9am or in 2h", formatZoned(at, r.loc, r.now))}
}

// tasks lists the asker's open tasks.
func (c *Conversation) tasks(ctx context.Context, r *request) Reply {
	return c.taskList(ctx, r, time.Time{}, List{Title: "Your open tasks", Empty: "No open tasks. " + c.cmd("remind D45 tomorrow 9am call back") + " sets one."})
}

// today lists tasks due before the end of the asker's day, overdue ones
// included.
func (c *Conversation) today(ctx context.Context, r *request) Reply {
	y, m, d := r.now.In(r.loc).Date()
	end := time.Date(y, m, d+1, 0, 0, 0, 0, r.loc)
	return c.taskList(ctx, r, end, List{Title: "Due today", Empty: "Nothing due today."})
}

func (c *Conversation) taskList(ctx context.Context, r *request, before time.Time, list List) Reply {
	tasks, err := c.svc.Tasks(ctx, r.user, core.TaskFilter{OwnerID: r.user.ID, OpenOnly: true, DueBefore: before, Limit: c.opts.Limit + 1})
	if err != nil {
		return c.fail(err)
	}
	if len(tasks) > c.opts.Limit {
		tasks, list.More = tasks[:c.opts.Limit], fmt.Sprintf("showing the first %d", c.opts.Limit)
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
		return c.fail(err)
	}
	return r.changed(fmt.Sprintf("T%d done: %s.", t.ID, t.Title))
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
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: fmt.Sprintf("%s; try 2h, tomorrow 9am, 12 dec 16:30 or mon 10:00; usage: %s", de, c.usageLine(c.byName["snooze"]))}
	}
	if err != nil {
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: fmt.Sprintf("%q is not a time I can read; try 2h, tomorrow 9am or mon 10:00; usage: %s", when, c.usageLine(c.byName["snooze"]))}
	}
	if !at.After(r.now) {
		return c.passed(at, r)
	}
	t, err := c.svc.SnoozeTask(ctx, r.user, id, at)
	if err != nil {
		return c.fail(err)
	}
	return r.changed(fmt.Sprintf("T%d snoozed until %s: %s.", t.ID, formatZoned(t.SnoozedUntil, r.loc, r.now), t.Title))
}
