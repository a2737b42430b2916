package storage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestSearch(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		var north, south core.Team
		people := map[string]*core.Contact{
			"kowalska": {Name: "Anna Kowalska", Company: "Kowalska Sp. z o.o.", Emails: []string{"anna@kowalska.pl"}},
			"nowak":    {Name: "Anna Nowak", Phones: []string{"+48600123456"}, Emails: []string{"a.nowak@gmail.com"}},
			"somsak": {Name: "สมศักดิ์ ใจดี", Company: "บริษัท สยาม จำกัด", Emails: []string{"somsak@siam.co.th"},
				Phones: []string{"+66812345678"}},
			"mahdi":  {Name: "مهدی رضایی", Company: "شرکت پارس"},
			"wang":   {Name: "王小明", Company: "上海贸易有限公司"},
			"lukasz": {Name: "Łukasz Żółkiewski", Company: "Żółw S.A."},
			"oconnor": {Name: "Seán O'Connor", Company: "Acme", Emails: []string{"sean@acme.ie"},
				Handles: []string{"telegram:777"}},
		}
		order := []string{"kowalska", "nowak", "somsak", "mahdi", "wang", "lukasz", "oconnor"}
		update(t, db, func(tx core.Tx) error {
			north, south = core.Team{Name: "North"}, core.Team{Name: "South"}
			if err := tx.CreateTeam(ctx, &north); err != nil {
				return err
			}
			if err := tx.CreateTeam(ctx, &south); err != nil {
				return err
			}
			for i, k := range order {
				c := people[k]
				c.TeamID = north.ID
				if i%2 == 1 {
					c.TeamID = south.ID
				}
				if err := tx.CreateContact(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		name := map[int64]string{}
		for k, c := range people {
			name[c.ID] = k
		}

		cases := []struct {
			query string
			team  int64
			limit int
			want  []string
		}{
			{"ann", 0, 0, []string{"kowalska", "nowak"}},
			{"Anna", 0, 0, []string{"kowalska", "nowak"}},
			{"anna kow", 0, 0, []string{"kowalska"}},
			{"  KOW   anna ", 0, 0, []string{"kowalska"}},
			{"anna zzz", 0, 0, nil},
			{"ann", north.ID, 0, []string{"kowalska"}},
			{"ann", south.ID, 0, []string{"nowak"}},
			{"ann", 0, 1, []string{"kowalska"}},
			{"anna@kowalska", 0, 0, []string{"kowalska"}},
			{"ANNA@KOWALSKA.PL", 0, 0, []string{"kowalska"}},
			{"a.nowak", 0, 0, []string{"nowak"}},
			{"gmail.com", 0, 0, []string{"nowak"}},
			{"siam.co", 0, 0, []string{"somsak"}},
			{"+48 600 123", 0, 0, []string{"nowak"}},
			{"(66) 8123-45678", 0, 0, []string{"somsak"}},
			{"48600123456", 0, 0, []string{"nowak"}},
			{"สมศักดิ์", 0, 0, []string{"somsak"}},
			{"สมศ", 0, 0, []string{"somsak"}},
			{"ใจดี สยาม", 0, 0, []string{"somsak"}},
			{"مهدی", 0, 0, []string{"mahdi"}},
			{"مهدي", 0, 0, []string{"mahdi"}}, // typed with the Arabic Yeh
			{"پارس رضا", 0, 0, []string{"mahdi"}},
			{"王小", 0, 0, []string{"wang"}},
			{"上海", 0, 0, []string{"wang"}},
			{"łuk", 0, 0, []string{"lukasz"}},
			{"ŻÓŁ", 0, 0, []string{"lukasz"}},
			{"o'connor", 0, 0, []string{"oconnor"}},
			{"sean@acme.ie", 0, 0, []string{"oconnor"}},
			{"seán", 0, 0, []string{"oconnor"}},
			{"telegram:777", 0, 0, nil}, // handles are not search terms
			{"nobody", 0, 0, nil},
			{"", 0, 0, nil},
			{"  -- ", 0, 0, nil},
		}
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%q in team %d finds %v", tc.query, tc.team, tc.want), func(t *testing.T) {
				hits, err := db.Search(ctx, core.SearchFilter{Query: tc.query, Everyone: tc.team == 0, TeamID: tc.team, Limit: tc.limit})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, h := range hits {
					got = append(got, name[h.ContactID])
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("hits (-want +got):\n%s", diff)
				}
			})
		}

		t.Run("a hit carries contact details and the newest lead and deal", func(t *testing.T) {
			c := people["nowak"]
			var lastLead, lastDeal int64
			update(t, db, func(tx core.Tx) error {
				for range 2 {
					l := core.Lead{ContactID: c.ID, Status: core.LeadNew}
					if err := tx.CreateLead(ctx, &l); err != nil {
						return err
					}
					d := core.Deal{ContactID: c.ID, Status: core.DealOpen, Probability: -1}
					if err := tx.CreateDeal(ctx, &d); err != nil {
						return err
					}
					lastLead, lastDeal = l.ID, d.ID
				}
				return nil
			})
			hits, err := db.Search(ctx, core.SearchFilter{Query: "nowak", Everyone: true, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			want := []core.SearchHit{{ContactID: c.ID, Name: "Anna Nowak", Email: "a.nowak@gmail.com",
				Phone: "+48600123456", LeadID: lastLead, DealID: lastDeal}}
			if diff := cmp.Diff(want, hits); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
		})

		t.Run("a search reaches only the contacts its filter names", func(t *testing.T) {
			// Kowalska (North) has a lead of Lone's, who is in no team;
			// Nowak (South) a deal of Lone's in North's name and a newer
			// lead of South's nobody owns.
			var lone core.User
			var loneLead, loneDeal, southLead int64
			update(t, db, func(tx core.Tx) error {
				lone = core.User{Email: "lone@example.com", Name: "Lone", Role: core.RoleRep, Active: true, CreatedAt: day0}
				if err := tx.CreateUser(ctx, &lone); err != nil {
					return err
				}
				l := core.Lead{ContactID: people["kowalska"].ID, OwnerID: lone.ID, TeamID: north.ID, Status: core.LeadClaimed}
				if err := tx.CreateLead(ctx, &l); err != nil {
					return err
				}
				d := core.Deal{ContactID: people["nowak"].ID, OwnerID: lone.ID, TeamID: north.ID, Status: core.DealOpen, Probability: -1}
				if err := tx.CreateDeal(ctx, &d); err != nil {
					return err
				}
				s := core.Lead{ContactID: people["nowak"].ID, TeamID: south.ID, Status: core.LeadNew}
				if err := tx.CreateLead(ctx, &s); err != nil {
					return err
				}
				loneLead, loneDeal, southLead = l.ID, d.ID, s.ID
				return nil
			})
			cases := []struct {
				name string
				f    core.SearchFilter
				want []core.SearchHit
			}{
				{"a filter that reaches nobody finds nothing", core.SearchFilter{Query: "anna"}, nil},
				{"an owner finds the contacts of their own leads and deals, with their own lead and deal", core.SearchFilter{Query: "anna", OwnerID: lone.ID},
					[]core.SearchHit{{ContactID: people["kowalska"].ID, LeadID: loneLead}, {ContactID: people["nowak"].ID, DealID: loneDeal}}},
				{"an owner does not find others' contacts by email", core.SearchFilter{Query: "somsak@siam.co.th", OwnerID: lone.ID}, nil},
				{"an owner does not find others' contacts by phone", core.SearchFilter{Query: "66812345678", OwnerID: lone.ID}, nil},
				{"a team finds its contacts, with the team's lead and deal", core.SearchFilter{Query: "nowak", TeamID: south.ID},
					[]core.SearchHit{{ContactID: people["nowak"].ID, LeadID: southLead}}},
				{"a team and an owner find both's", core.SearchFilter{Query: "anna", TeamID: south.ID, OwnerID: lone.ID},
					[]core.SearchHit{{ContactID: people["kowalska"].ID, LeadID: loneLead}, {ContactID: people["nowak"].ID, LeadID: southLead, DealID: loneDeal}}},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					hits, err := db.Search(ctx, tc.f)
					if err != nil {
						t.Fatal(err)
					}
					for i := range hits {
						hits[i] = core.SearchHit{ContactID: hits[i].ContactID, LeadID: hits[i].LeadID, DealID: hits[i].DealID}
					}
					if diff := cmp.Diff(tc.want, hits); diff != "" {
						t.Errorf("hits (-want +got):\n%s", diff)
					}
				})
			}
		})

		t.Run("a contact matching many ways comes once, and reading goes on until the limit", func(t *testing.T) {
			many := core.Contact{Name: "Zza Zzb Zzc Zzd Zze Zzf Zzg Zzh Zzi Zzj Zzk Zzl Zzm Zzn Zzo Zzp Zzq Zzr"}
			last := core.Contact{Name: "Zzz"}
			update(t, db, func(tx core.Tx) error {
				if err := tx.CreateContact(ctx, &many); err != nil {
					return err
				}
				return tx.CreateContact(ctx, &last)
			})
			hits, err := db.Search(ctx, core.SearchFilter{Query: "zz", Everyone: true, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, h := range hits {
				ids = append(ids, h.ContactID)
			}
			if diff := cmp.Diff([]int64{many.ID, last.ID}, ids); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
		})
	})
}
