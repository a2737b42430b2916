package bot

import (
	"context"
	"fmt"

	"leadwire/core"
)

// NoticeReply renders a notice leadwire sends on its own, as its
// recipient sees it now: a new lead's card with Claim, a reminder with Done and Snooze, a rotting deal's
// card, an unclaimed lead's card with Claim, a digest, or a text.
func (c *Conversation) NoticeReply(ctx context.Context, n core.Notice) (Reply, error) {
	switch n.Kind {
	case core.NoticeNewLead:
		reply, _, err := c.TeamLeadNotice(ctx, n.LeadID)
		return reply, err
	case core.NoticeReminder:
		return c.TaskReminder(ctx, n.TaskID)
	case core.NoticeDigest:
		return c.DigestReply(ctx, n.UserID, n.Date)
	case core.NoticeRotting:
		return c.rottingNotice(ctx, n)
	case core.NoticeUnclaimed, core.NoticeUnclaimedManager:
		return c.unclaimedNotice(ctx, n)
	case core.NoticeAlert:
		return Reply{Text: n.Text, Tone: ToneWarn}, nil
	case core.NoticeChannelFailing:
		return Reply{Text: n.Text, Tone: ToneBad}, nil
	case core.NoticeText:
		return Reply{Text: n.Text}, nil
	case core.NoticeAssigned, core.NoticeHandedOver:
		return c.assignedNotice(ctx, n)
	case core.NoticeTaskGiven:
		return c.taskGivenNotice(ctx, n)
	}
	return Reply{}, fmt.Errorf("notice %q: unknown kind %q", n.Key, n.Kind)
}

// rottingNotice is a deal's card with how long it has been idle.
func (c *Conversation) rottingNotice(ctx context.Context, n core.Notice) (Reply, error) {
	sub, err := c.svc.Notices.NoticeSubject(ctx, n)
	if err != nil {
		return Reply{}, err
	}
	d, r := sub.Deal, c.request(sub.Reader, args{}, false)
	days := int(r.now.Sub(lastTouch(d)).Hours() / 24)
	text := r.p.N("notice.rotting", days, "Ref", d.Ref(), "Title", d.Title)
	if n.Text != "" {
		text += "; " + n.Text
	}
	return r.in(Reply{Text: text, Tone: ToneWarn, Cards: []Card{r.dealCard(ctx, d)}}), nil
}

// unclaimedNotice is a waiting lead's card with Claim.
func (c *Conversation) unclaimedNotice(ctx context.Context, n core.Notice) (Reply, error) {
	sub, err := c.svc.Notices.NoticeSubject(ctx, n)
	if err != nil {
		return Reply{}, err
	}
	l, r := sub.Lead, c.request(sub.Reader, args{}, false)
	text := r.t("notice.unclaimed", "Ref", l.Ref(), "Ago", r.ago(l.CreatedAt))
	if n.Kind == core.NoticeUnclaimedManager {
		text = r.t("notice.unclaimed_manager", "Ref", l.Ref(), "Ago", r.ago(l.CreatedAt))
	}
	if n.Text != "" {
		text += "; " + n.Text
	}
	return r.in(Reply{Text: text, Tone: ToneWarn, Cards: []Card{r.leadCard(ctx, l)}}), nil
}
