package storage

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/big"
	"slices"

	"golang.org/x/sync/errgroup"

	"leadwire/core"
)

// Stats implements core.Reader with a handful of GROUP BY queries, each
// read off a covering index, run side by side on separate connections
// when not in a transaction. The window [From, To) is on creation time:
// leads created in it, deals created in it and their stage changes. Stay
// durations, cycle times and response times are kept on the rows when
// written (stay_s, cycle_s, response_s), so no query needs window
// functions or date arithmetic.
//
// Lead funnels, deal sums, open deals and reach come from running totals
// (deal_totals, open_deal_totals, open_stage_totals, reach_totals and
// lead_totals, migration 0034) kept by triggers in every transaction
// that changes deals or leads, when the filter allows: any team, owner
// and pipeline, and a creation window that is empty or runs between
// starts of months in UTC. A window on any other instant, or on closing
// (ClosedFrom, ClosedTo, read off the deals_closed index), reads the
// rows. The median response time is always read off the response_s
// index, as medians do not add up; stage moves come from
// stage_move_totals without a filter and from the stage changes
// otherwise.
func (r *reader) Stats(ctx context.Context, f core.StatsFilter) (*core.StatsData, error) {
	out := &core.StatsData{MedianResponseSeconds: -1}
	var (
		stages  []stageRow
		moves   []stageMove
		open    []openSum
		reaches []reach
	)
	// Each part writes its own variables or fields of out; a filter may
	// ask for some parts only.
	var parts []func(context.Context) error
	want := func(p core.StatsPart, fn func(context.Context) error) {
		if f.Parts == 0 || f.Parts&p != 0 {
			parts = append(parts, fn)
		}
	}
	want(core.StatsStages, func(ctx context.Context) (err error) { moves, err = r.stageMoves(ctx, f); return err })
	want(core.StatsLeads, func(ctx context.Context) error { return r.leadStats(ctx, f, out) })
	want(core.StatsDeals, func(ctx context.Context) error { return r.dealStats(ctx, f, out) })
	want(core.StatsStages|core.StatsForecast, func(ctx context.Context) (err error) { open, err = r.openDeals(ctx, f); return err })
	want(core.StatsStages|core.StatsReach, func(ctx context.Context) (err error) { reaches, err = r.dealReach(ctx, f); return err })
	want(core.StatsStages|core.StatsForecast|core.StatsReach, func(ctx context.Context) (err error) {
		stages, err = r.stagesOf(ctx, f.PipelineID)
		return err
	})
	err := r.all(ctx, parts...)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	out.Stages, out.Forecast = stageCounts(stages, moves, open, reaches)
	return out, nil
}

// all runs the queries, side by side on a pool, one after the other in a
// transaction.
func (r *reader) all(ctx context.Context, parts ...func(context.Context) error) error {
	if !r.parallel {
		for _, p := range parts {
			if err := p(ctx); err != nil {
				return err
			}
		}
		return nil
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, p := range parts {
		g.Go(func() error { return p(ctx) })
	}
	return g.Wait()
}

// leadWhere filters leads; leads have no pipeline.
func (r *reader) leadWhere(f core.StatsFilter) where {
	var w where
	if f.TeamID != 0 {
		w.add("team_id = ?", f.TeamID)
	}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	if !f.From.IsZero() {
		w.add("created_at >= ?", r.d.time(f.From))
	}
	if !f.To.IsZero() {
		w.add("created_at < ?", r.d.time(f.To))
	}
	return w
}

// dealWhere filters deals, aliased d.
func (r *reader) dealWhere(f core.StatsFilter) where {
	var w where
	if f.TeamID != 0 {
		w.add("d.team_id = ?", f.TeamID)
	}
	if f.OwnerID != 0 {
		w.add("d.owner_id = ?", f.OwnerID)
	}
	if f.PipelineID != 0 {
		w.add("d.pipeline_id = ?", f.PipelineID)
	}
	if !f.From.IsZero() {
		w.add("d.created_at >= ?", r.d.time(f.From))
	}
	if !f.To.IsZero() {
		w.add("d.created_at < ?", r.d.time(f.To))
	}
	return w
}

func (r *reader) leadStats(ctx context.Context, f core.StatsFilter, out *core.StatsData) error {
	w := r.leadWhere(f)
	var rows []struct {
		Source    string `db:"source_channel"`
		OwnerID   nullID `db:"owner_id"`
		Leads     int64  `db:"leads"`
		Deals     int64  `db:"deals"`
		Won       int64  `db:"won"`
		Responded int64  `db:"responded"`
	}
	q, args := `SELECT source_channel, owner_id, COUNT(*) AS leads,
		COUNT(deal_status) AS deals,
		SUM(CASE WHEN deal_status = ? THEN 1 ELSE 0 END) AS won,
		COUNT(response_s) AS responded
		FROM leads`+w.String()+` GROUP BY source_channel, owner_id`, append([]any{string(core.DealWon)}, w.args...)
	if tw, ok := r.totalsWhere(f, "", true); ok {
		q, args = leadCountsFromTotals(tw), tw.args
	}
	err := r.sel(ctx, &rows, q, args...)
	if err != nil {
		return fmt.Errorf("lead funnel: %w", err)
	}
	bySource := map[string]*core.SourceCount{}
	byOwner := map[int64]*core.OwnerCount{}
	var responded int64
	for _, row := range rows {
		s := bySource[row.Source]
		if s == nil {
			s = &core.SourceCount{Source: row.Source}
			bySource[row.Source] = s
		}
		s.Leads, s.Deals, s.Won = s.Leads+row.Leads, s.Deals+row.Deals, s.Won+row.Won
		o := byOwner[int64(row.OwnerID)]
		if o == nil {
			o = &core.OwnerCount{OwnerID: int64(row.OwnerID)}
			byOwner[int64(row.OwnerID)] = o
		}
		o.Leads, o.Deals, o.Won = o.Leads+row.Leads, o.Deals+row.Deals, o.Won+row.Won
		responded += row.Responded
	}
	for _, s := range bySource {
		out.LeadsBySource = append(out.LeadsBySource, *s)
	}
	slices.SortFunc(out.LeadsBySource, func(a, b core.SourceCount) int { return cmp.Compare(a.Source, b.Source) })
	for _, o := range byOwner {
		out.LeadsByOwner = append(out.LeadsByOwner, *o)
	}
	slices.SortFunc(out.LeadsByOwner, func(a, b core.OwnerCount) int { return cmp.Compare(a.OwnerID, b.OwnerID) })

	if responded == 0 {
		return nil
	}
	// The middle one or two response times, read off the response_s index.
	w.add("response_s IS NOT NULL")
	var mid []float64
	err = r.sel(ctx, &mid, `SELECT response_s FROM leads`+w.String()+` ORDER BY response_s LIMIT ? OFFSET ?`,
		append(w.args, 2-responded%2, (responded-1)/2)...)
	if err != nil {
		return fmt.Errorf("median response: %w", err)
	}
	if len(mid) > 0 {
		var sum float64
		for _, v := range mid {
			sum += v
		}
		out.MedianResponseSeconds = sum / float64(len(mid))
	}
	return nil
}

func (r *reader) dealStats(ctx context.Context, f core.StatsFilter, out *core.StatsData) error {
	w := r.dealWhere(f)
	if !f.ClosedFrom.IsZero() || !f.ClosedTo.IsZero() {
		w = r.closedDealWhere(f)
	}
	var rows []struct {
		OwnerID  nullID  `db:"owner_id"`
		Status   string  `db:"status"`
		Currency string  `db:"currency"`
		Count    int64   `db:"n"`
		ValueHi  int64   `db:"value_hi"`
		ValueLo  int64   `db:"value_lo"`
		Cycle    float64 `db:"cycle"`
	}
	q, args := `SELECT d.owner_id, d.status, d.currency, COUNT(*) AS n,
		`+splitSum("d.amount", "", "value")+`, COALESCE(SUM(d.cycle_s), 0) AS cycle
		FROM deals d`+w.String()+` GROUP BY d.owner_id, d.status, d.currency`, w.args
	if tw, ok := r.totalsWhere(f, "", false); ok {
		q, args = dealSumsFromTotals(tw), tw.args
	}
	err := r.sel(ctx, &rows, q, args...)
	if err != nil {
		return fmt.Errorf("deal sums: %w", err)
	}
	type sk struct {
		status   core.DealStatus
		currency string
	}
	sums := map[sk]*core.DealSum{}
	for _, row := range rows {
		ds := core.DealSum{Status: core.DealStatus(row.Status), Currency: row.Currency,
			Count: row.Count, Value: joinSum(row.ValueHi, row.ValueLo, 1), CycleDays: row.Cycle / 86400}
		out.DealsByOwner = append(out.DealsByOwner, core.OwnerDealSum{OwnerID: int64(row.OwnerID), DealSum: ds})
		k := sk{ds.Status, ds.Currency}
		if s := sums[k]; s != nil {
			s.Value, _ = core.AddAmounts(s.Value, ds.Value)
			s.Count, s.CycleDays = s.Count+ds.Count, s.CycleDays+ds.CycleDays
		} else {
			sums[k] = &ds
		}
	}
	for _, s := range sums {
		out.Deals = append(out.Deals, *s)
	}
	slices.SortFunc(out.Deals, compareDealSums)
	slices.SortFunc(out.DealsByOwner, func(a, b core.OwnerDealSum) int {
		return cmp.Or(cmp.Compare(a.OwnerID, b.OwnerID), compareDealSums(a.DealSum, b.DealSum))
	})
	return nil
}

// sumSplit is the divisor that splits an amount into the two halves
// splitSum adds up.
const sumSplit = 1_000_000_000

// splitSum is SQL for the sum of an integer amount column (times factor,
// when one is given), as two columns name_hi and name_lo: the sums of its
// billions and of the rest. Neither overflows for any number of rows,
// where a plain sum of amounts near the int64 limit fails, SQLite's SUM
// with "integer overflow", PostgreSQL's with "bigint out of range" in the
// product or the cast. joinSum puts the halves back together.
func splitSum(amount, factor, name string) string {
	if factor != "" {
		factor = " * " + factor
	}
	return fmt.Sprintf("CAST(COALESCE(SUM((%[1]s / %[3]d)%[2]s), 0) AS BIGINT) AS %[4]s_hi, "+
		"CAST(COALESCE(SUM((%[1]s %% %[3]d)%[2]s), 0) AS BIGINT) AS %[4]s_lo", amount, factor, sumSplit, name)
}

// joinSum is (hi × sumSplit + lo) / div, truncated toward zero and held at
// the int64 bounds.
func joinSum(hi, lo, div int64) int64 {
	v := new(big.Int).Mul(big.NewInt(hi), big.NewInt(sumSplit))
	v.Add(v, big.NewInt(lo))
	if div != 1 {
		v.Quo(v, big.NewInt(div))
	}
	switch {
	case v.IsInt64():
		return v.Int64()
	case v.Sign() > 0:
		return math.MaxInt64
	}
	return math.MinInt64
}

func compareDealSums(a, b core.DealSum) int {
	return cmp.Or(cmp.Compare(a.Status, b.Status), cmp.Compare(a.Currency, b.Currency))
}
