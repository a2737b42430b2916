package storage_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"leadwire/core"
	"leadwire/internal/testenv"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestOpenRefusesUnknownDatabases(t *testing.T) {
	for _, dsn := range []string{"mysql://root:secret@db/leadwire", "leadwire.sqlite3", "sqlite:", "sqlite::memory:"} {
		t.Run(dsn, func(t *testing.T) {
			_, err := storage.Open(context.Background(), dsn)
			wantErr(t, err, core.KindInvalid, "")
			if msg := core.Message(err); msg == "" || strings.Contains(msg, "secret") {
				t.Errorf("message %q should explain, without the password", msg)
			}
		})
	}
}

func TestOpenSQLiteByPath(t *testing.T) {
	ctx := context.Background()
	for _, dsn := range []string{
		filepath.Join(t.TempDir(), "bare.db"),
		"sqlite:" + filepath.Join(t.TempDir(), "prefixed.sqlite"),
	} {
		db, err := storage.OpenAndMigrate(ctx, dsn)
		if err != nil {
			t.Fatalf("open %s: %v", dsn, err)
		}
		if db.Dialect() != "sqlite" {
			t.Errorf("dialect of %s = %q", dsn, db.Dialect())
		}
		if err := db.SQL().PingContext(ctx); err != nil {
			t.Errorf("ping: %v", err)
		}
		db.Close()
	}
}

func TestMigrateTwiceIsHarmless(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil || v < 1 {
			t.Fatalf("schema version = %d, %v; want ≥ 1", v, err)
		}
	})
}

func TestMigrateConcurrentlyOnPostgres(t *testing.T) {
	dsn := testenv.Postgres(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			db, err := storage.Open(ctx, dsn)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			errs[i] = db.Migrate(ctx)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("migrator %d: %v", i, err)
		}
	}
}

func TestMigrateConcurrentlyOnSQLite(t *testing.T) {
	ctx := context.Background()
	for round := range 3 {
		path := "sqlite:" + filepath.Join(t.TempDir(), "race.db")
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() {
				db, err := storage.Open(ctx, path)
				if err != nil {
					t.Errorf("round %d, process %d: %v", round, i, err)
					return
				}
				defer db.Close()
				if err := db.Migrate(ctx); err != nil {
					t.Errorf("round %d, process %d: %v", round, i, err)
				}
			})
		}
		wg.Wait()
	}
}

func TestUpdate(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t.Run("an error rolls everything back and is returned as is", func(t *testing.T) {
			boom := errors.New("boom")
			err := db.Update(ctx, func(tx core.Tx) error {
				if err := tx.CreateTeam(ctx, &core.Team{Name: "Ghosts"}); err != nil {
					return err
				}
				c := core.Contact{Name: "Ghost", Emails: []string{"ghost@example.com"}}
				if err := tx.CreateContact(ctx, &c); err != nil {
					return err
				}
				if _, err := tx.TeamByName(ctx, "ghosts"); err != nil {
					return fmt.Errorf("the transaction should see its own writes: %w", err)
				}
				return boom
			})
			if err != boom {
				t.Fatalf("Update returned %v, want boom itself", err)
			}
			_, err = db.TeamByName(ctx, "Ghosts")
			wantErr(t, err, core.KindNotFound, `team "Ghosts" not found`)
			_, err = db.ContactByIdentity(ctx, core.Identity{Kind: core.IdentityEmail, Value: "ghost@example.com"})
			wantErr(t, err, core.KindNotFound, "no contact with email ghost@example.com")
			if hits, _ := db.Search(ctx, core.SearchFilter{Query: "ghost", Everyone: true, Limit: 10}); len(hits) != 0 {
				t.Errorf("search finds rolled-back contact: %v", hits)
			}
		})
		t.Run("a panic rolls back and goes on up", func(t *testing.T) {
			func() {
				defer func() {
					if recover() == nil {
						t.Error("the panic was swallowed")
					}
				}()
				db.Update(ctx, func(tx core.Tx) error {
					tx.CreateTeam(ctx, &core.Team{Name: "Panic"})
					panic("boom")
				})
			}()
			if _, err := db.TeamByName(ctx, "Panic"); !core.IsNotFound(err) {
				t.Errorf("team survived the panic: %v", err)
			}
			// The writer is free again.
			update(t, db, func(tx core.Tx) error { return tx.CreateTeam(ctx, &core.Team{Name: "After"}) })
		})
		t.Run("a conflict leaves the transaction usable", func(t *testing.T) {
			update(t, db, func(tx core.Tx) error {
				if err := tx.CreateTeam(ctx, &core.Team{Name: "Twice"}); err != nil {
					return err
				}
				err := tx.CreateTeam(ctx, &core.Team{Name: "TWICE"})
				if core.KindOf(err) != core.KindConflict {
					return fmt.Errorf("second team: got %v, want a conflict", err)
				}
				return tx.CreateTeam(ctx, &core.Team{Name: "Thrice"})
			})
			if _, err := db.TeamByName(ctx, "thrice"); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestConcurrentUpdatesNeverFailBusy(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		const workers, each = 8, 50
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					err := db.Update(ctx, func(tx core.Tx) error {
						// Read, then write: the pattern that deadlocks with
						// deferred SQLite transactions.
						if _, err := tx.ListTeams(ctx); err != nil {
							return err
						}
						return tx.CreateTeam(ctx, &core.Team{Name: fmt.Sprintf("team %d-%d", w, i)})
					})
					if err != nil {
						errs <- err
					}
					// Readers run alongside the writers.
					if _, err := db.ListTeams(ctx); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("concurrent update: %v", err)
		}
		teams, err := db.ListTeams(ctx)
		if err != nil || len(teams) != workers*each {
			t.Fatalf("got %d teams, %v; want %d", len(teams), err, workers*each)
		}
	})
}
