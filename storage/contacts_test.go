package storage_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestContactsRoundTrip(t *testing.T) {
	contacts := []struct {
		name    string
		contact core.Contact
	}{
		{"Thai", core.Contact{Name: "สมศักดิ์ ใจดี", Company: "บริษัท สยาม จำกัด", Emails: []string{"somsak@siam.co.th"},
			Phones: []string{"+66812345678"}, Handles: []string{"telegram:1001"}, Domain: "siam.co.th", Source: core.ChannelTelegram}},
		{"Persian", core.Contact{Name: "مهدی رضایی", Company: "شرکت پارس", Emails: []string{"mahdi@pars.ir", "m.rezaei@gmail.com"},
			Phones: []string{"+989121234567"}, Source: core.ChannelWebform}},
		{"Chinese", core.Contact{Name: "王小明", Company: "上海贸易有限公司", Emails: []string{"wang@sh-trade.cn"},
			Handles: []string{"slack:U777", "telegram:1002"}, Source: core.ChannelSlack}},
		{"Polish", core.Contact{Name: "Łukasz Żółkiewski", Company: "Żółw Sp. z o.o.", Emails: []string{"lukasz@zolw.pl"},
			Phones: []string{"+48600123456", "+48221234567"}, Domain: "zolw.pl", Source: core.ChannelEmail}},
		{"with nothing but a handle", core.Contact{Handles: []string{"telegram:1003"}}},
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		var team core.Team
		update(t, db, func(tx core.Tx) error {
			team = core.Team{Name: "World"}
			return tx.CreateTeam(ctx, &team)
		})
		for _, tc := range contacts {
			t.Run("round-trips a "+tc.name+" contact", func(t *testing.T) {
				c := tc.contact
				c.TeamID, c.CreatedAt, c.UpdatedAt = team.ID, day0, at(day)
				update(t, db, func(tx core.Tx) error { return tx.CreateContact(ctx, &c) })
				got, err := db.ContactByID(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(c, *got); diff != "" {
					t.Errorf("contact (-want +got):\n%s", diff)
				}
				for _, id := range c.Identities() {
					byID, err := db.ContactByIdentity(ctx, id)
					if err != nil || byID.ID != c.ID {
						t.Errorf("by %s %s: %v, %v", id.Kind, id.Value, byID, err)
					}
				}
			})
		}
		t.Run("unset team and times come back zero", func(t *testing.T) {
			c := core.Contact{Name: "Nobody"}
			update(t, db, func(tx core.Tx) error { return tx.CreateContact(ctx, &c) })
			got, err := db.ContactByID(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c, *got); diff != "" {
				t.Errorf("contact (-want +got):\n%s", diff)
			}
		})
		t.Run("lists every contact in pages, identities included", func(t *testing.T) {
			var all []core.Contact
			for after := int64(0); ; {
				page, err := db.ListContacts(ctx, core.ContactFilter{AfterID: after, Limit: 2})
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				all = append(all, page...)
				after = page[len(page)-1].ID
			}
			if len(all) != len(contacts)+1 {
				t.Fatalf("listed %d contacts, want %d", len(all), len(contacts)+1)
			}
			for _, c := range all {
				one, err := db.ContactByID(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(*one, c); diff != "" {
					t.Errorf("listed contact %d differs from ContactByID (-one +listed):\n%s", c.ID, diff)
				}
			}
			team, err := db.ListContacts(ctx, core.ContactFilter{TeamID: all[0].TeamID})
			if err != nil || len(team) != len(contacts) {
				t.Errorf("team filter: %d contacts (%v), want %d", len(team), err, len(contacts))
			}
		})
		t.Run("says which contact is unknown", func(t *testing.T) {
			_, err := db.ContactByID(ctx, 12345)
			wantErr(t, err, core.KindNotFound, "contact C12345 not found")
			_, err = db.ContactByIdentity(ctx, core.Identity{Kind: core.IdentityPhone, Value: "+10000000000"})
			wantErr(t, err, core.KindNotFound, "no contact with phone +10000000000")
			err = db.Update(ctx, func(tx core.Tx) error { return tx.UpdateContact(ctx, &core.Contact{ID: 12345}) })
			wantErr(t, err, core.KindNotFound, "contact C12345 not found")
		})
	})
}

func TestUpdateContactMergesIdentities(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		anna := core.Contact{Name: "Anna", Emails: []string{"anna@a.test"}, Phones: []string{"+48111111111"}}
		bob := core.Contact{Name: "Bob", Emails: []string{"bob@b.test"}}
		update(t, db, func(tx core.Tx) error {
			if err := tx.CreateContact(ctx, &anna); err != nil {
				return err
			}
			return tx.CreateContact(ctx, &bob)
		})

		// Anna gets a new email and phone; she also claims Bob's email,
		// which stays Bob's; her own old identities are repeated.
		anna.Name, anna.Company = "Anna Nowak", "Nowak Ltd"
		anna.Emails = []string{"anna@a.test", "anna@nowak.test", "bob@b.test"}
		anna.Phones = append(anna.Phones, "+48222222222")
		anna.Handles = []string{"telegram:42"}
		update(t, db, func(tx core.Tx) error { return tx.UpdateContact(ctx, &anna) })

		got, err := db.ContactByID(ctx, anna.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := anna
		want.Emails = []string{"anna@a.test", "anna@nowak.test"}
		if diff := cmp.Diff(want, *got); diff != "" {
			t.Errorf("contact (-want +got):\n%s", diff)
		}
		owner, err := db.ContactByIdentity(ctx, core.Identity{Kind: core.IdentityEmail, Value: "bob@b.test"})
		if err != nil || owner.ID != bob.ID {
			t.Errorf("bob@b.test belongs to %v, %v; want Bob", owner, err)
		}
		for q, wantIDs := range map[string][]int64{"nowak": {anna.ID}, "anna": {anna.ID}, "bob": {bob.ID}, "48222": {anna.ID}} {
			hits, err := db.Search(ctx, core.SearchFilter{Query: q, Everyone: true, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, h := range hits {
				ids = append(ids, h.ContactID)
			}
			if diff := cmp.Diff(wantIDs, ids); diff != "" {
				t.Errorf("search %q after update (-want +got):\n%s", q, diff)
			}
		}
	})
}
