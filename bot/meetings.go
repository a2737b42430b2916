package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"leadwire/core"
)

// leadOrDeal reads the first word as L123 or D45; the error is a reply.
func (c *Conversation) leadOrDeal(r *request, cmd string) (core.Ref, *Reply) {
	ref, err := core.ParseRef(r.args.word(0))
	if err == nil && ref.Kind != 'L' && ref.Kind != 'D' {
		rep := Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("toolkit.not_lead_or_deal", "Ref", ref.String(), "Usage", c.usageLine(r, c.byName[cmd]))}
		return ref, &rep
	}
	if err != nil {
		rep := c.fail(r, err)
		return ref, &rep
	}
	return ref, nil
}

// refuse answers a refused change in the asker's words when it is not
// theirs; other errors as fail does.
func (c *Conversation) refuse(r *request, ref core.Ref, err error) Reply {
	switch core.KindOf(err) {
	case core.KindForbidden:
		return Reply{Tone: ToneBad, Ephemeral: true, Text: r.t("toolkit.not_yours", "Ref", ref.String())}
	}
	return c.fail(r, err)
}

// reach checks the asker may see ref (a lead or deal).
func (c *Conversation) reach(ctx context.Context, r *request, ref core.Ref) (any, error) {
	if ref.Kind == 'L' {
		return c.svc.Lead(ctx, r.user, ref.ID)
	}
	return c.svc.Deal(ctx, r.user, ref.ID)
}

// call logs "call D45|L123 [NOTES]" on the timeline.
func (c *Conversation) call(ctx context.Context, r *request) Reply {
	ref, fail := c.leadOrDeal(r, "call")
	if fail != nil {
		return *fail
	}
	if _, err := c.svc.LogCall(ctx, r.user, ref, r.args.rest(1)); err != nil {
		return c.refuse(r, ref, err)
	}
	return Reply{Tone: ToneGood, Text: r.t("call.logged", "Ref", ref.String())}
}

// meeting books "meeting D45|L123 WHEN [NOTES]": the date phrase at the
// start (or the end), the rest the notes; the meeting is a task with a
// reminder at its time.
func (c *Conversation) meeting(ctx context.Context, r *request) Reply {
	ref, fail := c.leadOrDeal(r, "meeting")
	if fail != nil {
		return *fail
	}
	text := r.args.rest(1)
	example := c.cmd(c.word(r.p, c.byName["meeting"]) + " " + ref.String() + " " + r.t("meeting.example"))
	at, notes, err := c.dates.readIn(r.says, text, r.now, r.loc)
	if de := (*dateError)(nil); errors.As(err, &de) {
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("meeting.refused", "Error", r.refusal(text, de), "Example", example)}
	}
	if err != nil {
		return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("meeting.no_time", "Text", strconv.Quote(text), "Example", example)}
	}
	if !at.After(r.now) {
		return c.passed(at, r)
	}
	t, err := c.svc.ScheduleMeeting(ctx, r.user, ref, at, notes, r.t("meeting.title"))
	if err != nil {
		return c.refuse(r, ref, err)
	}
	return Reply{Tone: ToneGood, Text: r.t("meeting.set", "Ref", fmt.Sprintf("T%d", t.ID), "When", r.zoned(t.DueAt), "Title", t.Title, "On", ref.String(),
		"Held", c.cmd(c.word(r.p, c.byName["held"])+" "+ref.String()))}
}

// held marks "held D45|L123|T7": the meeting took place.
func (c *Conversation) held(ctx context.Context, r *request) Reply {
	ref, err := core.ParseRef(r.args.word(0))
	if err != nil {
		return c.fail(r, err)
	}
	return c.doHeld(ctx, r, ref)
}

func (c *Conversation) doHeld(ctx context.Context, r *request, ref core.Ref) Reply {
	t, err := c.svc.MeetingHeld(ctx, r.user, ref)
	if err != nil {
		switch k := core.KindOf(err); {
		case k == core.KindConflict && ref.Kind == 'T':
			return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("held.already", "Ref", ref.String())}
		case k == core.KindNotFound && ref.Kind != 'T':
			if _, rerr := c.reach(ctx, r, ref); rerr != nil {
				return c.fail(r, rerr)
			}
			return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("held.none", "Ref", ref.String(),
				"Command", c.cmd(c.word(r.p, c.byName["meeting"])+" "+ref.String()+" "+r.t("meeting.example")))}
		case k == core.KindInvalid && ref.Kind == 'T':
			return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("held.not_meeting", "Ref", ref.String(),
				"Command", c.cmd(c.word(r.p, c.byName["done"])+" "+ref.String()))}
		}
		return c.refuse(r, ref, err)
	}
	points := c.svc.Settings().Scoring.Events[core.EventMeetingConfirmed]
	text := r.t("held.done", "Ref", fmt.Sprintf("T%d", t.ID), "Title", t.Title)
	if points != 0 && (t.LeadID != 0 || t.DealID != 0) {
		text = r.p.N("held.done_points", points, "Ref", fmt.Sprintf("T%d", t.ID), "Title", t.Title)
	}
	return r.changed(text)
}
