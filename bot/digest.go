package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"leadwire/core"
)

// DigestReply builds the digest of date (YYYY-MM-DD, the day it covers, in
// the manager's zone) for the manager and renders it as a reply with its
// charts: what every channel (Slack, Telegram, email, the CLI preview)
// shows.
func (c *Conversation) DigestReply(ctx context.Context, managerID int64, date string) (Reply, error) {
	d, err := c.svc.Reports.BuildDigest(ctx, managerID, date)
	if err != nil {
		return Reply{}, fmt.Errorf("digest of %s for user %d: %w", date, managerID, err)
	}
	u, err := c.svc.Directory.UserByID(ctx, managerID)
	if err != nil {
		return Reply{}, fmt.Errorf("digest: %w", err)
	}
	rep := c.request(u, args{}, false).digest(ctx, d)
	if rep.Charts, err = DigestCharts(d); err != nil {
		return Reply{}, fmt.Errorf("digest of %s for user %d: %w", date, managerID, err)
	}
	return rep, nil
}

// DigestTitle names a digest: "Daily digest, team Bangkok: Tuesday 3
// November 2026" or a week's span.
func DigestTitle(d *core.Digest) string {
	loc := digestZone(d)
	if d.Weekly {
		first := d.From.In(loc).Format("Mon 2 Jan")
		return fmt.Sprintf("Weekly digest, %s: %s – %s", d.Scope, first, d.To.In(loc).AddDate(0, 0, -1).Format("Mon 2 Jan 2006"))
	}
	return fmt.Sprintf("Daily digest, %s: %s", d.Scope, d.From.In(loc).Format("Monday 2 January 2006"))
}

// digestZone is the manager's zone the digest was built in.
func digestZone(d *core.Digest) *time.Location {
	loc, err := time.LoadLocation(d.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// FunnelTitle is "Funnel", or "Funnel (Renewals)" when there is a funnel
// for more than one pipeline: the heading of a funnel in the digest, the
// chat's stats and `leadwire stats`.
func FunnelTitle(all []core.PipelineFunnel, f core.PipelineFunnel) string {
	if len(all) > 1 {
		return "Funnel (" + f.Pipeline + ")"
	}
	return "Funnel"
}

// funnelCards shows each pipeline's funnel as a card: how many deals of
// the cohort got to each stage and the share that went further, Lost
// aside; its slowest stage in the note. A funnel nobody got into says
// none instead.
func funnelCards(fs []core.PipelineFunnel, cohort, none string) []Card {
	var cards []Card
	for _, f := range fs {
		card := Card{Title: FunnelTitle(fs, f), Status: cohort + ": how many got this far · went further"}
		if f.Empty() {
			card.Status = none
			cards = append(cards, card)
			continue
		}
		for _, st := range f.Stages {
			if st.Kind == core.StageLost {
				continue
			}
			value := fmt.Sprint(st.Reached)
			if st.Kind == core.StageOpen && st.Reached > 0 {
				value += " · " + percent(st.Conversion)
			}
			card.Fields = append(card.Fields, Field{st.Stage, value})
			if st.Stage == f.Bottleneck && st.Kind == core.StageOpen {
				card.Note = fmt.Sprintf("Deals stay longest in %s: %s on average.", st.Stage, speed(days(st.AvgDays)))
			}
		}
		cards = append(cards, card)
	}
	return cards
}

// days turns a number of days into a duration.
func days(n float64) time.Duration { return time.Duration(n * float64(24*time.Hour)) }

// FunnelCohort says which deals the funnel counts: "deals opened since
// 27 Aug"; the funnel of a digest built without a start counts them all.
func FunnelCohort(d *core.Digest) string {
	if d.FunnelFrom.IsZero() {
		return "all deals"
	}
	return "deals opened since " + d.FunnelFrom.In(digestZone(d)).Format("2 Jan 2006")
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

func (r *request) digest(ctx context.Context, d *core.Digest) Reply {
	rep := Reply{Text: DigestTitle(d)}

	leads := Card{Title: "New leads", Status: fmt.Sprintf("%d new · median speed to lead %s", d.NewLeads, speed(d.MedianSpeedToLead))}
	for _, s := range d.LeadsBySource {
		leads.Fields = append(leads.Fields, Field{s.Key, fmt.Sprint(s.Leads)})
	}
	if d.NewLeads == 0 {
		leads.Status = "No new leads."
	}

	deals := Card{Title: "Deals closed and moved", Status: fmt.Sprintf("%d won (%s) · %d lost", d.Won, d.WonValue, d.Lost)}
	if d.Won > 0 {
		deals.Tone = ToneGood
	}
	pipelines := map[string]bool{}
	for _, m := range d.Moves {
		pipelines[m.Pipeline] = true
	}
	for _, m := range d.Moves {
		label := "Moved to " + m.Stage
		if len(pipelines) > 1 {
			label = "Moved to " + m.Pipeline + " / " + m.Stage
		}
		deals.Fields = append(deals.Fields, Field{label, fmt.Sprint(m.Moves)})
	}
	for _, lr := range d.LostReasons {
		reason := lr.Reason
		if reason == "" {
			reason = "no reason given"
		}
		deals.Fields = append(deals.Fields, Field{"Lost: " + reason, fmt.Sprint(lr.Deals)})
	}

	pipe := Card{Title: "Pipeline now"}
	if p := d.Pipeline; p != nil {
		pipe.Status = fmt.Sprintf("%s · %s · weighted %s", count(p.Deals, "open deal"), p.Value, p.Weighted)
		pipe.Fields = pipelineFields(p)
		if p.Deals == 0 {
			pipe.Status = "No open deals."
		}
	}

	cards := []Card{leads, deals, pipe}
	if fc := d.Forecast; fc != nil {
		card := Card{Title: "Forecast " + fc.Month, Fields: []Field{{"Target", fc.Target.String()}, {"Won", fc.Won.String()},
			{"Weighted pipeline", fc.Weighted.String()}, {"Gap", fc.Gap.String()}}}
		switch {
		case fc.Target.Amount == 0:
			// Without a target, a gap says nothing.
			card.Status = "no target set for " + fc.Month + " (targets in the config)"
			card.Fields = []Field{{"Won", fc.Won.String()}, {"Weighted pipeline", fc.Weighted.String()}}
		case fc.Gap.Amount <= 0:
			card.Status, card.Tone = "on track", ToneGood
		default:
			card.Status, card.Tone = "behind by "+fc.Gap.String(), ToneWarn
		}
		cards = append(cards, card)
	}

	reps := Card{Title: "Reps", Status: "new leads · won · value · win rate"}
	for _, rm := range d.Reps {
		reps.Fields = append(reps.Fields, Field{rm.Name, fmt.Sprintf("%d new · %d won · %s · %s", rm.Leads, rm.Won, rm.WonValue, percent(rm.WinRate))})
	}
	if len(d.Reps) == 0 {
		reps.Status = "Nothing new."
	}
	cards = append(cards, reps)

	none := "No deals yet."
	if !d.FunnelFrom.IsZero() {
		none = "No " + FunnelCohort(d) + "."
	}
	cards = append(cards, funnelCards(d.Funnels, FunnelCohort(d), none)...)
	rep.Cards = cards

	more := func(cut bool) string {
		if cut {
			return "more not shown"
		}
		return ""
	}
	rotting := List{Title: "Most rotten deals", Empty: "No rotting deals.", More: more(d.MoreRotting)}
	for i := range d.Rotting {
		it := r.dealItem(ctx, &d.Rotting[i])
		it.Tone = ToneWarn
		rotting.Items = append(rotting.Items, it)
	}
	unclaimed := List{Title: "Unclaimed leads now", Empty: "No unclaimed leads.", More: more(d.MoreUnclaimed)}
	for i := range d.Unclaimed {
		unclaimed.Items = append(unclaimed.Items, r.leadItem(ctx, &d.Unclaimed[i]))
	}
	overdue := List{Title: "Overdue tasks by rep", Empty: "No overdue tasks."}
	for _, o := range d.Overdue {
		name := o.Name
		if o.UserID == 0 {
			name = "nobody"
		}
		overdue.Items = append(overdue.Items, Item{Text: fmt.Sprintf("%s · %d overdue", name, o.Tasks), Detail: "oldest due " + r.at(o.Oldest), Tone: ToneWarn})
	}
	rep.Lists = []List{unclaimed, rotting, overdue}
	if len(d.Warnings) > 0 {
		last := &rep.Cards[len(rep.Cards)-1]
		last.Note = strings.TrimPrefix(last.Note+" "+strings.Join(d.Warnings, "; "), " ")
	}
	return rep
}
