package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"leadwire/core"
)

// ContactHoldings implements core.Reader.
func (r *reader) ContactHoldings(ctx context.Context, id int64) (core.Holdings, error) {
	var h struct {
		Identities  int64 `db:"identities"`
		Leads       int64 `db:"leads"`
		Deals       int64 `db:"deals"`
		Activities  int64 `db:"activities"`
		Tasks       int64 `db:"tasks"`
		Enrollments int64 `db:"enrollments"`
	}
	err := r.get(ctx, &h, `SELECT
		(SELECT COUNT(*) FROM contact_identities WHERE contact_id = ?) AS identities,
		(SELECT COUNT(*) FROM leads WHERE contact_id = ?) AS leads,
		(SELECT COUNT(*) FROM deals WHERE contact_id = ?) AS deals,
		(SELECT COUNT(*) FROM activities WHERE contact_id = ?) AS activities,
		(SELECT COUNT(*) FROM tasks WHERE lead_id IN (SELECT id FROM leads WHERE contact_id = ?)
			OR deal_id IN (SELECT id FROM deals WHERE contact_id = ?)) AS tasks,
		(SELECT COUNT(*) FROM sequence_enrollments WHERE contact_id = ?) AS enrollments`, id, id, id, id, id, id, id)
	if err != nil {
		return core.Holdings{}, fmt.Errorf("count what contact %d holds: %w", id, err)
	}
	return core.Holdings{Identities: h.Identities, Leads: h.Leads, Deals: h.Deals, Activities: h.Activities, Tasks: h.Tasks, Enrollments: h.Enrollments}, nil
}

// ContactKeys implements core.Reader.
func (r *reader) ContactKeys(ctx context.Context, teamID, afterID int64, limit int) ([]core.ContactKey, error) {
	q, args := `SELECT id, name, company, company_id, team_id FROM contacts WHERE id > ? AND merged_into IS NULL`, []any{afterID}
	if teamID != 0 {
		q, args = q+` AND team_id = ?`, append(args, teamID)
	}
	rows, err := r.q.QueryxContext(ctx, r.q.Rebind(q+` ORDER BY id LIMIT ?`), append(args, max(limit, 1))...)
	if err != nil {
		return nil, fmt.Errorf("list contact keys: %w", err)
	}
	defer rows.Close()
	out := make([]core.ContactKey, 0, limit)
	for rows.Next() {
		var k core.ContactKey
		var company, team nullID
		if err := rows.Scan(&k.ID, &k.Name, &k.Company, &company, &team); err != nil {
			return nil, fmt.Errorf("list contact keys: %w", err)
		}
		k.CompanyID, k.TeamID = int64(company), int64(team)
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list contact keys: %w", err)
	}
	return out, nil
}

type mergeRecord struct {
	Survivor core.Contact      `json:"survivor"`
	Merged   core.Contact      `json:"merged"`
	Moves    core.ContactMoves `json:"moves"`
}

// ContactMergeByID implements core.Reader.
func (r *reader) ContactMergeByID(ctx context.Context, id int64) (*core.ContactMerge, error) {
	var row struct {
		ID         int64    `db:"id"`
		SurvivorID int64    `db:"survivor_id"`
		MergedID   int64    `db:"merged_id"`
		ByUserID   nullID   `db:"by_user_id"`
		Via        string   `db:"channel"`
		At         nullTime `db:"at"`
		UndoneAt   nullTime `db:"undone_at"`
		Record     string   `db:"record"`
	}
	err := r.get(ctx, &row, `SELECT id, survivor_id, merged_id, by_user_id, channel, at, undone_at, record FROM contact_merges WHERE id = ?`, id)
	if err := found(err, core.Fail(core.KindNotFound, "error.merge_not_found", "no merge {ID}; the merge command printed its id", "ID", id), "get merge"); err != nil {
		return nil, err
	}
	var rec mergeRecord
	if err := json.Unmarshal([]byte(row.Record), &rec); err != nil {
		return nil, fmt.Errorf("read merge %d: %w", id, err)
	}
	return &core.ContactMerge{ID: row.ID, SurvivorID: row.SurvivorID, MergedID: row.MergedID, ByUserID: int64(row.ByUserID),
		Via: core.Via(row.Via), At: row.At.t, UndoneAt: row.UndoneAt.t, Survivor: rec.Survivor, Merged: rec.Merged, Moves: rec.Moves}, nil
}

// AddContactMerge implements core.Tx.
func (t *Tx) AddContactMerge(ctx context.Context, m *core.ContactMerge) error {
	rec, err := json.Marshal(mergeRecord{Survivor: m.Survivor, Merged: m.Merged, Moves: m.Moves})
	if err != nil {
		return fmt.Errorf("record merge: %w", err)
	}
	m.ID, err = t.insert(ctx, `INSERT INTO contact_merges (survivor_id, merged_id, by_user_id, channel, at, record) VALUES (?, ?, ?, ?, ?, ?)`,
		m.SurvivorID, m.MergedID, ref(m.ByUserID), string(m.Via), t.d.time(m.At), string(rec))
	if err != nil {
		return fmt.Errorf("record merge: %w", err)
	}
	return nil
}

// MarkUnmerged implements core.Tx.
func (t *Tx) MarkUnmerged(ctx context.Context, id int64, at time.Time) error {
	if _, err := t.exec(ctx, `UPDATE contact_merges SET undone_at = ? WHERE id = ?`, t.d.time(at), id); err != nil {
		return fmt.Errorf("mark merge %d undone: %w", id, err)
	}
	return nil
}

// movable are the tables whose rows name a contact by contact_id and an
// id of their own.
var movable = []string{"contact_identities", "leads", "deals", "activities", "sequence_enrollments"}

func (m *movesOf) list(table string) *[]int64 {
	switch table {
	case "contact_identities":
		return &m.Identities
	case "leads":
		return &m.Leads
	case "deals":
		return &m.Deals
	case "activities":
		return &m.Activities
	}
	return &m.Enrollments
}

type movesOf struct{ *core.ContactMoves }

// MoveContact implements core.Tx.
func (t *Tx) MoveContact(ctx context.Context, survivorID, mergedID int64, at time.Time) (core.ContactMoves, error) {
	var mv core.ContactMoves
	m := movesOf{&mv}
	for _, table := range movable {
		if err := t.sel(ctx, m.list(table), `SELECT id FROM `+table+` WHERE contact_id = ? ORDER BY id`, mergedID); err != nil {
			return mv, fmt.Errorf("merge contact %d: %s: %w", mergedID, table, err)
		}
		if _, err := t.exec(ctx, `UPDATE `+table+` SET contact_id = ? WHERE contact_id = ?`, survivorID, mergedID); err != nil {
			return mv, fmt.Errorf("merge contact %d: %s: %w", mergedID, table, err)
		}
	}
	var keys []struct {
		Channel    string `db:"channel"`
		Source     string `db:"source"`
		ExternalID string `db:"external_id"`
	}
	if err := t.sel(ctx, &keys, `SELECT channel, source, external_id FROM inbound_keys WHERE contact_id = ?`, mergedID); err != nil {
		return mv, fmt.Errorf("merge contact %d: idempotency keys: %w", mergedID, err)
	}
	for _, k := range keys {
		mv.InboundKeys = append(mv.InboundKeys, core.InboundKey{Channel: k.Channel, Source: k.Source, ExternalID: k.ExternalID})
	}
	if _, err := t.exec(ctx, `UPDATE inbound_keys SET contact_id = ? WHERE contact_id = ?`, survivorID, mergedID); err != nil {
		return mv, fmt.Errorf("merge contact %d: idempotency keys: %w", mergedID, err)
	}
	marks, err := t.PossibleDuplicates(ctx, mergedID, 1<<30)
	if err != nil {
		return mv, err
	}
	mv.Marks = marks
	if _, err := t.exec(ctx, `DELETE FROM possible_duplicates WHERE contact_id = ? OR other_id = ?`, mergedID, mergedID); err != nil {
		return mv, fmt.Errorf("merge contact %d: marks: %w", mergedID, err)
	}
	for _, d := range marks {
		if d.ContactID == mergedID {
			d.ContactID = survivorID
		} else {
			d.OtherID = survivorID
		}
		if d.ContactID == d.OtherID {
			continue
		}
		res, err := t.exec(ctx, `INSERT INTO possible_duplicates (contact_id, other_id, kind, value, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (contact_id, other_id) DO NOTHING`, d.ContactID, d.OtherID, d.Kind, d.Value, t.d.time(d.At))
		if err != nil {
			return mv, fmt.Errorf("merge contact %d: marks: %w", mergedID, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			mv.Repointed = append(mv.Repointed, d)
		}
	}
	if _, err := t.exec(ctx, `DELETE FROM search_terms WHERE contact_id = ?`, mergedID); err != nil {
		return mv, fmt.Errorf("merge contact %d: search terms: %w", mergedID, err)
	}
	if _, err := t.exec(ctx, `UPDATE contacts SET merged_into = ? WHERE id = ?`, survivorID, mergedID); err != nil {
		return mv, fmt.Errorf("merge contact %d: %w", mergedID, err)
	}
	return mv, nil
}

// UnmoveContact implements core.Tx.
func (t *Tx) UnmoveContact(ctx context.Context, survivorID, mergedID int64, mv core.ContactMoves) error {
	m := movesOf{&mv}
	for _, table := range movable {
		ids := *m.list(table)
		for len(ids) > 0 {
			n := min(len(ids), 500)
			args := []any{mergedID}
			for _, id := range ids[:n] {
				args = append(args, id)
			}
			q := `UPDATE ` + table + ` SET contact_id = ? WHERE id IN (` + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + `)`
			if _, err := t.exec(ctx, q, args...); err != nil {
				return fmt.Errorf("unmerge contact %d: %s: %w", mergedID, table, err)
			}
			ids = ids[n:]
		}
	}
	for _, k := range mv.InboundKeys {
		if _, err := t.exec(ctx, `UPDATE inbound_keys SET contact_id = ? WHERE channel = ? AND source = ? AND external_id = ?`,
			mergedID, k.Channel, k.Source, k.ExternalID); err != nil {
			return fmt.Errorf("unmerge contact %d: idempotency keys: %w", mergedID, err)
		}
	}
	for _, d := range mv.Repointed {
		if _, err := t.exec(ctx, `DELETE FROM possible_duplicates WHERE contact_id = ? AND other_id = ?`, d.ContactID, d.OtherID); err != nil {
			return fmt.Errorf("unmerge contact %d: marks: %w", mergedID, err)
		}
	}
	for _, d := range mv.Marks {
		if err := t.MarkPossibleDuplicate(ctx, d); err != nil {
			return err
		}
	}
	if _, err := t.exec(ctx, `UPDATE contacts SET merged_into = NULL WHERE id = ?`, mergedID); err != nil {
		return fmt.Errorf("unmerge contact %d: %w", mergedID, err)
	}
	c, err := t.ContactByID(ctx, mergedID)
	if err != nil {
		return err
	}
	return t.indexContact(ctx, c, true)
}
