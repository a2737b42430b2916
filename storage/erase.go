package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"leadwire/core"
)

// idList is "?, ?, …" and the ids as arguments.
func idList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "), args
}

// ActivitiesOfPerson implements core.Reader: one query per way an
// activity names the person, each on its index.
func (r *reader) ActivitiesOfPerson(ctx context.Context, contactIDs []int64) ([]core.Activity, error) {
	if len(contactIDs) == 0 {
		return nil, nil
	}
	marks, args := idList(contactIDs)
	var rows []activityRow
	q := `SELECT ` + activityCols + ` FROM activities WHERE contact_id IN (` + marks + `)
		UNION SELECT ` + activityCols + ` FROM activities WHERE lead_id IN (SELECT id FROM leads WHERE contact_id IN (` + marks + `))
		UNION SELECT ` + activityCols + ` FROM activities WHERE deal_id IN (SELECT id FROM deals WHERE contact_id IN (` + marks + `))
		ORDER BY at, id`
	if err := r.sel(ctx, &rows, q, append(append(append([]any{}, args...), args...), args...)...); err != nil {
		return nil, fmt.Errorf("activities of a person: %w", err)
	}
	out := make([]core.Activity, len(rows))
	for i := range rows {
		out[i] = rows[i].activity()
	}
	return out, nil
}

// mentions reports whether b, lower-cased, holds one of the needles.
func mentions(b []byte, needles []string) bool {
	if len(b) == 0 {
		return false
	}
	low := bytes.ToLower(b)
	for _, n := range needles {
		if bytes.Contains(low, []byte(n)) {
			return true
		}
	}
	return false
}

type failedRow struct {
	ID         int64    `db:"id"`
	Connector  string   `db:"connector"`
	ExternalID string   `db:"external_id"`
	Error      string   `db:"error"`
	Raw        []byte   `db:"raw"`
	At         nullTime `db:"at"`
}

func (f *failedRow) mentions(needles []string) bool {
	return mentions(f.Raw, needles) || mentions([]byte(f.ExternalID), needles) || mentions([]byte(f.Error), needles)
}

// FailedInboundsMentioning implements core.Reader. Kept failures are few
// and their raw messages may be encoded any way: they are read here.
func (r *reader) FailedInboundsMentioning(ctx context.Context, needles []string) ([]core.FailedInbound, error) {
	var rows []failedRow
	if err := r.sel(ctx, &rows, `SELECT id, connector, external_id, error, raw, at FROM failed_inbounds ORDER BY id`); err != nil {
		return nil, fmt.Errorf("failed inbounds of a person: %w", err)
	}
	var out []core.FailedInbound
	for _, row := range rows {
		if row.mentions(needles) {
			out = append(out, core.FailedInbound{ID: row.ID, Connector: row.Connector, ExternalID: row.ExternalID, Error: row.Error, Raw: row.Raw, At: row.At.t})
		}
	}
	return out, nil
}

// ContactsMergedInto implements core.Reader.
func (r *reader) ContactsMergedInto(ctx context.Context, contactID int64) ([]int64, error) {
	var ids []int64
	if err := r.sel(ctx, &ids, `SELECT id FROM contacts WHERE merged_into = ? ORDER BY id`, contactID); err != nil {
		return nil, fmt.Errorf("contacts merged into %d: %w", contactID, err)
	}
	return ids, nil
}

// OnDoNotEmail implements core.Reader.
func (r *reader) OnDoNotEmail(ctx context.Context, hash string) (bool, error) {
	var n int
	if err := r.get(ctx, &n, `SELECT COUNT(*) FROM do_not_email WHERE hash = ?`, hash); err != nil {
		return false, fmt.Errorf("do-not-email list: %w", err)
	}
	return n > 0, nil
}

// AddDoNotEmail implements core.Tx.
func (t *Tx) AddDoNotEmail(ctx context.Context, hash string, at time.Time) error {
	if _, err := t.exec(ctx, `INSERT INTO do_not_email (hash, at) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING`, hash, t.d.time(at)); err != nil {
		return fmt.Errorf("do-not-email list: %w", err)
	}
	return nil
}

// ErasePerson implements core.Tx.
func (t *Tx) ErasePerson(ctx context.Context, e core.Erasure) (core.ErasedCounts, error) {
	counts := core.ErasedCounts{}
	if len(e.ContactIDs) == 0 {
		return counts, nil
	}
	if t.d == sqlite {
		// Deleted content is overwritten in the file, not left in free pages.
		if _, err := t.exec(ctx, `PRAGMA secure_delete = ON`); err != nil {
			return nil, fmt.Errorf("erase: %w", err)
		}
	}
	// Jobs first: they are found by the ids of rows erased below.
	if err := t.eraseJobs(ctx, e, counts); err != nil {
		return nil, err
	}
	marks, ids := idList(e.ContactIDs)
	leads := `SELECT id FROM leads WHERE contact_id IN (` + marks + `)`
	deals := `SELECT id FROM deals WHERE contact_id IN (` + marks + `)`
	steps := []struct {
		name string
		q    string
		args int // how many times the ids are bound
	}{
		{"activities", `UPDATE activities SET subject = '', body = '', external_ref = NULL WHERE contact_id IN (` + marks + `) AND (subject <> '' OR body <> '' OR external_ref IS NOT NULL)`, 1},
		{"activities of leads", `UPDATE activities SET subject = '', body = '', external_ref = NULL WHERE lead_id IN (` + leads + `) AND (subject <> '' OR body <> '' OR external_ref IS NOT NULL)`, 1},
		{"activities of deals", `UPDATE activities SET subject = '', body = '', external_ref = NULL WHERE deal_id IN (` + deals + `) AND (subject <> '' OR body <> '' OR external_ref IS NOT NULL)`, 1},
		{"tasks", `UPDATE tasks SET title = '' WHERE lead_id IN (` + leads + `) OR deal_id IN (` + deals + `)`, 2},
		{"leads", `UPDATE leads SET subject = '', message = '', metadata = NULL, score_hits = NULL WHERE contact_id IN (` + marks + `)`, 1},
		{"deals", `UPDATE deals SET title = '', qualification = NULL WHERE contact_id IN (` + marks + `)`, 1},
		{"identities", `DELETE FROM contact_identities WHERE contact_id IN (` + marks + `)`, 1},
		{"search terms", `DELETE FROM search_terms WHERE contact_id IN (` + marks + `)`, 1},
		{"possible duplicates", `DELETE FROM possible_duplicates WHERE contact_id IN (` + marks + `) OR other_id IN (` + marks + `)`, 2},
		{"sequence enrolments", `DELETE FROM sequence_enrollments WHERE contact_id IN (` + marks + `)`, 1},
		{"merge records", `UPDATE contact_merges SET record = '' WHERE survivor_id IN (` + marks + `) OR merged_id IN (` + marks + `)`, 2},
		{"audit entries", `UPDATE audit_log SET changes = '' WHERE contact_id IN (` + marks + `) AND changes <> ''`, 1},
		{"contacts", `UPDATE contacts SET name = '', company = '', domain = '', invalid_phones = '', time_zone = '', locale = '', erased_at = ? WHERE id IN (` + marks + `)`, 1},
	}
	for _, s := range steps {
		var args []any
		if s.name == "contacts" {
			args = append(args, t.d.time(e.At))
		}
		for range s.args {
			args = append(args, ids...)
		}
		res, err := t.exec(ctx, s.q, args...)
		if err != nil {
			return nil, fmt.Errorf("erase %s: %w", s.name, err)
		}
		n, _ := res.RowsAffected()
		key, _, _ := strings.Cut(s.name, " of ")
		counts[key] += n
	}
	if err := t.eraseKeys(ctx, e, marks, ids, counts); err != nil {
		return nil, err
	}
	if err := t.eraseKept(ctx, e, counts); err != nil {
		return nil, err
	}
	return counts, nil
}

// eraseKeys replaces the external ids of the person's idempotency keys
// (a Message-ID, a form's idempotency key, an import row's email) by
// salted hashes: what each key became stays, who sent it goes.
func (t *Tx) eraseKeys(ctx context.Context, e core.Erasure, marks string, ids []any, counts core.ErasedCounts) error {
	var keys []struct {
		Channel    string `db:"channel"`
		Source     string `db:"source"`
		ExternalID string `db:"external_id"`
	}
	if err := t.sel(ctx, &keys, `SELECT channel, source, external_id FROM inbound_keys WHERE contact_id IN (`+marks+`)
		AND external_id NOT LIKE 'erased:%'`, ids...); err != nil {
		return fmt.Errorf("erase idempotency keys: %w", err)
	}
	for _, k := range keys {
		h := sha256.Sum256([]byte(e.Salt + "\x00" + k.ExternalID))
		if _, err := t.exec(ctx, `UPDATE inbound_keys SET external_id = ? WHERE channel = ? AND source = ? AND external_id = ?`,
			"erased:"+hex.EncodeToString(h[:16]), k.Channel, k.Source, k.ExternalID); err != nil {
			return fmt.Errorf("erase idempotency keys: %w", err)
		}
	}
	counts["idempotency keys"] += int64(len(keys))
	return nil
}

// eraseKept removes what was kept as it came: failed inbounds and logged
// webhook bodies that mention the person.
func (t *Tx) eraseKept(ctx context.Context, e core.Erasure, counts core.ErasedCounts) error {
	var failed []failedRow
	if err := t.sel(ctx, &failed, `SELECT id, connector, external_id, error, raw, at FROM failed_inbounds`); err != nil {
		return fmt.Errorf("erase raw messages: %w", err)
	}
	for _, f := range failed {
		if f.mentions(e.Needles) {
			if _, err := t.exec(ctx, `DELETE FROM failed_inbounds WHERE id = ?`, f.ID); err != nil {
				return fmt.Errorf("erase raw messages: %w", err)
			}
			counts["raw messages"]++
		}
	}
	var deliveries []struct {
		ID         int64  `db:"id"`
		ExternalID string `db:"external_id"`
		Error      string `db:"error"`
		Ref        string `db:"ref"`
		Body       []byte `db:"body"`
	}
	if err := t.sel(ctx, &deliveries, `SELECT id, external_id, error, ref, body FROM webhook_deliveries`); err != nil {
		return fmt.Errorf("erase webhook bodies: %w", err)
	}
	for _, d := range deliveries {
		if mentions(d.Body, e.Needles) || mentions([]byte(d.ExternalID+"\n"+d.Error+"\n"+d.Ref), e.Needles) {
			if _, err := t.exec(ctx, `UPDATE webhook_deliveries SET body = NULL, external_id = '', error = '' WHERE id = ?`, d.ID); err != nil {
				return fmt.Errorf("erase webhook bodies: %w", err)
			}
			counts["webhook deliveries"]++
		}
	}
	var entries []struct {
		ID      int64  `db:"id"`
		Changes string `db:"changes"`
		Note    string `db:"note"`
		Target  string `db:"target"`
	}
	if err := t.sel(ctx, &entries, `SELECT id, changes, note, target FROM audit_log WHERE changes <> '' OR note <> '' OR target <> ''`); err != nil {
		return fmt.Errorf("erase audit entries: %w", err)
	}
	for _, a := range entries {
		if mentions([]byte(a.Changes+"\n"+a.Note+"\n"+a.Target), e.Needles) {
			if _, err := t.exec(ctx, `UPDATE audit_log SET changes = '', note = '[erased]', target = '' WHERE id = ?`, a.ID); err != nil {
				return fmt.Errorf("erase audit entries: %w", err)
			}
			counts["audit"]++
		}
	}
	return nil
}

// eraseJobs removes the jobs not running now whose arguments name the
// person: by their data, or by the ids of their leads, deals, activities,
// tasks and enrolments (the enrolments are gone; the rest stay, anonymous,
// and a notice about them is not worth the person's data).
func (t *Tx) eraseJobs(ctx context.Context, e core.Erasure, counts core.ErasedCounts) error {
	marks, ids := idList(e.ContactIDs)
	argsText := `CAST(args AS TEXT)`
	if t.d == postgres {
		argsText = `args::text`
	}
	var jobs []struct {
		ID   int64  `db:"id"`
		Args string `db:"args"`
	}
	if err := t.sel(ctx, &jobs, `SELECT id, `+argsText+` AS args FROM river_job WHERE state <> 'running'`); err != nil {
		return fmt.Errorf("erase queued jobs: %w", err)
	}
	if len(jobs) == 0 {
		return nil
	}
	named := map[string]map[int64]bool{}
	for key, q := range map[string]string{
		"lead_id":       `SELECT id FROM leads WHERE contact_id IN (` + marks + `)`,
		"deal_id":       `SELECT id FROM deals WHERE contact_id IN (` + marks + `)`,
		"activity_id":   `SELECT id FROM activities WHERE contact_id IN (` + marks + `)`,
		"task_id":       `SELECT id FROM tasks WHERE lead_id IN (SELECT id FROM leads WHERE contact_id IN (` + marks + `)) OR deal_id IN (SELECT id FROM deals WHERE contact_id IN (` + marks + `))`,
		"enrollment_id": `SELECT e.id FROM sequence_enrollments e WHERE e.contact_id IN (` + marks + `)`,
	} {
		var got []int64
		args := ids
		if key == "task_id" {
			args = append(append([]any{}, ids...), ids...)
		}
		if err := t.sel(ctx, &got, q, args...); err != nil {
			return fmt.Errorf("erase queued jobs: %w", err)
		}
		named[key] = map[int64]bool{}
		for _, id := range got {
			named[key][id] = true
		}
	}
	for _, j := range jobs {
		if mentions([]byte(j.Args), e.Needles) || namesAny(j.Args, named) {
			if _, err := t.exec(ctx, `DELETE FROM river_job WHERE id = ?`, j.ID); err != nil {
				return fmt.Errorf("erase queued jobs: %w", err)
			}
			counts["jobs"]++
		}
	}
	return nil
}

// namesAny reports whether the JSON args, at any depth, hold one of the
// named ids under its key.
func namesAny(args string, named map[string]map[int64]bool) bool {
	var v any
	if json.Unmarshal([]byte(args), &v) != nil {
		return false
	}
	var walk func(v any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if n, ok := val.(float64); ok && named[k][int64(n)] {
					return true
				}
				if walk(val) {
					return true
				}
			}
		case []any:
			for _, val := range x {
				if walk(val) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}
