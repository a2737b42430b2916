package bot

import (
	"context"
	"fmt"

	"leadwire/core"
)

// LeadNotice is the new-lead message for the lead's team channel: its
// card with Claim, as any rep of the team sees it, times in the
// organisation's zone. Pressing Claim updates it to show the owner.
func (c *Conversation) LeadNotice(ctx context.Context, leadID int64) (Reply, error) {
	reply, _, err := c.TeamLeadNotice(ctx, leadID)
	return reply, err
}

// TeamLeadNotice is LeadNotice with the team to tell: nil when the lead
// has none, and then there is nobody to notify.
func (c *Conversation) TeamLeadNotice(ctx context.Context, leadID int64) (Reply, *core.Team, error) {
	store := c.svc.Store()
	l, err := store.LeadByID(ctx, leadID)
	if err != nil {
		return Reply{}, nil, fmt.Errorf("lead notice: %w", err)
	}
	var team *core.Team
	if l.TeamID != 0 {
		if team, err = store.TeamByID(ctx, l.TeamID); err != nil {
			return Reply{}, nil, fmt.Errorf("lead notice: %w", err)
		}
	}
	member := &core.User{Role: core.RoleRep, TeamID: l.TeamID, TimeZone: c.svc.Settings().TimeZone, Active: true}
	r := c.request(member, args{}, false)
	return Reply{Text: "New lead " + l.Ref(), Cards: []Card{r.leadCard(ctx, l)}}, team, nil
}

// TaskReminder is the reminder its owner gets when a task falls due: the
// task with Done and Snooze buttons, and its deal's card when it has one.
func (c *Conversation) TaskReminder(ctx context.Context, taskID int64) (Reply, error) {
	store := c.svc.Store()
	t, err := store.TaskByID(ctx, taskID)
	if err != nil {
		return Reply{}, fmt.Errorf("task reminder: %w", err)
	}
	owner, err := store.UserByID(ctx, t.OwnerID)
	if err != nil {
		return Reply{}, fmt.Errorf("task reminder: %w", err)
	}
	r := c.request(owner, args{}, false)
	rep := Reply{Text: "Reminder", Lists: []List{{Items: []Item{r.taskItem(ctx, *t)}}}}
	if t.DealID != 0 {
		if d, err := store.DealByID(ctx, t.DealID); err == nil {
			card := r.dealCard(ctx, d)
			card.Buttons = nil // the task's buttons are the ones to press
			rep.Cards = []Card{card}
		}
	}
	return rep, nil
}
