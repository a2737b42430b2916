package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"leadwire/core"
	"leadwire/storage"
)

// BackupCmd writes an online backup of the SQLite database.
type BackupCmd struct {
	File  string `arg:"" help:"The backup file to write." placeholder:"FILE"`
	Force bool   `help:"Replace FILE if it exists."`
}

// Run copies the database while it stays in use, checks the copy and tells
// its size and how long it took.
func (c *BackupCmd) Run(a *App) error {
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	if isPostgres(cfg.Database) {
		return core.Errorf(core.KindInvalid, "leadwire backup copies a SQLite database; for PostgreSQL use pg_dump (e.g. pg_dump -Fc -f leadwire.dump DBNAME)")
	}
	// The file is copied as it is: no migration, no configured directory
	// applied, so a backup takes no write lock from a busy server.
	db, err := storage.Open(a.ctx, cfg.Database)
	if err != nil {
		return fmt.Errorf("open database %s: %w", storage.Redact(cfg.Database), err)
	}
	defer db.Close()
	source, err := db.SQLiteFile(a.ctx)
	if err != nil {
		return err
	}
	st, err := os.Stat(c.File)
	switch {
	case err == nil && st.IsDir():
		return core.Errorf(core.KindInvalid, "%s is a folder; name the backup file, e.g. %s", c.File, filepath.Join(c.File, "leadwire-"+time.Now().Format("2006-01-02")+".db"))
	case err == nil && !st.Mode().IsRegular():
		// --force replaces a backup, never a device, pipe or socket
		// (renaming over /dev/null as root would replace it).
		return core.Errorf(core.KindInvalid, "%s is not a regular file (%s); name a file to write the backup to", c.File, fileKind(st.Mode()))
	case err == nil && sameFile(source, c.File):
		return core.Errorf(core.KindInvalid, "%s is the database itself; write the backup somewhere else", c.File)
	case err == nil && !c.Force:
		return core.Errorf(core.KindConflict, "%s exists already; choose another name, or add --force to replace it", c.File)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}

	// Written beside the target and renamed over it only once checked, so
	// a failed backup never replaces a good one.
	tmp, err := os.CreateTemp(filepath.Dir(c.File), "."+filepath.Base(c.File)+".partial-*")
	if err != nil {
		return err
	}
	tmp.Close()
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	start := time.Now()
	var meter *progressMeter
	pages := 0
	err = db.Backup(a.ctx, tmp.Name(), func(remaining, total int) {
		if meter == nil {
			meter = newProgressMeter(a.errOut, total, "copied", "pages")
		}
		pages = total
		meter.set(total - remaining)
	})
	if meter != nil {
		meter.done()
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), c.File); err != nil {
		return err
	}
	syncDir(filepath.Dir(c.File))
	took := time.Since(start)
	size := int64(0)
	if st, err := os.Stat(c.File); err == nil {
		size = st.Size()
	}
	fmt.Fprintf(a.out, "backed up %s to %s: %s (%d pages) in %s; integrity check ok\n",
		source, c.File, byteSize(size), pages, took.Round(time.Millisecond))
	return nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// fileKind names what a path that is not a regular file is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a plain file"
}

// syncDir makes a rename in dir durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// byteSize formats a size for people: "812 B", "3.4 MB".
func byteSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
