package storage

import (
	"context"
	"fmt"
	"time"
)

// pruneSeenEvery is how many Remember calls pass between two prunings of
// expired keys.
const pruneSeenEvery = 512

// Remember implements core.Store: an insert that, on a key already there,
// renews it only when it had expired; one row affected means new. Every
// pruneSeenEvery calls, expired keys are deleted.
func (db *DB) Remember(ctx context.Context, key string, now, expires time.Time) (bool, error) {
	if db.seenCalls.Add(1)%pruneSeenEvery == 0 {
		if _, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM seen_keys WHERE expires_at < ?`), db.d.time(now)); err != nil {
			return false, fmt.Errorf("prune seen keys: %w", err)
		}
	}
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`INSERT INTO seen_keys (key, expires_at) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE seen_keys.expires_at < ?`),
		key, db.d.time(expires), db.d.time(now))
	if err != nil {
		return false, fmt.Errorf("remember %s: %w", key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("remember %s: %w", key, err)
	}
	return n == 1, nil
}

// Remembered implements core.Store.
func (db *DB) Remembered(ctx context.Context, key string, now time.Time) (bool, error) {
	var n int
	err := db.read.GetContext(ctx, &n, db.read.Rebind(`SELECT COUNT(*) FROM seen_keys WHERE key = ? AND expires_at >= ?`), key, db.d.time(now))
	if err != nil {
		return false, fmt.Errorf("look up %s: %w", key, err)
	}
	return n > 0, nil
}

// Forget implements core.Store.
func (db *DB) Forget(ctx context.Context, key string) error {
	if _, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM seen_keys WHERE key = ?`), key); err != nil {
		return fmt.Errorf("forget %s: %w", key, err)
	}
	return nil
}
