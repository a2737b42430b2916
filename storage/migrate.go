package storage

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

// migrations holds the numbered SQL files of each dialect, applied in order
// by goose, which records the applied versions in goose_db_version.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Migrate applies the migrations not yet applied; running it again does
// nothing. On PostgreSQL a session-level advisory lock makes replicas that
// start at once take turns. SQLite has no such lock, so there two
// processes may both try a migration: the loser's transaction fails and
// rolls back, and it finds the migration applied when it looks again.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrator()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for attempt := 1; ; attempt++ {
		err := db.migrateOnce(ctx, p)
		if err == nil || db.d != sqlite || attempt == 8 {
			return err
		}
		// Another process is at it too: its transaction won, ours rolled
		// back. Give it time to commit, then look again.
		select {
		case <-ctx.Done():
			return fmt.Errorf("migrate %s: %w", db.d, ctx.Err())
		case <-time.After(time.Duration(attempt) * 100 * time.Millisecond):
		}
	}
}

func (db *DB) migrateOnce(ctx context.Context, p *goose.Provider) error {
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate %s: %w", db.d, err)
	}
	if db.d != postgres {
		return db.migrateRiver(ctx)
	}
	// goose's lock covers goose's migrations only: replicas starting at
	// once would race on River's CREATE TYPE without one of their own.
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, riverMigrationLock); err != nil {
		return fmt.Errorf("migrate river: wait for other replicas: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, riverMigrationLock)
	return db.migrateRiver(ctx)
}

// riverMigrationLock is the PostgreSQL advisory lock that replicas take
// turns under to migrate River's tables ("leadwire river" in ASCII).
const riverMigrationLock int64 = 0x6c77_7269_7665_72

// SchemaVersion returns the version of the last applied migration, 0 for an
// empty database.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := db.migrator()
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}

// migrator returns a goose provider for the database's dialect. It is not
// closed: closing it would close the DB's pool.
func (db *DB) migrator() (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations, "migrations/"+db.d.String())
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{
		goose.WithDisableGlobalRegistry(true),
		goose.WithSlog(slog.New(slog.DiscardHandler)),
	}
	gd := goose.DialectSQLite3
	if db.d == postgres {
		gd = goose.DialectPostgres
		// Retry every second for up to five minutes while another
		// process holds the lock.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(gd, db.write.DB, fsys, opts...)
}

// PostgresSchemaDigest returns a short hash of every migration Migrate
// applies to a PostgreSQL database, leadwire's and River's: two databases
// migrated by builds with the same digest have the same schema. Tests key
// a migrated template database by it.
func PostgresSchemaDigest() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations, "migrations/postgres", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := migrations.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("schema digest: %w", err)
	}
	m, err := rivermigrate.New(riverdatabasesql.New(nil), nil)
	if err != nil {
		return "", fmt.Errorf("schema digest: %w", err)
	}
	for _, v := range m.AllVersions() {
		fmt.Fprintf(h, "river %d %d\n", v.Version, len(v.SQLUp))
		io.WriteString(h, v.SQLUp)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
