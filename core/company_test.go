package core_test

import (
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestCompanies(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		contact := func(t *testing.T, in core.Inbound) *core.Contact {
			t.Helper()
			if in.Channel == "" {
				in.Channel, in.Source, in.ExternalID = core.ChannelWebform, "contact", in.Email+in.Phone
			}
			res := f.capture(t, in)
			c, err := db.ContactByID(f.ctx, res.ContactID)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		t.Run("people writing from one corporate domain join one company named after it", func(t *testing.T) {
			a := contact(t, core.Inbound{Email: "anna@zolw.pl", Name: "Anna", Team: "Warsaw"})
			b := contact(t, core.Inbound{Email: "piotr@ZOLW.pl", Name: "Piotr", Team: "Warsaw"})
			if a.CompanyID == 0 || a.CompanyID != b.CompanyID {
				t.Fatalf("companies %d and %d, want one", a.CompanyID, b.CompanyID)
			}
			co, err := db.CompanyByID(f.ctx, a.CompanyID)
			if err != nil || co.Name != "zolw.pl" || co.Domain != "zolw.pl" {
				t.Fatalf("company %+v, %v", co, err)
			}
		})
		for _, email := range []string{"kasia@wp.pl", "jan@o2.pl", "ola@interia.pl", "li@qq.com", "wang@163.com",
			"somchai@hotmail.co.th", "lan@vnn.vn", "reza@chmail.ir", "x@gmail.com"} {
			t.Run("a free-mail or ISP address like "+email+" joins no company", func(t *testing.T) {
				if c := contact(t, core.Inbound{Email: email, Name: "Someone"}); c.CompanyID != 0 {
					t.Fatalf("joined company %d", c.CompanyID)
				}
			})
		}
		t.Run("a company name links to the company of that name however it is written", func(t *testing.T) {
			a := contact(t, core.Inbound{Email: "lukasz@gmail.com", Name: "Łukasz", Company: "Żółw Sp. z o.o.", Team: "Warsaw"})
			b := contact(t, core.Inbound{Phone: "+48600123456", Name: "Ewa", Company: "ŻÓŁW sp z o o", Team: "Warsaw"})
			if a.CompanyID == 0 || a.CompanyID != b.CompanyID {
				t.Fatalf("companies %d and %d, want one", a.CompanyID, b.CompanyID)
			}
			co, _ := db.CompanyByID(f.ctx, a.CompanyID)
			if co.Name != "Żółw Sp. z o.o." || co.Domain != "" {
				t.Fatalf("company %+v: want the name as first written and no free-mail domain", co)
			}
		})
		t.Run("a company name with a corporate address takes the domain when no company has it", func(t *testing.T) {
			c := contact(t, core.Inbound{Email: "wang@sh-trade.cn", Name: "王小明", Company: "上海贸易有限公司", Team: "Bangkok"})
			co, _ := db.CompanyByID(f.ctx, c.CompanyID)
			if co.Name != "上海贸易有限公司" || co.Domain != "sh-trade.cn" {
				t.Fatalf("company %+v", co)
			}
		})

		t.Run("a listing shows each reader only the companies of their team", func(t *testing.T) {
			nobody := &core.User{ID: 999, Role: core.RoleRep}
			for _, tc := range []struct {
				who  string
				user *core.User
				want []string
			}{
				{"an admin", f.admin, []string{"zolw.pl", "Żółw Sp. z o.o.", "上海贸易有限公司"}},
				{"a rep in Warsaw", f.repW, []string{"zolw.pl", "Żółw Sp. z o.o."}},
				{"the manager in Bangkok", f.mgr, []string{"上海贸易有限公司"}},
				{"a user in no team", nobody, nil},
			} {
				sums, err := f.svc.Companies(f.ctx, tc.user, 0, 0)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, s := range sums {
					got = append(got, s.Name)
				}
				if len(got) != len(tc.want) {
					t.Fatalf("%s sees %q, want %q", tc.who, got, tc.want)
				}
				for i := range got {
					if got[i] != tc.want[i] {
						t.Fatalf("%s sees %q, want %q", tc.who, got, tc.want)
					}
				}
			}
			if _, err := f.svc.Company(f.ctx, f.mgr, "zolw.pl"); core.KindOf(err) != core.KindNotFound {
				t.Fatalf("the Bangkok manager looking at a Warsaw company: %v, want not found", err)
			}
		})

		t.Run("a company shows its people, open deals, value and last activity", func(t *testing.T) {
			lead := f.newLead(t, "Warsaw", "marek@zolw.pl")
			d, err := f.svc.Qualify(f.ctx, f.repW, lead, core.QualifyInput{Value: core.Money{Amount: 120000, Currency: "PLN"}})
			if err != nil {
				t.Fatal(err)
			}
			v, err := f.svc.Company(f.ctx, f.repW, "ZOLW.PL")
			if err != nil {
				t.Fatal(err)
			}
			if v.Contacts != 3 || v.OpenDeals != 1 || len(v.OpenValue) != 1 || v.OpenValue[0].Amount != 120000 || v.LastActivity.IsZero() {
				t.Fatalf("summary %+v", v.CompanySummary)
			}
			if len(v.People) != 3 || len(v.Deals) != 1 || v.Deals[0].ID != d.ID {
				t.Fatalf("people %d, deals %+v", len(v.People), v.Deals)
			}
			names, err := f.svc.CompanyNames(f.ctx, d.ContactID)
			if err != nil || names[d.ContactID] != "zolw.pl" {
				t.Fatalf("deal card company %q, %v", names[d.ContactID], err)
			}
		})

		t.Run("companies are merged by managers and admins only, saying why", func(t *testing.T) {
			_, _, err := f.svc.MergeCompanies(f.ctx, f.repW, "zolw.pl", "Żółw Sp. z o.o.")
			wantKind(t, err, core.KindForbidden, "only managers and admins")
			moved, into, err := f.svc.MergeCompanies(f.ctx, f.admin, "zolw.pl", "Żółw Sp. z o.o.")
			if err != nil {
				t.Fatal(err)
			}
			if moved != 3 || into.Domain != "zolw.pl" {
				t.Fatalf("moved %d into %+v", moved, into)
			}
			if log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Action: "company.merge"}); err != nil || len(log) != 1 || log[0].Target != "zolw.pl" {
				t.Fatalf("audit %+v, %v", log, err)
			}
			if _, err := f.svc.Company(f.ctx, f.admin, "zolw.pl"); core.KindOf(err) != core.KindNotFound {
				t.Fatalf("merged company still found: %v", err)
			}
			v, err := f.svc.Company(f.ctx, f.admin, "Żółw Sp. z o.o.")
			if err != nil || v.Contacts != 5 {
				t.Fatalf("survivor %+v, %v", v, err)
			}
			c := contact(t, core.Inbound{Email: "nowy@zolw.pl", Name: "Nowy", Team: "Warsaw"})
			if c.CompanyID != into.ID {
				t.Fatalf("a new address of the merged domain joined %d, want %d", c.CompanyID, into.ID)
			}
		})
	})
}
