package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"leadwire/core"
)

// AddAudit implements core.Tx.
func (t *Tx) AddAudit(ctx context.Context, e *core.AuditEntry) error {
	changes := ""
	if len(e.Changes) > 0 {
		b, err := json.Marshal(e.Changes)
		if err != nil {
			return fmt.Errorf("audit %s: %w", e.Action, err)
		}
		changes = string(b)
	}
	var err error
	e.ID, err = t.insert(ctx, `INSERT INTO audit_log (at, actor_id, actor, via, action, contact_id, lead_id, deal_id, user_id, target, changes, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.d.time(e.At), ref(e.ActorID), e.Actor, string(e.Via), e.Action,
		ref(e.Contact), ref(e.Lead), ref(e.Deal), ref(e.User), e.Target, changes, e.Note)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// auditChunk bounds the rows of one multi-row insert: 12 arguments each
// stay well under both databases' limits on bound parameters.
const auditChunk = 400

// AddAudits implements core.Tx: one INSERT for many rows.
func (t *Tx) AddAudits(ctx context.Context, es []core.AuditEntry) error {
	for len(es) > 0 {
		n := min(len(es), auditChunk)
		args := make([]any, 0, n*12)
		for i := range es[:n] {
			e := &es[i]
			changes := ""
			if len(e.Changes) > 0 {
				b, err := json.Marshal(e.Changes)
				if err != nil {
					return fmt.Errorf("audit %s: %w", e.Action, err)
				}
				changes = string(b)
			}
			args = append(args, t.d.time(e.At), ref(e.ActorID), e.Actor, string(e.Via), e.Action,
				ref(e.Contact), ref(e.Lead), ref(e.Deal), ref(e.User), e.Target, changes, e.Note)
		}
		values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", n), ", ")
		if _, err := t.exec(ctx, `INSERT INTO audit_log (at, actor_id, actor, via, action, contact_id, lead_id, deal_id, user_id, target, changes, note)
			VALUES `+values, args...); err != nil {
			return fmt.Errorf("audit %d changes: %w", n, err)
		}
		es = es[n:]
	}
	return nil
}

// ListAudit implements core.Reader, newest first.
func (r *reader) ListAudit(ctx context.Context, f core.AuditFilter) ([]core.AuditEntry, error) {
	var w where
	if f.Contact != 0 {
		w.add("contact_id = ?", f.Contact)
	}
	if f.Lead != 0 {
		w.add("lead_id = ?", f.Lead)
	}
	if f.Deal != 0 {
		w.add("deal_id = ?", f.Deal)
	}
	if f.User != 0 {
		w.add("(user_id = ? OR actor_id = ?)", f.User, f.User)
	}
	if !f.Since.IsZero() {
		w.add("at >= ?", r.d.time(f.Since))
	}
	if f.Action != "" {
		w.add("action LIKE ?", f.Action+"%")
	}
	if f.BeforeID != 0 {
		w.add("id < ?", f.BeforeID)
	}
	if f.TeamID != 0 {
		// The most specific record an entry names decides.
		w.add(`CASE WHEN deal_id IS NOT NULL THEN deal_id IN (SELECT id FROM deals WHERE team_id = ?)
			WHEN lead_id IS NOT NULL THEN lead_id IN (SELECT id FROM leads WHERE team_id = ?)
			WHEN contact_id IS NOT NULL THEN contact_id IN (SELECT id FROM contacts WHERE team_id = ?)
			WHEN user_id IS NOT NULL THEN user_id IN (SELECT id FROM users WHERE team_id = ?)
			ELSE FALSE END`, f.TeamID, f.TeamID, f.TeamID, f.TeamID)
	}
	var rows []struct {
		ID      int64    `db:"id"`
		At      nullTime `db:"at"`
		ActorID nullID   `db:"actor_id"`
		Actor   string   `db:"actor"`
		Via     string   `db:"via"`
		Action  string   `db:"action"`
		Contact nullID   `db:"contact_id"`
		Lead    nullID   `db:"lead_id"`
		Deal    nullID   `db:"deal_id"`
		User    nullID   `db:"user_id"`
		Target  string   `db:"target"`
		Changes string   `db:"changes"`
		Note    string   `db:"note"`
	}
	if err := r.sel(ctx, &rows, `SELECT id, at, actor_id, actor, via, action, contact_id, lead_id, deal_id, user_id, target, changes, note
		FROM audit_log`+w.String()+` ORDER BY id DESC LIMIT ?`, append(w.args, pageSize(f.Limit))...); err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	out := make([]core.AuditEntry, len(rows))
	for i, row := range rows {
		out[i] = core.AuditEntry{ID: row.ID, At: row.At.t, ActorID: int64(row.ActorID), Actor: row.Actor, Via: core.Via(row.Via),
			Action: row.Action, Contact: int64(row.Contact), Lead: int64(row.Lead), Deal: int64(row.Deal), User: int64(row.User),
			Target: row.Target, Note: row.Note}
		if row.Changes != "" {
			if err := json.Unmarshal([]byte(row.Changes), &out[i].Changes); err != nil {
				return nil, fmt.Errorf("read audit entry %d: %w", row.ID, err)
			}
		}
	}
	return out, nil
}
