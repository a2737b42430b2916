package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"leadwire/core"
	"leadwire/internal/display"
)

// review lists what needs the asker now: rotting deals, overdue tasks and
// unclaimed team leads.
func (c *Conversation) review(ctx context.Context, r *request) Reply {
	rv, err := c.svc.Reports.Review(ctx, r.user, c.opts.Limit)
	if err != nil {
		return c.fail(r, err)
	}
	more := func(cut bool) string {
		if cut {
			return r.t("list.first", "N", c.opts.Limit)
		}
		return ""
	}
	rotting := List{Title: r.t("review.rotting"), Empty: r.t("review.rotting.empty"), More: more(rv.MoreRotting)}
	for i := range rv.Rotting {
		it := r.dealItem(ctx, &rv.Rotting[i])
		it.Tone = ToneWarn
		it.Buttons = []Button{{r.t("button.remind_tomorrow"), act("remind", rv.Rotting[i].Ref(), "tomorrow"), StyleDefault}}
		rotting.Items = append(rotting.Items, it)
	}
	overdue := List{Title: r.t("review.overdue"), Empty: r.t("review.overdue.empty"), More: more(rv.MoreOverdue)}
	for _, t := range rv.Overdue {
		overdue.Items = append(overdue.Items, r.taskItem(ctx, t))
	}
	unclaimed := List{Title: r.t("leads.unclaimed"), Empty: r.t("review.unclaimed.empty"), More: more(rv.MoreUnclaimed)}
	for i := range rv.Unclaimed {
		it := r.leadItem(ctx, &rv.Unclaimed[i])
		it.Buttons = []Button{{r.t("button.claim"), act("claim", rv.Unclaimed[i].Ref()), StylePrimary}}
		unclaimed.Items = append(unclaimed.Items, it)
	}
	rep := Reply{Lists: []List{rotting, overdue, unclaimed}, Ephemeral: true}
	if len(rv.Rotting)+len(rv.Overdue)+len(rv.Unclaimed) == 0 {
		rep.Text, rep.Tone, rep.Lists = r.t("review.clear"), ToneGood, nil
	}
	return rep
}

// pipelineCmd sums the asker's open deals by stage ("team": the team's).
func (c *Conversation) pipelineCmd(ctx context.Context, r *request) Reply {
	mode, ok := pick(r.args.word(0), "mine", "team")
	if !ok {
		return c.usage(r, c.byName["pipeline"])
	}
	sum, err := c.svc.Reports.PipelineSummary(ctx, r.user, mode == "team")
	if err != nil {
		return c.fail(r, err)
	}
	card := Card{Title: r.t("pipeline.mine"), Status: r.p.N("pipeline.status", int(sum.Deals), "Value", r.money(sum.Value), "Weighted", r.money(sum.Weighted))}
	if mode == "team" {
		card.Title = r.t("pipeline.team")
	}
	card.Fields = r.pipelineFields(ctx, sum)
	if sum.Deals == 0 {
		card.Status = r.t("pipeline.empty", "Command", c.cmd(c.word(r.p, c.byName["qualify"])+" L123"))
	}
	card.Note = r.warnings(sum.Warnings)
	return shown("", card)
}

// stats shows the numbers of the asker (me) or their team, over all time
// or a month ("month" is this one). By default a rep and anyone in no team
// see their own, a manager the team's, an admin every team's. A rep asking
// for the team sees the team's totals; someone in no team has no team
// figures and is told so. The title names what the figures cover.
func (c *Conversation) stats(ctx context.Context, r *request) Reply {
	if w := strings.ToLower(r.args.word(0)); w == "lost" || w == c.word(r.p, c.byName["lost"]) {
		return c.statsLost(ctx, r, r.args.words[1:])
	}
	var from time.Time
	period := r.t("stats.all_time")
	f, who, fail := c.statsScope(ctx, r, r.args.words, func(w string) bool {
		if w == "month" {
			y, m, _ := r.now.In(r.loc).Date()
			from = time.Date(y, m, 1, 0, 0, 0, 0, r.loc)
			return true
		}
		t, err := time.ParseInLocation("2006-01", w, r.loc)
		if err == nil {
			from = t
		}
		return err == nil
	})
	if fail != nil {
		return *fail
	}
	if !from.IsZero() {
		f.From, f.To = from, from.AddDate(0, 1, 0)
		period = r.dates.month(f.From)
	}
	u := r.user
	m, err := c.svc.Reports.Metrics(ctx, r.user, f)
	if err != nil {
		return c.fail(r, err)
	}
	card := Card{Title: r.t("stats.title", "Who", who, "Period", period),
		Status: r.t("stats.status", "Open", m.Open, "Won", m.Won, "Lost", m.Lost, "Rate", fmt.Sprintf("%.0f%%", 100*m.WinRate)),
		Fields: []Field{{r.t("stats.won_value"), r.money(m.WonValue)}, {r.t("stats.open_value"), r.money(m.OpenValue)},
			{r.t("stats.average_deal"), r.money(m.AvgDealSize)}, {r.t("stats.average_cycle"), r.cycle(m)},
			{r.t("stats.speed_to_lead"), r.speed(m.MedianSpeedToLead)}, {r.t("review.rotting"), fmt.Sprint(m.Rotting)}}}
	if f.OwnerID == 0 && u.Role != core.RoleRep {
		for i, rep := range m.ByRep {
			if i == 5 {
				break
			}
			card.Fields = append(card.Fields, Field{rep.Name, r.t("stats.rep", "Won", rep.Won, "Value", r.money(rep.WonValue), "Rate", fmt.Sprintf("%.0f%%", 100*rep.WinRate))})
		}
	}
	card.Note = r.warnings(m.Warnings)
	cohort := r.t("funnel.all_deals")
	if !f.From.IsZero() {
		cohort = r.t("funnel.opened_in", "Period", period)
	}
	return shown("", append([]Card{card}, r.funnelCards(ctx, m.Funnels, cohort, r.t("funnel.none_yet", "Command", c.cmd(c.word(r.p, c.byName["qualify"])+" L123")))...)...)
}

// statsScope reads stats' words: me, team, and what period reads (a
// month); it returns the filter of whose figures are asked for and how
// the title names them, or the reply to words it cannot read.
func (c *Conversation) statsScope(ctx context.Context, r *request, words []string, period func(string) bool) (core.StatsFilter, string, *Reply) {
	var f core.StatsFilter
	scope := ""
	for _, w := range words {
		switch w = strings.ToLower(w); {
		case w == "me" || w == "mine" || w == "my":
			scope = "me"
		case w == "team":
			scope = "team"
		case period(w):
		default:
			rep := c.usage(r, c.byName["stats"])
			return f, "", &rep
		}
	}
	u := r.user
	if scope == "" {
		switch {
		case u.Role == core.RoleAdmin:
			scope = "all"
		case u.Role == core.RoleManager && u.TeamID != 0:
			scope = "team"
		default:
			scope = "me"
		}
	}
	who := r.t("stats.you")
	switch {
	case scope == "me":
		f.OwnerID = u.ID
	case scope == "all":
		who = r.t("stats.every_team")
	case u.TeamID != 0:
		f.TeamID, who = u.TeamID, r.t("stats.your_team")
		if t, err := c.svc.Directory.TeamByID(ctx, u.TeamID); err == nil {
			who = r.t("stats.team", "Team", t.Name)
		}
	case u.Role == core.RoleAdmin:
		who = r.t("stats.every_team")
	default:
		rep := Reply{Tone: ToneWarn, Ephemeral: true, Text: r.t("stats.no_team", "Command", c.cmd(c.word(r.p, c.byName["stats"])+" me"))}
		return f, "", &rep
	}
	return f, who, nil
}

// speed shows the median time to a first response: "25 min", "3 h 20
// min", "2 days".
func (r *request) speed(d time.Duration) string {
	switch {
	case d <= 0:
		return r.t("n_a")
	case d < time.Minute:
		return r.t("under_a_minute")
	}
	if r.p.Lang() != "en" {
		return r.duration(d)
	}
	return display.Duration(d)
}

// cycle shows the average time from a deal's opening to its win.
func (r *request) cycle(m *core.Metrics) string {
	if m.Won == 0 {
		return r.t("n_a")
	}
	return r.speed(days(m.AvgCycleDays))
}

// forecast compares the weighted pipeline with the target of a month.
func (c *Conversation) forecast(ctx context.Context, r *request) Reply {
	fc, err := c.svc.Reports.Forecast(ctx, r.user, core.StatsFilter{}, r.args.word(0))
	if err != nil {
		return c.fail(r, err)
	}
	card := Card{Title: r.t("forecast.title", "Month", fc.Month), Fields: []Field{{r.t("forecast.target"), r.money(fc.Target)}, {r.t("forecast.won"), r.money(fc.Won)},
		{r.t("forecast.weighted"), r.money(fc.Weighted)}, {r.t("forecast.gap"), r.money(fc.Gap)}}}
	switch {
	case fc.Target.Amount == 0:
		card.Status = r.t("forecast.no_target")
	case fc.Gap.Amount <= 0:
		card.Status, card.Tone = r.t("forecast.on_track"), ToneGood
	default:
		card.Status, card.Tone = r.t("forecast.behind", "Gap", r.money(fc.Gap)), ToneWarn
	}
	for i, fm := range fc.Months {
		if i == 6 {
			break
		}
		month := fm.Month
		if month == "" {
			month = r.t("forecast.no_close_date")
		}
		card.Fields = append(card.Fields, Field{month, r.p.N("forecast.month", int(fm.Deals), "Value", r.money(fm.Value), "Weighted", r.money(fm.Weighted))})
	}
	card.Note = r.warnings(fc.Warnings)
	return shown("", card)
}

// find searches contacts and shows their newest lead and deal.
func (c *Conversation) find(ctx context.Context, r *request) Reply {
	query := r.args.rest(0)
	hits, err := c.svc.Search(ctx, r.user, query, c.opts.Limit)
	if err != nil {
		return c.fail(r, err)
	}
	list := List{Title: r.t("find.title", "Query", strconv.Quote(query)), Empty: r.t("find.empty", "Query", query)}
	for _, h := range hits {
		name := contactTitle(&core.Contact{Name: h.Name, Company: h.Company, Emails: nonEmpty(h.Email)}, r.t("find.contact"))
		it := Item{Text: name, Detail: strings.Trim(h.Email+" · "+h.Phone, " ·")}
		var refs []string
		if h.DealID != 0 {
			refs = append(refs, core.DealRef(h.DealID))
			it.Ref, it.Action = core.DealRef(h.DealID), act("show", core.DealRef(h.DealID))
		}
		if h.LeadID != 0 {
			refs = append(refs, core.LeadRef(h.LeadID))
			if it.Ref == "" {
				it.Ref, it.Action = core.LeadRef(h.LeadID), act("show", core.LeadRef(h.LeadID))
			}
		}
		if len(refs) > 0 {
			it.Detail = strings.Trim(it.Detail+" · "+strings.Join(refs, " "), " ·")
		}
		list.Items = append(list.Items, it)
	}
	return Reply{Lists: []List{list}, Ephemeral: true}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// linkCommand is how an admin links a chat account to a user.
const linkCommand = "leadwire users set"

// link answers "link telegram" with a one-time code to send the Telegram
// bot as /start CODE.
func (c *Conversation) link(ctx context.Context, r *request) Reply {
	if _, ok := pick(r.args.word(0), "telegram"); !ok || r.args.word(0) == "" {
		return c.usage(r, c.byName["link"])
	}
	code, err := c.svc.Directory.NewLinkCode(ctx, r.user)
	if err != nil {
		return c.fail(r, err)
	}
	return Reply{Tone: ToneGood, Ephemeral: true, Text: r.t("link.code", "Code", code)}
}

// pipelineFields lists open deals and value by stage, each stage named
// with its pipeline ("Renewals / Quote sent (80%)") when there are several.
func (r *request) pipelineFields(ctx context.Context, sum *core.PipelineSummary) []Field {
	if sum.Deals == 0 {
		return nil // a column of noughts says less than "no open deals"
	}
	several := slices.ContainsFunc(sum.Stages, func(st core.PipelineStage) bool { return st.Pipeline != sum.Stages[0].Pipeline })
	var fields []Field
	for _, st := range sum.Stages {
		label := fmt.Sprintf("%s (%d%%)", r.stageLabel(ctx, st.StageID, st.Stage), st.Probability)
		if several {
			label = st.Pipeline + " / " + label
		}
		fields = append(fields, Field{label, fmt.Sprintf("%d · %s", st.Deals, r.money(st.Value))})
	}
	return fields
}
