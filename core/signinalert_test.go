package core_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestAMailboxNeedingASignInIsAnnouncedOnceWithTheCommand(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := f.ctx
		f.admin.SlackID = "UADMIN"
		if err := db.Update(ctx, func(tx core.Tx) error { return tx.UpdateUser(ctx, f.admin) }); err != nil {
			t.Fatal(err)
		}
		settings := f.svc.Settings()
		settings.Channels = []string{core.ChannelSlack}
		svc := core.NewService(db, f.clock, settings, nil)
		signIn := errors.New("sign-in needed: run `leadwire email connect sales` (the provider answered invalid_grant: the sign-in was revoked or expired)")
		if err := svc.Connectors.ConnectorError(ctx, "email:sales", signIn); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(10 * time.Minute)
		if _, err := svc.Connectors.Check(ctx, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		// The mailbox retries with backoff, failing the same way.
		for range 3 {
			f.clock.Advance(5 * time.Minute)
			if err := svc.Connectors.ConnectorError(ctx, "email:sales", signIn); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Connectors.Check(ctx, f.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		jobs := notifyJobs(t, db)
		if len(jobs) != 1 {
			t.Fatalf("%d alerts, want 1", len(jobs))
		}
		text := jobs[0].Notice.Text
		if !strings.Contains(text, "leadwire email connect sales") || strings.Contains(text, "password") {
			t.Errorf("alert %q", text)
		}
	})
}
