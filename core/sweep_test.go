package core_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// withChannels gives every user of f a Slack id and every team a Slack
// channel, and returns a service over f's store whose notices go to
// Slack and which runs rules.
func withChannels(t *testing.T, f *fixture, rules []core.Rule) *core.Service {
	t.Helper()
	err := f.db.Update(f.ctx, func(tx core.Tx) error {
		users, err := tx.ListUsers(f.ctx, core.UserFilter{})
		if err != nil {
			return err
		}
		for _, u := range users {
			u.SlackID = fmt.Sprintf("U%d", u.ID)
			if err := tx.UpdateUser(f.ctx, &u); err != nil {
				return err
			}
		}
		teams, err := tx.ListTeams(f.ctx)
		if err != nil {
			return err
		}
		for _, tm := range teams {
			tm.SlackChannel = "#" + tm.Name
			if err := tx.UpdateTeam(f.ctx, &tm); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	settings := f.svc.Settings()
	settings.Channels = []string{core.ChannelSlack}
	settings.Rules = rules
	return core.NewService(f.db, f.clock, settings, nil)
}

// jobArgs returns the args of every job of the kind enqueued so far, in
// order, as River holds them.
func jobArgs[T any](t *testing.T, db *storage.DB, kind string) []T {
	t.Helper()
	client, err := river.NewClient(db.RiverDriver(), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := client.JobList(context.Background(), river.NewJobListParams().Kinds(kind).First(10000))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]T, len(res.Jobs))
	for i, j := range res.Jobs {
		if err := json.Unmarshal(j.EncodedArgs, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// notices returns the notices of a kind enqueued so far.
func notices(t *testing.T, db *storage.DB, kind core.NoticeKind) []core.Notice {
	t.Helper()
	var out []core.Notice
	for _, j := range jobArgs[core.NotifyJob](t, db, "notify") {
		if j.Notice.Kind == kind {
			out = append(out, j.Notice)
		}
	}
	return out
}

// rottingDeal makes a claimed lead of repA into a deal in Proposal
// (rotting after 14 days) and returns it.
func rottingDeal(t *testing.T, f *fixture, email string) *core.Deal {
	t.Helper()
	id := f.newLead(t, "Bangkok", email)
	d, err := f.svc.Qualify(f.ctx, f.repA, id, core.QualifyInput{})
	if err != nil {
		t.Fatal(err)
	}
	if d, err = f.svc.Move(f.ctx, f.repA, d.ID, "proposal"); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSweepRotting(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		svc := withChannels(t, f, nil)
		idle := rottingDeal(t, f, "idle@corp.th")
		planned := rottingDeal(t, f, "planned@corp.th")
		if _, err := f.svc.FollowUp(f.ctx, f.repA, core.Ref{Kind: 'D', ID: planned.ID}, "call", f.clock.Now().Add(30*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		sweep := func(t *testing.T) int {
			t.Helper()
			n, err := svc.SweepRotting(f.ctx, f.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		rotting := func() []int64 {
			var ids []int64
			for _, n := range notices(t, db, core.NoticeRotting) {
				ids = append(ids, n.DealID)
			}
			return ids
		}

		t.Run("a fresh deal is not rotting", func(t *testing.T) {
			f.clock.Advance(13 * 24 * time.Hour)
			if n := sweep(t); n != 0 || len(rotting()) != 0 {
				t.Fatalf("noticed %d, notices %v", n, rotting())
			}
		})
		t.Run("past the stage's limit the owner is told once", func(t *testing.T) {
			f.clock.Advance(2 * 24 * time.Hour)
			if n := sweep(t); n != 1 {
				t.Fatalf("noticed %d deals, want 1", n)
			}
			ns := notices(t, db, core.NoticeRotting)
			if len(ns) != 1 || ns[0].DealID != idle.ID || ns[0].UserID != f.repA.ID {
				t.Fatalf("notices = %+v, want one for %s to its owner", ns, idle.Ref())
			}
			want := core.NoticeKey("rotting", idle.Ref(), idle.LastActivityAt.Unix(), 1)
			if ns[0].Key != want {
				t.Errorf("key = %q, want %q", ns[0].Key, want)
			}
		})
		t.Run("a repeat sweep in the same period tells nothing new", func(t *testing.T) {
			f.clock.Advance(24 * time.Hour)
			if n := sweep(t); n != 0 || len(rotting()) != 1 {
				t.Fatalf("noticed %d, notices %v", n, rotting())
			}
		})
		t.Run("the next period reminds again", func(t *testing.T) {
			f.clock.Advance(12 * 24 * time.Hour) // 28 days idle: the second period of 14
			if n := sweep(t); n != 1 {
				t.Fatalf("noticed %d, want 1", n)
			}
			if got := rotting(); !slices.Equal(got, []int64{idle.ID, idle.ID}) {
				t.Fatalf("notices for %v", got)
			}
			sweep(t)
			if got := rotting(); len(got) != 2 {
				t.Fatalf("a repeat sweep told again: %v", got)
			}
		})
		t.Run("a deal whose planned task fell due rots like any other", func(t *testing.T) {
			f.clock.Advance(2 * 24 * time.Hour) // the task is due on day 30: now
			if n := sweep(t); n != 1 {
				t.Fatalf("noticed %d, want 1 (the overdue follow-up)", n)
			}
			if got := rotting(); got[len(got)-1] != planned.ID {
				t.Fatalf("notices for %v", got)
			}
		})
		t.Run("an activity stops the reminders until the deal rots again", func(t *testing.T) {
			if _, err := f.svc.Note(f.ctx, f.repA, core.Ref{Kind: 'D', ID: idle.ID}, "called, they are thinking"); err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(10 * 24 * time.Hour)
			if n := sweep(t); n != 0 {
				t.Fatalf("noticed %d after a fresh activity", n)
			}
			f.clock.Advance(5 * 24 * time.Hour)
			if n := sweep(t); n != 2 {
				t.Fatalf("noticed %d, want 2 (idle rots again, planned's next period)", n)
			}
		})
	})
}

func TestSweepRottingPagesThroughManyDeals(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		svc := withChannels(t, f, nil)
		p, err := db.DefaultPipeline(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		lead := f.newLead(t, "Bangkok", "many@corp.th")
		// More deals than a sweep page, a third of them without an owner;
		// created straight in the store, as an import would.
		const n = 1200
		err = db.Update(f.ctx, func(tx core.Tx) error {
			for i := range n {
				d := core.Deal{Title: "bulk", LeadID: lead, TeamID: f.repA.TeamID, OwnerID: f.repA.ID, PipelineID: p.ID,
					StageID: p.Stages[0].ID, Status: core.DealOpen, Probability: -1, Value: core.Money{Currency: "EUR"},
					CreatedAt: f.clock.Now(), UpdatedAt: f.clock.Now(), StageChangedAt: f.clock.Now(), LastActivityAt: f.clock.Now()}
				if i%3 == 0 {
					d.OwnerID = 0
				}
				if err := tx.CreateDeal(f.ctx, &d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(8 * 24 * time.Hour)
		if _, err := svc.SweepRotting(f.ctx, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if got := len(notices(t, db, core.NoticeRotting)); got != n*2/3 {
			t.Fatalf("%d rotting notices, want %d: one for each owned deal", got, n*2/3)
		}
		if noticed, err := svc.SweepRotting(f.ctx, f.clock.Now()); err != nil || noticed != 0 {
			t.Fatalf("a second sweep noticed %d, %v", noticed, err)
		}
	})
}

func TestSweepUnclaimed(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		svc := withChannels(t, f, nil)
		waiting := f.newLead(t, "Bangkok", "waiting@corp.th") // limit 15m
		claimed := f.newLead(t, "Bangkok", "claimed@corp.th")
		warsaw := f.newLead(t, "Warsaw", "czeka@firma.pl") // limit 30m, no manager
		sweep := func(t *testing.T) {
			t.Helper()
			if _, err := svc.SweepUnclaimed(f.ctx, f.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		leads := func(kind core.NoticeKind) []int64 {
			var ids []int64
			for _, n := range notices(t, db, kind) {
				ids = append(ids, n.LeadID)
			}
			return ids
		}
		bangkok, _ := db.TeamByName(f.ctx, "Bangkok")

		t.Run("within the limit nobody is pinged", func(t *testing.T) {
			f.clock.Advance(10 * time.Minute)
			if _, err := f.svc.Claim(f.ctx, f.repA, claimed); err != nil {
				t.Fatal(err)
			}
			sweep(t)
			if got := leads(core.NoticeUnclaimed); len(got) != 0 {
				t.Fatalf("pinged about %v", got)
			}
		})
		t.Run("past the limit the team is pinged once", func(t *testing.T) {
			f.clock.Advance(6 * time.Minute)
			sweep(t)
			sweep(t)
			ns := notices(t, db, core.NoticeUnclaimed)
			if len(ns) != 1 || ns[0].LeadID != waiting || ns[0].TeamID != bangkok.ID || ns[0].UserID != 0 {
				t.Fatalf("notices = %+v, want one to the Bangkok team about L%d", ns, waiting)
			}
			if got := leads(core.NoticeUnclaimedManager); len(got) != 0 {
				t.Fatalf("the manager was told early about %v", got)
			}
		})
		t.Run("at twice the limit the manager is told once", func(t *testing.T) {
			f.clock.Advance(15 * time.Minute)
			sweep(t)
			sweep(t)
			ns := notices(t, db, core.NoticeUnclaimedManager)
			if len(ns) != 1 || ns[0].LeadID != waiting || ns[0].UserID != f.mgr.ID {
				t.Fatalf("manager notices = %+v", ns)
			}
			if got := leads(core.NoticeUnclaimed); !slices.Equal(got, []int64{waiting, warsaw}) {
				t.Fatalf("team notices about %v, want L%d then Warsaw's L%d (past its 30m)", got, waiting, warsaw)
			}
		})
		t.Run("a team without a manager is only pinged", func(t *testing.T) {
			f.clock.Advance(time.Hour)
			sweep(t)
			if got := leads(core.NoticeUnclaimedManager); len(got) != 1 {
				t.Fatalf("manager notices about %v", got)
			}
			if got := leads(core.NoticeUnclaimed); len(got) != 2 {
				t.Fatalf("team notices about %v", got)
			}
		})
		t.Run("a lead past the horizon is left to the digest", func(t *testing.T) {
			old := f.newLead(t, "Bangkok", "old@corp.th")
			f.clock.Advance(8 * 24 * time.Hour)
			sweep(t)
			if got := leads(core.NoticeUnclaimed); slices.Contains(got, old) {
				t.Fatalf("pinged about a lead 8 days old: %v", got)
			}
		})
	})
}

func TestSpeedToLead(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		claimed := f.newLead(t, "Bangkok", "claim@corp.th")
		noted := f.newLead(t, "Bangkok", "note@corp.th")
		assigned := f.newLead(t, "Bangkok", "assign@corp.th")
		f.clock.Advance(4 * time.Minute)
		if _, err := f.svc.Claim(f.ctx, f.repA, claimed); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Assign(f.ctx, f.mgr, assigned, f.repB.ID); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(4 * time.Minute)
		if _, err := f.svc.Note(f.ctx, f.repB, core.Ref{Kind: 'L', ID: noted}, "replied by phone"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			id   int64
			want time.Duration
		}{{"a claim is a response", claimed, 4 * time.Minute}, {"a reply is a response", noted, 8 * time.Minute}, {"an assignment is not", assigned, -1}} {
			t.Run(c.name, func(t *testing.T) {
				l, err := db.LeadByID(f.ctx, c.id)
				if err != nil {
					t.Fatal(err)
				}
				got := time.Duration(-1)
				if !l.FirstResponseAt.IsZero() {
					got = l.FirstResponseAt.Sub(l.CreatedAt)
				}
				if got != c.want {
					t.Fatalf("speed to lead = %v, want %v", got, c.want)
				}
			})
		}
		t.Run("metrics show the median", func(t *testing.T) {
			m, err := f.svc.Reports.Metrics(f.ctx, f.admin, core.StatsFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if m.MedianSpeedToLead != 6*time.Minute {
				t.Fatalf("median speed to lead = %v, want 6m (of 4m and 8m)", m.MedianSpeedToLead)
			}
		})
	})
}
