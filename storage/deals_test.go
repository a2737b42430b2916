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

func dealIDs(ds []core.Deal) []int64 {
	ids := []int64{}
	for _, d := range ds {
		ids = append(ids, d.ID)
	}
	return ids
}

func TestDealsRoundTrip(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		lead := f.lead(t, db, nil)
		full := f.deal(t, db, func(d *core.Deal) {
			d.Title, d.LeadID = "ระบบ CRM — 50 licencji", lead.ID
			d.StageID = f.stage("Proposal").ID
			d.Value = core.Money{Amount: 1_500_000_000, Currency: "VND"}
			d.ExpectedClose = time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
			d.Probability = 0
			d.Qualification = core.Qualification{Budget: "50k", Authority: "CTO", Need: "CRM", Timeline: "Q1"}
			d.Source = core.ChannelWebform
			d.StageChangedAt, d.LastActivityAt, d.UpdatedAt = at(time.Hour), at(2*time.Hour), at(2*time.Hour)
		})
		bare := f.deal(t, db, func(d *core.Deal) {
			d.Title, d.ContactID, d.OwnerID, d.TeamID, d.PipelineID, d.StageID = "", 0, 0, 0, 0, 0
			d.Value, d.Status = core.Money{}, core.DealOpen
			d.CreatedAt, d.UpdatedAt, d.StageChangedAt = time.Time{}, time.Time{}, time.Time{}
		})
		for _, want := range []core.Deal{full, bare} {
			got, err := db.DealByID(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, *got); diff != "" {
				t.Errorf("deal %s (-want +got):\n%s", want.Ref(), diff)
			}
		}
		if bare.Probability != -1 {
			t.Fatalf("fixture deal should use the stage default")
		}

		t.Run("updates every field", func(t *testing.T) {
			won := full
			won.Status, won.StageID, won.Probability = core.DealWon, f.stage("Won").ID, -1
			won.ClosedAt, won.LostReason, won.Qualification = at(10*day), "", core.Qualification{}
			won.ExpectedClose = time.Time{}
			update(t, db, func(tx core.Tx) error { return tx.UpdateDeal(ctx, &won) })
			got, err := db.DealByID(ctx, full.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(won, *got); diff != "" {
				t.Errorf("deal (-want +got):\n%s", diff)
			}
		})

		t.Run("keeps the stage history in order", func(t *testing.T) {
			q, p, n := f.stage("Qualified").ID, f.stage("Proposal").ID, f.stage("Negotiation").ID
			changes := []core.StageChange{
				{DealID: bare.ID, ToStage: q, At: day0},
				{DealID: bare.ID, FromStage: q, ToStage: p, At: at(day), ByUserID: f.rep.ID},
				{DealID: bare.ID, FromStage: p, ToStage: n, At: at(3 * day), ByUserID: f.mgr.ID},
			}
			update(t, db, func(tx core.Tx) error {
				for i := range changes {
					if err := tx.AddStageChange(ctx, &changes[i]); err != nil {
						return err
					}
				}
				return nil
			})
			got, err := db.StageHistory(ctx, bare.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(changes, got); diff != "" {
				t.Errorf("history (-want +got):\n%s", diff)
			}
			if none, err := db.StageHistory(ctx, full.ID); err != nil || len(none) != 0 {
				t.Errorf("history of a deal without changes: %v, %v", none, err)
			}
		})

		t.Run("says which deal is unknown", func(t *testing.T) {
			_, err := db.DealByID(ctx, 45)
			wantErr(t, err, core.KindNotFound, "deal D45 not found")
			err = db.Update(ctx, func(tx core.Tx) error { return tx.UpdateDeal(ctx, &core.Deal{ID: 45}) })
			wantErr(t, err, core.KindNotFound, "deal D45 not found")
			_, err = db.OpenDealOfContact(ctx, 777)
			wantErr(t, err, core.KindNotFound, "contact 777 has no open deal")
		})
	})
}

func TestListDeals(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		var other core.Team
		var otherContact core.Contact
		update(t, db, func(tx core.Tx) error {
			other = core.Team{Name: "Other"}
			if err := tx.CreateTeam(ctx, &other); err != nil {
				return err
			}
			otherContact = core.Contact{Name: "Other contact"}
			return tx.CreateContact(ctx, &otherContact)
		})
		mk := func(status core.DealStatus, owner, team int64, stage string, contact int64) int64 {
			return f.deal(t, db, func(d *core.Deal) {
				d.Status, d.OwnerID, d.TeamID, d.StageID, d.ContactID = status, owner, team, f.stage(stage).ID, contact
			}).ID
		}
		d1 := mk(core.DealOpen, f.rep.ID, f.team.ID, "Qualified", f.contact.ID)
		d2 := mk(core.DealWon, f.rep.ID, f.team.ID, "Won", f.contact.ID)
		d3 := mk(core.DealOpen, f.mgr.ID, other.ID, "Proposal", otherContact.ID)
		d4 := mk(core.DealLost, f.mgr.ID, f.team.ID, "Lost", f.contact.ID)
		d5 := mk(core.DealOpen, f.rep.ID, f.team.ID, "Proposal", f.contact.ID)

		open := []core.DealStatus{core.DealOpen}
		cases := []struct {
			name   string
			filter core.DealFilter
			want   []int64
		}{
			{"all deals come newest first", core.DealFilter{}, []int64{d5, d4, d3, d2, d1}},
			{"my open deals", core.DealFilter{OwnerID: f.rep.ID, Statuses: open}, []int64{d5, d1}},
			{"closed deals", core.DealFilter{Statuses: []core.DealStatus{core.DealWon, core.DealLost}}, []int64{d4, d2}},
			{"a team's deals", core.DealFilter{TeamID: other.ID}, []int64{d3}},
			{"a team's open deals", core.DealFilter{TeamID: f.team.ID, Statuses: open}, []int64{d5, d1}},
			{"a pipeline's deals", core.DealFilter{PipelineID: f.pipeline.ID, Limit: 3}, []int64{d5, d4, d3}},
			{"a stage's deals", core.DealFilter{StageID: f.stage("Proposal").ID}, []int64{d5, d3}},
			{"a contact's deals", core.DealFilter{ContactID: otherContact.ID}, []int64{d3}},
			{"the next page", core.DealFilter{Limit: 2, AfterID: d4}, []int64{d3, d2}},
			{"nothing past the end", core.DealFilter{AfterID: d1}, []int64{}},
		}
		for _, tc := range cases {
			t.Run("lists "+tc.name, func(t *testing.T) {
				got, err := db.ListDeals(ctx, tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, dealIDs(got)); diff != "" {
					t.Errorf("deal ids (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("finds the newest open deal of a contact", func(t *testing.T) {
			got, err := db.OpenDealOfContact(ctx, f.contact.ID)
			if err != nil || got.ID != d5 {
				t.Errorf("open deal = %v, %v; want D%d", got, err, d5)
			}
		})
	})
}
