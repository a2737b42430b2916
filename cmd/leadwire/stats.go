package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/internal/display"
)

// StatsCmd prints the pipeline metrics.
type StatsCmd struct {
	Team     string `help:"Only this team."`
	Owner    string `help:"Only this rep (email)."`
	Pipeline string `help:"Only this pipeline."`
	Month    string `help:"Only leads and deals created in this month, YYYY-MM; the lost and disqualified section covers this month against the one before (default: the last 30 days against the 30 before)."`
	JSON     bool   `help:"Print JSON."`
}

// Run prints the metrics.
func (c *StatsCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	f, err := a.statsFilter(c.Team, c.Owner, c.Pipeline)
	if err != nil {
		return err
	}
	// Losses: of the month asked for against the month before, else of
	// the last 30 days against the 30 before.
	loc := actor.Location()
	lossTo := svc.Clock().Now()
	lossFrom, period := lossTo.AddDate(0, 0, -30), "the last 30 days against the 30 before"
	if c.Month != "" {
		start, err := time.Parse("2006-01", c.Month)
		if err != nil {
			return core.Errorf(core.KindInvalid, "invalid month %q; write it as YYYY-MM", c.Month)
		}
		f.From, f.To = start, start.AddDate(0, 1, 0)
		lossFrom = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, loc)
		lossTo = lossFrom.AddDate(0, 1, 0)
		period = c.Month + " against " + lossFrom.AddDate(0, -1, 0).Format("2006-01")
	}
	m, err := svc.Reports.Metrics(a.ctx, actor, f)
	if err != nil {
		return err
	}
	losses, err := svc.Reports.Losses(a.ctx, actor, core.StatsFilter{TeamID: f.TeamID, OwnerID: f.OwnerID, PipelineID: f.PipelineID},
		lossFrom, lossTo, core.PrevPeriod(lossFrom, lossTo, loc))
	if err != nil {
		return err
	}
	if c.JSON {
		return a.JSON(struct {
			*core.Metrics
			Losses *core.Losses `json:"losses"`
		}{m, losses})
	}
	fmt.Fprintf(a.out, "deals: %d open, %d won, %d lost · win rate %.1f%% · avg sales cycle %s\n", m.Open, m.Won, m.Lost, 100*m.WinRate, days(m.AvgCycleDays, m.Won > 0))
	fmt.Fprintf(a.out, "won %s · avg deal %s · open pipeline %s\n", m.WonValue, m.AvgDealSize, m.OpenValue)
	if m.MedianSpeedToLead > 0 {
		fmt.Fprintf(a.out, "median speed to lead: %s\n", display.Duration(m.MedianSpeedToLead))
	}
	fmt.Fprintf(a.out, "rotting deals: %d\n", m.Rotting)
	w := display.NewTable(a.out)
	w.Numbers = true
	fmt.Fprintln(a.out, "\nconversion by source:")
	w.Empty = "No leads yet."
	fmt.Fprintln(w, "SOURCE\tLEADS\tDEALS\tWON\tLEAD→DEAL\tDEAL→WON\t")
	for _, s := range m.BySource {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%.1f%%\t%.1f%%\t\n", s.Key, s.Leads, s.Deals, s.Won, 100*s.LeadToDeal, 100*s.DealToWon)
	}
	w.Flush()
	fmt.Fprintln(a.out, "\nby rep:")
	w.Empty = "No leads or deals yet."
	fmt.Fprintln(w, "REP\tLEADS\tLEAD→DEAL\tWON\tLOST\tWIN RATE\tWON VALUE\t")
	for _, r := range m.ByRep {
		fmt.Fprintf(w, "%s\t%d\t%.1f%%\t%d\t%d\t%.1f%%\t%s\t\n", orDash(r.Name), r.Leads, 100*r.LeadToDeal, r.Won, r.Lost, 100*r.WinRate, r.WonValue)
	}
	w.Flush()
	for _, f := range m.Funnels {
		printFunnel(a.out, m.Funnels, f)
	}
	printLosses(a.out, losses, period)
	for _, warn := range append(m.Warnings, losses.Warnings...) {
		fmt.Fprintln(a.errOut, "warning:", warn)
	}
	return nil
}

func (a *App) statsFilter(team, owner, pipeline string) (core.StatsFilter, error) {
	var f core.StatsFilter
	if team != "" {
		t, err := a.svc.Directory.TeamByName(a.ctx, team)
		if err != nil {
			return f, err
		}
		f.TeamID = t.ID
	}
	if owner != "" {
		u, err := a.svc.Directory.UserByEmail(a.ctx, owner)
		if err != nil {
			return f, err
		}
		f.OwnerID = u.ID
	}
	if pipeline != "" {
		p, err := a.svc.Directory.PipelineByName(a.ctx, pipeline)
		if err != nil {
			return f, err
		}
		f.PipelineID = p.ID
	}
	return f, nil
}

// ForecastCmd prints the weighted forecast against target.
type ForecastCmd struct {
	Month    string `help:"The month to compare with its target, YYYY-MM (default: this month)."`
	Team     string `help:"Only this team."`
	Owner    string `help:"Only this rep (email)."`
	Pipeline string `help:"Only this pipeline."`
	JSON     bool   `help:"Print JSON."`
}

// Run prints the forecast.
func (c *ForecastCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	f, err := a.statsFilter(c.Team, c.Owner, c.Pipeline)
	if err != nil {
		return err
	}
	fc, err := svc.Reports.Forecast(a.ctx, actor, f, c.Month)
	if err != nil {
		return err
	}
	if c.JSON {
		return a.JSON(fc)
	}
	fmt.Fprintf(a.out, "%s: target %s · won %s · weighted pipeline %s · gap %s\n", fc.Month, fc.Target, fc.Won, fc.Weighted, fc.Gap)
	w := display.NewTable(a.out)
	w.Numbers = true
	w.Empty = "No open deals to forecast; a lead becomes a deal with leadwire leads qualify L123 --value AMOUNT --close DATE."
	fmt.Fprintln(w, "CLOSE MONTH\tDEALS\tVALUE\tWEIGHTED\t")
	for _, m := range fc.Months {
		month := m.Month
		if month == "" {
			month = "no date"
		}
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t\n", month, m.Deals, m.Value, m.Weighted)
	}
	w.Flush()
	for _, warn := range fc.Warnings {
		fmt.Fprintln(a.errOut, "warning:", warn)
	}
	return nil
}

// days shows an average in days as a duration in words ("11 days", "3 h
// 20 min"), or "-" when there is nothing it averages.
func days(d float64, some bool) string {
	if !some {
		return "-"
	}
	return display.Duration(time.Duration(d * float64(24*time.Hour)))
}

// printFunnel writes a pipeline's funnel as the digest and the chat show
// it, under the same title: how many deals got to each stage (Lost
// aside), the share that went on to the next, how long they stayed, and
// what is open there now; then its bottleneck.
func printFunnel(out io.Writer, all []core.PipelineFunnel, f core.PipelineFunnel) {
	fmt.Fprintf(out, "\n%s:\n", strings.ToLower(bot.FunnelTitle(all, f)[:1])+bot.FunnelTitle(all, f)[1:])
	if f.Empty() {
		fmt.Fprintln(out, "No deals yet; a lead becomes a deal with leadwire leads qualify L123.")
		return
	}
	w := display.NewTable(out)
	w.Numbers = true
	fmt.Fprintln(w, "STAGE\tREACHED\tTO NEXT\tAVG STAY\tOPEN NOW\tOPEN VALUE\t")
	bottleneck := ""
	for _, s := range f.Stages {
		if s.Kind == core.StageLost {
			continue // the deals lost are counted above
		}
		next := "-"
		if s.Kind == core.StageOpen {
			next = fmt.Sprintf("%.1f%%", 100*s.Conversion)
		}
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%d\t%s\t\n", s.Stage, s.Reached, next, days(s.AvgDays, s.AvgDays > 0), s.OpenNow, s.OpenValue)
		if s.Stage == f.Bottleneck && s.Kind == core.StageOpen {
			bottleneck = fmt.Sprintf("bottleneck: %s (%s on average, the longest stay)", s.Stage, days(s.AvgDays, true))
		}
	}
	w.Flush()
	if bottleneck != "" {
		fmt.Fprintln(out, bottleneck)
	}
}

// printLosses prints why deals were lost and leads disqualified in the
// period, against the one before: one table per view.
func printLosses(out io.Writer, l *core.Losses, period string) {
	fmt.Fprintf(out, "\nlost and disqualified, %s: deals lost %d (%s), before %d (%s) · leads disqualified %d, before %d\n",
		period, l.Lost.Count, l.Lost.Value, l.Lost.PrevCount, l.Lost.PrevValue, l.Disq.Count, l.Disq.PrevCount)
	w := display.NewTable(out)
	w.Numbers = true
	for _, view := range []struct {
		head string
		rows []core.LossRow
	}{{"LOST REASON", l.ByReason}, {"LOST FROM STAGE", l.ByStage}, {"LOST BY REP", l.ByRep}} {
		if len(view.rows) == 0 {
			continue
		}
		if view.head != "LOST REASON" {
			fmt.Fprintln(w, "\t\t\t\t\t")
		}
		fmt.Fprintf(w, "%s\tDEALS\tVALUE\tBEFORE\tVALUE BEFORE\t\n", view.head)
		for _, r := range view.rows {
			fmt.Fprintf(w, "%s\t%d\t%s\t%d\t%s\t\n", orDash(r.Key), r.Count, r.Value, r.PrevCount, r.PrevValue)
		}
	}
	if len(l.DisqBy) > 0 {
		fmt.Fprintln(w, "\t\t\t\t\t")
		fmt.Fprintln(w, "DISQUALIFY REASON\tLEADS\tBEFORE\t")
		for _, r := range l.DisqBy {
			fmt.Fprintf(w, "%s\t%d\t%d\t\n", orDash(r.Key), r.Count, r.PrevCount)
		}
	}
	w.Flush()
}
