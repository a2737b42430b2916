package storage_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leadwire/core"
	"leadwire/internal/testenv"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestADeletedOrReplacedSQLiteFileRefusesWrites(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		change func(t *testing.T, path string)
		want   string
	}{
		{"a deleted file", func(t *testing.T, path string) {
			for _, f := range []string{path, path + "-wal", path + "-shm"} {
				os.Remove(f)
			}
		}, "was deleted or moved"},
		{"a file replaced by another", func(t *testing.T, path string) {
			other := filepath.Join(t.TempDir(), "other.db")
			o, err := storage.OpenAndMigrate(ctx, "sqlite:"+other)
			if err != nil {
				t.Fatal(err)
			}
			o.Close()
			if err := os.Rename(other, path); err != nil {
				t.Fatal(err)
			}
		}, "was replaced by another file"},
	} {
		t.Run(tt.name+" is refused, loudly", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "leadwire.db")
			db, err := storage.OpenAndMigrate(ctx, "sqlite:"+path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Probe(ctx); err != nil {
				t.Fatalf("probe before: %v", err)
			}
			tt.change(t, path)
			for what, err := range map[string]error{
				"the check": db.CheckFile(),
				"the probe": db.Probe(ctx),
				"a write": db.Update(ctx, func(tx core.Tx) error {
					return tx.CreateTeam(ctx, &core.Team{Name: "Hanoi"})
				}),
			} {
				if !errors.Is(err, core.ErrUnavailable) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
					t.Errorf("%s: %v; want an unavailable error naming %s and saying it %s", what, err, path, tt.want)
				}
			}
		})
	}
}

func TestAReadOnlySQLiteFileIsNamedWhenAWriteFails(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "leadwire.db")
	db, err := storage.OpenAndMigrate(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	// mode=ro stands in for a file without write permission, which root
	// (who may run the tests) writes anyway.
	ro, err := storage.Open(ctx, "sqlite:file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	err = ro.Probe(ctx)
	if !errors.Is(err, core.ErrUnavailable) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "write access") {
		t.Fatalf("probe of a read-only file: %v; want an unavailable error naming %s and what to do", err, path)
	}
}

func TestAnUnreachablePostgreSQLIsUnavailable(t *testing.T) {
	ctx := context.Background()
	dsn := testenv.Postgres(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := testenv.NewProxy(t, u.Host)
	u.Host = proxy.Addr
	db, err := storage.OpenAndMigrate(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Probe(ctx); err != nil {
		t.Fatalf("probe before the outage: %v", err)
	}
	proxy.Cut()
	for what, err := range map[string]error{
		"the probe": db.Probe(ctx),
		"a read":    func() error { _, err := db.Setting(ctx, "x"); return err }(),
	} {
		if !errors.Is(err, core.ErrUnavailable) {
			t.Errorf("%s during the outage: %v; want it to wrap core.ErrUnavailable", what, err)
		}
	}
}

// TestDurabilitySaysACommitIsSynced: the writer of SQLite syncs every
// commit (synchronous=FULL, WAL); on PostgreSQL it reports the server's
// synchronous_commit. serve logs this at start-up and bench forms prints it.
func TestDurabilitySaysACommitIsSynced(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		got, err := db.Durability(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect() != "sqlite" {
			// The server's own setting (the throwaway test server's is off).
			if !strings.HasPrefix(got, "synchronous_commit=") {
				t.Errorf("Durability() = %q, want synchronous_commit=…", got)
			}
			return
		}
		if want := "synchronous=FULL journal_mode=wal"; got != want {
			t.Errorf("Durability() = %q, want %q", got, want)
		}
	})
}
