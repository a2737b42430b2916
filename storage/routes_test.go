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

func TestRoutes(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		lead := f.lead(t, db, nil)
		deal := f.deal(t, db, func(d *core.Deal) { d.LeadID = lead.ID })
		other := f.lead(t, db, nil)
		routes := []core.Route{
			{LeadID: lead.ID, How: core.RouteTeam, TeamID: f.team.ID, Region: "TH", At: day0},
			{LeadID: other.ID, How: core.RouteFirstTeam, TeamID: f.team.ID, At: day0},
			{LeadID: lead.ID, How: core.RouteRoundRobin, TeamID: f.team.ID, Rule: "spread Bangkok's leads", ToID: f.rep.ID, At: at(time.Minute)},
			{DealID: deal.ID, How: core.RouteAssigned, TeamID: f.team.ID, ToID: f.mgr.ID, FromID: f.rep.ID, ByID: f.mgr.ID, At: at(time.Hour)},
		}
		update(t, db, func(tx core.Tx) error {
			for i := range routes {
				if err := tx.AddRoute(ctx, &routes[i]); err != nil {
					return err
				}
			}
			return nil
		})
		t.Run("lists a lead's and its deal's steps, oldest first", func(t *testing.T) {
			got, err := db.ListRoutes(ctx, lead.ID, deal.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := []core.Route{routes[0], routes[2], routes[3]}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("routes (-want +got):\n%s", diff)
			}
		})
		t.Run("lists a lead's alone", func(t *testing.T) {
			got, err := db.ListRoutes(ctx, other.ID, 0)
			if err != nil || len(got) != 1 || got[0].How != core.RouteFirstTeam {
				t.Fatalf("routes %+v, %v", got, err)
			}
		})
	})
}

func TestTimelinePages(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		deal := f.deal(t, db, nil)
		// Five entries, two of them at the same time: a page ends between
		// them and the next one starts with the other.
		times := []time.Duration{0, time.Hour, time.Hour, 2 * time.Hour, 3 * time.Hour}
		update(t, db, func(tx core.Tx) error {
			for _, d := range times {
				if err := tx.AddActivity(ctx, &core.Activity{Kind: core.ActivityNote, ContactID: f.contact.ID, DealID: deal.ID, Body: "n", At: at(d)}); err != nil {
					return err
				}
			}
			return nil
		})
		all, err := db.ListActivities(ctx, core.ActivityFilter{DealID: deal.ID})
		if err != nil || len(all) != 5 {
			t.Fatalf("all %d, %v", len(all), err)
		}
		var got []int64
		var before *core.Activity
		for range 5 {
			page, err := db.ListActivities(ctx, core.ActivityFilter{DealID: deal.ID, Limit: 2, Before: before})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, a := range page {
				got = append(got, a.ID)
			}
			before = &page[len(page)-1]
		}
		var want []int64
		for _, a := range all {
			want = append(want, a.ID)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("pages of 2 (-all +pages):\n%s", diff)
		}
	})
}

func TestTeamVisibilityIsStored(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		got, err := db.TeamByID(ctx, f.team.ID)
		if err != nil || got.Visibility != core.VisibilityOwn {
			t.Fatalf("a team made without one reads %q, %v; want own", got.Visibility, err)
		}
		got.Visibility = core.VisibilityTeam
		update(t, db, func(tx core.Tx) error { return tx.UpdateTeam(ctx, got) })
		if again, err := db.TeamByID(ctx, f.team.ID); err != nil || again.Visibility != core.VisibilityTeam {
			t.Fatalf("visibility %q, %v; want team", again.Visibility, err)
		}
	})
}
