package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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

// personalMessages are the timeline messages whose arguments may carry
// a person's data (their address, a mail server's answer naming it);
// erasure clears those arguments, and readers see the message without
// them.
const personalMessages = `'timeline.sequence_failing', 'timeline.sequence_stopped.refused', 'timeline.sequence_stopped.failing',
	'timeline.sequence_stopped.error', 'timeline.reply_undelivered'`

// personalArgs holds for an activity with arguments to erase; erasedArgs
// is its arguments after erasure.
const (
	personalArgs = `(msg_args <> '' AND msg_key IN (` + personalMessages + `))`
	erasedArgs   = `CASE WHEN ` + personalArgs + ` THEN '' ELSE msg_args END`
)

// spellings are the ways a lower-cased needle may be written in kept
// text: as is, capitalised word by word, and in capitals. The databases
// fold only ASCII letters the same way everywhere, so other letters are
// looked for in each of these cases.
func spellings(needle string) []string {
	out := []string{needle}
	add := func(v string) {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	words := strings.Fields(needle)
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	add(strings.Join(words, " "))
	add(strings.ToUpper(needle))
	return out
}

// mentioning is an SQL condition true of a row whose columns hold one of
// the needles, ignoring the case of ASCII letters, and its arguments. A
// binary column (raw messages, webhook bodies) is searched byte for byte
// with only ASCII letters folded, as are the needles.
func (d dialect) mentioning(needles []string, text, binary []string) (string, []any) {
	var conds []string
	var args []any
	for _, n := range needles {
		for _, v := range spellings(n) {
			for _, col := range text {
				if d == postgres {
					conds = append(conds, `strpos(lower(`+col+`), lower(?)) > 0`)
				} else {
					conds = append(conds, `instr(lower(`+col+`), lower(?)) > 0`)
				}
				args = append(args, v)
			}
			for _, col := range binary {
				if d == postgres {
					// escape keeps every byte, NUL too, as ASCII
					// text; the needle is escaped alike.
					conds = append(conds, `strpos(lower(encode(`+col+`, 'escape')), lower(encode(convert_to(?, 'UTF8'), 'escape'))) > 0`)
				} else {
					conds = append(conds, `instr(lower(CAST(`+col+` AS TEXT)), lower(?)) > 0`)
				}
				args = append(args, v)
			}
		}
	}
	if len(conds) == 0 {
		return "FALSE", nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

type failedRow struct {
	ID         int64    `db:"id"`
	Connector  string   `db:"connector"`
	ExternalID string   `db:"external_id"`
	Error      string   `db:"error"`
	Raw        []byte   `db:"raw"`
	At         nullTime `db:"at"`
}

// FailedInboundsMentioning implements core.Reader: the search runs in
// the database.
func (r *reader) FailedInboundsMentioning(ctx context.Context, needles []string) ([]core.FailedInbound, error) {
	cond, args := r.d.mentioning(needles, []string{"external_id", "error"}, []string{"raw"})
	var rows []failedRow
	if err := r.sel(ctx, &rows, `SELECT id, connector, external_id, error, raw, at FROM failed_inbounds WHERE `+cond+` ORDER BY id`, args...); err != nil {
		return nil, fmt.Errorf("failed inbounds of a person: %w", err)
	}
	out := make([]core.FailedInbound, len(rows))
	for i, row := range rows {
		out[i] = core.FailedInbound{ID: row.ID, Connector: row.Connector, ExternalID: row.ExternalID, Error: row.Error, Raw: row.Raw, At: row.At.t}
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
	// Outgoing webhook events carry the records as they were: those of
	// the person's leads, deals and tasks go, sent or not.
	records := `SELECT 'L' || id FROM leads WHERE contact_id IN (` + marks + `) UNION ALL SELECT 'D' || id FROM deals WHERE contact_id IN (` + marks +
		`) UNION ALL SELECT 'T' || id FROM tasks WHERE lead_id IN (` + leads + `) OR deal_id IN (` + deals + `)`
	steps := []struct {
		name string
		q    string
		args int // how many times the ids are bound
	}{
		{"webhook deliveries", `DELETE FROM hook_deliveries WHERE record IN (` + records + `)`, 4},
		{"webhook events", `DELETE FROM hook_events WHERE record IN (` + records + `)`, 4},
		{"activities", `UPDATE activities SET subject = '', body = '', external_ref = NULL, msg_args = ` + erasedArgs + ` WHERE contact_id IN (` + marks + `) AND (subject <> '' OR body <> '' OR external_ref IS NOT NULL OR ` + personalArgs + `)`, 1},
		{"activities of leads", `UPDATE activities SET subject = '', body = '', external_ref = NULL, msg_args = ` + erasedArgs + ` WHERE lead_id IN (` + leads + `) AND (subject <> '' OR body <> '' OR external_ref IS NOT NULL OR ` + personalArgs + `)`, 1},
		{"activities of deals", `UPDATE activities SET subject = '', body = '', external_ref = NULL, msg_args = ` + erasedArgs + ` WHERE deal_id IN (` + deals + `) AND (subject <> '' OR body <> '' OR external_ref IS NOT NULL OR ` + personalArgs + `)`, 1},
		{"tasks", `UPDATE tasks SET title = '' WHERE lead_id IN (` + leads + `) OR deal_id IN (` + deals + `)`, 2},
		{"leads", `UPDATE leads SET subject = '', message = '', metadata = NULL, score_hits = NULL WHERE contact_id IN (` + marks + `)`, 1},
		{"deals", `UPDATE deals SET title = '', qualification = NULL WHERE contact_id IN (` + marks + `)`, 1},
		{"identities", `DELETE FROM contact_identities WHERE contact_id IN (` + marks + `)`, 1},
		{"search terms", `DELETE FROM search_terms WHERE contact_id IN (` + marks + `)`, 1},
		{"possible duplicates", `DELETE FROM possible_duplicates WHERE contact_id IN (` + marks + `) OR other_id IN (` + marks + `)`, 2},
		{"sequence enrolments", `DELETE FROM sequence_enrollments WHERE contact_id IN (` + marks + `)`, 1},
		{"merge records", `UPDATE contact_merges SET record = '' WHERE survivor_id IN (` + marks + `) OR merged_id IN (` + marks + `)`, 2},
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
	if err := t.eraseKept(ctx, e, marks, ids, counts); err != nil {
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
// webhook bodies that mention the person, found in the database; and the
// personal parts of the audit entries about the person's records, found
// through their indexes rather than by reading the whole log.
func (t *Tx) eraseKept(ctx context.Context, e core.Erasure, marks string, ids []any, counts core.ErasedCounts) error {
	cond, args := t.d.mentioning(e.Needles, []string{"external_id", "error"}, []string{"raw"})
	res, err := t.exec(ctx, `DELETE FROM failed_inbounds WHERE `+cond, args...)
	if err != nil {
		return fmt.Errorf("erase raw messages: %w", err)
	}
	n, _ := res.RowsAffected()
	counts["raw messages"] += n

	cond, args = t.d.mentioning(e.Needles, []string{"external_id", "error", "ref"}, []string{"body"})
	res, err = t.exec(ctx, `UPDATE webhook_deliveries SET body = NULL, external_id = '', error = '' WHERE `+cond, args...)
	if err != nil {
		return fmt.Errorf("erase webhook bodies: %w", err)
	}
	n, _ = res.RowsAffected()
	counts["webhook deliveries"] += n

	// The entries about the person's contacts, leads and deals: what
	// they changed goes; a note or target that names the person too.
	leads := `SELECT id FROM leads WHERE contact_id IN (` + marks + `)`
	deals := `SELECT id FROM deals WHERE contact_id IN (` + marks + `)`
	mine := `(contact_id IN (` + marks + `) OR lead_id IN (` + leads + `) OR deal_id IN (` + deals + `))`
	cond, args = t.d.mentioning(e.Needles, []string{"note", "target"}, nil)
	res, err = t.exec(ctx, `UPDATE audit_log SET changes = '',
		note = CASE WHEN `+cond+` THEN '[erased]' ELSE note END,
		target = CASE WHEN `+cond+` THEN '' ELSE target END
		WHERE `+mine+` AND (changes <> '' OR `+cond+`)`,
		slices.Concat(args, args, ids, ids, ids, args)...)
	if err != nil {
		return fmt.Errorf("erase audit entries: %w", err)
	}
	n, _ = res.RowsAffected()
	counts["audit"] += n
	return nil
}

// eraseJobs removes the jobs not running now whose arguments name the
// person: by their data, or, at any depth, by the ids of their leads,
// deals, activities, tasks and enrolments (the enrolments are gone; the
// rest stay, anonymous, and a notice about them is not worth the
// person's data). The search runs in the database.
func (t *Tx) eraseJobs(ctx context.Context, e core.Erasure, counts core.ErasedCounts) error {
	marks, ids := idList(e.ContactIDs)
	argsText := `CAST(args AS TEXT)`
	if t.d == postgres {
		argsText = `args::text`
	}
	named := []struct{ key, q string }{
		{"lead_id", `SELECT id FROM leads WHERE contact_id IN (` + marks + `)`},
		{"deal_id", `SELECT id FROM deals WHERE contact_id IN (` + marks + `)`},
		{"activity_id", `SELECT id FROM activities WHERE contact_id IN (` + marks + `)`},
		{"task_id", `SELECT id FROM tasks WHERE lead_id IN (SELECT id FROM leads WHERE contact_id IN (` + marks + `)) OR deal_id IN (SELECT id FROM deals WHERE contact_id IN (` + marks + `))`},
		{"enrollment_id", `SELECT id FROM sequence_enrollments WHERE contact_id IN (` + marks + `)`},
	}
	var conds []string
	var args []any
	for _, k := range named {
		if t.d == postgres {
			conds = append(conds, `EXISTS (SELECT 1 FROM jsonb_path_query(args, 'lax $.**.`+k.key+`') v
				WHERE jsonb_typeof(v) = 'number' AND (v #>> '{}')::numeric IN (`+k.q+`))`)
		} else {
			conds = append(conds, `EXISTS (SELECT 1 FROM json_tree(args) v
				WHERE v.key = '`+k.key+`' AND v.type = 'integer' AND v.atom IN (`+k.q+`))`)
		}
		args = append(args, ids...)
		if k.key == "task_id" {
			args = append(args, ids...)
		}
	}
	cond, needleArgs := t.d.mentioning(e.Needles, []string{argsText}, nil)
	res, err := t.exec(ctx, `DELETE FROM river_job WHERE state <> 'running' AND (`+cond+` OR `+strings.Join(conds, " OR ")+`)`,
		append(needleArgs, args...)...)
	if err != nil {
		return fmt.Errorf("erase queued jobs: %w", err)
	}
	n, _ := res.RowsAffected()
	counts["jobs"] += n
	return nil
}
