package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"leadwire/core"
)

const activityCols = `id, kind, contact_id, lead_id, deal_id, user_id, subject, body, external_ref, at, msg_key, msg_args`

type activityRow struct {
	ID          int64    `db:"id"`
	Kind        string   `db:"kind"`
	ContactID   nullID   `db:"contact_id"`
	LeadID      nullID   `db:"lead_id"`
	DealID      nullID   `db:"deal_id"`
	UserID      nullID   `db:"user_id"`
	Subject     string   `db:"subject"`
	Body        string   `db:"body"`
	ExternalRef nullStr  `db:"external_ref"`
	At          nullTime `db:"at"`
	MsgKey      string   `db:"msg_key"`
	MsgArgs     string   `db:"msg_args"`
}

func (r *activityRow) activity() core.Activity {
	var args core.Args
	_ = fromJSON(nullStr(r.MsgArgs), &args) // unreadable: the message shows without them
	return core.Activity{
		Key:         r.MsgKey,
		Args:        args,
		ID:          r.ID,
		Kind:        core.ActivityKind(r.Kind),
		ContactID:   int64(r.ContactID),
		LeadID:      int64(r.LeadID),
		DealID:      int64(r.DealID),
		UserID:      int64(r.UserID),
		Subject:     r.Subject,
		Body:        r.Body,
		ExternalRef: string(r.ExternalRef),
		At:          r.At.t,
	}
}

// ListActivities implements core.Reader: the timeline of a contact, lead or
// deal (all that are set must match), newest first.
func (r *reader) ListActivities(ctx context.Context, f core.ActivityFilter) ([]core.Activity, error) {
	var w where
	if f.ContactID != 0 {
		w.add("contact_id = ?", f.ContactID)
	}
	if f.LeadID != 0 {
		w.add("lead_id = ?", f.LeadID)
	}
	if f.DealID != 0 {
		w.add("deal_id = ?", f.DealID)
	}
	if len(w.conds) == 0 {
		return nil, core.Errorf(core.KindInvalid, "list activities: give a contact, lead or deal")
	}
	if b := f.Before; b != nil {
		at := r.d.time(b.At)
		w.add("(at < ? OR (at = ? AND id < ?))", at, at, b.ID)
	}
	var rows []activityRow
	err := r.sel(ctx, &rows, `SELECT `+activityCols+` FROM activities`+w.String()+` ORDER BY at DESC, id DESC LIMIT ?`,
		append(w.args, pageSize(f.Limit))...)
	if err != nil {
		return nil, fmt.Errorf("list activities: %w", err)
	}
	out := make([]core.Activity, len(rows))
	for i := range rows {
		out[i] = rows[i].activity()
	}
	return out, nil
}

// ActivityByExternalRef implements core.Reader; when several activities
// carry the reference, the newest is returned.
func (r *reader) ActivityByExternalRef(ctx context.Context, ref string) (*core.Activity, error) {
	var row activityRow
	err := r.get(ctx, &row, `SELECT `+activityCols+` FROM activities WHERE external_ref = ? ORDER BY id DESC LIMIT 1`, ref)
	if err := found(err, core.Errorf(core.KindNotFound, "no activity with reference %q", ref), "activity by reference"); err != nil {
		return nil, err
	}
	a := row.activity()
	return &a, nil
}

// ActivityByID implements core.Reader.
func (r *reader) ActivityByID(ctx context.Context, id int64) (*core.Activity, error) {
	var row activityRow
	err := r.get(ctx, &row, `SELECT `+activityCols+` FROM activities WHERE id = ?`, id)
	if err := found(err, core.Errorf(core.KindNotFound, "no activity %d", id), "activity by id"); err != nil {
		return nil, err
	}
	a := row.activity()
	return &a, nil
}

// AddActivity implements core.Tx.
func (t *Tx) AddActivity(ctx context.Context, a *core.Activity) error {
	args, err := argsJSON(a.Args)
	if err != nil {
		return fmt.Errorf("add activity: %w", err)
	}
	a.ID, err = t.insert(ctx, `INSERT INTO activities (kind, contact_id, lead_id, deal_id, user_id, subject, body,
		external_ref, at, msg_key, msg_args) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, string(a.Kind), ref(a.ContactID), ref(a.LeadID),
		ref(a.DealID), ref(a.UserID), a.Subject, a.Body, str(a.ExternalRef), t.d.time(a.At), a.Key, args)
	if err != nil {
		return fmt.Errorf("add activity: %w", err)
	}
	return nil
}

// argsJSON is how a timeline message's arguments are stored: a JSON
// object, "" for none.
func argsJSON(args core.Args) (string, error) {
	if len(args) == 0 {
		return "", nil
	}
	b, err := json.Marshal(args)
	return string(b), err
}
