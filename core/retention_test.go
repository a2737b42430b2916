package core_test

import (
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

type countedRetention map[string]int64

func (c countedRetention) Removed(what string, n int64) { c[what] += n }

func TestRetentionRemovesWhatIsKeptTooLong(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		old := f.newLead(t, "Warsaw", "stary@firma.pl")
		keep := f.newLead(t, "Warsaw", "nowy@firma.pl")
		won := f.newLead(t, "Warsaw", "deal@firma.pl")
		for _, l := range []int64{old, keep} {
			if _, err := f.svc.Disqualify(f.ctx, f.admin, l, "spam"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.Qualify(f.ctx, f.repW, won, core.QualifyInput{}); err != nil {
			t.Fatal(err)
		}
		err := db.Update(f.ctx, func(tx core.Tx) error {
			return tx.AddFailedInbound(f.ctx, &core.FailedInbound{Connector: "sales@", Error: "bad", Raw: []byte("From: stary@firma.pl"), At: f.clock.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(400 * 24 * time.Hour)
		// The second contact wrote again since, and was disqualified again.
		again := f.capture(t, core.Inbound{Channel: core.ChannelEmail, Source: "sales@", ExternalID: "<again@firma.pl>", Email: "nowy@firma.pl",
			Team: "Warsaw", Subject: "Again"})
		if _, err := f.svc.Disqualify(f.ctx, f.admin, again.LeadID, "spam"); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(400 * 24 * time.Hour)

		settings := core.DefaultSettings()
		settings.Retention = core.Retention{RawMessages: 90 * 24 * time.Hour, DisqualifiedLeads: 2 * 365 * 24 * time.Hour}
		svc := core.NewService(db, f.clock, settings, nil)
		run := func() countedRetention {
			t.Helper()
			counted := countedRetention{}
			if err := svc.RetentionHandler(counted)(f.ctx, core.RetentionJob{}, core.JobInfo{}); err != nil {
				t.Fatal(err)
			}
			return counted
		}
		// 800 days after the first disqualification, 400 after the second.
		if counted := run(); counted["raw messages"] != 1 || counted["contacts"] != 1 {
			t.Fatalf("after 800 days: %v", counted)
		}
		oldLead, _ := db.LeadByID(f.ctx, old)
		if c, _ := db.ContactByID(f.ctx, oldLead.ContactID); c.ErasedAt.IsZero() || len(c.Emails) != 0 {
			t.Fatalf("the old disqualified contact is kept: %+v", c)
		}
		for _, email := range []string{"nowy@firma.pl", "deal@firma.pl"} {
			if _, err := db.ContactByIdentity(f.ctx, core.Identity{Kind: core.IdentityEmail, Value: email}); err != nil {
				t.Errorf("%s was erased too: %v", email, err)
			}
		}
		f.clock.Advance(200 * 24 * time.Hour)
		if counted := run(); len(counted) != 0 {
			t.Fatalf("a run 200 days later removed %v", counted)
		}
		log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Action: "retention."})
		if err != nil || len(log) != 2 || log[0].Actor != "job:retention" || log[0].Contact != oldLead.ContactID {
			t.Fatalf("audit %+v, %v", log, err)
		}
	})
}
