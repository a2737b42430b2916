package storage

import (
	"context"
	"fmt"

	"leadwire/core"
)

type targetRow struct {
	UserID   nullID `db:"user_id"`
	TeamID   nullID `db:"team_id"`
	Month    string `db:"month"`
	Amount   int64  `db:"amount"`
	Currency string `db:"currency"`
}

// ListTargets implements core.Reader: the month's targets, teams' first.
func (r *reader) ListTargets(ctx context.Context, month string) ([]core.Target, error) {
	var rows []targetRow
	if err := r.sel(ctx, &rows, `SELECT user_id, team_id, month, amount, currency FROM targets WHERE month = ?
		ORDER BY user_id IS NOT NULL, user_id, team_id`, month); err != nil {
		return nil, fmt.Errorf("list targets of %s: %w", month, err)
	}
	out := make([]core.Target, len(rows))
	for i, t := range rows {
		out[i] = core.Target{UserID: int64(t.UserID), TeamID: int64(t.TeamID), Month: t.Month,
			Amount: core.Money{Amount: t.Amount, Currency: t.Currency}}
	}
	return out, nil
}

// SetTarget implements core.Tx: it replaces the target of the same user,
// team and month.
func (t *Tx) SetTarget(ctx context.Context, tg core.Target) error {
	if _, err := t.exec(ctx, `DELETE FROM targets WHERE month = ? AND COALESCE(user_id, 0) = ? AND COALESCE(team_id, 0) = ?`,
		tg.Month, tg.UserID, tg.TeamID); err != nil {
		return fmt.Errorf("set target: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO targets (user_id, team_id, month, amount, currency) VALUES (?, ?, ?, ?, ?)`,
		ref(tg.UserID), ref(tg.TeamID), tg.Month, tg.Amount.Amount, tg.Amount.Currency); err != nil {
		return fmt.Errorf("set target: %w", err)
	}
	return nil
}
