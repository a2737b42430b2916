package storage

import (
	"context"
	"fmt"
	"time"

	"leadwire/core"
)

type linkCodeRow struct {
	Hash      string   `db:"hash"`
	UserID    int64    `db:"user_id"`
	CreatedAt nullTime `db:"created_at"`
	ExpiresAt nullTime `db:"expires_at"`
	UsedAt    nullTime `db:"used_at"`
	UsedBy    nullID   `db:"used_by"`
}

// PutLinkCode implements core.LinkCodeTx. Codes expired for a day are
// dropped on the way, so the table stays small.
func (t *Tx) PutLinkCode(ctx context.Context, c core.LinkCode) error {
	if _, err := t.exec(ctx, `DELETE FROM link_codes WHERE expires_at < ?`, t.d.time(c.CreatedAt.Add(-24*time.Hour))); err != nil {
		return fmt.Errorf("prune link codes: %w", err)
	}
	_, err := t.exec(ctx, `INSERT INTO link_codes (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		c.Hash, c.UserID, t.d.time(c.CreatedAt), t.d.time(c.ExpiresAt))
	if _, ok := uniqueViolation(err); ok {
		return core.Errorf(core.KindConflict, "that link code exists already; ask for another")
	}
	if err != nil {
		return fmt.Errorf("put link code: %w", err)
	}
	return nil
}

// LinkCodeByHash implements core.LinkCodeTx.
func (t *Tx) LinkCodeByHash(ctx context.Context, hash string) (*core.LinkCode, error) {
	var row linkCodeRow
	err := t.get(ctx, &row, `SELECT hash, user_id, created_at, expires_at, used_at, used_by FROM link_codes WHERE hash = ?`, hash)
	if err := found(err, core.Errorf(core.KindNotFound, "unknown link code"), "link code by hash"); err != nil {
		return nil, err
	}
	return &core.LinkCode{Hash: row.Hash, UserID: row.UserID, CreatedAt: row.CreatedAt.t, ExpiresAt: row.ExpiresAt.t,
		UsedAt: row.UsedAt.t, UsedBy: int64(row.UsedBy)}, nil
}

// UseLinkCode implements core.LinkCodeTx: only an unused code is marked.
func (t *Tx) UseLinkCode(ctx context.Context, hash string, at time.Time, by int64) error {
	return t.update(ctx, core.Errorf(core.KindConflict, "link code used already"),
		`UPDATE link_codes SET used_at = ?, used_by = ? WHERE hash = ? AND used_at IS NULL`, t.d.time(at), by, hash)
}
