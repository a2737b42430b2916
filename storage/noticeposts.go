package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"leadwire/core"
)

// NoticePost implements core.Reader.
func (r *reader) NoticePost(ctx context.Context, channel, thread string) (*core.NoticePost, error) {
	var row struct {
		Target     string   `db:"target"`
		Message    string   `db:"message"`
		ActivityID int64    `db:"activity_id"`
		Wanted     int64    `db:"wanted"`
		FirstAt    nullTime `db:"first_at"`
		LastAt     nullTime `db:"last_at"`
		ClaimedAt  nullTime `db:"claimed_at"`
	}
	err := r.get(ctx, &row, `SELECT target, message, activity_id, wanted, first_at, last_at, claimed_at
		FROM notice_posts WHERE channel = ? AND thread = ?`, channel, thread)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, core.Errorf(core.KindNotFound, "no %s notice posted for %s", channel, thread)
	}
	if err != nil {
		return nil, fmt.Errorf("notice post %s %s: %w", channel, thread, err)
	}
	return &core.NoticePost{Channel: channel, Thread: thread, Target: row.Target, Message: row.Message,
		ActivityID: row.ActivityID, Wanted: row.Wanted, FirstAt: row.FirstAt.t, LastAt: row.LastAt.t, ClaimedAt: row.ClaimedAt.t}, nil
}

// PutNoticePost implements core.Tx.
func (t *Tx) PutNoticePost(ctx context.Context, p *core.NoticePost) error {
	_, err := t.exec(ctx, `INSERT INTO notice_posts (channel, thread, target, message, activity_id, wanted, first_at, last_at, claimed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel, thread) DO UPDATE SET target = excluded.target, message = excluded.message,
			activity_id = excluded.activity_id, wanted = excluded.wanted, first_at = excluded.first_at, last_at = excluded.last_at,
			claimed_at = excluded.claimed_at`,
		p.Channel, p.Thread, p.Target, p.Message, p.ActivityID, p.Wanted, t.d.time(p.FirstAt), t.d.time(p.LastAt), t.d.time(p.ClaimedAt))
	if err != nil {
		return fmt.Errorf("put notice post %s %s: %w", p.Channel, p.Thread, err)
	}
	return nil
}

// LockNoticePost implements core.Tx: an upsert that always writes the
// row, so PostgreSQL holds its lock until the transaction ends (SQLite
// has one writer at a time anyway).
func (t *Tx) LockNoticePost(ctx context.Context, channel, thread string) error {
	_, err := t.exec(ctx, `INSERT INTO notice_posts (channel, thread) VALUES (?, ?)
		ON CONFLICT (channel, thread) DO UPDATE SET thread = excluded.thread`, channel, thread)
	if err != nil {
		return fmt.Errorf("lock notice post %s %s: %w", channel, thread, err)
	}
	return nil
}
