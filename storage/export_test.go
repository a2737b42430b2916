package storage

import (
	"context"

	"leadwire/core"
)

// StatsFromRows is db.Stats over the rows, never the running totals, for
// tests that check the one against the other.
func StatsFromRows(ctx context.Context, db *DB, f core.StatsFilter) (*core.StatsData, error) {
	r := db.reader
	r.fromRows = true
	return r.Stats(ctx, f)
}
