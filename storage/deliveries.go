package storage

import (
	"context"
	"fmt"
	"time"

	"leadwire/core"
)

// AddDelivery implements core.Tx.
func (t *Tx) AddDelivery(ctx context.Context, d *core.Delivery) error {
	var err error
	d.ID, err = t.insert(ctx, `INSERT INTO webhook_deliveries (at, source, token, status, outcome, ref, error,
		external_id, size, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.d.time(d.At), d.Source, d.Token, d.Status, d.Outcome, d.Ref, d.Error, d.ExternalID, d.Size, d.Body)
	if err != nil {
		return fmt.Errorf("log delivery: %w", err)
	}
	return nil
}

// PruneDeliveries implements core.Tx.
func (t *Tx) PruneDeliveries(ctx context.Context, before time.Time) error {
	if _, err := t.exec(ctx, `DELETE FROM webhook_deliveries WHERE at < ?`, t.d.time(before)); err != nil {
		return fmt.Errorf("prune deliveries: %w", err)
	}
	return nil
}

// ListDeliveries implements core.Reader.
func (r *reader) ListDeliveries(ctx context.Context, f core.DeliveryFilter) ([]core.Delivery, error) {
	var rows []struct {
		ID         int64    `db:"id"`
		At         nullTime `db:"at"`
		Source     string   `db:"source"`
		Token      string   `db:"token"`
		Status     int      `db:"status"`
		Outcome    string   `db:"outcome"`
		Ref        string   `db:"ref"`
		Error      string   `db:"error"`
		ExternalID string   `db:"external_id"`
		Size       int64    `db:"size"`
		Body       []byte   `db:"body"`
	}
	w := where{}
	if f.Source != "" {
		w.add("source = ?", f.Source)
	}
	if f.Outcome != "" {
		w.add("outcome = ?", f.Outcome)
	}
	q := `SELECT id, at, source, token, status, outcome, ref, error, external_id, size, body
		FROM webhook_deliveries` + w.String() + ` ORDER BY id DESC LIMIT ?`
	if err := r.sel(ctx, &rows, q, append(w.args, pageSize(f.Limit))...); err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	out := make([]core.Delivery, len(rows))
	for i, row := range rows {
		out[i] = core.Delivery{ID: row.ID, At: row.At.t, Source: row.Source, Token: row.Token, Status: row.Status,
			Outcome: row.Outcome, Ref: row.Ref, Error: row.Error, ExternalID: row.ExternalID, Size: row.Size, Body: row.Body}
	}
	return out, nil
}
