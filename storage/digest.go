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
	f.From, f.To, f.ClosedFrom, f.ClosedTo = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	w := r.dealWhere(f)
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

// LostReasons implements core.Reader.
func (r *reader) LostReasons(ctx context.Context, f core.StatsFilter) ([]core.ReasonCount, error) {
	f.From, f.To = time.Time{}, time.Time{}
	w := r.dealWhere(f)
	r.closedWhere(&w, f)
	w.add("d.status = ?", string(core.DealLost))
	var rows []struct {
		Reason string `db:"lost_reason"`
		Deals  int64  `db:"n"`
	}
	err := r.sel(ctx, &rows, `SELECT d.lost_reason, COUNT(*) AS n FROM deals d`+w.String()+
		` GROUP BY d.lost_reason ORDER BY n DESC, d.lost_reason`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("lost reasons: %w", err)
	}
	out := make([]core.ReasonCount, len(rows))
	for i, row := range rows {
		out[i] = core.ReasonCount{Reason: row.Reason, Deals: row.Deals}
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
	w.add("t.due_at < ?", r.d.time(now))
	w.add("(t.snoozed_until IS NULL OR t.snoozed_until <= ?)", r.d.time(now))
	var rows []struct {
		OwnerID nullID   `db:"owner_id"`
		Tasks   int64    `db:"n"`
		Oldest  nullTime `db:"oldest"`
	}
	err := r.sel(ctx, &rows, `SELECT t.owner_id, COUNT(*) AS n, MIN(t.due_at) AS oldest FROM tasks t`+w.String()+
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

// ClaimSetting implements core.Tx.
func (t *Tx) ClaimSetting(ctx context.Context, key, value string) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value)
	if err != nil {
		return false, fmt.Errorf("claim setting %s: %w", key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim setting %s: %w", key, err)
	}
	return n == 1, nil
}
