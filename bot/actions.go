package bot

import (
	"context"
	"strconv"
	"strings"

	"leadwire/core"
)

// Action codes are "verb:REF" or "verb:REF:ARG", at most MaxAction bytes:
//
//	show:L123 show:D45      open the card
//	claim:L123              claim
//	assign:L123:next        assign round-robin (a lead or a deal)
//	hist:D45:ID             the timeline's page after activity ID
//	qualify:L123            qualify into the default pipeline
//	disq:L123               ask for a reason; disq:L123:CODE disqualifies
//	stage:D45:ID            move to the stage with that id
//	won:D45 reopen:D45      win, reopen
//	lost:D45                ask for a reason; lost:D45:CODE loses
//	remind:D45:WHEN         a follow-up at a date phrase ("tomorrow")
//	done:T7                 complete
//	snooze:T7:WHEN          snooze until a date phrase ("1h", "tomorrow")
//	merge:C12:C34           merge contact C34 into C12
//
// A reason code too long for a button goes by its place in the settings:
// "lost:D45:#3".

// act joins the parts of an action code.
func act(parts ...string) string { return strings.Join(parts, ":") }

// reasonAction is the code choosing a configured reason.
func reasonAction(verb, ref string, i int, r core.Reason) string {
	if a := act(verb, ref, r.Code); len(a) <= MaxAction {
		return a
	}
	return act(verb, ref, "#"+strconv.Itoa(i+1))
}

// reasonOf reads a reason argument back: "#3" is the third configured one.
func reasonOf(arg string, reasons []core.Reason) string {
	if n, err := strconv.Atoi(strings.TrimPrefix(arg, "#")); err == nil && strings.HasPrefix(arg, "#") && n >= 1 && n <= len(reasons) {
		return reasons[n-1].Code
	}
	return arg
}

// staleButton is the answer to an action code that cannot be read: an old
// or forged button.
func staleButton(r *request) Reply {
	return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("stale_button", "Help", r.c.word(r.p, r.c.byName["help"]))}
}

// press runs an action code.
func (c *Conversation) press(ctx context.Context, r *request, code string) Reply {
	if len(code) > MaxAction {
		return staleButton(r)
	}
	verb, rest, _ := strings.Cut(code, ":")
	if verb == "merge" {
		return c.doMerge(ctx, r, rest)
	}
	refText, arg, _ := strings.Cut(rest, ":")
	ref, err := core.ParseRef(refText)
	if err != nil {
		return staleButton(r)
	}
	want := map[string]byte{"show": 0, "hist": 0, "claim": 'L', "assign": 0, "qualify": 'L', "disq": 'L', "stage": 'D',
		"won": 'D', "reopen": 'D', "lost": 'D', "remind": 0, "done": 'T', "snooze": 'T'}
	kind, ok := want[verb]
	if !ok || (kind != 0 && kind != ref.Kind) || (kind == 0 && ref.Kind == 'T') {
		return staleButton(r)
	}
	switch verb {
	case "show":
		return c.show(ctx, r, ref)
	case "claim":
		return c.doClaim(ctx, r, ref.ID)
	case "assign":
		if arg != "next" {
			return staleButton(r)
		}
		return c.doAssign(ctx, r, ref, arg)
	case "hist":
		before, err := strconv.ParseInt(arg, 10, 64)
		if err != nil || before <= 0 {
			return staleButton(r)
		}
		return c.historyPage(ctx, r, ref, before)
	case "qualify":
		return c.doQualify(ctx, r, ref.ID, core.QualifyInput{})
	case "disq":
		if arg == "" {
			return c.askDisqualify(ctx, r, ref.ID)
		}
		return c.doDisqualify(ctx, r, ref.ID, reasonOf(arg, c.svc.Settings().DisqualifyReasons))
	case "stage":
		id, err := strconv.ParseInt(arg, 10, 64)
		if err != nil {
			return staleButton(r)
		}
		return c.doMoveTo(ctx, r, ref.ID, id)
	case "won":
		return c.doWin(ctx, r, ref.ID)
	case "reopen":
		return c.doReopen(ctx, r, ref.ID)
	case "lost":
		if arg == "" {
			return c.askLost(ctx, r, ref.ID)
		}
		return c.doLose(ctx, r, ref.ID, reasonOf(arg, c.svc.Settings().LostReasons))
	case "remind":
		return c.doRemind(ctx, r, ref, arg)
	case "done":
		return c.doDone(ctx, r, ref.ID)
	default: // snooze
		return c.doSnooze(ctx, r, ref.ID, arg)
	}
}

// show answers a lead or deal id typed alone, "lead L1", "deal D4", or a
// show button.
func (c *Conversation) show(ctx context.Context, r *request, ref core.Ref) Reply {
	switch ref.Kind {
	case 'L':
		l, err := c.svc.Lead(ctx, r.user, ref.ID)
		if err != nil {
			return c.fail(r, err)
		}
		return shown("", r.leadCard(ctx, l))
	case 'D':
		d, err := c.svc.Deal(ctx, r.user, ref.ID)
		if err != nil {
			return c.fail(r, err)
		}
		return shown("", r.dealCard(ctx, d))
	}
	return Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("show.task", "Ref", ref.String(),
		"Done", c.cmd(c.word(r.p, c.byName["done"])+" "+ref.String()), "Snooze", c.cmd(c.word(r.p, c.byName["snooze"])+" "+ref.String()+" 2h"))}
}

// refArg reads the i-th word as an id of the kind; the error is a reply.
func (c *Conversation) refArg(r *request, i int, kind byte) (int64, *Reply) {
	id, err := core.ParseRefOf(r.args.word(i), kind)
	if err != nil {
		rep := c.fail(r, err)
		return 0, &rep
	}
	return id, nil
}
