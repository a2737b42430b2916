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
		return c.replyFailed(r, ref, err)
	}
	who := res.Contact.Name
	if who == "" {
		who = r.t("reply.the_prospect")
	}
	id := "reply.sent_telegram"
	switch res.Job.Channel {
	case core.ChannelSlack:
		id = "reply.sent_slack"
	case core.ChannelEmail:
		id = "reply.sent_email"
	}
	return r.changed(r.t(id, "Who", who, "Ref", ref.String(), "Text", clip(res.Activity.Body, 200)))
}

// replyFailed is the refusal of a reply: one on a record the actor may
// not see says so in their language.
func (c *Conversation) replyFailed(r *request, ref core.Ref, err error) Reply {
	if k := core.KindOf(err); k == core.KindForbidden || k == core.KindNotFound {
		return Reply{Tone: ToneBad, Ephemeral: true, Text: r.t("reply.forbidden", "Ref", ref.String())}
	}
	return c.fail(r, err)
}
