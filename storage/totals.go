package storage

import (
	"context"
	"fmt"
	"time"

	"leadwire/core"
)

// totalsWhere filters the running totals by f, with prefix before the
// column names; ok is false when Stats reads the rows for f instead: for
// a window on closing, a creation window that is not whole months in UTC,
// or fromRows. Leads have no pipeline: noPipeline leaves it out.
func (r *reader) totalsWhere(f core.StatsFilter, prefix string, noPipeline bool) (w where, ok bool) {
	if r.fromRows || !f.ClosedFrom.IsZero() || !f.ClosedTo.IsZero() {
		return w, false
	}
	from, okFrom := monthOf(f.From)
	to, okTo := monthOf(f.To)
	if !okFrom || !okTo {
		return w, false
	}
	if f.TeamID != 0 {
		w.add(prefix+"team_id = ?", f.TeamID)
	}
	if f.OwnerID != 0 {
		w.add(prefix+"owner_id = ?", f.OwnerID)
	}
	if f.PipelineID != 0 && !noPipeline {
		w.add(prefix+"pipeline_id = ?", f.PipelineID)
	}
	if !f.From.IsZero() {
		w.add(prefix+"month >= ?", from)
	}
	if !f.To.IsZero() {
		w.add(prefix+"month < ?", to)
	}
	return w, true
}

// monthOf is the month of the totals (year × 12 + month − 1) that t starts,
// and whether t is the start of a month in UTC (or zero, no bound).
func monthOf(t time.Time) (int, bool) {
	if t.IsZero() {
		return 0, true
	}
	t = t.UTC().Truncate(time.Microsecond)
	y, m, _ := t.Date()
	return y*12 + int(m) - 1, t.Equal(time.Date(y, m, 1, 0, 0, 0, 0, time.UTC))
}

// monthStart is the first instant of a month of the totals; zero for -1,
// no date.
func monthStart(month int) time.Time {
	if month < 0 {
		return time.Time{}
	}
	return time.Date(month/12, time.Month(month%12+1), 1, 0, 0, 0, 0, time.UTC)
}

// leadCountsFromTotals is the lead funnel query of leadStats over
// lead_totals.
func leadCountsFromTotals(w where) string {
	return `SELECT source_channel, owner_id, CAST(SUM(leads) AS BIGINT) AS leads, CAST(SUM(deals) AS BIGINT) AS deals,
		CAST(SUM(won) AS BIGINT) AS won, CAST(SUM(responded) AS BIGINT) AS responded
		FROM lead_totals` + w.String() + ` GROUP BY source_channel, owner_id HAVING SUM(leads) <> 0`
}

// dealSumsFromTotals is the query of dealStats over deal_totals.
func dealSumsFromTotals(w where) string {
	return `SELECT owner_id, status, currency, CAST(SUM(n) AS BIGINT) AS n,
		CAST(SUM(value_hi) AS BIGINT) AS value_hi, CAST(SUM(value_lo) AS BIGINT) AS value_lo, SUM(cycle_s) AS cycle
		FROM deal_totals` + w.String() + ` GROUP BY owner_id, status, currency HAVING SUM(n) <> 0`
}

// openDealsFromTotals sums open_deal_totals as openDeals sums the open
// deals, by close month instead of date; without a filter, the few rows
// of open_stage_totals.
func (r *reader) openDealsFromTotals(ctx context.Context, w where) ([]openSum, error) {
	var rows []struct {
		openSum
		CloseMonth int `db:"close_month"`
	}
	table := "open_deal_totals"
	if len(w.conds) == 0 {
		table = "open_stage_totals"
	}
	// The stage's probability is today's, as in openDeals.
	if err := r.sel(ctx, &rows, `SELECT o.stage_id, o.currency, o.close_month, CAST(SUM(o.n) AS BIGINT) AS n,
		CAST(SUM(o.value_hi) AS BIGINT) AS value_hi, CAST(SUM(o.value_lo) AS BIGINT) AS value_lo,
		CAST(SUM(o.own_weighted_hi + o.stage_value_hi * COALESCE(s.probability, 0)) AS BIGINT) AS weighted_hi,
		CAST(SUM(o.own_weighted_lo + o.stage_value_lo * COALESCE(s.probability, 0)) AS BIGINT) AS weighted_lo
		FROM `+table+` o LEFT JOIN stages s ON s.id = o.stage_id`+w.String()+`
		GROUP BY o.stage_id, o.currency, o.close_month HAVING SUM(o.n) <> 0`, w.args...); err != nil {
		return nil, fmt.Errorf("open deals: %w", err)
	}
	out := make([]openSum, len(rows))
	for i, row := range rows {
		out[i] = row.openSum
		out[i].ExpectedClose = nullTime{monthStart(row.CloseMonth)}
	}
	return out, nil
}

// reachFromTotals is the query of dealReach over reach_totals.
func reachFromTotals(w where) string {
	return `SELECT pipeline_id, furthest_position, CAST(SUM(n) AS BIGINT) AS n FROM reach_totals` + w.String() + `
		GROUP BY pipeline_id, furthest_position HAVING SUM(n) <> 0`
}
