package main

import (
	"fmt"
	"strings"
	"time"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/internal/display"
	"leadwire/internal/view"
)

// TasksCmd groups the task subcommands.
type TasksCmd struct {
	List TasksListCmd `cmd:"" help:"List open tasks."`
	Add  TasksAddCmd  `cmd:"" help:"Add a follow-up task (needs --as)."`
	Done TasksDoneCmd `cmd:"" help:"Mark a task done."`
}

// TasksListCmd lists tasks.
type TasksListCmd struct {
	All  bool `help:"Include done tasks."`
	JSON bool `help:"Print JSON."`
}

// Run prints the tasks.
func (c *TasksListCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	tasks, err := svc.Tasks(a.ctx, actor, core.TaskFilter{OpenOnly: !c.All})
	if err != nil {
		return err
	}
	n, err := a.names()
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]view.Task, len(tasks))
		for i := range tasks {
			out[i] = view.TaskOf(&tasks[i], n)
		}
		return a.JSON(out)
	}
	w := display.NewTable(a.out)
	w.Empty = "No open tasks; add one with leadwire --as EMAIL tasks add TITLE --due \"tomorrow 9am\" [--on D45]."
	if c.All {
		w.Empty = "No tasks yet; add one with leadwire --as EMAIL tasks add TITLE --due \"tomorrow 9am\" [--on D45]."
	}
	fmt.Fprintln(w, "TASK\tDUE\tOWNER\tON\tTITLE")
	now := svc.Clock().Now()
	for i := range tasks {
		t := &tasks[i]
		v := view.TaskOf(t, n)
		// The due time that counts is the snooze, as in chat.
		due := a.when(actor, t.Due())
		switch {
		case t.Done:
			due = "done"
		case t.Due().Before(now):
			due += " (overdue)"
		case t.SnoozedUntil.After(t.DueAt):
			due += " (snoozed)"
		}
		on := v.Deal
		if on == "" {
			on = v.Lead
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", v.ID, due, v.Owner, orDash(on), v.Title)
	}
	return w.Flush()
}

// TasksAddCmd adds a task.
type TasksAddCmd struct {
	Title []string `arg:"" help:"What to do."`
	Due   string   `required:"" help:"When, in your time zone, as in chat: 'tomorrow 9am', 'in 2h', 'fri 14:00', '2026-12-01 14:00', or an RFC 3339 time."`
	On    string   `help:"A lead or deal, e.g. L123 or D45."`
}

// Run adds the task.
func (c *TasksAddCmd) Run(a *App) error {
	actor, err := a.Person("tasks add")
	if err != nil {
		return err
	}
	due, err := parseDue(c.Due, actor, a.svc.Clock().Now())
	if err != nil {
		return err
	}
	title := strings.Join(c.Title, " ")
	var t *core.Task
	if c.On != "" {
		ref, err := core.ParseRef(c.On)
		if err != nil {
			return err
		}
		t, err = a.svc.FollowUp(a.ctx, actor, ref, title, due)
		if err != nil {
			return err
		}
	} else if t, err = a.svc.AddTask(a.ctx, actor, title, due); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "T%d %q due %s\n", t.ID, t.Title, a.when(actor, t.DueAt))
	return nil
}

// parseDue reads an RFC 3339 time (from scripts) or a date phrase, as
// the chat reads it, in the person's zone and locale.
func parseDue(s string, actor *core.User, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	at, err := bot.ReadTime(s, now, actor.Location(), actor.Locale)
	if err != nil {
		return time.Time{}, fmt.Errorf("--due: %w", err)
	}
	return at, nil
}

// TasksDoneCmd completes a task.
type TasksDoneCmd struct {
	Task string `arg:"" help:"Task id, e.g. T7."`
}

// Run marks the task done.
func (c *TasksDoneCmd) Run(a *App) error {
	id, err := core.ParseRefOf(c.Task, 'T')
	if err != nil {
		return err
	}
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	t, err := svc.CompleteTask(a.ctx, actor, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "T%d done: %s\n", t.ID, t.Title)
	return nil
}
