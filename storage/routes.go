package storage

import (
	"context"
	"fmt"

	"leadwire/core"
)

// AddRoute implements core.Tx.
func (t *Tx) AddRoute(ctx context.Context, r *core.Route) error {
	var err error
	r.ID, err = t.insert(ctx, `INSERT INTO routes (lead_id, deal_id, how, team_id, region, rule, to_id, from_id, by_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ref(r.LeadID), ref(r.DealID), string(r.How), ref(r.TeamID), r.Region, r.Rule,
		ref(r.ToID), ref(r.FromID), ref(r.ByID), t.d.time(r.At))
	if err != nil {
		return fmt.Errorf("add route %s: %w", r.How, err)
	}
	return nil
}

// ListRoutes implements core.Reader, oldest first.
func (r *reader) ListRoutes(ctx context.Context, leadID, dealID int64) ([]core.Route, error) {
	var rows []struct {
		ID     int64    `db:"id"`
		LeadID nullID   `db:"lead_id"`
		DealID nullID   `db:"deal_id"`
		How    string   `db:"how"`
		TeamID nullID   `db:"team_id"`
		Region string   `db:"region"`
		Rule   string   `db:"rule"`
		ToID   nullID   `db:"to_id"`
		FromID nullID   `db:"from_id"`
		ByID   nullID   `db:"by_id"`
		At     nullTime `db:"at"`
	}
	if err := r.sel(ctx, &rows, `SELECT id, lead_id, deal_id, how, team_id, region, rule, to_id, from_id, by_id, at
		FROM routes WHERE lead_id = ? OR deal_id = ? ORDER BY id LIMIT 200`, ref(leadID), ref(dealID)); err != nil {
		return nil, fmt.Errorf("list routes: %w", err)
	}
	out := make([]core.Route, len(rows))
	for i, row := range rows {
		out[i] = core.Route{ID: row.ID, LeadID: int64(row.LeadID), DealID: int64(row.DealID), How: core.RouteHow(row.How),
			TeamID: int64(row.TeamID), Region: row.Region, Rule: row.Rule, ToID: int64(row.ToID), FromID: int64(row.FromID),
			ByID: int64(row.ByID), At: row.At.t}
	}
	return out, nil
}
