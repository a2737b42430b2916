package storage

import (
	"context"
	"fmt"

	"leadwire/core"
)

// InboundResult implements core.Reader.
func (r *reader) InboundResult(ctx context.Context, k core.InboundKey) (*core.CaptureResult, error) {
	var row struct {
		ContactID  nullID `db:"contact_id"`
		LeadID     nullID `db:"lead_id"`
		DealID     nullID `db:"deal_id"`
		ActivityID nullID `db:"activity_id"`
		NewLead    bool   `db:"new_lead"`
	}
	err := r.get(ctx, &row, `SELECT contact_id, lead_id, deal_id, activity_id, new_lead FROM inbound_keys
		WHERE channel = ? AND source = ? AND external_id = ?`, k.Channel, k.Source, k.ExternalID)
	notFound := core.Errorf(core.KindNotFound, "%s inbound %q from %q not seen", k.Channel, k.ExternalID, k.Source)
	if err := found(err, notFound, "inbound result"); err != nil {
		return nil, err
	}
	return &core.CaptureResult{ContactID: int64(row.ContactID), LeadID: int64(row.LeadID),
		DealID: int64(row.DealID), ActivityID: int64(row.ActivityID), NewLead: row.NewLead}, nil
}

// PutInboundResult implements core.Tx. A key seen before is a conflict; it
// leaves the transaction usable on both databases.
func (t *Tx) PutInboundResult(ctx context.Context, k core.InboundKey, res core.CaptureResult) error {
	r, err := t.exec(ctx, `INSERT INTO inbound_keys (channel, source, external_id, contact_id, lead_id, deal_id,
		activity_id, new_lead) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		k.Channel, k.Source, k.ExternalID, ref(res.ContactID), ref(res.LeadID), ref(res.DealID),
		ref(res.ActivityID), res.NewLead)
	if err != nil {
		return fmt.Errorf("put inbound result: %w", err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return fmt.Errorf("put inbound result: %w", err)
	}
	if n == 0 {
		return core.Errorf(core.KindConflict, "%s inbound %q from %q was already captured", k.Channel, k.ExternalID, k.Source)
	}
	return nil
}
