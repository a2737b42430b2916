package storage

import (
	"context"
	"fmt"
	"time"

	"leadwire/core"
)

// LoadCheckpoint implements core.Reader.
func (r *reader) LoadCheckpoint(ctx context.Context, connector, key string) (string, error) {
	var values []string
	if err := r.sel(ctx, &values, `SELECT value FROM connector_checkpoints WHERE connector = ? AND key = ?`, connector, key); err != nil {
		return "", fmt.Errorf("load checkpoint of %s %s: %w", connector, key, err)
	}
	if len(values) == 0 {
		return "", nil
	}
	return values[0], nil
}

// SaveCheckpoint implements core.Tx.
func (t *Tx) SaveCheckpoint(ctx context.Context, cp core.Checkpoint) error {
	_, err := t.exec(ctx, `INSERT INTO connector_checkpoints (connector, key, value) VALUES (?, ?, ?)
		ON CONFLICT (connector, key) DO UPDATE SET value = excluded.value`, cp.Connector, cp.Key, cp.Value)
	if err != nil {
		return fmt.Errorf("save checkpoint of %s %s: %w", cp.Connector, cp.Key, err)
	}
	return nil
}

// CountConnector implements core.Tx.
func (t *Tx) CountConnector(ctx context.Context, connector, counter string, n int64, at time.Time) error {
	if counter != "" {
		_, err := t.exec(ctx, `INSERT INTO connector_counts (connector, counter, n) VALUES (?, ?, ?)
			ON CONFLICT (connector, counter) DO UPDATE SET n = connector_counts.n + excluded.n`, connector, counter, n)
		if err != nil {
			return fmt.Errorf("count %s of %s: %w", counter, connector, err)
		}
	}
	_, err := t.exec(ctx, `INSERT INTO connector_status (connector, last_sync) VALUES (?, ?)
		ON CONFLICT (connector) DO UPDATE SET last_sync = excluded.last_sync`, connector, t.d.time(at))
	if err != nil {
		return fmt.Errorf("sync time of %s: %w", connector, err)
	}
	return nil
}

// SetConnectorError implements core.Tx.
func (t *Tx) SetConnectorError(ctx context.Context, connector, msg string, at time.Time) error {
	errAt := t.d.time(at)
	if msg == "" {
		errAt = nil
	}
	_, err := t.exec(ctx, `INSERT INTO connector_status (connector, last_error, error_at) VALUES (?, ?, ?)
		ON CONFLICT (connector) DO UPDATE SET last_error = excluded.last_error, error_at = excluded.error_at`,
		connector, msg, errAt)
	if err != nil {
		return fmt.Errorf("set error of %s: %w", connector, err)
	}
	return nil
}

// ConnectorStatuses implements core.Reader.
func (r *reader) ConnectorStatuses(ctx context.Context) ([]core.ConnectorStatus, error) {
	var rows []struct {
		Connector string   `db:"connector"`
		LastSync  nullTime `db:"last_sync"`
		LastError string   `db:"last_error"`
		ErrorAt   nullTime `db:"error_at"`
	}
	if err := r.sel(ctx, &rows, `SELECT connector, last_sync, last_error, error_at FROM connector_status ORDER BY connector`); err != nil {
		return nil, fmt.Errorf("connector statuses: %w", err)
	}
	var counts []struct {
		Connector string `db:"connector"`
		Counter   string `db:"counter"`
		N         int64  `db:"n"`
	}
	if err := r.sel(ctx, &counts, `SELECT connector, counter, n FROM connector_counts`); err != nil {
		return nil, fmt.Errorf("connector counts: %w", err)
	}
	out := make([]core.ConnectorStatus, len(rows))
	index := map[string]int{}
	for i, row := range rows {
		out[i] = core.ConnectorStatus{Connector: row.Connector, LastSync: row.LastSync.t, LastError: row.LastError,
			ErrorAt: row.ErrorAt.t, Counts: map[string]int64{}}
		index[row.Connector] = i
	}
	for _, c := range counts {
		if i, ok := index[c.Connector]; ok {
			out[i].Counts[c.Counter] = c.N
		}
	}
	return out, nil
}

// AddFailedInbound implements core.Tx.
func (t *Tx) AddFailedInbound(ctx context.Context, f *core.FailedInbound) error {
	var err error
	f.ID, err = t.insert(ctx, `INSERT INTO failed_inbounds (connector, external_id, error, raw, at) VALUES (?, ?, ?, ?, ?)`,
		f.Connector, f.ExternalID, f.Error, f.Raw, t.d.time(f.At))
	if err != nil {
		return fmt.Errorf("keep failed inbound of %s: %w", f.Connector, err)
	}
	return nil
}

// ListFailedInbounds implements core.Reader.
func (r *reader) ListFailedInbounds(ctx context.Context, connector string, limit int) ([]core.FailedInbound, error) {
	var rows []struct {
		ID         int64    `db:"id"`
		Connector  string   `db:"connector"`
		ExternalID string   `db:"external_id"`
		Error      string   `db:"error"`
		Raw        []byte   `db:"raw"`
		At         nullTime `db:"at"`
	}
	w := where{}
	if connector != "" {
		w.add("connector = ?", connector)
	}
	q := `SELECT id, connector, external_id, error, raw, at FROM failed_inbounds` + w.String() + ` ORDER BY id DESC LIMIT ?`
	if err := r.sel(ctx, &rows, q, append(w.args, pageSize(limit))...); err != nil {
		return nil, fmt.Errorf("failed inbounds: %w", err)
	}
	out := make([]core.FailedInbound, len(rows))
	for i, row := range rows {
		out[i] = core.FailedInbound{ID: row.ID, Connector: row.Connector, ExternalID: row.ExternalID, Error: row.Error, Raw: row.Raw, At: row.At.t}
	}
	return out, nil
}

// CountLeadsOfContactSince implements core.Reader.
func (r *reader) CountLeadsOfContactSince(ctx context.Context, contactID int64, since time.Time) (int, error) {
	var n int
	if err := r.get(ctx, &n, `SELECT COUNT(*) FROM leads WHERE contact_id = ? AND created_at >= ?`, contactID, r.d.time(since)); err != nil {
		return 0, fmt.Errorf("count leads of contact %d: %w", contactID, err)
	}
	return n, nil
}

// Savepoint implements core.Tx.
func (t *Tx) Savepoint(ctx context.Context, fn func() error) error {
	if _, err := t.exec(ctx, "SAVEPOINT lw_item"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	jobs := len(t.jobs)
	if err := fn(); err != nil {
		t.jobs = t.jobs[:jobs] // the jobs of undone work are undone too
		if _, rerr := t.exec(ctx, "ROLLBACK TO SAVEPOINT lw_item"); rerr != nil {
			return fmt.Errorf("%w (and roll back to savepoint: %v)", err, rerr)
		}
		t.exec(ctx, "RELEASE SAVEPOINT lw_item")
		return err
	}
	if _, err := t.exec(ctx, "RELEASE SAVEPOINT lw_item"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}
