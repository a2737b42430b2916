package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"

	"leadwire/core"
)

// fileIdentity is the SQLite database file as it was opened: its path and
// device and inode, so that a file deleted, moved or replaced under the
// running process is noticed before a write goes into an unlinked file and
// is lost at the next start.
type fileIdentity struct {
	path   string
	opened os.FileInfo
}

// identify notes the identity of the file at path.
func identify(path string) (*fileIdentity, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return &fileIdentity{path: path, opened: st}, nil
}

// check reports, as an ErrUnavailable error, a file that is no longer the
// one opened.
func (f *fileIdentity) check() error {
	if f == nil {
		return nil
	}
	st, err := os.Stat(f.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return core.Unavailable(fmt.Errorf("the database file %s was deleted or moved while leadwire had it open; "+
			"writes are refused, since they would be lost: put the file back, or restart leadwire to start a new one", f.path))
	case err != nil:
		return core.Unavailable(fmt.Errorf("database file %s: %w", f.path, err))
	case !os.SameFile(f.opened, st):
		return core.Unavailable(fmt.Errorf("the database file %s was replaced by another file while leadwire had the old one open; "+
			"writes are refused, since they would go to the old one: restart leadwire to open the new file", f.path))
	}
	return nil
}

// CheckFile reports, as an error wrapping core.ErrUnavailable, a SQLite
// database file deleted or replaced since it was opened; nil on
// PostgreSQL.
func (db *DB) CheckFile() error { return db.file.check() }

// classify marks the errors of a database that is away, full or not
// writable as core.ErrUnavailable, and says which file and what to do
// where SQLite's own words do not.
func (db *DB) classify(err error) error {
	path := ""
	if db.file != nil {
		path = db.file.path
	}
	return classify(err, path)
}

// classify is DB.classify for a SQLite file at path ("" when unknown).
func classify(err error, path string) error {
	if err == nil || errors.Is(err, core.ErrUnavailable) {
		return err
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		file := "the database file"
		if path != "" {
			file += " " + path
		}
		switch se.Code {
		case sqlite3.ErrReadonly:
			return core.Unavailable(fmt.Errorf("%s cannot be written: %w; "+
				"give the user running leadwire write access to the file and to its folder (for the -wal and -shm files)", file, err))
		case sqlite3.ErrFull:
			return core.Unavailable(fmt.Errorf("the disk holding %s is full: %w; free some space", file, err))
		case sqlite3.ErrIoErr, sqlite3.ErrCantOpen, sqlite3.ErrBusy, sqlite3.ErrLocked:
			return core.Unavailable(fmt.Errorf("%s: %w", file, err))
		}
		return err
	}
	if unreachable(err) {
		return core.Unavailable(err)
	}
	return err
}

// away marks err as core.ErrUnavailable when PostgreSQL cannot be reached.
func away(err error) error {
	if err != nil && unreachable(err) {
		return core.Unavailable(err)
	}
	return err
}

// unreachable reports whether err says that PostgreSQL cannot be reached
// or cannot take writes now: a lost or refused connection, a server
// shutting down or starting, a full disk, too many connections, a
// read-only standby.
func unreachable(err error) bool {
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.ErrUnexpectedEOF) || pgconn.SafeToRetry(err) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"), strings.HasPrefix(pe.Code, "53"), strings.HasPrefix(pe.Code, "57P"):
			return true
		case pe.Code == "25006": // read_only_sql_transaction
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// The caller's own deadline, not the server's absence.
		return false
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// probeKey is the setting the write probe writes.
const probeKey = "probe:write"

// Failures counts the writes refused because the database was away (see
// core.ErrUnavailable) since it was opened: a readiness check that sees it
// grow knows its last probe is out of date.
func (db *DB) Failures() uint64 { return db.failures.Load() }

// Probe checks that the database takes writes: the SQLite file is still
// the one opened, and a small real write commits (on a full disk or a
// read-only file, PostgreSQL standby or lost server it fails). Its error
// wraps core.ErrUnavailable when the database is away.
func (db *DB) Probe(ctx context.Context) error {
	n := strconv.FormatUint(db.probes.Add(1), 10)
	return db.Update(ctx, func(tx core.Tx) error {
		return tx.PutSetting(ctx, probeKey, n)
	})
}

// Durability says how the writer makes a commit last, for serve to log at
// start-up: on SQLite the synchronous and journal modes of the writer's
// connection ("synchronous=FULL journal_mode=wal"), on PostgreSQL the
// session's synchronous_commit.
func (db *DB) Durability(ctx context.Context) (string, error) {
	if db.d != sqlite {
		var sc string
		if err := db.write.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&sc); err != nil {
			return "", fmt.Errorf("read synchronous_commit: %w", err)
		}
		return "synchronous_commit=" + sc, nil
	}
	var sync int
	var journal string
	if err := db.write.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return "", fmt.Errorf("read synchronous: %w", err)
	}
	if err := db.write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal); err != nil {
		return "", fmt.Errorf("read journal_mode: %w", err)
	}
	modes := []string{"OFF", "NORMAL", "FULL", "EXTRA"}
	mode := strconv.Itoa(sync)
	if sync >= 0 && sync < len(modes) {
		mode = modes[sync]
	}
	return "synchronous=" + mode + " journal_mode=" + journal, nil
}
