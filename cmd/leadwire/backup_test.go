package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"leadwire/core"
	"leadwire/storage"
)

// countLeads counts the leads of a database.
func countLeads(t *testing.T, db *storage.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow("SELECT count(*) FROM leads").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBackupWhileLeadsArrive(t *testing.T) {
	e := newIOEnv(t)
	ctx := context.Background()
	db := e.store()
	svc := core.NewService(db, nil, core.DefaultSettings(), nil)
	// Enough data for the copy to take many steps of 1024 pages.
	body := strings.Repeat("ขอใบเสนอราคาสำหรับ 50 ที่นั่ง. Proszę o wycenę. ", 150)
	var seed []core.Inbound
	for i := range 400 {
		seed = append(seed, core.Inbound{Channel: core.ChannelWebform, Source: "seed", ExternalID: strconv.Itoa(i),
			Email: fmt.Sprintf("seed%d@example.com", i), Text: body})
	}
	if _, errs := svc.CaptureBatch(ctx, seed); errs[0] != nil {
		t.Fatal(errs[0])
	}
	before := countLeads(t, db)

	// A writer that keeps capturing leads from another connection until
	// the backup is done.
	stop := make(chan struct{})
	started := make(chan struct{})
	var wg sync.WaitGroup
	var captured int
	var captureErr error
	wg.Go(func() {
		defer func() {
			if captured == 0 {
				close(started)
			}
		}()
		for i := 0; ; i++ {
			_, err := svc.Capture(ctx, core.Inbound{Channel: core.ChannelWebhook, Source: "live", ExternalID: strconv.Itoa(i),
				Name: "Nguyễn Văn " + strconv.Itoa(i), Email: fmt.Sprintf("live%d@example.vn", i), Text: body})
			if err != nil {
				captureErr = err
				return
			}
			if captured++; captured == 1 {
				close(started)
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	})
	<-started
	path := filepath.Join(e.dir, "backup.db")
	r := e.run("backup", path)
	close(stop)
	wg.Wait()
	if captureErr != nil {
		t.Fatalf("capture during the backup: %v", captureErr)
	}
	if r.code != 0 {
		t.Fatalf("backup: exit %d: %s", r.code, r.errOut)
	}

	t.Run("the summary tells size, pages and time", func(t *testing.T) {
		m := regexp.MustCompile(`backed up .*x\.db to .*backup\.db: [0-9.]+ [kM]B \(([0-9]+) pages\) in [0-9.]+m?s; integrity check ok`).FindStringSubmatch(r.out)
		if m == nil {
			t.Fatalf("summary = %q", r.out)
		}
		if pages, _ := strconv.Atoi(m[1]); pages <= 1024 {
			t.Errorf("%d pages: too few for the copy to take several steps", pages)
		}
	})

	t.Run("the backup is one sound file holding the leads of its moment", func(t *testing.T) {
		if _, err := os.Stat(path + "-wal"); err == nil {
			t.Error("the backup left a -wal file beside it")
		}
		if err := storage.CheckSQLite(ctx, path); err != nil {
			t.Fatal(err)
		}
		b, err := storage.Open(ctx, "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		n, after := countLeads(t, b), countLeads(t, db)
		if n < before || n > after {
			t.Errorf("backup has %d leads; the database had %d before and %d after", n, before, after)
		}
		if captured < 2 {
			t.Errorf("only %d leads were captured during the backup", captured)
		}
	})

	t.Run("an existing file is not overwritten", func(t *testing.T) {
		r := e.run("backup", path)
		if r.code == 0 {
			t.Fatal("exit 0 over an existing file")
		}
		wantContains(t, "stderr", r.errOut, "exists already", "--force")
	})

	t.Run("--force replaces the file with a new backup", func(t *testing.T) {
		e.ok("backup", path, "--force")
		b, err := storage.Open(ctx, "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if n, want := countLeads(t, b), countLeads(t, db); n != want {
			t.Errorf("backup has %d leads, want %d", n, want)
		}
	})

	t.Run("the database itself is never a target", func(t *testing.T) {
		r := e.run("backup", e.dbPath, "--force")
		if r.code == 0 {
			t.Fatal("exit 0 backing up over the database")
		}
		wantContains(t, "stderr", r.errOut, "is the database itself")
	})
}

func TestBackupRefusesPostgreSQL(t *testing.T) {
	e := newIOEnv(t)
	cfg, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	pg := strings.Replace(string(cfg), "sqlite:"+e.dbPath, "postgres://leadwire:secret@127.0.0.1:1/leadwire", 1)
	if err := os.WriteFile(e.config, []byte(pg), 0o644); err != nil {
		t.Fatal(err)
	}
	r := e.run("backup", filepath.Join(e.dir, "b.db"))
	if r.code == 0 {
		t.Fatal("exit 0 for a PostgreSQL database")
	}
	wantContains(t, "stderr", r.errOut, "use pg_dump")
}
