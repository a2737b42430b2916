package bot

import (
	"context"
	"strings"

	"leadwire/core"
)

// enroll reads "D45 NAME" (or "L123 NAME"): the contact gets the
// sequence's mails until they reply, the deal closes, or they unsubscribe.
func (c *Conversation) enroll(ctx context.Context, r *request) Reply {
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "%s", r.t("sequence.not_task", "Ref", ref.String()))
	}
	if err != nil {
		return c.fail(r, err)
	}
	if r.args.len() < 2 {
		return c.usage(r, c.byName["enroll"])
	}
	e, err := c.svc.Sequences.Enroll(ctx, r.user, ref, r.args.rest(1))
	if err != nil {
		return c.fail(r, err)
	}
	when := r.t("sequence.now")
	if e.NextRunAt.After(c.clock.Now()) {
		loc := r.user.Location()
		when = r.dates.at(e.NextRunAt, loc, e.NextRunAt) + " (" + loc.String() + ")"
	}
	rep := r.changed(r.t("sequence.enrolled", "Ref", ref.String(), "Sequence", e.Sequence, "When", when))
	if failing, since, err := c.svc.Connectors.MailFailing(ctx); err == nil && failing != "" {
		rep.Text = r.t("sequence.enrolled_mail_failing", "Ref", ref.String(), "Sequence", e.Sequence, "Since", r.at(since), "Error", failing)
		rep.Tone = ToneWarn
	}
	return rep
}

// unenroll reads "D45 [NAME]": it stops the deal's sequences, or the named one.
func (c *Conversation) unenroll(ctx context.Context, r *request) Reply {
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "%s", r.t("sequence.not_task", "Ref", ref.String()))
	}
	if err != nil {
		return c.fail(r, err)
	}
	name := strings.TrimSpace(r.args.rest(1))
	n, err := c.svc.Sequences.Unenroll(ctx, r.user, ref, name)
	if err != nil {
		return c.fail(r, err)
	}
	return r.changed(r.p.N("sequence.stopped", n, "Ref", ref.String()))
}
