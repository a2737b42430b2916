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

func TestRottingDeals(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		now := at(100 * day)
		ago := func(d time.Duration) time.Time { return now.Add(-d) }
		// Qualified rots after 7 days, Proposal after 3, Negotiation never.
		mk := func(stage string, lastActivity time.Time, change func(d *core.Deal)) int64 {
			return f.deal(t, db, func(d *core.Deal) {
				d.StageID, d.LastActivityAt, d.CreatedAt = f.stage(stage).ID, lastActivity, ago(50*day)
				if change != nil {
					change(d)
				}
			}).ID
		}
		task := func(deal int64, due time.Time, change func(t *core.Task)) {
			tk := core.Task{Title: "follow up", DealID: deal, OwnerID: f.rep.ID, DueAt: due, CreatedAt: ago(day)}
			if change != nil {
				change(&tk)
			}
			update(t, db, func(tx core.Tx) error { return tx.CreateTask(ctx, &tk) })
		}
		oneDayPast := mk("Qualified", ago(8*day), nil)
		sevenDaysPast := mk("Proposal", ago(10*day), nil)
		mk("Proposal", ago(2*day), nil)      // fresh
		mk("Negotiation", ago(100*day), nil) // never rots
		twoDaysPastSinceCreation := mk("Qualified", time.Time{}, func(d *core.Deal) { d.CreatedAt = ago(9 * day) })
		followedUp := mk("Proposal", ago(5*day), nil)
		task(followedUp, now.Add(time.Hour), nil)
		doneTask := mk("Proposal", ago(6*day), nil)
		task(doneTask, now.Add(time.Hour), func(t *core.Task) { t.Done, t.DoneAt = true, ago(time.Hour) })
		overdueTask := mk("Proposal", ago(6*day), nil)
		task(overdueTask, ago(day), nil)
		mk("Won", ago(60*day), func(d *core.Deal) { d.Status, d.StageID = core.DealWon, f.stage("Won").ID })
		snoozed := mk("Qualified", ago(20*day), nil)
		task(snoozed, ago(day), func(t *core.Task) { t.SnoozedUntil = now.Add(day) })
		othersDeal := mk("Qualified", ago(30*day), func(d *core.Deal) { d.OwnerID = f.mgr.ID })

		cases := []struct {
			name   string
			filter core.StatsFilter
			limit  int
			want   []int64
		}{
			{"most rotten first, a pending task saves a deal", core.StatsFilter{}, 0,
				[]int64{othersDeal, sevenDaysPast, doneTask, overdueTask, twoDaysPastSinceCreation, oneDayPast}},
			{"limited", core.StatsFilter{}, 2, []int64{othersDeal, sevenDaysPast}},
			{"of one rep", core.StatsFilter{OwnerID: f.rep.ID}, 0,
				[]int64{sevenDaysPast, doneTask, overdueTask, twoDaysPastSinceCreation, oneDayPast}},
			{"of another pipeline", core.StatsFilter{PipelineID: f.pipeline.ID + 1}, 0, []int64{}},
		}
		for _, tc := range cases {
			t.Run("lists rotting deals "+tc.name, func(t *testing.T) {
				got, err := db.RottingDeals(ctx, tc.filter, now, tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, dealIDs(got)); diff != "" {
					t.Errorf("deal ids (-want +got):\n%s", diff)
				}
			})
			t.Run("counts rotting deals "+tc.name, func(t *testing.T) {
				n, err := db.RottingCount(ctx, tc.filter, now, tc.limit)
				if err != nil || n != len(tc.want) {
					t.Errorf("count = %d, %v; want %d", n, err, len(tc.want))
				}
			})
		}
		t.Run("reads on past many followed-up deals", func(t *testing.T) {
			for range 30 {
				id := mk("Qualified", ago(90*day), nil)
				task(id, now.Add(day), nil)
			}
			got, err := db.RottingDeals(ctx, core.StatsFilter{}, now, 1)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]int64{othersDeal}, dealIDs(got)); diff != "" {
				t.Errorf("deal ids (-want +got):\n%s", diff)
			}
		})
	})
}
