package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"leadwire/core"
)

// RiverDriver is River's driver over the writer: riversqlite on SQLite,
// riverdatabasesql (pgx underneath) on PostgreSQL. Workers built on it
// share the transactions of Update.
func (db *DB) RiverDriver() riverdriver.Driver[*sql.Tx] {
	if db.d == postgres {
		return riverdatabasesql.New(db.write.DB)
	}
	return riversqlite.New(db.write.DB)
}

// migrateRiver brings River's own tables up to date.
func (db *DB) migrateRiver(ctx context.Context) error {
	m, err := rivermigrate.New(db.RiverDriver(), nil)
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	return nil
}

// inserter returns the insert-only River client jobs are enqueued with,
// made on first use.
func (db *DB) inserter() (*river.Client[*sql.Tx], error) {
	db.jobsOnce.Do(func() {
		db.jobs, db.jobsErr = river.NewClient(db.RiverDriver(), &river.Config{})
	})
	return db.jobs, db.jobsErr
}

// Enqueue implements core.Tx. The job is inserted in this transaction,
// together with the others of the transaction just before it commits
// (one River call for many jobs is much cheaper than one each).
func (t *Tx) Enqueue(ctx context.Context, job core.Job) error {
	opts := &river.InsertOpts{}
	if s, ok := job.(core.JobScheduler); ok {
		o := s.JobOptions()
		opts.Queue = o.Queue
		// River makes any job with a ScheduledAt "scheduled", to be made
		// available by the leader's scheduler every few seconds: a job
		// already due goes in available at once.
		if o.RunAt.After(time.Now()) {
			opts.ScheduledAt = o.RunAt
		}
		if o.UniqueKey != "" {
			opts.UniqueOpts = river.UniqueOpts{ByArgs: true}
		}
	}
	t.jobs = append(t.jobs, river.InsertManyParams{Args: job, InsertOpts: opts})
	return nil
}

// flushJobs inserts the jobs enqueued in the transaction.
func (t *Tx) flushJobs(ctx context.Context) error {
	if len(t.jobs) == 0 {
		return nil
	}
	client, err := t.db.inserter()
	if err != nil {
		return fmt.Errorf("enqueue jobs: %w", err)
	}
	if _, err := client.InsertManyTx(ctx, t.tx.Tx, t.jobs); err != nil {
		return fmt.Errorf("enqueue %d jobs: %w", len(t.jobs), err)
	}
	t.jobs = nil
	return nil
}
