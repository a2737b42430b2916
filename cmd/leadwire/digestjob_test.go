package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/internal/wait"
	"leadwire/storage/storagetest"
)

func TestDigestTickRunsOnRiver(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storagetest.SQLite(t)
	settings := core.DefaultSettings()
	settings.Channels = []string{core.ChannelEmail}
	// Wednesday 12:00 UTC: 19:00 in Bangkok, past the default 08:00.
	svc := core.NewService(db, clocktest.New(time.Date(2026, 11, 4, 12, 0, 0, 0, time.UTC)), settings, nil)
	if err := svc.Directory.Sync(ctx, core.OrgDef{Users: []core.UserDef{{Email: "m@example.com", Name: "M", Role: core.RoleManager, TimeZone: "Asia/Bangkok"}}}); err != nil {
		t.Fatal(err)
	}
	h := core.NewHandlers()
	core.Handle(h, svc.Notices.HandleDigestTick, core.JobTimeout(core.DigestTimeout))
	jobs, err := db.NewJobs(h, slog.New(slog.DiscardHandler), core.DigestPeriodic())
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = jobs.Stop(stop)
	})
	// The tick runs on start; poll for the digest's notice.
	var args string
	if !wait.Until(wait.Patience, func() bool {
		err = db.SQL().QueryRowContext(ctx, `SELECT json(args) FROM river_job WHERE kind = 'notify'`).Scan(&args)
		return err == nil
	}) {
		t.Fatalf("no digest announced by the periodic tick: %v", err)
	}
	if want := `"key":"digest:1:2026-11-03"`; !strings.Contains(args, want) {
		t.Errorf("notice %s, want %s", args, want)
	}
}
