package storage

import (
	"context"
	"fmt"
	"time"

	"leadwire/core"
)

// TryLease implements core.Store. One upsert takes a free or expired lease
// or renews the holder's own; when another holds it unexpired, the upsert's
// WHERE leaves the row as it is and no row is affected. The statement runs
// on its own, outside any transaction, so a lease is never held by work
// that has not committed.
func (db *DB) TryLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.holder = excluded.holder OR leases.expires_at < ?`),
		name, holder, db.d.time(now.Add(ttl)), db.d.time(now))
	if err != nil {
		return false, fmt.Errorf("take lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("take lease %s: %w", name, err)
	}
	return n == 1, nil
}

// ListLeases implements core.Reader.
func (r *reader) ListLeases(ctx context.Context) ([]core.Lease, error) {
	var rows []struct {
		Name      string   `db:"name"`
		Holder    string   `db:"holder"`
		ExpiresAt nullTime `db:"expires_at"`
	}
	if err := r.sel(ctx, &rows, `SELECT name, holder, expires_at FROM leases ORDER BY name`); err != nil {
		return nil, fmt.Errorf("list leases: %w", err)
	}
	out := make([]core.Lease, len(rows))
	for i, row := range rows {
		out[i] = core.Lease{Name: row.Name, Holder: row.Holder, ExpiresAt: row.ExpiresAt.t}
	}
	return out, nil
}

// ReleaseLease implements core.Store.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := db.write.ExecContext(ctx, db.write.Rebind(`DELETE FROM leases WHERE name = ? AND holder = ?`), name, holder); err != nil {
		return fmt.Errorf("release lease %s: %w", name, err)
	}
	return nil
}

// Now is the database's clock: on PostgreSQL the server's time, which
// every replica shares, so leases do not depend on the replicas' clocks
// agreeing; on SQLite, whose one writer is this process, the local clock.
func (db *DB) Now(ctx context.Context) (time.Time, error) {
	if db.d != postgres {
		return time.Now().UTC(), nil
	}
	var t time.Time
	if err := db.write.QueryRowContext(ctx, `SELECT clock_timestamp()`).Scan(&t); err != nil {
		return time.Time{}, fmt.Errorf("database time: %w", err)
	}
	return t.UTC(), nil
}

// Clock is a core.Clock reading the database's time (see Now); when the
// database does not answer within a second, the local clock stands in.
func (db *DB) Clock() core.Clock { return dbClock{db} }

type dbClock struct{ db *DB }

func (c dbClock) Now() time.Time {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if t, err := c.db.Now(ctx); err == nil {
		return t
	}
	return time.Now().UTC()
}
