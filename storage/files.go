package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// sqliteFile is the file a SQLite DSN path names: without its query and a
// "file:" prefix.
func sqliteFile(path string) string {
	file, _, _ := strings.Cut(path, "?")
	return strings.TrimPrefix(file, "file:")
}

// createPrivate makes the database file, when it does not exist yet,
// readable by its owner only: it holds the unsubscribe signing key and
// every contact. SQLite gives the -wal, -shm and -journal files the mode
// of the database file.
func createPrivate(file string) error {
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database file %s: %w", file, err)
	}
	return f.Close()
}
