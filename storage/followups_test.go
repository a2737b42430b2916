package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestUnclaimedDue(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		now := at(10 * day)
		var other core.Team
		update(t, db, func(tx core.Tx) error {
			other = core.Team{Name: "Warsaw"}
			return tx.CreateTeam(ctx, &other)
		})
		mk := func(created time.Time, change func(l *core.Lead)) int64 {
			return f.lead(t, db, func(l *core.Lead) {
				l.CreatedAt = created
				if change != nil {
					change(l)
				}
			}).ID
		}
		mk(now.Add(-5*time.Minute), nil) // within the limit
		waiting := mk(now.Add(-20*time.Minute), nil)
		long := mk(now.Add(-40*time.Minute), nil)
		mk(now.Add(-40*time.Minute), func(l *core.Lead) { l.OwnerID, l.Status = f.rep.ID, core.LeadClaimed })
		mk(now.Add(-40*time.Minute), func(l *core.Lead) { l.TeamID = other.ID })
		mk(now.Add(-40*time.Minute), func(l *core.Lead) { l.Status = core.LeadDisqualified })
		mk(now.Add(-9*day), nil) // before the horizon
		since, first, second := now.Add(-7*day), now.Add(-15*time.Minute), now.Add(-30*time.Minute)
		due := func(t *testing.T, after int64, limit int) []core.UnclaimedDue {
			t.Helper()
			got, err := db.UnclaimedDue(ctx, f.team.ID, since, first, second, after, limit)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		ids := func(ds []core.UnclaimedDue) []int64 {
			out := []int64{}
			for _, d := range ds {
				out = append(out, d.LeadID)
			}
			return out
		}
		t.Run("new unowned leads of the team past the limit, by id", func(t *testing.T) {
			got := due(t, 0, 0)
			if diff := cmp.Diff([]int64{waiting, long}, ids(got)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
			if !got[0].CreatedAt.Equal(now.Add(-20*time.Minute)) || got[0].Noticed != 0 {
				t.Errorf("first = %+v", got[0])
			}
			if diff := cmp.Diff([]int64{long}, ids(due(t, waiting, 0))); diff != "" {
				t.Errorf("after %d (-want +got):\n%s", waiting, diff)
			}
		})
		t.Run("a lead told once waits for twice the limit; told twice, it is done", func(t *testing.T) {
			update(t, db, func(tx core.Tx) error {
				if err := tx.MarkUnclaimedNotice(ctx, waiting, 1); err != nil {
					return err
				}
				return tx.MarkUnclaimedNotice(ctx, long, 1)
			})
			got := due(t, 0, 0)
			if diff := cmp.Diff([]int64{long}, ids(got)); diff != "" || got[0].Noticed != 1 {
				t.Fatalf("%+v (-want +got):\n%s", got, diff)
			}
			update(t, db, func(tx core.Tx) error { return tx.MarkUnclaimedNotice(ctx, long, 2) })
			if got := due(t, 0, 0); len(got) != 0 {
				t.Fatalf("still due: %+v", got)
			}
		})
	})
}

func TestRottingDue(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		now := at(100 * day)
		// Qualified rots after 7 days, Proposal after 3, Negotiation never.
		mk := func(stage string, idle time.Duration, change func(d *core.Deal)) int64 {
			return f.deal(t, db, func(d *core.Deal) {
				d.StageID, d.LastActivityAt, d.CreatedAt = f.stage(stage).ID, now.Add(-idle), now.Add(-50*day)
				if change != nil {
					change(d)
				}
			}).ID
		}
		a := mk("Qualified", 8*day, nil)
		b := mk("Proposal", 4*day, func(d *core.Deal) { d.OwnerID = 0 })
		mk("Proposal", 2*day, nil)     // fresh
		mk("Negotiation", 90*day, nil) // never rots
		planned := mk("Qualified", 30*day, nil)
		update(t, db, func(tx core.Tx) error {
			return tx.CreateTask(ctx, &core.Task{Title: "call", DealID: planned, OwnerID: f.rep.ID, DueAt: now.Add(day), CreatedAt: now})
		})
		c := mk("Qualified", 20*day, nil)
		due := func(t *testing.T, after int64, limit int) ([]int64, int64) {
			t.Helper()
			got, next, err := db.RottingDue(ctx, now, after, limit)
			if err != nil {
				t.Fatal(err)
			}
			ids := []int64{}
			for _, d := range got {
				ids = append(ids, d.DealID)
			}
			return ids, next
		}
		t.Run("rotting deals without a next step, by id, owned or not", func(t *testing.T) {
			got, next := due(t, 0, 0)
			if diff := cmp.Diff([]int64{a, b, c}, got); diff != "" || next != 0 {
				t.Fatalf("next %d (-want +got):\n%s", next, diff)
			}
			rows, _, _ := db.RottingDue(ctx, now, 0, 1)
			if rows[0].OwnerID != f.rep.ID || rows[0].RotDays != 7 || !rows[0].Since.Equal(now.Add(-8*day)) {
				t.Errorf("first = %+v", rows[0])
			}
		})
		t.Run("pages go on after the last deal read, followed-up ones included", func(t *testing.T) {
			got, next := due(t, 0, 2)
			if diff := cmp.Diff([]int64{a, b}, got); diff != "" || next != b {
				t.Fatalf("next %d (-want +got):\n%s", next, diff)
			}
			got, next = due(t, b, 2) // reads planned (followed up) and c
			if diff := cmp.Diff([]int64{c}, got); diff != "" || next != c {
				t.Fatalf("next %d (-want +got):\n%s", next, diff)
			}
		})
		t.Run("a noticed deal is due again when its period ends or it had activity since", func(t *testing.T) {
			update(t, db, func(tx core.Tx) error {
				if err := tx.MarkRotNotice(ctx, a, now.Add(-8*day), now.Add(6*day)); err != nil {
					return err
				}
				if err := tx.MarkRotNotice(ctx, b, now.Add(-4*day), now); err != nil { // its period ends now
					return err
				}
				return tx.MarkRotNotice(ctx, c, now.Add(-30*day), now.Add(day)) // an older activity
			})
			got, _ := due(t, 0, 0)
			if diff := cmp.Diff([]int64{b, c}, got); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	})
}
