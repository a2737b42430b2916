package storage

import (
	"context"
	"database/sql"
	"fmt"

	"leadwire/core"
)

const dealCols = `d.id, d.title, d.contact_id, d.lead_id, d.owner_id, d.team_id, d.pipeline_id, d.stage_id,
	d.amount, d.currency, d.expected_close, d.probability, d.status, d.lost_reason, d.qualification, d.source,
	d.created_at, d.updated_at, d.stage_changed_at, d.closed_at, d.last_activity_at`

type dealRow struct {
	ID             int64         `db:"id"`
	Title          string        `db:"title"`
	ContactID      nullID        `db:"contact_id"`
	LeadID         nullID        `db:"lead_id"`
	OwnerID        nullID        `db:"owner_id"`
	TeamID         nullID        `db:"team_id"`
	PipelineID     nullID        `db:"pipeline_id"`
	StageID        nullID        `db:"stage_id"`
	Amount         int64         `db:"amount"`
	Currency       string        `db:"currency"`
	ExpectedClose  nullTime      `db:"expected_close"`
	Probability    sql.NullInt64 `db:"probability"`
	Status         string        `db:"status"`
	LostReason     string        `db:"lost_reason"`
	Qualification  nullStr       `db:"qualification"`
	Source         string        `db:"source"`
	CreatedAt      nullTime      `db:"created_at"`
	UpdatedAt      nullTime      `db:"updated_at"`
	StageChangedAt nullTime      `db:"stage_changed_at"`
	ClosedAt       nullTime      `db:"closed_at"`
	LastActivityAt nullTime      `db:"last_activity_at"`
}

func (r *dealRow) deal() (*core.Deal, error) {
	d := &core.Deal{
		ID:             r.ID,
		Title:          r.Title,
		ContactID:      int64(r.ContactID),
		LeadID:         int64(r.LeadID),
		OwnerID:        int64(r.OwnerID),
		TeamID:         int64(r.TeamID),
		PipelineID:     int64(r.PipelineID),
		StageID:        int64(r.StageID),
		Value:          core.Money{Amount: r.Amount, Currency: r.Currency},
		ExpectedClose:  r.ExpectedClose.t,
		Probability:    -1,
		Status:         core.DealStatus(r.Status),
		LostReason:     r.LostReason,
		Source:         r.Source,
		CreatedAt:      r.CreatedAt.t,
		UpdatedAt:      r.UpdatedAt.t,
		StageChangedAt: r.StageChangedAt.t,
		ClosedAt:       r.ClosedAt.t,
		LastActivityAt: r.LastActivityAt.t,
	}
	if r.Probability.Valid {
		d.Probability = int(r.Probability.Int64)
	}
	if err := fromJSON(r.Qualification, &d.Qualification); err != nil {
		return nil, fmt.Errorf("deal %s qualification: %w", d.Ref(), err)
	}
	return d, nil
}

func dealList(rows []dealRow) ([]core.Deal, error) {
	out := make([]core.Deal, len(rows))
	for i := range rows {
		d, err := rows[i].deal()
		if err != nil {
			return nil, err
		}
		out[i] = *d
	}
	return out, nil
}

// DealByID implements core.Reader.
func (r *reader) DealByID(ctx context.Context, id int64) (*core.Deal, error) {
	var row dealRow
	err := r.get(ctx, &row, `SELECT `+dealCols+` FROM deals d WHERE d.id = ?`, id)
	if err := found(err, core.Fail(core.KindNotFound, "error.deal_not_found", "deal {Ref} not found", "Ref", core.DealRef(id)), "get deal"); err != nil {
		return nil, err
	}
	return row.deal()
}

// ListDeals implements core.Reader, newest first.
func (r *reader) ListDeals(ctx context.Context, f core.DealFilter) ([]core.Deal, error) {
	var w where
	if f.TeamID != 0 {
		w.add("d.team_id = ?", f.TeamID)
	}
	if f.OwnerID != 0 {
		w.add("d.owner_id = ?", f.OwnerID)
	}
	if f.PipelineID != 0 {
		w.add("d.pipeline_id = ?", f.PipelineID)
	}
	if f.StageID != 0 {
		w.add("d.stage_id = ?", f.StageID)
	}
	in(&w, "d.status", f.Statuses)
	if f.ContactID != 0 {
		w.add("d.contact_id = ?", f.ContactID)
	}
	if f.AfterID != 0 {
		w.add("d.id < ?", f.AfterID)
	}
	if f.Source != "" {
		w.add("d.source = ?", f.Source)
	}
	if !f.UpdatedSince.IsZero() {
		w.add("d.updated_at >= ?", r.d.time(f.UpdatedSince))
	}
	var rows []dealRow
	err := r.sel(ctx, &rows, `SELECT `+dealCols+` FROM deals d`+w.String()+` ORDER BY d.id DESC LIMIT ?`,
		append(w.args, pageSize(f.Limit))...)
	if err != nil {
		return nil, fmt.Errorf("list deals: %w", err)
	}
	return dealList(rows)
}

// OpenDealOfContact implements core.Reader.
func (r *reader) OpenDealOfContact(ctx context.Context, contactID int64) (*core.Deal, error) {
	var row dealRow
	err := r.get(ctx, &row, `SELECT `+dealCols+` FROM deals d WHERE d.contact_id = ? AND d.status = ?
		ORDER BY d.id DESC LIMIT 1`, contactID, string(core.DealOpen))
	notFound := core.Errorf(core.KindNotFound, "contact %d has no open deal", contactID)
	if err := found(err, notFound, "open deal of contact"); err != nil {
		return nil, err
	}
	return row.deal()
}

// dealArgs are the values of every stored deal column but id, in the order
// of the INSERT and UPDATE below.
func (t *Tx) dealArgs(d *core.Deal) ([]any, error) {
	qual, err := jsonText(d.Qualification, d.Qualification == core.Qualification{})
	if err != nil {
		return nil, fmt.Errorf("encode qualification: %w", err)
	}
	var prob any
	if d.Probability >= 0 {
		prob = d.Probability
	}
	return []any{d.Title, ref(d.ContactID), ref(d.LeadID), ref(d.OwnerID), ref(d.TeamID), ref(d.PipelineID),
		ref(d.StageID), d.Value.Amount, d.Value.Currency, t.d.time(d.ExpectedClose), prob, string(d.Status),
		d.LostReason, qual, d.Source, t.d.time(d.CreatedAt), t.d.time(d.UpdatedAt), t.d.time(d.StageChangedAt),
		t.d.time(d.ClosedAt), t.d.time(d.LastActivityAt), seconds(d.CreatedAt, d.ClosedAt)}, nil
}

// CreateDeal implements core.Tx.
func (t *Tx) CreateDeal(ctx context.Context, d *core.Deal) error {
	args, err := t.dealArgs(d)
	if err != nil {
		return fmt.Errorf("create deal: %w", err)
	}
	d.ID, err = t.insert(ctx, `INSERT INTO deals (title, contact_id, lead_id, owner_id, team_id, pipeline_id,
		stage_id, amount, currency, expected_close, probability, status, lost_reason, qualification, source,
		created_at, updated_at, stage_changed_at, closed_at, last_activity_at, cycle_s)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	if err != nil {
		return fmt.Errorf("create deal: %w", err)
	}
	return t.noteDealStatus(ctx, d)
}

// UpdateDeal implements core.Tx.
func (t *Tx) UpdateDeal(ctx context.Context, d *core.Deal) error {
	args, err := t.dealArgs(d)
	if err != nil {
		return fmt.Errorf("update deal %s: %w", d.Ref(), err)
	}
	err = t.update(ctx, core.Fail(core.KindNotFound, "error.deal_not_found", "deal {Ref} not found", "Ref", d.Ref()),
		`UPDATE deals SET title = ?, contact_id = ?, lead_id = ?, owner_id = ?, team_id = ?, pipeline_id = ?,
		stage_id = ?, amount = ?, currency = ?, expected_close = ?, probability = ?, status = ?, lost_reason = ?,
		qualification = ?, source = ?, created_at = ?, updated_at = ?, stage_changed_at = ?, closed_at = ?,
		last_activity_at = ?, cycle_s = ? WHERE id = ?`, append(args, d.ID)...)
	if core.IsNotFound(err) {
		return err
	}
	if err != nil {
		return fmt.Errorf("update deal %s: %w", d.Ref(), err)
	}
	// Keep the copy of the creation time on the deal's stage changes; the
	// index makes this a probe when it did not change.
	if _, err := t.exec(ctx, `UPDATE stage_changes SET deal_created_at = ? WHERE deal_id = ?
		AND deal_created_at IS DISTINCT FROM ?`, t.d.time(d.CreatedAt), d.ID, t.d.time(d.CreatedAt)); err != nil {
		return fmt.Errorf("update deal %s: %w", d.Ref(), err)
	}
	return t.noteDealStatus(ctx, d)
}

// noteDealStatus copies the deal's status onto its lead, so lead funnels in
// Stats need no join.
func (t *Tx) noteDealStatus(ctx context.Context, d *core.Deal) error {
	if d.LeadID == 0 {
		return nil
	}
	if _, err := t.exec(ctx, `UPDATE leads SET deal_status = ? WHERE id = ?`, string(d.Status), d.LeadID); err != nil {
		return fmt.Errorf("note deal %s status on lead: %w", d.Ref(), err)
	}
	return nil
}

type stageChangeRow struct {
	ID        int64    `db:"id"`
	DealID    int64    `db:"deal_id"`
	FromStage nullID   `db:"from_stage"`
	ToStage   int64    `db:"to_stage"`
	At        nullTime `db:"at"`
	ByUserID  nullID   `db:"by_user_id"`
}

// StageHistory implements core.Reader, oldest first.
func (r *reader) StageHistory(ctx context.Context, dealID int64) ([]core.StageChange, error) {
	var rows []stageChangeRow
	if err := r.sel(ctx, &rows, `SELECT id, deal_id, from_stage, to_stage, at, by_user_id FROM stage_changes
		WHERE deal_id = ? ORDER BY at, id`, dealID); err != nil {
		return nil, fmt.Errorf("stage history of %s: %w", core.DealRef(dealID), err)
	}
	out := make([]core.StageChange, len(rows))
	for i, c := range rows {
		out[i] = core.StageChange{ID: c.ID, DealID: c.DealID, FromStage: int64(c.FromStage),
			ToStage: c.ToStage, At: c.At.t, ByUserID: int64(c.ByUserID)}
	}
	return out, nil
}

// AddStageChange implements core.Tx. It also records, for Stats, whether
// this is the deal's first entry into the stage, how long the deal stayed
// in the stage it leaves (since its previous change, or its creation), and
// when the deal was created.
func (t *Tx) AddStageChange(ctx context.Context, c *core.StageChange) error {
	var prev struct {
		LastAt    nullTime `db:"last_at"`
		CreatedAt nullTime `db:"created_at"`
		First     int      `db:"first_entry"`
	}
	err := t.get(ctx, &prev, `SELECT
		(SELECT at FROM stage_changes WHERE deal_id = ? ORDER BY at DESC, id DESC LIMIT 1) AS last_at,
		(SELECT created_at FROM deals WHERE id = ?) AS created_at,
		CASE WHEN EXISTS (SELECT 1 FROM stage_changes WHERE deal_id = ? AND to_stage = ?) THEN 0 ELSE 1 END AS first_entry`,
		c.DealID, c.DealID, c.DealID, c.ToStage)
	if err != nil {
		return fmt.Errorf("add stage change to %s: %w", core.DealRef(c.DealID), err)
	}
	var stay any
	if c.FromStage != 0 {
		entered := prev.LastAt.t
		if entered.IsZero() {
			entered = prev.CreatedAt.t
		}
		stay = seconds(entered, c.At)
	}
	c.ID, err = t.insert(ctx, `INSERT INTO stage_changes (deal_id, from_stage, to_stage, at, by_user_id, first_entry,
		stay_s, deal_created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.DealID, ref(c.FromStage), c.ToStage,
		t.d.time(c.At), ref(c.ByUserID), prev.First, stay, t.d.time(prev.CreatedAt.t))
	if err != nil {
		return fmt.Errorf("add stage change to %s: %w", core.DealRef(c.DealID), err)
	}
	_, err = t.exec(ctx, `INSERT INTO stage_move_totals (from_stage, to_stage, n, entered, stay_s) VALUES (?, ?, 1, ?, ?)
		ON CONFLICT (from_stage, to_stage) DO UPDATE SET n = stage_move_totals.n + 1,
		entered = stage_move_totals.entered + excluded.entered, stay_s = stage_move_totals.stay_s + excluded.stay_s`,
		c.FromStage, c.ToStage, prev.First, staySeconds(stay))
	if err != nil {
		return fmt.Errorf("add stage change to %s: %w", core.DealRef(c.DealID), err)
	}
	_, err = t.exec(ctx, `UPDATE deals SET furthest_position = (SELECT position FROM stages WHERE id = ?)
		WHERE id = ? AND furthest_position < (SELECT position FROM stages WHERE id = ? AND kind <> 'lost')`,
		c.ToStage, c.DealID, c.ToStage)
	if err != nil {
		return fmt.Errorf("add stage change to %s: %w", core.DealRef(c.DealID), err)
	}
	return nil
}

// staySeconds is a stay as a number for the running totals: 0 when unset.
func staySeconds(stay any) float64 {
	if v, ok := stay.(float64); ok {
		return v
	}
	return 0
}
