package storage

import (
	"context"
	"fmt"
	"time"

	"leadwire/core"
)

// RottingDue implements core.Reader. It walks the open deals by id off
// deals_open_id; the notice marks keep a deal noticed this period out,
// so a sweep with nothing new to tell writes nothing.
func (r *reader) RottingDue(ctx context.Context, now time.Time, afterID int64, limit int) ([]core.RotDue, int64, error) {
	limit = pageSize(limit)
	since := "COALESCE(d.last_activity_at, d.created_at)"
	type row struct {
		ID      int64    `db:"id"`
		OwnerID nullID   `db:"owner_id"`
		TeamID  nullID   `db:"team_id"`
		StageID nullID   `db:"stage_id"`
		RotDays int      `db:"rot_days"`
		Since   nullTime `db:"since"`
	}
	var rows []row
	err := r.sel(ctx, &rows, `SELECT d.id, d.owner_id, d.team_id, d.stage_id, s.rot_days, `+since+` AS since
		FROM deals d JOIN stages s ON s.id = d.stage_id LEFT JOIN rot_notices m ON m.deal_id = d.id
		WHERE d.status = 'open' AND d.id > ? AND s.rot_days > 0 AND `+r.d.plusDays(since, "s.rot_days")+` < ?
		AND (m.deal_id IS NULL OR m.since <> `+since+` OR m.until_at <= ?)
		ORDER BY d.id LIMIT ?`, afterID, r.d.time(now), r.d.time(now), limit)
	if err != nil {
		return nil, 0, fmt.Errorf("deals due a rotting notice: %w", err)
	}
	if len(rows) == 0 {
		return nil, 0, nil
	}
	ids := make([]int64, len(rows))
	for i, x := range rows {
		ids[i] = x.ID
	}
	busy, err := r.followedUp(ctx, ids, now)
	if err != nil {
		return nil, 0, err
	}
	due := make([]core.RotDue, 0, len(rows))
	for _, x := range rows {
		if !busy[x.ID] {
			due = append(due, core.RotDue{DealID: x.ID, OwnerID: int64(x.OwnerID), TeamID: int64(x.TeamID),
				StageID: int64(x.StageID), RotDays: x.RotDays, Since: x.Since.t})
		}
	}
	var next int64
	if len(rows) == limit {
		next = rows[len(rows)-1].ID
	}
	return due, next, nil
}

// UnclaimedDue implements core.Reader, off leads_unclaimed.
func (r *reader) UnclaimedDue(ctx context.Context, teamID int64, since, first, second time.Time, afterID int64, limit int) ([]core.UnclaimedDue, error) {
	type row struct {
		ID        int64    `db:"id"`
		CreatedAt nullTime `db:"created_at"`
		Level     int      `db:"level"`
	}
	var rows []row
	err := r.sel(ctx, &rows, `SELECT l.id, l.created_at, COALESCE(m.level, 0) AS level
		FROM leads l LEFT JOIN unclaimed_notices m ON m.lead_id = l.id
		WHERE l.team_id = ? AND l.status = 'new' AND l.owner_id IS NULL AND l.id > ?
		AND l.created_at >= ? AND l.created_at < ?
		AND (m.lead_id IS NULL OR (m.level < 2 AND l.created_at < ?))
		ORDER BY l.id LIMIT ?`, teamID, afterID, r.d.time(since), r.d.time(first), r.d.time(second), pageSize(limit))
	if err != nil {
		return nil, fmt.Errorf("unclaimed leads of team %d: %w", teamID, err)
	}
	out := make([]core.UnclaimedDue, len(rows))
	for i, x := range rows {
		out[i] = core.UnclaimedDue{LeadID: x.ID, CreatedAt: x.CreatedAt.t, Noticed: x.Level}
	}
	return out, nil
}

// MarkRotNotice implements core.Tx.
func (t *Tx) MarkRotNotice(ctx context.Context, dealID int64, since, until time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO rot_notices (deal_id, since, until_at) VALUES (?, ?, ?)
		ON CONFLICT (deal_id) DO UPDATE SET since = excluded.since, until_at = excluded.until_at`,
		dealID, t.d.time(since), t.d.time(until))
	if err != nil {
		return fmt.Errorf("mark rotting notice of deal %d: %w", dealID, err)
	}
	return nil
}

// MarkUnclaimedNotice implements core.Tx.
func (t *Tx) MarkUnclaimedNotice(ctx context.Context, leadID int64, level int) error {
	_, err := t.exec(ctx, `INSERT INTO unclaimed_notices (lead_id, level) VALUES (?, ?)
		ON CONFLICT (lead_id) DO UPDATE SET level = excluded.level`, leadID, level)
	if err != nil {
		return fmt.Errorf("mark unclaimed notice of lead %d: %w", leadID, err)
	}
	return nil
}
