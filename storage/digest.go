package storage

import (
	"context"
	"fmt"
	"time"

	"leadwire/core"
)

// StageMoves implements core.Reader: moves out of one stage into another
// (not a deal's creation) made within [from, to), read off the
// stage_changes_at index.
func (r *reader) StageMoves(ctx context.Context, f core.StatsFilter, from, to time.Time) ([]core.StageMoveCount, error) {
	// The window of changes is the narrow part: the deals' filters are
	// written with a unary plus, so SQLite reads the changes off
	// stage_changes_at and looks each deal up, rather than walking a
	// team's every deal.
	w := r.unindexedDealWhere(f)
	w.add("c.at >= ?", r.d.time(from))
	w.add("c.at < ?", r.d.time(to))
	w.add("c.from_stage IS NOT NULL")
	var rows []struct {
		StageID int64 `db:"to_stage"`
		Moves   int64 `db:"n"`
	}
	err := r.sel(ctx, &rows, `SELECT c.to_stage, COUNT(*) AS n FROM stage_changes c JOIN deals d ON d.id = c.deal_id`+
		w.String()+` GROUP BY c.to_stage ORDER BY c.to_stage`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("stage moves: %w", err)
	}
	out := make([]core.StageMoveCount, len(rows))
	for i, row := range rows {
		out[i] = core.StageMoveCount{StageID: row.StageID, Moves: row.Moves}
	}
	return out, nil
}

// OverdueTasks implements core.Reader, off the tasks_owner index.
func (r *reader) OverdueTasks(ctx context.Context, f core.StatsFilter, now time.Time) ([]core.OwnerTaskCount, error) {
	var w where
	if f.OwnerID != 0 {
		w.add("t.owner_id = ?", f.OwnerID)
	}
	if f.TeamID != 0 {
		w.add("t.owner_id IN (SELECT u.id FROM users u WHERE u.team_id = ?)", f.TeamID)
	}
	w.add("t.done = ?", false)
	// Overdue by the effective due time (core.Task.Due), as every list.
	w.add("t.due_at < ?", r.d.time(now))
	w.add("(t.snoozed_until IS NULL OR t.snoozed_until < ?)", r.d.time(now))
	var rows []struct {
		OwnerID nullID   `db:"owner_id"`
		Tasks   int64    `db:"n"`
		Oldest  nullTime `db:"oldest"`
	}
	err := r.sel(ctx, &rows, `SELECT t.owner_id, COUNT(*) AS n, MIN(`+taskDue+`) AS oldest FROM tasks t`+w.String()+
		` GROUP BY t.owner_id ORDER BY n DESC, t.owner_id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("overdue tasks: %w", err)
	}
	out := make([]core.OwnerTaskCount, len(rows))
	for i, row := range rows {
		out[i] = core.OwnerTaskCount{OwnerID: int64(row.OwnerID), Tasks: row.Tasks, Oldest: row.Oldest.t}
	}
	return out, nil
}

// unindexedDealWhere filters deals, aliased d, by team, owner and
// pipeline with a unary plus on each column, which keeps SQLite from
// driving the query by those indexes (PostgreSQL reads +x as x).
func (r *reader) unindexedDealWhere(f core.StatsFilter) where {
	var w where
	if f.TeamID != 0 {
		w.add("+d.team_id = ?", f.TeamID)
	}
	if f.OwnerID != 0 {
		w.add("+d.owner_id = ?", f.OwnerID)
	}
	if f.PipelineID != 0 {
		w.add("+d.pipeline_id = ?", f.PipelineID)
	}
	return w
}

// closedDealWhere filters deals closed within [f.ClosedFrom, f.ClosedTo)
// (and created within [f.From, f.To) when set), driven by the deals_closed
// index: a day's or a month's closings are few next to a team's deals.
func (r *reader) closedDealWhere(f core.StatsFilter) where {
	w := r.unindexedDealWhere(f)
	if !f.From.IsZero() {
		w.add("d.created_at >= ?", r.d.time(f.From))
	}
	if !f.To.IsZero() {
		w.add("d.created_at < ?", r.d.time(f.To))
	}
	if !f.ClosedFrom.IsZero() {
		w.add("d.closed_at >= ?", r.d.time(f.ClosedFrom))
	}
	if !f.ClosedTo.IsZero() {
		w.add("d.closed_at < ?", r.d.time(f.ClosedTo))
	}
	return w
}
