package bot

import (
	"context"
	"fmt"
	"strings"

	"leadwire/core"
)

// enroll reads "D45 NAME" (or "L123 NAME"): the contact gets the
// sequence's mails until they reply, the deal closes, or they unsubscribe.
func (c *Conversation) enroll(ctx context.Context, r *request) Reply {
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "sequences are for a deal or a lead, not %s", ref)
	}
	if err != nil {
		return c.fail(err)
	}
	if r.args.len() < 2 {
		return c.usage(c.byName["enroll"])
	}
	e, err := c.svc.Sequences.Enroll(ctx, r.user, ref, r.args.rest(1))
	if err != nil {
		return c.fail(err)
	}
	when := "now"
	if e.NextRunAt.After(c.clock.Now()) {
		loc := r.user.Location()
		when = e.NextRunAt.In(loc).Format("Mon 2 Jan 15:04") + " (" + loc.String() + ")"
	}
	rep := r.changed(fmt.Sprintf("%s enrolled in %s; the first mail goes out %s. A reply, closing the deal or unsubscribing stops it.", ref, e.Sequence, when))
	if failing, since, err := c.svc.Connectors.MailFailing(ctx); err == nil && failing != "" {
		rep.Text = fmt.Sprintf("%s enrolled in %s, but sending mail has failed since %s (%s): the first mail goes out once the mail server takes it again; the deal's timeline will say if it is held up.",
			ref, e.Sequence, formatTime(since, r.loc, r.now), failing)
		rep.Tone = ToneWarn
	}
	return rep
}

// unenroll reads "D45 [NAME]": it stops the deal's sequences, or the named one.
func (c *Conversation) unenroll(ctx context.Context, r *request) Reply {
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind == 'T' {
		err = core.Errorf(core.KindInvalid, "sequences are for a deal or a lead, not %s", ref)
	}
	if err != nil {
		return c.fail(err)
	}
	name := strings.TrimSpace(r.args.rest(1))
	n, err := c.svc.Sequences.Unenroll(ctx, r.user, ref, name)
	if err != nil {
		return c.fail(err)
	}
	if n == 1 {
		return r.changed(fmt.Sprintf("Stopped the sequence of %s.", ref))
	}
	return r.changed(fmt.Sprintf("Stopped %d sequences of %s.", n, ref))
}
