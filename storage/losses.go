package storage

import (
	"context"
	"fmt"

	"leadwire/core"
)

// LostDeals implements core.LossReader, off the deals_closed index; the
// stage a deal was lost from is where its last move into its Lost stage
// came from.
func (r *reader) LostDeals(ctx context.Context, f core.StatsFilter) ([]core.LostSum, error) {
	w := r.closedDealWhere(f)
	w.add("d.status = ?", string(core.DealLost))
	var rows []struct {
		Reason    string `db:"lost_reason"`
		FromStage nullID `db:"from_stage"`
		OwnerID   nullID `db:"owner_id"`
		Currency  string `db:"currency"`
		Deals     int64  `db:"n"`
		Value     int64  `db:"value"`
	}
	err := r.sel(ctx, &rows, `SELECT x.lost_reason, x.from_stage, x.owner_id, x.currency, COUNT(*) AS n, COALESCE(SUM(x.amount), 0) AS value
		FROM (SELECT d.lost_reason, d.owner_id, d.currency, d.amount,
			(SELECT sc.from_stage FROM stage_changes sc WHERE sc.deal_id = d.id AND sc.to_stage = d.stage_id
				ORDER BY sc.at DESC, sc.id DESC LIMIT 1) AS from_stage
			FROM deals d`+w.String()+`) x
		GROUP BY x.lost_reason, x.from_stage, x.owner_id, x.currency
		ORDER BY n DESC, x.lost_reason, x.from_stage, x.owner_id, x.currency`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("lost deals: %w", err)
	}
	out := make([]core.LostSum, len(rows))
	for i, row := range rows {
		out[i] = core.LostSum{Reason: row.Reason, FromStage: int64(row.FromStage), OwnerID: int64(row.OwnerID),
			Currency: row.Currency, Deals: row.Deals, Value: row.Value}
	}
	return out, nil
}

// DisqualifiedLeads implements core.LossReader, off the
// leads_disqualified index.
func (r *reader) DisqualifiedLeads(ctx context.Context, f core.StatsFilter) ([]core.DisqualifiedCount, error) {
	var w where
	if f.TeamID != 0 {
		w.add("l.team_id = ?", f.TeamID)
	}
	if f.OwnerID != 0 {
		w.add("l.owner_id = ?", f.OwnerID)
	}
	w.add("l.status = ?", string(core.LeadDisqualified))
	w.add("l.disqualified_at IS NOT NULL")
	if !f.ClosedFrom.IsZero() {
		w.add("l.disqualified_at >= ?", r.d.time(f.ClosedFrom))
	}
	if !f.ClosedTo.IsZero() {
		w.add("l.disqualified_at < ?", r.d.time(f.ClosedTo))
	}
	var rows []struct {
		Reason  string `db:"disqualify_reason"`
		OwnerID nullID `db:"owner_id"`
		Leads   int64  `db:"n"`
	}
	err := r.sel(ctx, &rows, `SELECT l.disqualify_reason, l.owner_id, COUNT(*) AS n FROM leads l`+w.String()+
		` GROUP BY l.disqualify_reason, l.owner_id ORDER BY n DESC, l.disqualify_reason, l.owner_id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("disqualified leads: %w", err)
	}
	out := make([]core.DisqualifiedCount, len(rows))
	for i, row := range rows {
		out[i] = core.DisqualifiedCount{Reason: row.Reason, OwnerID: int64(row.OwnerID), Leads: row.Leads}
	}
	return out, nil
}
