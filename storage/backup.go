package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"leadwire/core"
)

// backupStepPages is how many pages one backup step copies, so progress
// can be shown and a cancelled context is noticed between steps.
const backupStepPages = 1024

// Backup writes a consistent copy of the SQLite database to dest, a file
// that must not exist yet (or be empty), with SQLite's online backup: the
// database stays in use, by this process and others, while it is copied.
// The copy is the database as it was when the backup began; it is a single
// file (rollback journal, not WAL) and is checked with PRAGMA
// integrity_check before Backup returns. progress, when not nil, is told
// after every step how many pages remain of how many. A PostgreSQL
// database is refused: pg_dump is the tool for it.
func (db *DB) Backup(ctx context.Context, dest string, progress func(remaining, total int)) (err error) {
	if db.d != sqlite {
		return core.Errorf(core.KindInvalid, "backup copies a SQLite database; for PostgreSQL use pg_dump (e.g. pg_dump -Fc -f leadwire.dump DBNAME)")
	}
	if st, err := os.Stat(dest); err == nil && st.Size() > 0 {
		return core.Errorf(core.KindConflict, "backup destination %s exists already", dest)
	}
	defer func() {
		if err != nil {
			os.Remove(dest)
			os.Remove(dest + "-journal")
		}
	}()

	src, err := db.read.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer src.Close()
	// A read transaction held over every step pins one snapshot of the
	// database. Without it, each write by another connection between two
	// steps restarts the copy, and a busy server could keep it from ever
	// finishing. In WAL mode the snapshot does not hold writers up.
	if _, err := src.ExecContext(ctx, "BEGIN"); err != nil {
		return fmt.Errorf("backup: begin read: %w", err)
	}
	defer src.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	var tables int
	if err := src.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&tables); err != nil {
		return fmt.Errorf("backup: begin read: %w", err)
	}

	if err := createPrivate(dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	dst, err := sql.Open("sqlite3", dest)
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", dest, err)
	}
	defer dst.Close()
	dc, err := dst.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", dest, err)
	}
	defer dc.Close()
	err = dc.Raw(func(d any) error {
		return src.Raw(func(s any) error {
			to, ok1 := d.(*sqlite3.SQLiteConn)
			from, ok2 := s.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return errors.New("not a mattn/go-sqlite3 connection")
			}
			return copyPages(ctx, to, from, progress)
		})
	})
	if err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	// The copy carries the source's WAL mode in its header; a backup is
	// easier to move about as one self-contained file.
	if _, err := dc.ExecContext(ctx, "PRAGMA journal_mode=DELETE"); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	if err := errors.Join(dc.Close(), dst.Close()); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	return CheckSQLite(ctx, dest)
}

// copyPages runs the backup from one connection to the other, step by step.
func copyPages(ctx context.Context, to, from *sqlite3.SQLiteConn, progress func(remaining, total int)) error {
	b, err := to.Backup("main", from, "main")
	if err != nil {
		return err
	}
	last := -1
	for {
		done, err := b.Step(backupStepPages)
		if err != nil {
			b.Finish()
			return err
		}
		remaining := b.Remaining()
		if progress != nil {
			progress(remaining, b.PageCount())
		}
		if done {
			return b.Finish()
		}
		if err := ctx.Err(); err != nil {
			b.Finish()
			return err
		}
		if remaining == last {
			// Busy or locked (Step reports it as not done): give the
			// holder of the lock a moment.
			time.Sleep(10 * time.Millisecond)
		}
		last = remaining
	}
}

// CheckSQLite opens the SQLite file at path read-only and runs PRAGMA
// integrity_check; any problem it reports is an error.
func CheckSQLite(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("check %s: %w", path, err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("check %s: integrity check failed: %s", path, strings.Join(problems, "; "))
	}
	return nil
}

// SQLiteFile returns the path of the SQLite database file; "" for
// PostgreSQL.
func (db *DB) SQLiteFile(ctx context.Context) (string, error) {
	if db.d != sqlite {
		return "", nil
	}
	rows, err := db.read.QueryContext(ctx, "PRAGMA database_list")
	if err != nil {
		return "", fmt.Errorf("database file: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int
		var name, file string
		if err := rows.Scan(&seq, &name, &file); err != nil {
			return "", fmt.Errorf("database file: %w", err)
		}
		if name == "main" {
			return file, nil
		}
	}
	return "", rows.Err()
}
