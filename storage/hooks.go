package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"leadwire/core"
)

const hookCols = `id, url, events, secret, description, created_by, created_at, disabled_at, disabled_reason, failing_since`

type hookRow struct {
	ID             int64    `db:"id"`
	URL            string   `db:"url"`
	Events         string   `db:"events"`
	Secret         []byte   `db:"secret"`
	Description    string   `db:"description"`
	CreatedBy      string   `db:"created_by"`
	CreatedAt      nullTime `db:"created_at"`
	DisabledAt     nullTime `db:"disabled_at"`
	DisabledReason string   `db:"disabled_reason"`
	FailingSince   nullTime `db:"failing_since"`
}

func (r *hookRow) hook() core.Hook {
	h := core.Hook{ID: r.ID, URL: r.URL, Secret: r.Secret, Description: r.Description, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.t, DisabledAt: r.DisabledAt.t, DisabledReason: r.DisabledReason, FailingSince: r.FailingSince.t}
	for e := range strings.SplitSeq(r.Events, ",") {
		if e != "" {
			h.Events = append(h.Events, core.EventType(e))
		}
	}
	return h
}

// HookByID implements core.Reader.
func (r *reader) HookByID(ctx context.Context, id int64) (*core.Hook, error) {
	var row hookRow
	err := r.get(ctx, &row, `SELECT `+hookCols+` FROM hooks WHERE id = ?`, id)
	if err := found(err, core.Errorf(core.KindNotFound, "no webhook %d; see leadwire hooks list", id), "hook by id"); err != nil {
		return nil, err
	}
	h := row.hook()
	return &h, nil
}

// ListHooks implements core.Reader.
func (r *reader) ListHooks(ctx context.Context) ([]core.Hook, error) {
	var rows []hookRow
	if err := r.sel(ctx, &rows, `SELECT `+hookCols+` FROM hooks ORDER BY id`); err != nil {
		return nil, fmt.Errorf("list hooks: %w", err)
	}
	out := make([]core.Hook, len(rows))
	for i := range rows {
		out[i] = rows[i].hook()
	}
	return out, nil
}

// CreateHook implements core.Tx.
func (t *Tx) CreateHook(ctx context.Context, h *core.Hook) error {
	events := make([]string, len(h.Events))
	for i, e := range h.Events {
		events[i] = string(e)
	}
	var err error
	h.ID, err = t.insert(ctx, `INSERT INTO hooks (url, events, secret, description, created_by, created_at, disabled_at, disabled_reason, failing_since)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, h.URL, strings.Join(events, ","), h.Secret, h.Description, h.CreatedBy,
		t.d.time(h.CreatedAt), t.d.time(h.DisabledAt), h.DisabledReason, t.d.time(h.FailingSince))
	if err != nil {
		return fmt.Errorf("create hook: %w", err)
	}
	return nil
}

// DeleteHook implements core.Tx.
func (t *Tx) DeleteHook(ctx context.Context, id int64) error {
	if _, err := t.exec(ctx, `DELETE FROM hook_deliveries WHERE hook_id = ?`, id); err != nil {
		return fmt.Errorf("delete hook %d: %w", id, err)
	}
	if _, err := t.exec(ctx, `DELETE FROM hooks WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete hook %d: %w", id, err)
	}
	return nil
}

// DisableHook implements core.Tx.
func (t *Tx) DisableHook(ctx context.Context, id int64, at time.Time, reason string) error {
	if _, err := t.exec(ctx, `UPDATE hooks SET disabled_at = ?, disabled_reason = ? WHERE id = ?`, t.d.time(at), reason, id); err != nil {
		return fmt.Errorf("disable hook %d: %w", id, err)
	}
	if _, err := t.exec(ctx, `UPDATE hook_deliveries SET state = ? WHERE hook_id = ? AND state = ?`,
		string(core.DeliveryFailed), id, string(core.DeliveryPending)); err != nil {
		return fmt.Errorf("disable hook %d: %w", id, err)
	}
	return nil
}

// SetHookFailing implements core.Tx.
func (t *Tx) SetHookFailing(ctx context.Context, id int64, since time.Time) error {
	if _, err := t.exec(ctx, `UPDATE hooks SET failing_since = ? WHERE id = ?`, t.d.time(since), id); err != nil {
		return fmt.Errorf("hook %d failing: %w", id, err)
	}
	return nil
}

// PruneHookDeliveries implements core.Tx.
func (t *Tx) PruneHookDeliveries(ctx context.Context, before time.Time) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM hook_deliveries WHERE state <> 'pending' AND created_at < ?`, t.d.time(before))
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := t.exec(ctx, `DELETE FROM hook_events WHERE at < ?
		AND NOT EXISTS (SELECT 1 FROM hook_deliveries d WHERE d.event_id = hook_events.id)`, t.d.time(before)); err != nil {
		return 0, fmt.Errorf("prune events: %w", err)
	}
	return n, nil
}

// SetHookSecret implements core.Tx.
func (t *Tx) SetHookSecret(ctx context.Context, id int64, sealed []byte) error {
	if _, err := t.exec(ctx, `UPDATE hooks SET secret = ? WHERE id = ?`, sealed, id); err != nil {
		return fmt.Errorf("hook %d secret: %w", id, err)
	}
	return nil
}

// AddHookEvent implements core.Tx.
func (t *Tx) AddHookEvent(ctx context.Context, e *core.HookEvent, hookIDs []int64) error {
	if _, err := t.exec(ctx, `INSERT INTO hook_events (id, type, record, at, data) VALUES (?, ?, ?, ?, ?)`,
		e.ID, string(e.Type), e.Record, t.d.time(e.At), string(e.Data)); err != nil {
		return fmt.Errorf("add event %s: %w", e.Type, err)
	}
	for _, id := range hookIDs {
		d := core.HookDelivery{HookID: id, EventID: e.ID, EventType: e.Type, Record: e.Record, State: core.DeliveryPending, CreatedAt: e.At, NextAt: e.At}
		if err := t.AddHookDelivery(ctx, &d); err != nil {
			return err
		}
	}
	return nil
}

// AddHookDelivery implements core.Tx.
func (t *Tx) AddHookDelivery(ctx context.Context, d *core.HookDelivery) error {
	var err error
	d.ID, err = t.insert(ctx, `INSERT INTO hook_deliveries (hook_id, event_id, event_type, record, state, attempts, created_at, next_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, d.HookID, d.EventID, string(d.EventType), d.Record, string(d.State), d.Attempts,
		t.d.time(d.CreatedAt), t.d.time(d.NextAt))
	if err != nil {
		return fmt.Errorf("add delivery of %s: %w", d.EventID, err)
	}
	return nil
}

// UpdateHookDelivery implements core.Tx. A delivery removed meanwhile
// (with its subscription) is no error: there is nothing left to record.
func (t *Tx) UpdateHookDelivery(ctx context.Context, d *core.HookDelivery) error {
	_, err := t.exec(ctx, `UPDATE hook_deliveries SET state = ?, attempts = ?,
		next_at = ?, last_at = ?, status = ?, latency_ms = ?, excerpt = ?, error = ?, delivered_at = ? WHERE id = ?`,
		string(d.State), d.Attempts, t.d.time(d.NextAt), t.d.time(d.LastAt), d.Status, d.Latency.Milliseconds(),
		d.Excerpt, d.Error, t.d.time(d.DeliveredAt), d.ID)
	if err != nil {
		return fmt.Errorf("update delivery %d: %w", d.ID, err)
	}
	return nil
}

const deliveryCols = `d.id, d.hook_id, d.event_id, d.event_type, d.record, d.state, d.attempts, d.created_at, d.next_at,
	d.last_at, d.status, d.latency_ms, d.excerpt, d.error, d.delivered_at`

type deliveryRow struct {
	ID          int64    `db:"id"`
	HookID      int64    `db:"hook_id"`
	EventID     string   `db:"event_id"`
	EventType   string   `db:"event_type"`
	Record      string   `db:"record"`
	State       string   `db:"state"`
	Attempts    int      `db:"attempts"`
	CreatedAt   nullTime `db:"created_at"`
	NextAt      nullTime `db:"next_at"`
	LastAt      nullTime `db:"last_at"`
	Status      int      `db:"status"`
	LatencyMS   int64    `db:"latency_ms"`
	Excerpt     string   `db:"excerpt"`
	Error       string   `db:"error"`
	DeliveredAt nullTime `db:"delivered_at"`
}

func (r *deliveryRow) delivery() core.HookDelivery {
	return core.HookDelivery{ID: r.ID, HookID: r.HookID, EventID: r.EventID, EventType: core.EventType(r.EventType), Record: r.Record,
		State: core.HookDeliveryState(r.State), Attempts: r.Attempts, CreatedAt: r.CreatedAt.t, NextAt: r.NextAt.t, LastAt: r.LastAt.t,
		Status: r.Status, Latency: time.Duration(r.LatencyMS) * time.Millisecond, Excerpt: r.Excerpt, Error: r.Error, DeliveredAt: r.DeliveredAt.t}
}

// HookDeliveryByID implements core.Reader.
func (r *reader) HookDeliveryByID(ctx context.Context, id int64) (*core.HookDelivery, error) {
	var row deliveryRow
	err := r.get(ctx, &row, `SELECT `+deliveryCols+` FROM hook_deliveries d WHERE d.id = ?`, id)
	if err := found(err, core.Errorf(core.KindNotFound, "no delivery %d; see leadwire hooks deliveries", id), "delivery by id"); err != nil {
		return nil, err
	}
	d := row.delivery()
	return &d, nil
}

// ListHookDeliveries implements core.Reader.
func (r *reader) ListHookDeliveries(ctx context.Context, f core.HookDeliveryFilter) ([]core.HookDelivery, error) {
	w := where{}
	if f.HookID != 0 {
		w.add("d.hook_id = ?", f.HookID)
	}
	if f.Failed {
		w.add("(d.state = ? OR (d.state = ? AND d.attempts > 0))", string(core.DeliveryFailed), string(core.DeliveryPending))
	}
	var rows []deliveryRow
	if err := r.sel(ctx, &rows, `SELECT `+deliveryCols+` FROM hook_deliveries d`+w.String()+` ORDER BY d.id DESC LIMIT ?`,
		append(w.args, pageSize(f.Limit))...); err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	out := make([]core.HookDelivery, len(rows))
	for i := range rows {
		out[i] = rows[i].delivery()
	}
	return out, nil
}

// DueHookDeliveries implements core.Reader.
func (r *reader) DueHookDeliveries(ctx context.Context, now time.Time, limit int) ([]core.DueDelivery, error) {
	var rows []struct {
		deliveryRow
		At   nullTime `db:"at"`
		Data string   `db:"data"`
	}
	// 'pending' is written out, not bound, so that both databases use
	// the partial indexes on pending deliveries.
	err := r.sel(ctx, &rows, `SELECT `+deliveryCols+`, e.at, e.data
		FROM hook_deliveries d JOIN hook_events e ON e.id = d.event_id JOIN hooks h ON h.id = d.hook_id
		WHERE d.state = 'pending' AND d.next_at <= ? AND h.disabled_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM hook_deliveries p WHERE p.hook_id = d.hook_id AND p.record = d.record
			AND p.state = 'pending' AND p.id < d.id)
		ORDER BY d.next_at, d.id LIMIT ?`, r.d.time(now), pageSize(limit))
	if err != nil {
		return nil, fmt.Errorf("due deliveries: %w", err)
	}
	out := make([]core.DueDelivery, len(rows))
	for i := range rows {
		d := rows[i].delivery()
		out[i] = core.DueDelivery{HookDelivery: d, Event: core.HookEvent{ID: d.EventID, Type: d.EventType, Record: d.Record,
			At: rows[i].At.t, Data: []byte(rows[i].Data)}}
	}
	return out, nil
}
