package storage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"leadwire/core"
)

// stagesOf lists the stages of a pipeline, or of all pipelines for 0.
func (r *reader) stagesOf(ctx context.Context, pipelineID int64) ([]stageRow, error) {
	var w where
	if pipelineID != 0 {
		w.add("s.pipeline_id = ?", pipelineID)
	}
	var stages []stageRow
	if err := r.sel(ctx, &stages, `SELECT `+stageCols+` FROM stages s`+w.String()+
		` ORDER BY s.pipeline_id, s.position, s.id`, w.args...); err != nil {
		return nil, fmt.Errorf("list stages: %w", err)
	}
	return stages, nil
}

// stageMove sums the stage changes between two stages.
type stageMove struct {
	From    nullID  `db:"from_stage"`
	To      int64   `db:"to_stage"`
	Count   int64   `db:"n"`
	Entered int64   `db:"entered"`
	Stay    float64 `db:"stay"`
}

// stageMoves sums stage changes by the stages they leave and enter. The
// pipeline filter is the stage list's, and the window is on the deals'
// creation time copied onto their changes; only a team or owner filter
// needs the deals. Then the deals drive the join (SQLite takes CROSS
// JOIN's left side as the outer loop) and their changes come off the
// covering (deal_id, …) index; otherwise a covering index of the changes
// is scanned, whole or over the window.
func (r *reader) stageMoves(ctx context.Context, f core.StatsFilter) ([]stageMove, error) {
	if f.TeamID == 0 && f.OwnerID == 0 && f.From.IsZero() && f.To.IsZero() && !r.fromRows {
		// Everything: the running totals say it without reading history.
		var moves []stageMove
		if err := r.sel(ctx, &moves, `SELECT NULLIF(from_stage, 0) AS from_stage, to_stage, n, entered, stay_s AS stay
			FROM stage_move_totals`); err != nil {
			return nil, fmt.Errorf("stage moves: %w", err)
		}
		return moves, nil
	}
	var w where
	from := ` FROM stage_changes sc`
	if f.TeamID != 0 || f.OwnerID != 0 {
		w = r.dealWhere(core.StatsFilter{TeamID: f.TeamID, OwnerID: f.OwnerID, From: f.From, To: f.To})
		from = ` FROM deals d CROSS JOIN stage_changes sc`
		w.add("sc.deal_id = d.id")
	} else {
		if !f.From.IsZero() {
			w.add("sc.deal_created_at >= ?", r.d.time(f.From))
		}
		if !f.To.IsZero() {
			w.add("sc.deal_created_at < ?", r.d.time(f.To))
		}
	}
	var moves []stageMove
	if err := r.sel(ctx, &moves, `SELECT sc.from_stage, sc.to_stage, COUNT(*) AS n, SUM(sc.first_entry) AS entered,
		COALESCE(SUM(sc.stay_s), 0) AS stay`+from+w.String()+` GROUP BY sc.from_stage, sc.to_stage`, w.args...); err != nil {
		return nil, fmt.Errorf("stage moves: %w", err)
	}
	return moves, nil
}

// openSum sums open deals of one stage, currency and expected close date.
type openSum struct {
	StageID       nullID   `db:"stage_id"`
	Currency      string   `db:"currency"`
	ExpectedClose nullTime `db:"expected_close"`
	Count         int64    `db:"n"`
	ValueHi       int64    `db:"value_hi"`
	ValueLo       int64    `db:"value_lo"`
	WeightedHi    int64    `db:"weighted_hi"`
	WeightedLo    int64    `db:"weighted_lo"`
}

// value is the sum of the deals' values.
func (o openSum) value() int64 { return joinSum(o.ValueHi, o.ValueLo, 1) }

// weighted is the sum of the deals' values times their probability.
func (o openSum) weighted() int64 { return joinSum(o.WeightedHi, o.WeightedLo, 100) }

// openDeals sums open deals, weighting each by its probability or, without
// one, its stage's. The status is written out, not bound, so SQLite can
// use the partial index of open deals.
func (r *reader) openDeals(ctx context.Context, f core.StatsFilter) ([]openSum, error) {
	if tw, ok := r.totalsWhere(f, "o.", false); ok {
		return r.openDealsFromTotals(ctx, tw)
	}
	w := r.dealWhere(f)
	w.add("d.status = 'open'")
	var open []openSum
	if err := r.sel(ctx, &open, `SELECT d.stage_id, d.currency, d.expected_close, COUNT(*) AS n,
		`+splitSum("d.amount", "", "value")+`,
		`+splitSum("d.amount", "COALESCE(d.probability, s.probability, 0)", "weighted")+`
		FROM deals d LEFT JOIN stages s ON s.id = d.stage_id`+w.String()+`
		GROUP BY d.stage_id, d.currency, d.expected_close`, w.args...); err != nil {
		return nil, fmt.Errorf("open deals: %w", err)
	}
	return open, nil
}

// reach counts deals by pipeline and the position of the furthest stage
// they entered.
type reach struct {
	PipelineID int64 `db:"pipeline_id"`
	Position   int   `db:"furthest_position"`
	Count      int64 `db:"n"`
}

func (r *reader) dealReach(ctx context.Context, f core.StatsFilter) ([]reach, error) {
	w := r.dealWhere(f)
	w.add("d.pipeline_id IS NOT NULL")
	q := `SELECT d.pipeline_id, d.furthest_position, COUNT(*) AS n FROM deals d` + w.String() + `
		GROUP BY d.pipeline_id, d.furthest_position`
	if tw, ok := r.totalsWhere(f, "", false); ok {
		tw.add("pipeline_id <> 0")
		q, w = reachFromTotals(tw), tw
	}
	var out []reach
	if err := r.sel(ctx, &out, q, w.args...); err != nil {
		return nil, fmt.Errorf("deal reach: %w", err)
	}
	return out, nil
}

// stageCounts puts the stage moves and open deals together per stage, and
// the open deals per expected close month.
func stageCounts(stages []stageRow, moves []stageMove, open []openSum, reaches []reach) ([]core.StageCount, []core.ForecastSum) {
	counts := make([]core.StageCount, len(stages))
	at := make(map[int64]*core.StageCount, len(stages))
	for i, s := range stages {
		counts[i] = core.StageCount{StageID: s.ID, PipelineID: s.PipelineID, Name: s.Name,
			Position: s.Position, Kind: core.StageKind(s.Kind)}
		at[s.ID] = &counts[i]
	}
	for _, m := range moves {
		if s := at[m.To]; s != nil {
			s.Entered += m.Entered
		}
		if s := at[int64(m.From)]; s != nil {
			s.Exits += m.Count
			s.StaySeconds += m.Stay
		}
	}
	for i := range counts {
		if counts[i].Kind == core.StageLost {
			continue
		}
		for _, re := range reaches {
			if re.PipelineID == counts[i].PipelineID && re.Position >= counts[i].Position {
				counts[i].Reached += re.Count
			}
		}
	}
	type key struct{ month, currency string }
	sums := map[key]*core.ForecastSum{}
	for _, o := range open {
		if s := at[int64(o.StageID)]; s != nil {
			s.OpenNow += o.Count
			s.OpenValue = addCurrency(s.OpenValue, o.Currency, o.value())
		}
		k := key{month(o.ExpectedClose.t), o.Currency}
		fs := sums[k]
		if fs == nil {
			fs = &core.ForecastSum{Month: k.month, Currency: k.currency}
			sums[k] = fs
		}
		fs.Count = fs.Count + o.Count
		fs.Value, _ = core.AddAmounts(fs.Value, o.value())
		fs.Weighted, _ = core.AddAmounts(fs.Weighted, o.weighted())
	}
	var forecast []core.ForecastSum
	for _, fs := range sums {
		forecast = append(forecast, *fs)
	}
	slices.SortFunc(forecast, func(a, b core.ForecastSum) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.Currency, b.Currency))
	})
	return counts, forecast
}

// addCurrency adds amount to the sum of its currency, keeping sums ordered
// by currency.
func addCurrency(sums []core.CurrencySum, currency string, amount int64) []core.CurrencySum {
	i, ok := slices.BinarySearchFunc(sums, currency, func(s core.CurrencySum, c string) int {
		return cmp.Compare(s.Currency, c)
	})
	if ok {
		sums[i].Amount, _ = core.AddAmounts(sums[i].Amount, amount)
		return sums
	}
	return slices.Insert(sums, i, core.CurrencySum{Currency: currency, Amount: amount})
}

// month is the "2026-11" of a date, "" when unknown.
func month(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01")
}

// RottingDeals implements core.Reader: open deals in a stage with a rotting
// limit whose last activity (or creation, without one) is older than the
// limit at now, the longest rotten first. A deal with an open task due, or
// snoozed, past now is being followed up, so it is not rotting.
//
// Candidates come in batches off the index of open deals, and only they
// are checked for tasks: checking every open deal would cost a probe each.
func (r *reader) RottingDeals(ctx context.Context, f core.StatsFilter, now time.Time, limit int) ([]core.Deal, error) {
	limit = pageSize(limit)
	rotsAt := r.d.plusDays("COALESCE(d.last_activity_at, d.created_at)", "s.rot_days")
	w := r.dealWhere(f)
	w.add("d.status = 'open'")
	w.add("s.rot_days > 0")
	w.add(rotsAt+" < ?", r.d.time(now))
	type candidate struct {
		ID     int64    `db:"id"`
		RotsAt nullTime `db:"rots_at"`
	}
	var ids []int64
	var last *candidate
	for batch := 2*limit + 20; len(ids) < limit; batch *= 4 {
		page := w
		page.conds, page.args = slices.Clip(page.conds), slices.Clip(page.args)
		if last != nil {
			page.add("("+rotsAt+" > ? OR ("+rotsAt+" = ? AND d.id > ?))",
				r.d.time(last.RotsAt.t), r.d.time(last.RotsAt.t), last.ID)
		}
		var cands []candidate
		err := r.sel(ctx, &cands, `SELECT d.id, `+rotsAt+` AS rots_at FROM deals d JOIN stages s ON s.id = d.stage_id`+
			page.String()+` ORDER BY rots_at, d.id LIMIT ?`, append(page.args, batch)...)
		if err != nil {
			return nil, fmt.Errorf("rotting deals: %w", err)
		}
		if len(cands) == 0 {
			break
		}
		cids := make([]int64, len(cands))
		for i, c := range cands {
			cids[i] = c.ID
		}
		busy, err := r.followedUp(ctx, cids, now)
		if err != nil {
			return nil, err
		}
		for _, c := range cands {
			if !busy[c.ID] && len(ids) < limit {
				ids = append(ids, c.ID)
			}
		}
		if len(cands) < batch {
			break
		}
		last = &cands[len(cands)-1]
	}
	return r.dealsByID(ctx, ids)
}

// RottingCount implements core.Reader: the deals RottingDeals lists,
// counted up to limit. Without an order to keep it stops at limit, and
// checks each candidate's tasks as it goes, off the tasks_deal index.
func (r *reader) RottingCount(ctx context.Context, f core.StatsFilter, now time.Time, limit int) (int, error) {
	w := r.dealWhere(f)
	w.add("d.status = 'open'")
	w.add("s.rot_days > 0")
	w.add(r.d.plusDays("COALESCE(d.last_activity_at, d.created_at)", "s.rot_days")+" < ?", r.d.time(now))
	w.add(`NOT EXISTS (SELECT 1 FROM tasks t WHERE t.deal_id = d.id AND t.done = ?
		AND (t.due_at > ? OR t.snoozed_until > ?))`, false, r.d.time(now), r.d.time(now))
	var n int
	if err := r.get(ctx, &n, `SELECT COUNT(*) FROM (SELECT 1 FROM deals d JOIN stages s ON s.id = d.stage_id`+
		w.String()+` LIMIT ?) x`, append(w.args, pageSize(limit))...); err != nil {
		return 0, fmt.Errorf("count rotting deals: %w", err)
	}
	return n, nil
}

// followedUp tells which of the deals have an open task due, or snoozed,
// past now.
func (r *reader) followedUp(ctx context.Context, ids []int64, now time.Time) (map[int64]bool, error) {
	q, args, err := sqlx.In(`SELECT DISTINCT deal_id FROM tasks WHERE deal_id IN (?) AND done = ?
		AND (due_at > ? OR snoozed_until > ?)`, ids, false, r.d.time(now), r.d.time(now))
	if err != nil {
		return nil, err
	}
	var busy []int64
	if err := r.sel(ctx, &busy, q, args...); err != nil {
		return nil, fmt.Errorf("rotting deals' tasks: %w", err)
	}
	set := make(map[int64]bool, len(busy))
	for _, b := range busy {
		set[b] = true
	}
	return set, nil
}

// dealsByID reads the deals of ids, in that order.
func (r *reader) dealsByID(ctx context.Context, ids []int64) ([]core.Deal, error) {
	if len(ids) == 0 {
		return []core.Deal{}, nil
	}
	q, args, err := sqlx.In(`SELECT `+dealCols+` FROM deals d WHERE d.id IN (?)`, ids)
	if err != nil {
		return nil, err
	}
	var rows []dealRow
	if err := r.sel(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("read deals: %w", err)
	}
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	slices.SortFunc(rows, func(a, b dealRow) int { return cmp.Compare(pos[a.ID], pos[b.ID]) })
	return dealList(rows)
}
