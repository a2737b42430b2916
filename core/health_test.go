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

// notifyJobs lists the notify jobs enqueued in the database, oldest first.
func notifyJobs(t *testing.T, db *storage.DB) []core.NotifyJob {
	t.Helper()
	return jobArgs[core.NotifyJob](t, db, "notify")
}

func TestCheckConnectors(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := f.ctx
		// The admin reads Slack and Telegram, in Bangkok's time.
		f.admin.SlackID, f.admin.TelegramID, f.admin.TimeZone = "UADMIN", 4242, "Asia/Bangkok"
		f.mgr.SlackID = "UMGR" // a manager is not told
		if err := db.Update(ctx, func(tx core.Tx) error {
			return errors.Join(tx.UpdateUser(ctx, f.admin), tx.UpdateUser(ctx, f.mgr))
		}); err != nil {
			t.Fatal(err)
		}
		settings := f.svc.Settings()
		settings.Channels = []string{core.ChannelSlack, core.ChannelTelegram}
		settings.Alerts = core.Alerts{SilentAfter: time.Hour, Watched: []string{"email:sales"}}
		svc := core.NewService(db, f.clock, settings, nil)
		// Another replica, or the same after a restart.
		other := core.NewService(db, f.clock, settings, nil)

		checkpoint := func(t *testing.T, connector string) {
			t.Helper()
			if err := svc.Connectors.Checkpoint(ctx, core.Checkpoint{Connector: connector, Key: "INBOX", Value: "1:1"}); err != nil {
				t.Fatal(err)
			}
		}
		connErr := func(t *testing.T, connector string, err error) {
			t.Helper()
			if err := svc.Connectors.ConnectorError(ctx, connector, err); err != nil {
				t.Fatal(err)
			}
		}
		check := func(t *testing.T, s *core.Service) []core.HealthChange {
			t.Helper()
			changes, err := s.Connectors.Check(ctx, f.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			return changes
		}
		seen := 0
		// newNotices returns the notify jobs enqueued since it last looked.
		newNotices := func(t *testing.T) []core.NotifyJob {
			t.Helper()
			all := notifyJobs(t, db)
			out := all[seen:]
			seen = len(all)
			return out
		}
		// wantAlert checks that one notice went to the admin on each chat,
		// saying all of says.
		wantAlert := func(t *testing.T, says ...string) {
			t.Helper()
			jobs := newNotices(t)
			if len(jobs) != 2 || jobs[0].Channel != core.ChannelSlack || jobs[1].Channel != core.ChannelTelegram {
				t.Fatalf("notify jobs = %+v, want one on Slack and one on Telegram", jobs)
			}
			for _, j := range jobs {
				n := j.Notice
				if n.Kind != core.NoticeAlert || n.UserID != f.admin.ID || n.Key == "" {
					t.Errorf("notice = %+v, want an alert to the admin (user %d)", n, f.admin.ID)
				}
				for _, s := range says {
					if !strings.Contains(n.Text, s) {
						t.Errorf("alert %q does not say %q", n.Text, s)
					}
				}
			}
		}
		wantQuiet := func(t *testing.T, changes []core.HealthChange) {
			t.Helper()
			if len(changes) != 0 {
				t.Errorf("changes = %+v, want none", changes)
			}
			if jobs := newNotices(t); len(jobs) != 0 {
				t.Errorf("notify jobs = %+v, want none", jobs)
			}
		}

		checkpoint(t, "email:sales")
		checkpoint(t, "webform:contact")
		synced := f.clock.Now()

		t.Run("connectors that sync within the limit raise nothing", func(t *testing.T) {
			f.clock.Advance(30 * time.Minute)
			wantQuiet(t, check(t, svc))
		})
		t.Run("a mailbox that cannot log in alerts the admins once, saying what failed and where to look", func(t *testing.T) {
			connErr(t, "email:sales", errors.New("login: [AUTHENTICATIONFAILED] Invalid credentials"))
			changes := check(t, svc)
			if len(changes) != 1 || changes[0].Connector != "email:sales" || changes[0].To != core.Failing || changes[0].Notified != 2 {
				t.Fatalf("changes = %+v, want email:sales failing, told on 2 chats", changes)
			}
			wantAlert(t, "email:sales", "failing", "Invalid credentials", "email.mailboxes",
				synced.In(f.admin.Location()).Format("15:04 ")+"+07") // times in the admin's zone
		})
		t.Run("a failure already told is not told again, by this replica or another", func(t *testing.T) {
			f.clock.Advance(time.Minute)
			connErr(t, "email:sales", errors.New("login: [AUTHENTICATIONFAILED] Invalid credentials")) // a retry
			wantQuiet(t, check(t, svc))
			wantQuiet(t, check(t, other))
		})
		t.Run("a failing mailbox that also goes silent is not told again", func(t *testing.T) {
			f.clock.Advance(2 * time.Hour)
			wantQuiet(t, check(t, svc))
		})
		t.Run("a mailbox that syncs again is told recovered once", func(t *testing.T) {
			connErr(t, "email:sales", nil)
			checkpoint(t, "email:sales")
			changes := check(t, other)
			if len(changes) != 1 || changes[0].To != core.Healthy || changes[0].From != core.Failing {
				t.Fatalf("changes = %+v, want email:sales recovered from failing", changes)
			}
			wantAlert(t, "email:sales", "recovered")
			wantQuiet(t, check(t, svc))
		})
		t.Run("a watched mailbox without a sync past the limit is told silent; a web form never is", func(t *testing.T) {
			f.clock.Advance(61 * time.Minute)
			changes := check(t, svc)
			if len(changes) != 1 || changes[0].Connector != "email:sales" || changes[0].To != core.Silent {
				t.Fatalf("changes = %+v, want only email:sales silent", changes)
			}
			wantAlert(t, "email:sales", "not synced", "(over 1h, the alerts.silent_after limit)")
			wantQuiet(t, check(t, other))
		})
		t.Run("a silent mailbox that syncs again is told recovered", func(t *testing.T) {
			checkpoint(t, "email:sales")
			changes := check(t, svc)
			if len(changes) != 1 || changes[0].From != core.Silent || changes[0].To != core.Healthy {
				t.Fatalf("changes = %+v, want email:sales recovered from silent", changes)
			}
			wantAlert(t, "email:sales", "recovered")
		})
		t.Run("a failure the next attempt mends is no news", func(t *testing.T) {
			f.clock.Advance(time.Minute)
			connErr(t, "email:sales", errors.New("read tcp: i/o timeout"))
			wantQuiet(t, check(t, svc))
			f.clock.Advance(time.Minute)
			connErr(t, "email:sales", nil)
			checkpoint(t, "email:sales")
			wantQuiet(t, check(t, svc))
		})
		t.Run("a second failure of the same connector is told again, once it has lasted alerts.failing_after", func(t *testing.T) {
			f.clock.Advance(time.Minute)
			connErr(t, "email:sales", errors.New("dial tcp: connection refused"))
			wantQuiet(t, check(t, svc))
			f.clock.Advance(core.DefaultFailingAfter)
			if changes := check(t, svc); len(changes) != 1 || changes[0].To != core.Failing {
				t.Fatalf("changes = %+v, want email:sales failing", changes)
			}
			wantAlert(t, "connection refused")
			connErr(t, "email:sales", nil)
			checkpoint(t, "email:sales")
			check(t, svc)
			wantAlert(t, "recovered")
		})
		t.Run("a revoked Telegram token points at telegram.bot_token", func(t *testing.T) {
			connErr(t, "telegram:bot", errors.New("Telegram refused the bot token (401 Unauthorized)"))
			check(t, svc)
			wantAlert(t, "telegram:bot", "telegram.bot_token")
		})
		t.Run("with no admin on a chat the change is kept, not told, and not tried again", func(t *testing.T) {
			f.admin.Active = false
			if err := db.Update(ctx, func(tx core.Tx) error { return tx.UpdateUser(ctx, f.admin) }); err != nil {
				t.Fatal(err)
			}
			connErr(t, "webform:contact", errors.New("disk full"))
			changes := check(t, svc)
			if len(changes) != 1 || changes[0].Notified != 0 {
				t.Fatalf("changes = %+v, want one told to nobody", changes)
			}
			wantQuiet(t, check(t, svc))
		})
	})
}
