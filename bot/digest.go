package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"leadwire/core"
	"leadwire/internal/lang"
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
	r := c.request(u, args{}, false)
	rep := r.digest(ctx, d)
	if rep.Charts, err = digestCharts(c.chartFonts(), r.dates, d); err != nil {
		return Reply{}, fmt.Errorf("digest of %s for user %d: %w", date, managerID, err)
	}
	return r.in(rep), nil
}

// DigestTitle names a digest: "Daily digest, team Bangkok: Tuesday 3
// November 2026" or a week's span.
func DigestTitle(d *core.Digest) string { return digestTitle(english(), d) }

func digestTitle(f dateFmt, d *core.Digest) string {
	loc, p := digestZone(d), f.p
	if d.Weekly {
		first := f.short(d.From.In(loc), false)
		return p.T("digest.title_weekly", "Scope", digestScope(p, d), "From", first, "To", f.short(d.To.In(loc).AddDate(0, 0, -1), true))
	}
	return p.T("digest.title_daily", "Scope", digestScope(p, d), "Day", f.long(d.From.In(loc)))
}

// digestScope says whose work a digest covers: "team Bangkok", "your own
// work", "every team".
func digestScope(p *lang.Printer, d *core.Digest) string {
	switch {
	case d.ScopeKind == core.ScopeAll:
		return p.T("stats.every_team")
	case d.ScopeKind == core.ScopeTeam && d.Team != "":
		return p.T("stats.team", "Team", d.Team)
	case d.ScopeKind == core.ScopeTeam:
		return p.T("stats.your_team")
	case d.ScopeKind == core.ScopeOwn:
		return p.T("digest.your_own_work")
	}
	return d.Scope
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
	return funnelTitle(lang.Default().For("en"), all, f)
}

func funnelTitle(p *lang.Printer, all []core.PipelineFunnel, f core.PipelineFunnel) string {
	if len(all) > 1 {
		return p.T("funnel.title_of", "Pipeline", f.Pipeline)
	}
	return p.T("funnel.title")
}

// funnelCards shows each pipeline's funnel as a card: how many deals of
// the cohort got to each stage and the share that went further, Lost
// aside; its slowest stage in the note. A funnel nobody got into says
// none instead.
func (r *request) funnelCards(fs []core.PipelineFunnel, cohort, none string) []Card {
	var cards []Card
	for _, f := range fs {
		card := Card{Title: funnelTitle(r.p, fs, f), Status: r.t("funnel.status", "Cohort", cohort)}
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
				card.Note = r.t("funnel.bottleneck", "Stage", st.Stage, "Time", r.speed(days(st.AvgDays)))
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
func FunnelCohort(d *core.Digest) string { return funnelCohort(english(), d) }

func funnelCohort(f dateFmt, d *core.Digest) string {
	if d.FunnelFrom.IsZero() {
		return f.p.T("funnel.all_deals")
	}
	return f.p.T("funnel.opened_since", "Date", f.dmy(d.FunnelFrom.In(digestZone(d))))
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

func (r *request) digest(ctx context.Context, d *core.Digest) Reply {
	rep := Reply{Text: digestTitle(r.dates, d)}

	leads := Card{Title: r.t("digest.new_leads"), Status: r.t("digest.new_leads.status", "N", d.NewLeads, "Speed", r.speed(d.MedianSpeedToLead))}
	for _, s := range d.LeadsBySource {
		leads.Fields = append(leads.Fields, Field{s.Key, fmt.Sprint(s.Leads)})
	}
	if d.NewLeads == 0 {
		leads.Status = r.t("digest.new_leads.none")
	}

	deals := Card{Title: r.t("digest.deals"), Status: r.t("digest.deals.status", "Won", d.Won, "Value", r.money(d.WonValue), "Lost", d.Lost)}
	if d.Won > 0 {
		deals.Tone = ToneGood
	}
	pipelines := map[string]bool{}
	for _, m := range d.Moves {
		pipelines[m.Pipeline] = true
	}
	for _, m := range d.Moves {
		label := r.t("digest.moved_to", "Stage", m.Stage)
		if len(pipelines) > 1 {
			label = r.t("digest.moved_to", "Stage", m.Pipeline+" / "+m.Stage)
		}
		deals.Fields = append(deals.Fields, Field{label, fmt.Sprint(m.Moves)})
	}
	for _, lr := range d.LostReasons {
		reason := lr.Reason
		if reason == "" {
			reason = r.t("digest.no_reason")
		}
		deals.Fields = append(deals.Fields, Field{r.t("digest.lost_reason", "Reason", reason), fmt.Sprint(lr.Deals)})
	}

	pipe := Card{Title: r.t("digest.pipeline")}
	if p := d.Pipeline; p != nil {
		pipe.Status = r.p.N("pipeline.status", int(p.Deals), "Value", r.money(p.Value), "Weighted", r.money(p.Weighted))
		pipe.Fields = r.pipelineFields(p)
		if p.Deals == 0 {
			pipe.Status = r.t("digest.pipeline.none")
		}
	}

	cards := []Card{leads, deals, pipe}
	if fc := d.Forecast; fc != nil {
		card := Card{Title: r.t("forecast.title", "Month", fc.Month), Fields: []Field{{r.t("forecast.target"), r.money(fc.Target)}, {r.t("forecast.won"), r.money(fc.Won)},
			{r.t("forecast.weighted"), r.money(fc.Weighted)}, {r.t("forecast.gap"), r.money(fc.Gap)}}}
		switch {
		case fc.Target.Amount == 0:
			// Without a target, a gap says nothing.
			card.Status = r.t("digest.no_target", "Month", fc.Month)
			card.Fields = []Field{{r.t("forecast.won"), r.money(fc.Won)}, {r.t("forecast.weighted"), r.money(fc.Weighted)}}
		case fc.Gap.Amount <= 0:
			card.Status, card.Tone = r.t("forecast.on_track"), ToneGood
		default:
			card.Status, card.Tone = r.t("forecast.behind", "Gap", r.money(fc.Gap)), ToneWarn
		}
		cards = append(cards, card)
	}

	reps := Card{Title: r.t("digest.reps"), Status: r.t("digest.reps.status")}
	for _, rm := range d.Reps {
		reps.Fields = append(reps.Fields, Field{rm.Name, r.t("digest.rep", "Leads", rm.Leads, "Won", rm.Won, "Value", r.money(rm.WonValue), "Rate", percent(rm.WinRate))})
	}
	if len(d.Reps) == 0 {
		reps.Status = r.t("digest.reps.none")
	}
	cards = append(cards, reps)

	none := r.t("digest.funnel.none")
	if !d.FunnelFrom.IsZero() {
		none = r.t("digest.funnel.none_since", "Cohort", funnelCohort(r.dates, d))
	}
	cards = append(cards, r.funnelCards(d.Funnels, funnelCohort(r.dates, d), none)...)
	rep.Cards = cards

	more := func(cut bool) string {
		if cut {
			return r.t("digest.more")
		}
		return ""
	}
	rotting := List{Title: r.t("digest.rotting"), Empty: r.t("review.rotting.empty"), More: more(d.MoreRotting)}
	for i := range d.Rotting {
		it := r.dealItem(ctx, &d.Rotting[i])
		it.Tone = ToneWarn
		rotting.Items = append(rotting.Items, it)
	}
	unclaimed := List{Title: r.t("digest.unclaimed"), Empty: r.t("review.unclaimed.empty"), More: more(d.MoreUnclaimed)}
	for i := range d.Unclaimed {
		unclaimed.Items = append(unclaimed.Items, r.leadItem(ctx, &d.Unclaimed[i]))
	}
	overdue := List{Title: r.t("digest.overdue"), Empty: r.t("review.overdue.empty")}
	for _, o := range d.Overdue {
		name := o.Name
		if o.UserID == 0 {
			name = r.t("nobody")
		}
		overdue.Items = append(overdue.Items, Item{Text: r.t("digest.overdue.item", "Who", name, "N", o.Tasks), Detail: r.t("digest.overdue.oldest", "When", r.at(o.Oldest)), Tone: ToneWarn})
	}
	rep.Lists = []List{unclaimed, rotting, overdue}
	if len(d.Warnings) > 0 {
		last := &rep.Cards[len(rep.Cards)-1]
		last.Note = strings.TrimPrefix(last.Note+" "+strings.Join(d.Warnings, "; "), " ")
	}
	return rep
}
