package bot

import (
	"context"
	"fmt"

	"leadwire/core"
)

// reply reads "L123|D45 TEXT" and sends the text to the prospect in the
// chat they wrote from; it shows on the timeline as a chat_out activity.
func (c *Conversation) reply(ctx context.Context, r *request) Reply {
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "a reply goes to the prospect of a lead or a deal, not to %s", ref)
	}
	if err != nil {
		return c.fail(err)
	}
	res, err := c.svc.ReplyToContact(ctx, r.user, ref, r.args.rest(1))
	if err != nil {
		return c.fail(err)
	}
	who := res.Contact.Name
	if who == "" {
		who = "the prospect"
	}
	where := "on Telegram"
	if res.Job.Channel == core.ChannelSlack {
		where = "in their Slack thread"
	}
	return r.changed(fmt.Sprintf("Replying to %s %s (%s): %s", who, where, ref, clip(res.Activity.Body, 200)))
}
