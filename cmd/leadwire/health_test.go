package main

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"leadwire/core"
	"leadwire/internal/wait"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestHealthCheckRunsOnTheQueue runs the job queue as serve does: the
// periodic connector check runs on start and alerts the admin of a
// failing mailbox with a notify job.
func TestHealthCheckRunsOnTheQueue(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		settings := core.DefaultSettings()
		settings.Channels = []string{core.ChannelSlack}
		svc := core.NewService(db, nil, settings, nil)
		if err := svc.Directory.Sync(ctx, core.OrgDef{Users: []core.UserDef{
			{Email: "ada@example.com", Name: "Ada", Role: core.RoleAdmin, SlackID: "UADA"},
		}}); err != nil {
			t.Fatal(err)
		}
		if err := svc.Connectors.ConnectorError(ctx, "email:sales", errors.New("login: Invalid credentials")); err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.DiscardHandler)
		h := core.NewHandlers()
		core.Handle(h, svc.Connectors.HandleCheck)
		jobs, err := db.NewJobs(h, log, core.CheckConnectorsPeriodic())
		if err != nil {
			t.Fatal(err)
		}
		if err := jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { jobs.Stop(context.Background()) })

		count := func(where string) int {
			var n int
			if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE `+where).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		wait.For(t, "the check runs and alerts the admin", func() bool {
			return count(`kind = 'check_connectors' AND state = 'completed'`) > 0
		})
		if n := count(`kind = 'notify'`); n != 1 {
			t.Fatalf("%d notify jobs, want 1: the admin on Slack", n)
		}
	})
}
