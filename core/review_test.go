package core_test

import (
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestReview(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := f.ctx
		mine := f.newLead(t, "Bangkok", "mine@corp.example")
		d, err := f.svc.Qualify(ctx, f.repA, mine, core.QualifyInput{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.FollowUp(ctx, f.repA, core.Ref{Kind: 'D', ID: d.ID}, "call", f.clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		// On the lead, so it does not keep the deal from rotting.
		snoozed, err := f.svc.FollowUp(ctx, f.repA, core.Ref{Kind: 'L', ID: mine}, "later", f.clock.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		other := f.newLead(t, "Bangkok", "other@corp.example")
		if _, err := f.svc.Qualify(ctx, f.repB, other, core.QualifyInput{}); err != nil {
			t.Fatal(err)
		}
		unclaimed := f.newLead(t, "Bangkok", "waiting@corp.example")
		f.newLead(t, "Warsaw", "warsaw@firma.example")

		f.clock.Advance(8 * 24 * time.Hour) // Prospecting rots after 7 days
		if _, err := f.svc.SnoozeTask(ctx, f.repA, snoozed.ID, f.clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		t.Run("a rep sees own rotting deals and overdue tasks, and the team's unclaimed leads", func(t *testing.T) {
			r, err := f.svc.Reports.Review(ctx, f.repA, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Rotting) != 1 || r.Rotting[0].ID != d.ID || len(r.Overdue) != 1 || r.Overdue[0].Title != "call" ||
				len(r.Unclaimed) != 1 || r.Unclaimed[0].ID != unclaimed || r.MoreRotting || r.MoreOverdue || r.MoreUnclaimed {
				t.Fatalf("review = %+v", r)
			}
		})
		t.Run("the manager sees the team's", func(t *testing.T) {
			r, err := f.svc.Reports.Review(ctx, f.mgr, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Rotting) != 1 || !r.MoreRotting || len(r.Overdue) != 1 || len(r.Unclaimed) != 1 {
				t.Fatalf("review = %+v", r)
			}
		})
		t.Run("another team's rep sees only that team's lead", func(t *testing.T) {
			r, err := f.svc.Reports.Review(ctx, f.repW, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Rotting)+len(r.Overdue) != 0 || len(r.Unclaimed) != 1 || r.Unclaimed[0].TeamID != f.repW.TeamID {
				t.Fatalf("review = %+v", r)
			}
		})
		t.Run("someone without a team has no team leads", func(t *testing.T) {
			loner := *f.repA
			loner.TeamID = 0
			r, err := f.svc.Reports.Review(ctx, &loner, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Unclaimed) != 0 {
				t.Fatalf("review = %+v", r)
			}
		})
	})
}

func TestPipelineSummary(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := f.ctx
		qualify := func(rep *core.User, email string, value core.Money, stage string) {
			t.Helper()
			d, err := f.svc.Qualify(ctx, rep, f.newLead(t, "Bangkok", email), core.QualifyInput{Value: value})
			if err != nil {
				t.Fatal(err)
			}
			if stage != "" {
				if _, err := f.svc.Move(ctx, rep, d.ID, stage); err != nil {
					t.Fatal(err)
				}
			}
		}
		qualify(f.repA, "a@corp.example", core.Money{Amount: 1000000, Currency: "EUR"}, "")
		qualify(f.repA, "b@corp.example", core.Money{Amount: 40000000, Currency: "THB"}, "proposal")
		qualify(f.repB, "c@corp.example", core.Money{Amount: 500000, Currency: "EUR"}, "proposal")

		stage := func(s *core.PipelineSummary, name string) core.PipelineStage {
			for _, st := range s.Stages {
				if st.Stage == name {
					return st
				}
			}
			t.Fatalf("no stage %s in %+v", name, s.Stages)
			return core.PipelineStage{}
		}
		t.Run("a rep's own deals by stage in the reporting currency", func(t *testing.T) {
			s, err := f.svc.Reports.PipelineSummary(ctx, f.repA, false)
			if err != nil {
				t.Fatal(err)
			}
			// 400,000 THB at 0.025 = 10,000 EUR, in Proposal at 60%;
			// 10,000 EUR in Prospecting at 10%.
			if s.Deals != 2 || s.Value != (core.Money{Amount: 2000000, Currency: "EUR"}) || s.Weighted != (core.Money{Amount: 700000, Currency: "EUR"}) {
				t.Fatalf("summary = %+v", s)
			}
			if p := stage(s, "Proposal"); p.Deals != 1 || p.Value.Amount != 1000000 || p.Probability != 60 {
				t.Fatalf("Proposal = %+v", p)
			}
			if len(s.Stages) != 5 || s.Stages[0].Stage != "Prospecting" {
				t.Fatalf("stages = %+v", s.Stages)
			}
		})
		t.Run("the manager's team", func(t *testing.T) {
			s, err := f.svc.Reports.PipelineSummary(ctx, f.mgr, true)
			if err != nil {
				t.Fatal(err)
			}
			if s.Deals != 3 || stage(s, "Proposal").Deals != 2 {
				t.Fatalf("summary = %+v", s)
			}
		})
		t.Run("a rep has no team view", func(t *testing.T) {
			_, err := f.svc.Reports.PipelineSummary(ctx, f.repA, true)
			wantKind(t, err, core.KindForbidden, "for its manager")
		})
	})
}
