package bot

import (
	"context"
	"strings"

	"leadwire/core"
)

// Ask asks the presser of a button for a text that completes a command:
// Slack opens a modal, Telegram a force-reply; the answer goes to Handle
// as Command followed by the text. An adapter that cannot ask shows the
// reply's Text, which says what to type.
type Ask struct {
	Title   string // the modal's title
	Prompt  string // what to write: "Your answer to Anna Nowak (L12)"
	Ref     string // the lead or deal: "L12"
	Command string // "reply L12", in the presser's words
}

// prospectNotice is what its owner (or the team) is told when a known
// prospect writes again: who, on what channel, the first lines of the
// message, how many came in the burst, with Reply, Open and Snooze.
func (c *Conversation) prospectNotice(ctx context.Context, n core.Notice) (Reply, error) {
	sub, err := c.svc.Notices.NoticeSubject(ctx, n)
	if err != nil {
		return Reply{}, err
	}
	r := c.request(sub.Reader, args{}, false)
	ref := core.LeadRef(n.LeadID)
	if n.DealID != 0 {
		ref = core.DealRef(n.DealID)
	}
	who := contactTitle(sub.Contact, r.t("reply.the_prospect"))
	via := r.t("wrote.via." + wroteVia(sub.Activity.Kind, sub.Activity.ExternalRef))
	text := r.p.N("notice.prospect_wrote", sub.Burst, "Who", who, "Via", via, "Ref", ref)
	card := Card{Ref: ref, Title: who, Subtitle: contactLine(r, sub.Contact), Text: firstLines(sub.Activity.Subject, sub.Activity.Body),
		Note: r.at(sub.Activity.At),
		Buttons: []Button{{r.t("button.reply"), act("reply", ref), StylePrimary},
			{r.t("button.open", "Ref", ref), act("show", ref), StyleDefault},
			{r.t("button.snooze_1h"), act("remind", ref, "1h"), StyleDefault}}}
	return r.in(Reply{Text: text, Cards: []Card{card}}), nil
}

// wroteVia names the channel of a prospect's message for the catalog:
// email, telegram, slack, form.
func wroteVia(k core.ActivityKind, ref string) string {
	switch k {
	case core.ActivityEmailIn:
		return "email"
	case core.ActivityFormSubmitted:
		return "form"
	case core.ActivityChatIn:
		if strings.HasPrefix(ref, core.ChannelSlack+":") {
			return "slack"
		}
		return "chat"
	}
	return "other"
}

// firstLines is the start of a message for a notice: its subject and
// first few lines, clipped.
func firstLines(subject, body string) string {
	lines := strings.Split(strings.TrimSpace(body), "\n")
	var keep []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			keep = append(keep, l)
		}
		if len(keep) == 4 {
			break
		}
	}
	text := strings.Join(keep, "\n")
	if subject = strings.TrimSpace(subject); subject != "" && !strings.HasPrefix(body, subject) {
		text = subject + "\n" + text
	}
	return clip(text, 400)
}

// replyFailedNotice tells a rep their reply did not reach the prospect,
// and why.
func (c *Conversation) replyFailedNotice(ctx context.Context, n core.Notice) (Reply, error) {
	sub, err := c.svc.Notices.NoticeSubject(ctx, n)
	if err != nil {
		return Reply{}, err
	}
	r := c.request(sub.Reader, args{}, false)
	ref := core.LeadRef(sub.Activity.LeadID)
	if sub.Activity.DealID != 0 {
		ref = core.DealRef(sub.Activity.DealID)
	}
	who := contactTitle(sub.Contact, r.t("reply.the_prospect"))
	why := n.Text // as a mail server said it
	if len(n.Msgs) > 0 {
		why = noticeText(r.p, n.Msgs)
	}
	return r.in(Reply{Tone: ToneBad, Text: r.t("notice.reply_failed", "Who", who, "Ref", ref, "Why", why),
		Cards: []Card{{Ref: ref, Title: who, Text: clip(sub.Activity.Body, 300),
			Buttons: []Button{{r.t("button.open", "Ref", ref), act("show", ref), StyleDefault}}}}}), nil
}

// askReply answers the Reply button: it asks for the text to send, once
// the presser may act on the lead or deal.
func (c *Conversation) askReply(ctx context.Context, r *request, ref core.Ref) Reply {
	contact, err := c.svc.ReplyContact(ctx, r.user, ref)
	if err != nil {
		return c.replyFailed(r, ref, err)
	}
	who := contactTitle(contact, r.t("reply.the_prospect"))
	command := c.word(r.p, c.byName["reply"]) + " " + ref.String()
	return Reply{Ephemeral: true, Text: r.t("reply.ask", "Who", who, "Ref", ref.String(), "Command", c.cmd(command+" "+r.t("arg.text"))),
		Ask: &Ask{Title: r.t("reply.ask_title", "Ref", ref.String()), Prompt: r.t("reply.prompt", "Who", who, "Ref", ref.String()),
			Ref: ref.String(), Command: command}}
}
