package core_test

import (
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// An actor without an id (no user, e.g. an adapter that found nobody) owns
// nothing: "your own" is never everyone's, in any list or sum.
func TestAnActorWithoutAnIDReachesNothing(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		id := f.newLead(t, "Bangkok", "x@corp.th")
		f.newLead(t, "Warsaw", "y@firma.pl")
		if _, err := f.svc.Qualify(f.ctx, f.repA, id, core.QualifyInput{}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddTask(f.ctx, f.repA, "call back", f.clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		for _, who := range []struct {
			name  string
			actor *core.User
		}{
			{"nobody", &core.User{}},
			{"a rep without an id", &core.User{Role: core.RoleRep, Active: true}},
			{"a manager without an id or a team", &core.User{Role: core.RoleManager, Active: true}},
		} {
			t.Run(who.name+" lists no leads, deals or tasks and sums nothing", func(t *testing.T) {
				if leads, err := f.svc.Leads(f.ctx, who.actor, core.LeadFilter{}); err != nil || len(leads) != 0 {
					t.Errorf("leads = %d, %v", len(leads), err)
				}
				if deals, err := f.svc.Deals(f.ctx, who.actor, core.DealFilter{}); err != nil || len(deals) != 0 {
					t.Errorf("deals = %d, %v", len(deals), err)
				}
				if tasks, err := f.svc.Tasks(f.ctx, who.actor, core.TaskFilter{}); err != nil || len(tasks) != 0 {
					t.Errorf("tasks = %d, %v", len(tasks), err)
				}
				if hits, err := f.svc.Search(f.ctx, who.actor, "Prospect", 10); err != nil || len(hits) != 0 {
					t.Errorf("search hits = %d, %v", len(hits), err)
				}
				if m, err := f.svc.Reports.Metrics(f.ctx, who.actor, core.StatsFilter{}); err != nil || m.Open != 0 {
					t.Errorf("open deals counted = %+v, %v", m, err)
				}
				if p, err := f.svc.Reports.PipelineSummary(f.ctx, who.actor, false); err != nil || p.Deals != 0 {
					t.Errorf("pipeline = %+v, %v", p, err)
				}
			})
		}
	})
}
