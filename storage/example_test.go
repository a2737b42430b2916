package storage_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"leadwire/core"
	"leadwire/storage"
)

// Open a SQLite database in a folder, bring its schema up to date, and
// write in a transaction what a connector reads back later. The same calls
// take a "postgres://…" DSN.
func ExampleOpenAndMigrate() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "leadwire-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := storage.OpenAndMigrate(ctx, filepath.Join(dir, "leadwire.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	fmt.Println("dialect:", db.Dialect())

	err = db.Update(ctx, func(tx core.Tx) error {
		return tx.SaveCheckpoint(ctx, core.Checkpoint{Connector: "email:sales", Key: "INBOX", Value: "1699999999:4711"})
	})
	if err != nil {
		log.Fatal(err)
	}
	got, err := db.LoadCheckpoint(ctx, "email:sales", "INBOX")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("INBOX checkpoint:", got)

	// Migrating again is a no-op: serve migrates at every start.
	if err := db.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("migrated again")
	// Output:
	// dialect: sqlite
	// INBOX checkpoint: 1699999999:4711
	// migrated again
}
