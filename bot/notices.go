package bot

import (
	"context"

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
	sub, err := c.svc.Notices.NoticeSubject(ctx, core.Notice{Kind: core.NoticeNewLead, LeadID: leadID})
	if err != nil {
		return Reply{}, nil, err
	}
	r := c.request(sub.Reader, args{}, false)
	return r.in(Reply{Text: r.t("notice.new_lead", "Ref", sub.Lead.Ref()), Cards: []Card{r.leadCard(ctx, sub.Lead)}}), sub.Team, nil
}

// TaskReminder is the reminder its owner gets when a task falls due: the
// task with Done and Snooze buttons, and its deal's card when it has one.
func (c *Conversation) TaskReminder(ctx context.Context, taskID int64) (Reply, error) {
	sub, err := c.svc.Notices.NoticeSubject(ctx, core.Notice{Kind: core.NoticeReminder, TaskID: taskID})
	if err != nil {
		return Reply{}, err
	}
	r := c.request(sub.Reader, args{}, false)
	rep := Reply{Text: r.t("notice.reminder"), Lists: []List{{Items: []Item{r.taskItem(ctx, *sub.Task)}}}}
	if sub.Deal != nil {
		card := r.dealCard(ctx, sub.Deal)
		card.Buttons = nil // the task's buttons are the ones to press
		rep.Cards = []Card{card}
	}
	return r.in(rep), nil
}
