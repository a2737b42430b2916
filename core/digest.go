package core

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// The scopes of a digest.
const (
	ScopeAll  = "all"
	ScopeTeam = "team"
	ScopeOwn  = "own"
)

// Digest is a manager's report of one day (or, on Mondays when weekly
// summaries are on, of the seven days before): what came in, what moved,
// what needs attention now, and where the month stands. Money is in the
// reporting currency; times are UTC, shown in the manager's TimeZone.
type Digest struct {
	ManagerID int64
	Manager   string // the manager's name
	Email     string
	TimeZone  string // the manager's zone, which drew the day's bounds
	Scope     string // "team Bangkok", "your own work", "every team"
	// ScopeKind and Team say what Scope says as data, for the reader's
	// language: ScopeAll, ScopeTeam (Team is its name, "" when unknown)
	// or ScopeOwn.
	ScopeKind string
	Team      string
	Day       string // the last day covered, YYYY-MM-DD in TimeZone
	Weekly    bool   // covers the seven days ending with Day
	Monthly   bool   // covers the calendar month Day names ("2026-11")
	From, To  time.Time
	Currency  string

	NewLeads          int64
	LeadsBySource     []Funnel      // leads created in the window, by source
	MedianSpeedToLead time.Duration // of those leads; -1 when none was answered yet
	Unclaimed         []Lead        // unclaimed leads now, oldest first, at most ten
	MoreUnclaimed     bool

	Moves     []DigestMove // moves into open stages within the window, by stage
	Won, Lost int64        // deals closed within the window
	WonValue  Money
	// Losses is why deals were lost and leads disqualified within the
	// window, against the window before (the day, week or month before).
	Losses *Losses

	Pipeline *PipelineSummary // open pipeline by stage now
	Forecast *Forecast        // the month of the day after Day, against its target

	Rotting     []Deal // the ten most rotten deals now
	MoreRotting bool
	Overdue     []DigestOverdue // overdue tasks by rep now
	Reps        []RepMetric     // new leads, won, value and win rate within the window
	// Funnels is how far the deals opened since FunnelFrom (FunnelDays
	// local days before the end of the window) got: Reached and
	// Conversion per stage, a funnel per pipeline. A recent cohort, so
	// that this quarter's selling shows rather than every deal ever. The
	// default pipeline comes first and always; another only when some of
	// the cohort is in it.
	Funnels    []PipelineFunnel
	FunnelFrom time.Time

	Warnings []Warning
}

// PipelineFunnel is the funnel of one pipeline's stages: the digest's,
// `leadwire stats`' and the chat's stats' one rendering of a funnel.
type PipelineFunnel struct {
	Pipeline string        `json:"pipeline"`
	Stages   []StageMetric `json:"stages"`
	// Bottleneck is the open stage deals stay in longest on average, ""
	// when no stay is long enough to hold anything up (BottleneckMin).
	Bottleneck string `json:"bottleneck,omitempty"`
}

// Empty reports whether no deal got into the funnel.
func (f PipelineFunnel) Empty() bool {
	for _, st := range f.Stages {
		if st.Entered > 0 || st.Reached > 0 || st.OpenNow > 0 {
			return false
		}
	}
	return true
}

// BottleneckMin is the shortest average stay that makes a stage a
// bottleneck: deals passing through every stage within minutes (a demo,
// a bulk import) have none.
const BottleneckMin = time.Hour

// funnels splits stage metrics by pipeline: the default pipeline first
// (whenever its stages are among them), then the others the deals are
// in, in the pipelines' order; each with its bottleneck.
func funnels(pipelines []Pipeline, stages []StageMetric) []PipelineFunnel {
	var out []PipelineFunnel
	for _, first := range []bool{true, false} {
		for _, p := range pipelines {
			if p.IsDefault != first {
				continue
			}
			f := PipelineFunnel{Pipeline: p.Name}
			used, longest := false, BottleneckMin.Hours()/24
			for _, st := range stages {
				if st.Pipeline != p.ID {
					continue
				}
				f.Stages = append(f.Stages, st)
				used = used || st.Entered > 0 || st.Reached > 0 || st.OpenNow > 0
				if st.Kind == StageOpen && st.AvgDays >= longest {
					f.Bottleneck, longest = st.Stage, st.AvgDays
				}
			}
			if len(f.Stages) > 0 && (p.IsDefault || used) {
				out = append(out, f)
			}
		}
	}
	return out
}

// DigestMove is how many deals entered a stage within the window.
type DigestMove struct {
	Pipeline string
	Stage    string
	Moves    int64
}

// DigestOverdue is one rep's overdue tasks.
type DigestOverdue struct {
	UserID int64
	Name   string
	Tasks  int64
	Oldest time.Time
}

// FunnelDays is how far back the digest's funnel reaches: the deals opened
// in these last days, long enough for most to have got somewhere.
const FunnelDays = 90

// DigestWindow returns the UTC bounds of the digest of day (YYYY-MM-DD)
// in loc: the local day, or with weekly, when the day after is a Monday,
// the seven local days ending with it; or of a month (YYYY-MM), its local
// days. Local midnights keep a day 23 or
// 25 hours long across a daylight-saving switch.
func DigestWindow(day string, loc *time.Location, weekly bool) (from, to time.Time, isWeekly bool, err error) {
	if m, err := time.ParseInLocation("2006-01", day, loc); err == nil && len(day) == len("2006-01") {
		// A month: its first local midnight to the next month's.
		return m.UTC(), m.AddDate(0, 1, 0).UTC(), false, nil
	}
	start, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return time.Time{}, time.Time{}, false, Errorf(KindInvalid, "invalid date %q; write it as YYYY-MM-DD (a day) or YYYY-MM (a month)", day)
	}
	end := start.AddDate(0, 0, 1)
	if weekly && end.Weekday() == time.Monday {
		start, isWeekly = end.AddDate(0, 0, -7), true
	}
	return start.UTC(), end.UTC(), isWeekly, nil
}

// BuildDigest builds the digest of day (YYYY-MM-DD in the manager's zone,
// or a month YYYY-MM for the monthly report)
// for the manager's team; a manager without a team gets own work, an
// admin everything. It is built from the same store aggregates as the
// metrics, the forecast and the review.
func (s *Reports) BuildDigest(ctx context.Context, managerID int64, day string) (*Digest, error) {
	u, err := s.store.UserByID(ctx, managerID)
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	loc := u.Location()
	from, to, weekly, err := DigestWindow(day, loc, s.settings.Digest.Weekly)
	if err != nil {
		return nil, err
	}
	cur := s.settings.Rates.Base
	d := &Digest{ManagerID: u.ID, Manager: u.display(), Email: u.Email, TimeZone: loc.String(), Day: day,
		Weekly: weekly, Monthly: len(day) == len("2006-01"), From: from, To: to, Currency: cur}
	f := s.scopeStats(u, StatsFilter{})
	switch {
	case u.Role == RoleAdmin:
		d.Scope, d.ScopeKind = "every team", ScopeAll
	case f.TeamID != 0:
		d.Scope, d.ScopeKind = "your team", ScopeTeam
		if t, err := s.store.TeamByID(ctx, f.TeamID); err == nil {
			d.Scope, d.Team = "team "+t.Name, t.Name
		}
	default:
		d.Scope, d.ScopeKind = "your own work", ScopeOwn
	}

	// What happened in the window: leads created, deals closed.
	lf := f
	lf.From, lf.To, lf.Parts = from, to, StatsLeads
	leads, err := s.store.Stats(ctx, lf)
	if err != nil {
		return nil, fmt.Errorf("digest leads: %w", err)
	}
	cf := f
	cf.ClosedFrom, cf.ClosedTo, cf.Parts = from, to, StatsDeals
	closed, err := s.store.Stats(ctx, cf)
	if err != nil {
		return nil, fmt.Errorf("digest closed deals: %w", err)
	}
	window := s.buildMetrics(&StatsData{LeadsBySource: leads.LeadsBySource, LeadsByOwner: leads.LeadsByOwner,
		MedianResponseSeconds: leads.MedianResponseSeconds, Deals: closed.Deals, DealsByOwner: closed.DealsByOwner})
	d.Warnings = append(d.Warnings, window.Warnings...)
	d.LeadsBySource = window.BySource
	slices.SortStableFunc(d.LeadsBySource, func(a, b Funnel) int { return int(b.Leads - a.Leads) })
	for _, sc := range window.BySource {
		d.NewLeads += sc.Leads
	}
	d.MedianSpeedToLead = -1
	if leads.MedianResponseSeconds >= 0 {
		d.MedianSpeedToLead = window.MedianSpeedToLead
	}
	d.Won, d.Lost, d.WonValue = window.Won, window.Lost, window.WonValue
	names, err := s.userNames(ctx)
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	d.Reps = window.ByRep
	for i := range d.Reps {
		d.Reps[i].Name = names[d.Reps[i].UserID]
	}
	if d.Losses, err = s.losses(ctx, StatsFilter{TeamID: f.TeamID, OwnerID: f.OwnerID}, from, to, PrevPeriod(from, to, loc)); err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	moves, err := s.store.StageMoves(ctx, f, from, to)
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	pipelines, err := s.store.ListPipelines(ctx)
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	for _, p := range pipelines {
		for _, st := range p.Stages {
			for _, m := range moves {
				// Moves into Won and Lost are the wins and losses.
				if m.StageID == st.ID && st.Kind == StageOpen {
					d.Moves = append(d.Moves, DigestMove{Pipeline: p.Name, Stage: st.Name, Moves: m.Moves})
				}
			}
		}
	}

	// Where things stand now.
	team := u.Role == RoleAdmin || (u.Role == RoleManager && u.TeamID != 0)
	if d.Pipeline, err = s.PipelineSummary(ctx, u, team); err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	// The digest sent on the morning after Day looks at that morning's
	// month: on the 1st, the new month, not the one just closed.
	if d.Forecast, err = s.Forecast(ctx, u, StatsFilter{}, to.In(loc).Format("2006-01")); err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	sf := f
	d.FunnelFrom = to.In(loc).AddDate(0, 0, -FunnelDays).UTC()
	sf.From, sf.To, sf.Parts = d.FunnelFrom, to, StatsReach
	stages, err := s.store.Stats(ctx, sf)
	if err != nil {
		return nil, fmt.Errorf("digest funnel: %w", err)
	}
	funnel := s.buildMetrics(stages)
	d.Funnels = funnels(pipelines, funnel.Stages)
	r, err := s.Review(ctx, u, 10)
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	d.Rotting, d.MoreRotting = r.Rotting, r.MoreRotting
	d.Unclaimed, d.MoreUnclaimed = r.Unclaimed, r.MoreUnclaimed
	overdue, err := s.store.OverdueTasks(ctx, f, s.clock.Now())
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	for _, o := range overdue {
		d.Overdue = append(d.Overdue, DigestOverdue{UserID: o.OwnerID, Name: names[o.OwnerID], Tasks: o.Tasks, Oldest: o.Oldest})
	}
	for _, w := range append(append(slices.Clone(d.Pipeline.Warnings), d.Forecast.Warnings...), funnel.Warnings...) {
		if !slices.ContainsFunc(d.Warnings, w.same) {
			d.Warnings = append(d.Warnings, w)
		}
	}
	return d, nil
}
