package core

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"
)

// Funnel is lead → deal → won conversion for one source, rep or stage.
type Funnel struct {
	Key        string  `json:"key"`
	Leads      int64   `json:"leads"`
	Deals      int64   `json:"deals"`
	Won        int64   `json:"won"`
	LeadToDeal float64 `json:"lead_to_deal"` // 0..1
	DealToWon  float64 `json:"deal_to_won"`
	LeadToWon  float64 `json:"lead_to_won"`
}

// StageMetric is how deals fare in one stage.
type StageMetric struct {
	Stage      string    `json:"stage"`
	Pipeline   int64     `json:"pipeline"`
	Kind       StageKind `json:"kind"`
	Entered    int64     `json:"entered"`    // deals that ever reached the stage
	Reached    int64     `json:"reached"`    // deals that got this far or further, Lost aside
	Conversion float64   `json:"conversion"` // share of those that reached the next stage (0..1)
	AvgDays    float64   `json:"avg_days"`   // average stay of deals that left the stage
	OpenNow    int64     `json:"open_now"`
	OpenValue  Money     `json:"open_value"` // in the reporting currency
}

// RepMetric sums one rep's results.
type RepMetric struct {
	UserID     int64   `json:"user_id"`
	Name       string  `json:"name"`
	Leads      int64   `json:"leads"`
	LeadDeals  int64   `json:"lead_deals"`   // of those leads, how many became deals
	LeadToDeal float64 `json:"lead_to_deal"` // 0..1
	Won        int64   `json:"won"`
	Lost       int64   `json:"lost"`
	WonValue   Money   `json:"won_value"`
	WinRate    float64 `json:"win_rate"`
}

// Metrics are the pipeline's numbers over a filter, money in the reporting
// currency.
type Metrics struct {
	Currency          string        `json:"currency"`
	Open              int64         `json:"open"`
	Won               int64         `json:"won"`
	Lost              int64         `json:"lost"`
	WinRate           float64       `json:"win_rate"`       // won / (won + lost)
	AvgCycleDays      float64       `json:"avg_cycle_days"` // creation to win
	AvgDealSize       Money         `json:"avg_deal_size"`  // of won deals
	WonValue          Money         `json:"won_value"`
	OpenValue         Money         `json:"open_value"`
	BySource          []Funnel      `json:"by_source"`
	ByRep             []RepMetric   `json:"by_rep"`
	Stages            []StageMetric `json:"stages"`
	Bottleneck        string        `json:"bottleneck"` // the longest of the funnels' bottlenecks, "Pipeline / Stage" when there are several
	MedianSpeedToLead time.Duration `json:"median_speed_to_lead_ns"`
	Rotting           int           `json:"rotting"`
	Warnings          []Warning     `json:"warnings"` // e.g. currencies without a rate

	// Funnels are Stages by pipeline, each with its bottleneck, as the
	// digest shows them.
	Funnels []PipelineFunnel `json:"funnels"`
}

// Metrics computes the numbers for a filter the actor may see: a rep sees
// own deals, or with f.TeamID their own team's totals (their own line
// alone by rep), a manager the team's, an admin everything. Someone in no
// team sees their own.
func (s *Reports) Metrics(ctx context.Context, actor *User, f StatsFilter) (*Metrics, error) {
	f = s.scopeStats(actor, f)
	data, err := s.store.Stats(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	rotting, err := s.store.RottingCount(ctx, f, s.clock.Now(), 1000)
	if err != nil {
		return nil, fmt.Errorf("rotting deals: %w", err)
	}
	m := s.buildMetrics(data)
	m.Rotting = rotting
	if actor.Role == RoleRep {
		// The team's totals, not how each colleague is doing.
		m.ByRep = slices.DeleteFunc(m.ByRep, func(r RepMetric) bool { return r.UserID != actor.ID })
	}
	pipelines, err := s.store.ListPipelines(ctx)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	m.Funnels = funnels(pipelines, m.Stages)
	longest := 0.0
	for _, fn := range m.Funnels {
		for _, st := range fn.Stages {
			if st.Stage == fn.Bottleneck && st.Kind == StageOpen && st.AvgDays > longest {
				m.Bottleneck, longest = fn.Bottleneck, st.AvgDays
				if len(m.Funnels) > 1 {
					m.Bottleneck = fn.Pipeline + " / " + fn.Bottleneck
				}
			}
		}
	}
	if f.OwnerID == 0 {
		names, err := s.userNames(ctx)
		if err != nil {
			return nil, err
		}
		for i := range m.ByRep {
			m.ByRep[i].Name = names[m.ByRep[i].UserID]
		}
	}
	return m, nil
}

// scopeStats narrows f to what the actor may see: an admin anything, a
// manager of a team that team, a rep of a team who asks for it
// (f.TeamID) that team, and otherwise their own deals. No team is never
// every team.
func (s *Reports) scopeStats(actor *User, f StatsFilter) StatsFilter {
	switch {
	case actor.Role == RoleAdmin:
	case actor.Role == RoleManager && actor.TeamID != 0:
		f.TeamID = actor.TeamID
	case actor.Role == RoleRep && actor.TeamID != 0 && f.TeamID == actor.TeamID && f.OwnerID == 0:
	default:
		f.OwnerID = ownID(actor)
	}
	return f
}

func (s *Reports) userNames(ctx context.Context) (map[int64]string, error) {
	users, err := s.store.ListUsers(ctx, UserFilter{})
	if err != nil {
		return nil, err
	}
	names := map[int64]string{0: "(unassigned)"}
	for _, u := range users {
		names[u.ID] = u.display()
	}
	return names, nil
}

// convert turns money into the reporting currency, noting a missing rate
// or an amount too large to hold once instead of failing the whole report.
func (s *Reports) convert(m *Metrics, v Money) int64 {
	c, err := s.settings.Rates.Convert(v)
	if err != nil {
		m.warn(warningOf(err))
		return 0
	}
	if AtLimit(c.Amount) {
		m.warn(warnTooLarge())
	}
	return c.Amount
}

// warnTooLarge says a total was held at the largest amount rather than
// wrapping around.
func warnTooLarge() Warning {
	return Warning{Text: "a total is too large to add up and shows the largest amount leadwire can hold; look for a deal whose value was mistyped",
		Key: "warning.too_large"}
}

func (m *Metrics) warn(w Warning) {
	if !slices.ContainsFunc(m.Warnings, w.same) {
		m.Warnings = append(m.Warnings, w)
	}
}

// add returns a+b held at the int64 bounds, noting a total that was held.
func (m *Metrics) add(a, b int64) int64 {
	sum, held := AddAmounts(a, b)
	if held {
		m.warn(warnTooLarge())
	}
	return sum
}

// sub returns a-b held at the int64 bounds, noting a total that was held.
func (m *Metrics) sub(a, b int64) int64 {
	if b == math.MinInt64 { // its negation does not fit
		if a >= 0 {
			m.warn(warnTooLarge())
			return math.MaxInt64
		}
		return a - b
	}
	return m.add(a, -b)
}

func (s *Reports) buildMetrics(d *StatsData) *Metrics {
	cur := s.settings.Rates.Base
	m := &Metrics{Currency: cur}
	money := func(a int64) Money { return Money{Amount: a, Currency: cur} }
	var cycle float64
	var won, open int64
	for _, ds := range d.Deals {
		v := s.convert(m, Money{ds.Value, ds.Currency})
		switch ds.Status {
		case DealOpen:
			m.Open += ds.Count
			open = m.add(open, v)
		case DealWon:
			m.Won += ds.Count
			won = m.add(won, v)
			cycle += ds.CycleDays
		case DealLost:
			m.Lost += ds.Count
		}
	}
	m.WinRate = ratio(m.Won, m.Won+m.Lost)
	if m.Won > 0 {
		m.AvgCycleDays = cycle / float64(m.Won)
		m.AvgDealSize = money(won / m.Won)
	} else {
		m.AvgDealSize = money(0)
	}
	m.WonValue, m.OpenValue = money(won), money(open)

	for _, sc := range d.LeadsBySource {
		m.BySource = append(m.BySource, funnel(sc.Source, sc.Leads, sc.Deals, sc.Won))
	}
	reps := map[int64]*RepMetric{}
	rep := func(id int64) *RepMetric {
		if reps[id] == nil {
			reps[id] = &RepMetric{UserID: id, WonValue: money(0)}
		}
		return reps[id]
	}
	for _, oc := range d.LeadsByOwner {
		r := rep(oc.OwnerID)
		r.Leads += oc.Leads
		r.LeadDeals += oc.Deals
	}
	for _, od := range d.DealsByOwner {
		r := rep(od.OwnerID)
		switch od.Status {
		case DealWon:
			r.Won += od.Count
			r.WonValue.Amount = m.add(r.WonValue.Amount, s.convert(m, Money{od.Value, od.Currency}))
		case DealLost:
			r.Lost += od.Count
		}
	}
	for _, r := range reps {
		r.WinRate = ratio(r.Won, r.Won+r.Lost)
		r.LeadToDeal = ratio(r.LeadDeals, r.Leads)
		m.ByRep = append(m.ByRep, *r)
	}
	slices.SortFunc(m.ByRep, func(a, b RepMetric) int {
		return cmp.Or(cmp.Compare(b.WonValue.Amount, a.WonValue.Amount), cmp.Compare(a.UserID, b.UserID))
	})

	stages := slices.Clone(d.Stages)
	slices.SortFunc(stages, func(a, b StageCount) int {
		if a.PipelineID != b.PipelineID {
			return int(a.PipelineID - b.PipelineID)
		}
		return a.Position - b.Position
	})
	for i, st := range stages {
		sm := StageMetric{Stage: st.Name, Pipeline: st.PipelineID, Kind: st.Kind, Entered: st.Entered, Reached: st.Reached, OpenNow: st.OpenNow, OpenValue: money(0)}
		for _, v := range st.OpenValue {
			sm.OpenValue.Amount = m.add(sm.OpenValue.Amount, s.convert(m, Money{v.Amount, v.Currency}))
		}
		if st.Exits > 0 {
			sm.AvgDays = st.StaySeconds / float64(st.Exits) / 86400
		}
		if st.Kind == StageOpen {
			// Deals skip stages: one that got further passed this one.
			var next int64
			if i+1 < len(stages) && stages[i+1].PipelineID == st.PipelineID {
				next = stages[i+1].Reached
			}
			sm.Conversion = ratio(next, st.Reached)
		}
		m.Stages = append(m.Stages, sm)
	}
	if d.MedianResponseSeconds >= 0 {
		m.MedianSpeedToLead = time.Duration(d.MedianResponseSeconds * float64(time.Second))
	}
	return m
}

func funnel(key string, leads, deals, won int64) Funnel {
	return Funnel{Key: key, Leads: leads, Deals: deals, Won: won,
		LeadToDeal: ratio(deals, leads), DealToWon: ratio(won, deals), LeadToWon: ratio(won, leads)}
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// ForecastMonth is the open pipeline expected to close in a month.
type ForecastMonth struct {
	Month    string `json:"month"` // "2026-11"; "" for deals without a close date
	Deals    int64  `json:"deals"`
	Value    Money  `json:"value"`
	Weighted Money  `json:"weighted"` // value × win probability
}

// Forecast is the weighted pipeline by expected close month against the
// target of one month.
type Forecast struct {
	Currency string          `json:"currency"`
	Month    string          `json:"month"` // the month compared with the target
	Months   []ForecastMonth `json:"months"`
	Won      Money           `json:"won"`      // already won in Month
	Weighted Money           `json:"weighted"` // weighted open pipeline expected to close in Month
	Target   Money           `json:"target"`
	Gap      Money           `json:"gap"` // Target − Won − Weighted; negative when ahead
	Warnings []Warning       `json:"warnings"`
}

// Forecast computes the weighted forecast for month ("2026-11"; empty: the
// current month in the organisation's time zone) against the target of the
// actor's scope: a rep's own, a manager's team, an admin's sum of teams.
func (s *Reports) Forecast(ctx context.Context, actor *User, f StatsFilter, month string) (*Forecast, error) {
	if month == "" {
		loc, err := time.LoadLocation(s.settings.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		month = s.clock.Now().In(loc).Format("2006-01")
	}
	start, err := time.Parse("2006-01", month)
	if err != nil {
		return nil, Fail(KindInvalid, "error.invalid_month", `invalid month "{Value}"; write it as YYYY-MM`, "Value", month)
	}
	f = s.scopeStats(actor, f)
	ff := f
	ff.Parts = StatsForecast
	data, err := s.store.Stats(ctx, ff)
	if err != nil {
		return nil, fmt.Errorf("forecast: %w", err)
	}
	m := &Metrics{}
	cur := s.settings.Rates.Base
	fc := &Forecast{Currency: cur, Month: month}
	byMonth := map[string]*ForecastMonth{}
	for _, fs := range data.Forecast {
		fm := byMonth[fs.Month]
		if fm == nil {
			fm = &ForecastMonth{Month: fs.Month, Value: Money{0, cur}, Weighted: Money{0, cur}}
			byMonth[fs.Month] = fm
		}
		fm.Deals += fs.Count
		fm.Value.Amount = m.add(fm.Value.Amount, s.convert(m, Money{fs.Value, fs.Currency}))
		fm.Weighted.Amount = m.add(fm.Weighted.Amount, s.convert(m, Money{fs.Weighted, fs.Currency}))
	}
	for _, fm := range byMonth {
		fc.Months = append(fc.Months, *fm)
	}
	slices.SortFunc(fc.Months, func(a, b ForecastMonth) int {
		switch {
		case a.Month == b.Month:
			return 0
		case a.Month == "":
			return 1
		case b.Month == "":
			return -1
		case a.Month < b.Month:
			return -1
		}
		return 1
	})
	fc.Weighted = Money{0, cur}
	if fm := byMonth[month]; fm != nil {
		fc.Weighted = fm.Weighted
	}
	// Won in the month: deals closed within it.
	wf := f
	wf.From, wf.To = time.Time{}, time.Time{}
	wonData, err := s.store.Stats(ctx, StatsFilter{TeamID: wf.TeamID, OwnerID: wf.OwnerID, PipelineID: wf.PipelineID, ClosedFrom: start, ClosedTo: start.AddDate(0, 1, 0), Parts: StatsDeals})
	if err != nil {
		return nil, fmt.Errorf("forecast: %w", err)
	}
	fc.Won = Money{0, cur}
	for _, ds := range wonData.Deals {
		if ds.Status == DealWon {
			fc.Won.Amount = m.add(fc.Won.Amount, s.convert(m, Money{ds.Value, ds.Currency}))
		}
	}
	targets, err := s.store.ListTargets(ctx, month)
	if err != nil {
		return nil, err
	}
	fc.Target = Money{0, cur}
	for _, t := range targets {
		if (f.OwnerID != 0 && t.UserID == f.OwnerID) || (f.OwnerID == 0 && f.TeamID != 0 && t.TeamID == f.TeamID) || (f.OwnerID == 0 && f.TeamID == 0 && t.TeamID != 0) {
			fc.Target.Amount = m.add(fc.Target.Amount, s.convert(m, t.Amount))
		}
	}
	fc.Gap = Money{m.sub(m.sub(fc.Target.Amount, fc.Won.Amount), fc.Weighted.Amount), cur}
	fc.Warnings = m.Warnings
	return fc, nil
}
