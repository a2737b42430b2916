package core_test

import (
	"fmt"
	"sync"
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestConcurrentCapturesShareCommitsAndFailAlone(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		const n = 120
		type outcome struct {
			res core.CaptureResult
			err error
		}
		out := make([]outcome, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				in := core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: fmt.Sprintf("post-%d", i%100),
					Email: fmt.Sprintf("buyer%d@corp.example", i%100), Name: "Đặng Thu Thảo"}
				if i%10 == 3 {
					in.ExternalID, in.Email = fmt.Sprintf("bad-%d", i), "not an address"
				}
				out[i].res, out[i].err = f.svc.Capture(f.ctx, in)
			})
		}
		wg.Wait()
		newLeads, dups := 0, 0
		for i, o := range out {
			switch {
			case i%10 == 3:
				if core.KindOf(o.err) != core.KindInvalid {
					t.Errorf("bad inbound %d: err = %v, want invalid", i, o.err)
				}
			case o.err != nil:
				t.Errorf("inbound %d: %v", i, o.err)
			case o.res.Duplicate:
				dups++
			case o.res.NewLead:
				newLeads++
			}
		}
		// Posts 0..99 are distinct and one in ten is bad: 90 leads.
		// Posts 100..119 redeliver 0..19 but for the bad ones: 18
		// duplicates.
		leads, err := db.ListLeads(f.ctx, core.LeadFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(leads) != newLeads || newLeads != 90 || dups != 18 {
			t.Fatalf("%d leads stored, %d reported new, %d duplicates; want 90 new and 18 duplicates", len(leads), newLeads, dups)
		}
	})
}

func TestACheckpointDoesNotMovePastAFailedInbound(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		cp := func(uid int) *core.Checkpoint {
			return &core.Checkpoint{Connector: "email:sales", Key: "INBOX", Value: fmt.Sprintf("7:%d", uid)}
		}
		ins := []core.Inbound{
			{Channel: core.ChannelEmail, Source: "sales", ExternalID: "<1@x>", Email: "a@corp.example", Checkpoint: cp(1)},
			{Channel: core.ChannelEmail, Source: "sales", ExternalID: "<2@x>", Email: "broken", Checkpoint: cp(2)},
			{Channel: core.ChannelEmail, Source: "sales", ExternalID: "<3@x>", Email: "c@corp.example", Checkpoint: cp(3)},
		}
		_, errs := f.svc.CaptureBatch(f.ctx, ins)
		if errs[0] != nil || errs[1] == nil || errs[2] != nil {
			t.Fatalf("errs = %v", errs)
		}
		got, err := db.LoadCheckpoint(f.ctx, "email:sales", "INBOX")
		if err != nil || got != "7:1" {
			t.Fatalf("checkpoint = %q, %v; want 7:1, just before the failed inbound", got, err)
		}
	})
}
