// Package storage implements core.Store with plain SQL on sqlx, over SQLite
// (the default, one file) and PostgreSQL (several replicas). Both databases
// behave the same; the few places where their SQL differs ask the dialect.
package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	// Registers the "pgx" database/sql driver.
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"
	"github.com/riverqueue/river"

	"leadwire/core"
)

// DB is the store. Reads go to a pool of readers; every change goes through
// Update, one transaction on the writer. On SQLite the writer is a single
// connection, so writers queue in Go instead of failing with SQLITE_BUSY; on
// PostgreSQL readers and writer are the same pool.
type DB struct {
	reader
	write *sqlx.DB
	read  *sqlx.DB

	jobsOnce sync.Once
	jobs     *river.Client[*sql.Tx]
	jobsErr  error

	seenCalls atomic.Uint64 // Remember calls, for pruning

	file     *fileIdentity // the SQLite file as opened; nil on PostgreSQL
	probes   atomic.Uint64 // write probes, whose count the probe writes
	failures atomic.Uint64 // writes refused as core.ErrUnavailable
}

// Tx is a read-write transaction; it implements core.Tx. Reads inside it see
// its own writes.
type Tx struct {
	reader
	tx   *sqlx.Tx
	db   *DB
	jobs []river.InsertManyParams // enqueued, inserted before commit
	// reserved is the last id ReserveIDs gave out a table, on SQLite.
	reserved map[string]int64
}

var (
	_ core.Store = (*DB)(nil)
	_ core.Tx    = (*Tx)(nil)
)

// sqliteParams apply to every SQLite connection: WAL so readers never block
// the writer, a busy timeout for other processes holding the lock, foreign
// keys enforced, and a sync of the log at every commit: a lead that was
// acknowledged (a form answered 201, an IMAP checkpoint moved) survives a
// power cut. Throughput comes from batching commits, not from skipping syncs.
const sqliteParams = "_journal_mode=WAL&_busy_timeout=5000&_foreign_keys=on&_synchronous=FULL&_cache_size=-65536&_stmt_cache_size=256"

// Open connects to the database named by dsn: "sqlite:PATH" or a path ending
// in ".db" for SQLite, "postgres://…" or "postgresql://…" for PostgreSQL.
// It does not migrate: call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	d, target, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if d == postgres {
		return openPostgres(ctx, target)
	}
	return openSQLite(ctx, target)
}

// OpenAndMigrate opens the database and applies pending migrations.
func OpenAndMigrate(ctx context.Context, dsn string) (*DB, error) {
	db, err := Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// parseDSN tells the dialect of dsn and what to hand its driver.
func parseDSN(dsn string) (dialect, string, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return postgres, dsn, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		if path == "" || strings.Contains(path, ":memory:") {
			return 0, "", core.Errorf(core.KindInvalid, "sqlite database needs a file path, like sqlite:leadwire.db")
		}
		return sqlite, path, nil
	case strings.HasSuffix(dsn, ".db"):
		return sqlite, dsn, nil
	}
	// The DSN may hold a password: name only its scheme.
	scheme, _, _ := strings.Cut(dsn, ":")
	return 0, "", core.Errorf(core.KindInvalid,
		"unsupported database %q; use sqlite:PATH (or a path ending in .db) or postgres://USER:PASSWORD@HOST/DB", scheme+":")
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	file := sqliteFile(path)
	if err := createPrivate(file); err != nil {
		return nil, err
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	// BEGIN IMMEDIATE takes the write lock up front, so a transaction that
	// reads before it writes cannot fail half-way when another process
	// writes; the busy timeout then does the waiting.
	w := openSQLitePool(path + sep + sqliteParams + "&_txlock=immediate")
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// The writer connects first so the database is in WAL mode before any
	// reader opens it. Switching a new file to WAL needs it to itself, and
	// SQLite answers "locked" at once rather than through the busy
	// timeout when other processes are opening it too: ask again a while.
	giveUp := time.Now().Add(10 * time.Second)
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		err := w.PingContext(ctx)
		if err == nil {
			break
		}
		var se sqlite3.Error
		if !errors.As(err, &se) || (se.Code != sqlite3.ErrBusy && se.Code != sqlite3.ErrLocked) || time.Now().After(giveUp) {
			w.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", file, err)
		}
		select {
		case <-ctx.Done():
			w.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", file, err)
		case <-time.After(wait):
		}
	}
	ident, err := identify(file)
	if err != nil {
		w.Close()
		return nil, err
	}
	r := openSQLitePool(path + sep + sqliteParams)
	n := max(4, runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(0)
	return &DB{reader: reader{q: r, d: sqlite, parallel: true}, write: w, read: r, file: ident}, nil
}

// openSQLitePool opens a pool whose connections also map the file into
// memory, which makes the large scans of Stats much cheaper, and keep
// temporary sort tables in memory.
func openSQLitePool(dsn string) *sqlx.DB {
	drv := &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA mmap_size = 2147418112; PRAGMA temp_store = MEMORY", nil)
		return err
	}}
	return sqlx.NewDb(sql.OpenDB(sqliteConnector{dsn: dsn, drv: drv}), "sqlite3")
}

// sqliteConnector opens connections with a driver of our own, so the
// connect hook needs no globally registered driver name.
type sqliteConnector struct {
	dsn string
	drv *sqlite3.SQLiteDriver
}

func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c sqliteConnector) Driver() driver.Driver                        { return c.drv }

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	db, err := sqlx.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(32)
	// As many kept idle as may be open: the job queue's workers come and
	// go in bursts, and a connection closed and opened again costs a
	// backend process and a SCRAM handshake each time.
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return &DB{reader: reader{q: db, d: postgres, parallel: true}, write: db, read: db}, nil
}

// Close closes every connection.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Dialect names the database: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.String() }

// SQL returns the writer's *sql.DB, for the job queue to share.
func (db *DB) SQL() *sql.DB { return db.write.DB }

// Update runs fn in one transaction on the writer: committed when fn returns
// nil, rolled back when it returns an error (returned as is) or panics
// (re-panicked). fn must not call Update itself: on SQLite the writer is one
// connection and the nested call would wait for it forever.
//
// On SQLite a database file deleted or replaced since it was opened is
// refused before the transaction begins; errors of a database that is
// away, full or read-only wrap core.ErrUnavailable.
func (db *DB) Update(ctx context.Context, fn func(core.Tx) error) error {
	err := db.file.check()
	if err == nil {
		err = db.classify(db.update(ctx, fn))
	}
	if errors.Is(err, core.ErrUnavailable) {
		db.failures.Add(1)
	}
	return err
}

func (db *DB) update(ctx context.Context, fn func(core.Tx) error) error {
	tx, err := db.write.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	done := false
	defer func() {
		if !done {
			// A panic in fn: undo, then let it go on up.
			tx.Rollback()
		}
	}()
	t := &Tx{reader: reader{q: tx, d: db.d}, tx: tx, db: db}
	err = fn(t)
	if err == nil {
		err = t.flushJobs(ctx)
	}
	if err != nil {
		done = true
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("roll back: %w", rerr))
		}
		return err
	}
	done = true
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// SQLTx returns the underlying transaction, so the job queue can enqueue in
// the same transaction as the change that caused the job.
func (t *Tx) SQLTx() *sql.Tx { return t.tx.Tx }

// reader implements core.Reader over a connection pool or a transaction;
// DB and Tx share it, so every query is written once.
type reader struct {
	q sqlx.ExtContext
	d dialect
	// parallel is set on a pool, where independent queries may run at
	// once on separate connections; a transaction has one connection.
	parallel bool
}

// The helpers below mark the errors of a PostgreSQL that is away as
// core.ErrUnavailable, so that a read failing in an outage is answered 503
// as a write is; Update does the same for its transaction, SQLite's
// errors included.

func (r *reader) get(ctx context.Context, dest any, query string, args ...any) error {
	return away(sqlx.GetContext(ctx, r.q, dest, r.q.Rebind(query), args...))
}

func (r *reader) sel(ctx context.Context, dest any, query string, args ...any) error {
	return away(sqlx.SelectContext(ctx, r.q, dest, r.q.Rebind(query), args...))
}

func (r *reader) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := r.q.ExecContext(ctx, r.q.Rebind(query), args...)
	return res, away(err)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (r *reader) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := r.q.QueryRowxContext(ctx, r.q.Rebind(query+" RETURNING id"), args...).Scan(&id)
	return id, away(err)
}

// update runs an UPDATE of one row and reports a not-found error when the
// row does not exist.
func (r *reader) update(ctx context.Context, notFound error, query string, args ...any) error {
	res, err := r.exec(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound
	}
	return nil
}

// withSavepoint runs fn so that a failed statement (a unique violation) does
// not abort the surrounding PostgreSQL transaction: the caller may go on
// after a conflict on both databases alike.
func (r *reader) withSavepoint(ctx context.Context, fn func() error) error {
	if _, inTx := r.q.(*sqlx.Tx); !inTx || r.d != postgres {
		return fn()
	}
	if _, err := r.q.ExecContext(ctx, "SAVEPOINT lw_sp"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := r.q.ExecContext(ctx, "ROLLBACK TO SAVEPOINT lw_sp"); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	_, err := r.q.ExecContext(ctx, "RELEASE SAVEPOINT lw_sp")
	return err
}

// found maps sql.ErrNoRows to notFound and wraps other errors with op.
func found(err error, notFound error, op string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return notFound
	}
	return fmt.Errorf("%s: %w", op, err)
}
