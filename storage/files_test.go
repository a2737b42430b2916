package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"leadwire/core"
	"leadwire/storage"
)

func TestSQLiteFilesAreReadableByTheirOwnerOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "leadwire.db")
	db, err := storage.OpenAndMigrate(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// A write, so that the -wal and -shm files exist.
	if err := db.Update(ctx, func(tx core.Tx) error { return tx.PutSetting(ctx, "x", "y") }); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "copy.db")
	if err := db.Backup(ctx, backup, nil); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{path, path + "-wal", path + "-shm", backup} {
		t.Run(filepath.Base(file)+" is 0600", func(t *testing.T) {
			st, err := os.Stat(file)
			if err != nil {
				t.Fatal(err)
			}
			if perm := st.Mode().Perm(); perm&0o077 != 0 {
				t.Errorf("%s has mode %v; it holds the unsubscribe signing key and every contact, want 0600", file, perm)
			}
		})
	}
}
