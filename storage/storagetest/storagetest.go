// Package storagetest runs storage tests against every database leadwire
// supports, so each behaviour is checked on SQLite and PostgreSQL alike.
package storagetest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"leadwire/internal/testenv"
	"leadwire/storage"
)

// Each runs test twice, as the subtests "sqlite" (a fresh file in a
// temporary directory) and "postgres" (a fresh database from
// testenv.Postgres, skipped when no server is configured), each time with a
// migrated, empty store that is closed when the subtest ends. The two
// run in parallel, after the calling test function has returned: Each
// must be the last thing it does.
func Each(t *testing.T, test func(t *testing.T, db *storage.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		test(t, SQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		test(t, Postgres(t))
	})
}

// SQLite returns a migrated store on a new SQLite file.
func SQLite(t testing.TB) *storage.DB {
	t.Helper()
	return open(t, "sqlite:"+filepath.Join(t.TempDir(), "leadwire.db"))
}

// Postgres returns a migrated store on a new PostgreSQL database, skipping
// the test when none is configured (failing it when CI=true).
func Postgres(t testing.TB) *storage.DB {
	t.Helper()
	return open(t, PostgresURL(t))
}

// PostgresURL returns the URL of a new PostgreSQL database that only this
// test uses, already migrated: a copy of a template migrated once for all
// the tests of this build, which is much faster than migrating each.
func PostgresURL(t testing.TB) string {
	t.Helper()
	digest, err := storage.PostgresSchemaDigest()
	if err != nil {
		t.Fatal(err)
	}
	template := testenv.PostgresTemplate(t, digest, func(ctx context.Context, dsn string) error {
		db, err := storage.OpenAndMigrate(ctx, dsn)
		if err != nil {
			return err
		}
		return db.Close()
	})
	return testenv.PostgresFrom(t, template)
}

func open(t testing.TB, dsn string) *storage.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := storage.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return db
}
