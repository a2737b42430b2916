package bot

import (
	"context"

	"leadwire/core"
)

// reply reads "L123|D45 TEXT" and sends the text to the prospect in the
// chat they wrote from; it shows on the timeline as a chat_out activity.
func (c *Conversation) reply(ctx context.Context, r *request) Reply {
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "%s", r.t("reply.not_task", "Ref", ref.String()))
	}
	if err != nil {
		return c.fail(r, err)
	}
	res, err := c.svc.ReplyToContact(ctx, r.user, ref, r.args.rest(1))
	if err != nil {
		return c.fail(r, err)
	}
	who := res.Contact.Name
	if who == "" {
		who = r.t("reply.the_prospect")
	}
	id := "reply.sent_telegram"
	if res.Job.Channel == core.ChannelSlack {
		id = "reply.sent_slack"
	}
	return r.changed(r.t(id, "Who", who, "Ref", ref.String(), "Text", clip(res.Activity.Body, 200)))
}
