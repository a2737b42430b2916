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

func leadIDs(ls []core.Lead) []int64 {
	ids := []int64{}
	for _, l := range ls {
		ids = append(ids, l.ID)
	}
	return ids
}

func TestLeadsRoundTrip(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		full := f.lead(t, db, func(l *core.Lead) {
			l.OwnerID, l.Status = f.rep.ID, core.LeadClaimed
			l.SourceChannel, l.SourceName = core.ChannelWebform, "pricing-form"
			l.Subject, l.Message = "ขอใบเสนอราคา", "Potrzebuję wyceny 😀 — 需要报价 — قیمت"
			l.Score = 35
			l.ScoreHits = []core.ScoreHit{
				{Rule: "web form", Points: 10, Detail: "webform", At: day0},
				{Rule: "buying words", Points: 25, Detail: "quote", At: at(time.Hour)},
			}
			l.DisqualifyReason = "none yet"
			l.Metadata = map[string]string{"utm_source": "google", "utm_campaign": "โปรโมชั่น"}
			l.ClaimedAt, l.FirstResponseAt, l.LastActivityAt = at(time.Minute), at(3*time.Minute), at(time.Hour)
			l.UpdatedAt = at(time.Hour)
		})
		bare := f.lead(t, db, func(l *core.Lead) {
			l.ContactID, l.TeamID, l.CreatedAt, l.UpdatedAt = 0, 0, time.Time{}, time.Time{}
		})
		for _, want := range []core.Lead{full, bare} {
			got, err := db.LeadByID(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, *got); diff != "" {
				t.Errorf("lead %s (-want +got):\n%s", want.Ref(), diff)
			}
		}

		t.Run("updates every field", func(t *testing.T) {
			d := f.deal(t, db, nil)
			changed := full
			changed.Status, changed.DealID, changed.OwnerID = core.LeadQualified, d.ID, 0
			changed.ScoreHits, changed.Metadata = nil, nil
			changed.ClaimedAt = time.Time{}
			update(t, db, func(tx core.Tx) error { return tx.UpdateLead(ctx, &changed) })
			got, err := db.LeadByID(ctx, full.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(changed, *got); diff != "" {
				t.Errorf("lead (-want +got):\n%s", diff)
			}
		})

		t.Run("says which lead is unknown", func(t *testing.T) {
			_, err := db.LeadByID(ctx, 123)
			wantErr(t, err, core.KindNotFound, "lead L123 not found")
			err = db.Update(ctx, func(tx core.Tx) error { return tx.UpdateLead(ctx, &core.Lead{ID: 123}) })
			wantErr(t, err, core.KindNotFound, "lead L123 not found")
			_, err = db.OpenLeadOfContact(ctx, 777)
			wantErr(t, err, core.KindNotFound, "contact 777 has no open lead")
		})
	})
}

func TestListLeads(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		var other core.Contact
		update(t, db, func(tx core.Tx) error {
			other = core.Contact{Name: "Other"}
			return tx.CreateContact(ctx, &other)
		})
		mk := func(status core.LeadStatus, owner int64, source string, score int, contact int64) int64 {
			return f.lead(t, db, func(l *core.Lead) {
				l.Status, l.OwnerID, l.SourceChannel, l.Score, l.ContactID = status, owner, source, score, contact
			}).ID
		}
		l1 := mk(core.LeadNew, 0, core.ChannelEmail, 10, f.contact.ID)
		l2 := mk(core.LeadClaimed, f.rep.ID, core.ChannelWebform, 50, f.contact.ID)
		l3 := mk(core.LeadQualified, f.rep.ID, core.ChannelEmail, 30, other.ID)
		l4 := mk(core.LeadNew, 0, core.ChannelTelegram, 50, other.ID)
		l5 := mk(core.LeadDisqualified, f.mgr.ID, core.ChannelEmail, 0, f.contact.ID)

		cases := []struct {
			name   string
			filter core.LeadFilter
			want   []int64
		}{
			{"all leads come newest first", core.LeadFilter{}, []int64{l5, l4, l3, l2, l1}},
			{"the team's leads", core.LeadFilter{TeamID: f.team.ID}, []int64{l5, l4, l3, l2, l1}},
			{"another team has none", core.LeadFilter{TeamID: f.team.ID + 100}, []int64{}},
			{"a rep's leads", core.LeadFilter{OwnerID: f.rep.ID}, []int64{l3, l2}},
			{"unowned leads", core.LeadFilter{Unowned: true}, []int64{l4, l1}},
			{"open leads", core.LeadFilter{Statuses: []core.LeadStatus{core.LeadNew, core.LeadClaimed}}, []int64{l4, l2, l1}},
			{"a rep's open leads", core.LeadFilter{OwnerID: f.rep.ID, Statuses: []core.LeadStatus{core.LeadClaimed}}, []int64{l2}},
			{"a contact's leads", core.LeadFilter{ContactID: other.ID}, []int64{l4, l3}},
			{"leads from one source", core.LeadFilter{Source: core.ChannelEmail}, []int64{l5, l3, l1}},
			{"by score, ties newest first", core.LeadFilter{OrderBy: "score"}, []int64{l4, l2, l3, l1, l5}},
			{"the first page", core.LeadFilter{Limit: 2}, []int64{l5, l4}},
			{"the next page", core.LeadFilter{Limit: 2, AfterID: l4}, []int64{l3, l2}},
			{"the last page", core.LeadFilter{Limit: 2, AfterID: l2}, []int64{l1}},
		}
		for _, tc := range cases {
			t.Run("lists "+tc.name, func(t *testing.T) {
				got, err := db.ListLeads(ctx, tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, leadIDs(got)); diff != "" {
					t.Errorf("lead ids (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("finds the newest open lead of a contact", func(t *testing.T) {
			got, err := db.OpenLeadOfContact(ctx, f.contact.ID)
			if err != nil || got.ID != l2 {
				t.Errorf("open lead = %v, %v; want L%d", got, err, l2)
			}
			got, err = db.OpenLeadOfContact(ctx, other.ID)
			if err != nil || got.ID != l4 {
				t.Errorf("open lead = %v, %v; want L%d", got, err, l4)
			}
		})
	})
}
