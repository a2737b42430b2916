package storage

import (
	"context"
	"fmt"
	"time"
)

// StaleDisqualified implements core.Reader.
func (r *reader) StaleDisqualified(ctx context.Context, before time.Time, afterID int64, limit int) ([]int64, error) {
	var ids []int64
	b := r.d.time(before)
	err := r.sel(ctx, &ids, `SELECT c.id FROM contacts c
		WHERE c.id > ? AND c.erased_at IS NULL AND c.merged_into IS NULL
		AND EXISTS (SELECT 1 FROM leads l WHERE l.contact_id = c.id)
		AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.contact_id = c.id AND (l.status <> 'disqualified' OR l.updated_at >= ?))
		AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.contact_id = c.id)
		AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.contact_id = c.id AND a.at >= ?)
		ORDER BY c.id LIMIT ?`, afterID, b, b, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("contacts past retention: %w", err)
	}
	return ids, nil
}

// PruneFailedInbounds implements core.Tx.
func (t *Tx) PruneFailedInbounds(ctx context.Context, before time.Time) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM failed_inbounds WHERE at < ?`, t.d.time(before))
	if err != nil {
		return 0, fmt.Errorf("prune failed inbounds: %w", err)
	}
	return res.RowsAffected()
}

// PruneDeliveryBodies implements core.Tx.
func (t *Tx) PruneDeliveryBodies(ctx context.Context, before time.Time) (int64, error) {
	res, err := t.exec(ctx, `UPDATE webhook_deliveries SET body = NULL WHERE at < ? AND body IS NOT NULL`, t.d.time(before))
	if err != nil {
		return 0, fmt.Errorf("prune webhook bodies: %w", err)
	}
	return res.RowsAffected()
}
