package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestDigestQueries(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		from, to := at(-day), day0 // the day before day0
		inDay, before := at(-12*time.Hour), at(-36*time.Hour)
		var other core.Team
		update(t, db, func(tx core.Tx) error {
			other = core.Team{Name: "Warsaw"}
			return tx.CreateTeam(ctx, &other)
		})
		move := func(d core.Deal, stage string, when time.Time) {
			update(t, db, func(tx core.Tx) error {
				return tx.AddStageChange(ctx, &core.StageChange{DealID: d.ID, FromStage: d.StageID, ToStage: f.stage(stage).ID, At: when})
			})
		}
		created := func(d core.Deal, when time.Time) {
			update(t, db, func(tx core.Tx) error {
				return tx.AddStageChange(ctx, &core.StageChange{DealID: d.ID, ToStage: d.StageID, At: when})
			})
		}
		a := f.deal(t, db, nil)
		created(a, inDay) // a creation, not a move
		move(a, "Proposal", inDay)
		b := f.deal(t, db, nil)
		move(b, "Proposal", inDay.Add(time.Hour))
		move(b, "Negotiation", before) // the day before
		theirs := f.deal(t, db, func(d *core.Deal) { d.TeamID = other.ID })
		move(theirs, "Proposal", inDay)
		lost := func(reason string, when time.Time, team int64) {
			f.deal(t, db, func(d *core.Deal) {
				d.Status, d.StageID, d.LostReason, d.ClosedAt, d.TeamID = core.DealLost, f.stage("Lost").ID, reason, when, team
			})
		}
		lost("No budget", inDay, f.team.ID)
		lost("No budget", inDay.Add(time.Minute), f.team.ID)
		lost("Price too high", inDay, f.team.ID)
		lost("Price too high", before, f.team.ID)
		lost("Price too high", inDay, other.ID)
		f.deal(t, db, func(d *core.Deal) {
			d.Status, d.StageID, d.ClosedAt, d.Value = core.DealWon, f.stage("Won").ID, inDay, core.Money{Amount: 700000, Currency: "EUR"}
		})
		f.deal(t, db, func(d *core.Deal) {
			d.Status, d.StageID, d.ClosedAt = core.DealWon, f.stage("Won").ID, before
		})
		task := func(owner int64, due time.Time, change func(*core.Task)) {
			tk := core.Task{Title: "call", OwnerID: owner, DueAt: due, CreatedAt: before}
			if change != nil {
				change(&tk)
			}
			update(t, db, func(tx core.Tx) error { return tx.CreateTask(ctx, &tk) })
		}
		task(f.rep.ID, before, nil)
		task(f.rep.ID, inDay, nil)
		task(f.rep.ID, at(time.Hour), nil)                                            // not due yet
		task(f.rep.ID, before, func(t *core.Task) { t.Done, t.DoneAt = true, inDay }) // done
		task(f.rep.ID, before, func(t *core.Task) { t.SnoozedUntil = at(time.Hour) }) // snoozed past now
		task(f.mgr.ID, inDay, func(t *core.Task) { t.SnoozedUntil = at(-time.Hour) }) // snooze over

		team := core.StatsFilter{TeamID: f.team.ID}
		t.Run("counts moves between stages within the window by stage entered", func(t *testing.T) {
			got, err := db.StageMoves(ctx, team, from, to)
			if err != nil {
				t.Fatal(err)
			}
			want := []core.StageMoveCount{{StageID: f.stage("Proposal").ID, Moves: 2}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("moves (-want +got):\n%s", diff)
			}
		})
		t.Run("keeps Stats deal sums to the closing window", func(t *testing.T) {
			got, err := db.Stats(ctx, core.StatsFilter{TeamID: f.team.ID, ClosedFrom: from, ClosedTo: to, Parts: core.StatsDeals})
			if err != nil {
				t.Fatal(err)
			}
			want := []core.DealSum{
				{Status: core.DealLost, Currency: "EUR", Count: 3, Value: 300000},
				{Status: core.DealWon, Currency: "EUR", Count: 1, Value: 700000},
			}
			if diff := cmp.Diff(want, got.Deals, cmpopts.IgnoreFields(core.DealSum{}, "CycleDays")); diff != "" {
				t.Errorf("deal sums (-want +got):\n%s", diff)
			}
		})
		t.Run("counts overdue tasks by owner and their effective due time, done and snoozed ones aside", func(t *testing.T) {
			got, err := db.OverdueTasks(ctx, team, day0)
			if err != nil {
				t.Fatal(err)
			}
			want := []core.OwnerTaskCount{{OwnerID: f.rep.ID, Tasks: 2, Oldest: before.Truncate(time.Microsecond)},
				{OwnerID: f.mgr.ID, Tasks: 1, Oldest: at(-time.Hour).Truncate(time.Microsecond)}} // overdue since its snooze ended
			if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
				t.Errorf("overdue (-want +got):\n%s", diff)
			}
		})
		t.Run("claims a setting once", func(t *testing.T) {
			var first, second bool
			update(t, db, func(tx core.Tx) (err error) {
				first, err = tx.ClaimSetting(ctx, "digest:1:2026-11-02", "a")
				return err
			})
			update(t, db, func(tx core.Tx) (err error) {
				second, err = tx.ClaimSetting(ctx, "digest:1:2026-11-02", "b")
				return err
			})
			v, err := db.Setting(ctx, "digest:1:2026-11-02")
			if err != nil {
				t.Fatal(err)
			}
			if !first || second || v != "a" {
				t.Errorf("claims %v, %v and value %q; want true, false and the first value", first, second, v)
			}
		})
	})
}
