package storage

import (
	"context"
	"fmt"

	"leadwire/core"
)

const leadCols = `id, contact_id, team_id, owner_id, status, source_channel, source_name, subject, message,
	score, score_hits, disqualify_reason, deal_id, metadata, created_at, claimed_at, first_response_at,
	last_activity_at, updated_at, disqualified_at`

type leadRow struct {
	ID               int64    `db:"id"`
	ContactID        nullID   `db:"contact_id"`
	TeamID           nullID   `db:"team_id"`
	OwnerID          nullID   `db:"owner_id"`
	Status           string   `db:"status"`
	SourceChannel    string   `db:"source_channel"`
	SourceName       string   `db:"source_name"`
	Subject          string   `db:"subject"`
	Message          string   `db:"message"`
	Score            int      `db:"score"`
	ScoreHits        nullStr  `db:"score_hits"`
	DisqualifyReason string   `db:"disqualify_reason"`
	DealID           nullID   `db:"deal_id"`
	Metadata         nullStr  `db:"metadata"`
	CreatedAt        nullTime `db:"created_at"`
	ClaimedAt        nullTime `db:"claimed_at"`
	FirstResponseAt  nullTime `db:"first_response_at"`
	LastActivityAt   nullTime `db:"last_activity_at"`
	UpdatedAt        nullTime `db:"updated_at"`
	DisqualifiedAt   nullTime `db:"disqualified_at"`
}

func (r *leadRow) lead() (*core.Lead, error) {
	l := &core.Lead{
		ID:               r.ID,
		ContactID:        int64(r.ContactID),
		TeamID:           int64(r.TeamID),
		OwnerID:          int64(r.OwnerID),
		Status:           core.LeadStatus(r.Status),
		SourceChannel:    r.SourceChannel,
		SourceName:       r.SourceName,
		Subject:          r.Subject,
		Message:          r.Message,
		Score:            r.Score,
		DisqualifyReason: r.DisqualifyReason,
		DealID:           int64(r.DealID),
		CreatedAt:        r.CreatedAt.t,
		ClaimedAt:        r.ClaimedAt.t,
		FirstResponseAt:  r.FirstResponseAt.t,
		LastActivityAt:   r.LastActivityAt.t,
		UpdatedAt:        r.UpdatedAt.t,
		DisqualifiedAt:   r.DisqualifiedAt.t,
	}
	if err := fromJSON(r.ScoreHits, &l.ScoreHits); err != nil {
		return nil, fmt.Errorf("lead %s score hits: %w", l.Ref(), err)
	}
	if err := fromJSON(r.Metadata, &l.Metadata); err != nil {
		return nil, fmt.Errorf("lead %s metadata: %w", l.Ref(), err)
	}
	return l, nil
}

func leadList(rows []leadRow) ([]core.Lead, error) {
	out := make([]core.Lead, len(rows))
	for i := range rows {
		l, err := rows[i].lead()
		if err != nil {
			return nil, err
		}
		out[i] = *l
	}
	return out, nil
}

// LeadByID implements core.Reader.
func (r *reader) LeadByID(ctx context.Context, id int64) (*core.Lead, error) {
	var row leadRow
	err := r.get(ctx, &row, `SELECT `+leadCols+` FROM leads WHERE id = ?`, id)
	if err := found(err, core.Fail(core.KindNotFound, "error.lead_not_found", "lead {Ref} not found", "Ref", core.LeadRef(id)), "get lead"); err != nil {
		return nil, err
	}
	return row.lead()
}

// ListLeads implements core.Reader: newest first, or by score (highest
// first, then newest) when f.OrderBy is "score".
func (r *reader) ListLeads(ctx context.Context, f core.LeadFilter) ([]core.Lead, error) {
	var w where
	if f.TeamID != 0 {
		w.add("team_id = ?", f.TeamID)
	}
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	if f.Unowned {
		w.add("owner_id IS NULL")
	}
	in(&w, "status", f.Statuses)
	if f.ContactID != 0 {
		w.add("contact_id = ?", f.ContactID)
	}
	if f.Source != "" {
		w.add("source_channel = ?", f.Source)
	}
	if f.AfterID != 0 {
		w.add("id < ?", f.AfterID)
	}
	if !f.UpdatedSince.IsZero() {
		w.add("updated_at >= ?", r.d.time(f.UpdatedSince))
	}
	order := " ORDER BY id DESC"
	if f.OrderBy == "score" {
		order = " ORDER BY score DESC, id DESC"
	}
	var rows []leadRow
	err := r.sel(ctx, &rows, `SELECT `+leadCols+` FROM leads`+w.String()+order+` LIMIT ?`,
		append(w.args, pageSize(f.Limit))...)
	if err != nil {
		return nil, fmt.Errorf("list leads: %w", err)
	}
	return leadList(rows)
}

// OpenLeadOfContact implements core.Reader.
func (r *reader) OpenLeadOfContact(ctx context.Context, contactID int64) (*core.Lead, error) {
	var row leadRow
	err := r.get(ctx, &row, `SELECT `+leadCols+` FROM leads WHERE contact_id = ? AND status IN (?, ?)
		ORDER BY id DESC LIMIT 1`, contactID, string(core.LeadNew), string(core.LeadClaimed))
	notFound := core.Errorf(core.KindNotFound, "contact %d has no open lead", contactID)
	if err := found(err, notFound, "open lead of contact"); err != nil {
		return nil, err
	}
	return row.lead()
}

// leadArgs are the values of every stored lead column but id, in the order
// of the INSERT and UPDATE below. The lead's deal's status is copied into
// deal_status (as UpdateDeal does), so lead funnels in Stats need no join.
func (t *Tx) leadArgs(l *core.Lead) ([]any, error) {
	hits, err := jsonText(l.ScoreHits, len(l.ScoreHits) == 0)
	if err != nil {
		return nil, fmt.Errorf("encode score hits: %w", err)
	}
	meta, err := jsonText(l.Metadata, len(l.Metadata) == 0)
	if err != nil {
		return nil, fmt.Errorf("encode metadata: %w", err)
	}
	return []any{ref(l.ContactID), ref(l.TeamID), ref(l.OwnerID), string(l.Status), l.SourceChannel,
		l.SourceName, l.Subject, l.Message, l.Score, hits, l.DisqualifyReason, ref(l.DealID), meta,
		t.d.time(l.CreatedAt), t.d.time(l.ClaimedAt), t.d.time(l.FirstResponseAt),
		t.d.time(l.LastActivityAt), t.d.time(l.UpdatedAt), t.d.time(l.DisqualifiedAt), seconds(l.CreatedAt, l.FirstResponseAt), ref(l.DealID)}, nil
}

// CreateLead implements core.Tx.
func (t *Tx) CreateLead(ctx context.Context, l *core.Lead) error {
	args, err := t.leadArgs(l)
	if err != nil {
		return fmt.Errorf("create lead: %w", err)
	}
	l.ID, err = t.insert(ctx, `INSERT INTO leads (contact_id, team_id, owner_id, status, source_channel,
		source_name, subject, message, score, score_hits, disqualify_reason, deal_id, metadata, created_at,
		claimed_at, first_response_at, last_activity_at, updated_at, disqualified_at, response_s, deal_status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT status FROM deals WHERE id = ?))`, args...)
	if err != nil {
		return fmt.Errorf("create lead: %w", err)
	}
	return nil
}

// UpdateLead implements core.Tx.
func (t *Tx) UpdateLead(ctx context.Context, l *core.Lead) error {
	args, err := t.leadArgs(l)
	if err != nil {
		return fmt.Errorf("update lead %s: %w", l.Ref(), err)
	}
	err = t.update(ctx, core.Fail(core.KindNotFound, "error.lead_not_found", "lead {Ref} not found", "Ref", l.Ref()),
		`UPDATE leads SET contact_id = ?, team_id = ?, owner_id = ?, status = ?, source_channel = ?,
		source_name = ?, subject = ?, message = ?, score = ?, score_hits = ?, disqualify_reason = ?, deal_id = ?,
		metadata = ?, created_at = ?, claimed_at = ?, first_response_at = ?, last_activity_at = ?, updated_at = ?,
		disqualified_at = ?, response_s = ?, deal_status = COALESCE((SELECT status FROM deals WHERE id = ?), deal_status)
		WHERE id = ?`, append(args, l.ID)...)
	if err != nil && !core.IsNotFound(err) {
		return fmt.Errorf("update lead %s: %w", l.Ref(), err)
	}
	return err
}
