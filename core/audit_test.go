package core_test

import (
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestTheAuditLogRecordsChangesInTheirTransaction(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		lead := f.newLead(t, "Bangkok", "audit@siam.co.th")
		slack := core.WithVia(f.ctx, core.ViaSlack)
		if _, err := f.svc.Assign(slack, f.mgr, lead, f.repA.ID); err != nil {
			t.Fatal(err)
		}
		d, err := f.svc.Qualify(f.ctx, f.repA, lead, core.QualifyInput{})
		if err != nil {
			t.Fatal(err)
		}
		tg := core.WithVia(f.ctx, core.ViaTelegram)
		if _, err := f.svc.Move(tg, f.repA, d.ID, "Meeting"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Lose(tg, f.repA, d.ID, "price"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Reopen(f.ctx, f.mgr, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Win(f.ctx, f.repA, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.Directory.CreateToken(f.ctx, f.admin, "zapier", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Directory.RevokeToken(f.ctx, f.admin, "zapier"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Directory.SaveUser(f.ctx, f.admin, core.UserDef{Email: "pim@example.com", Role: core.RoleManager}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Directory.SaveUser(f.ctx, f.admin, core.UserDef{Email: "pim@example.com", Role: core.RoleManager}); err != nil {
			t.Fatal(err)
		}

		t.Run("each deal change names who, through what, and the fields before and after", func(t *testing.T) {
			log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Deal: d.ID, Action: "deal."})
			if err != nil {
				t.Fatal(err)
			}
			want := []struct {
				action, actor string
				via           core.Via
				field, before string
				after         string
			}{
				{"deal.win", "niran@example.com", core.ViaCLI, "stage", "Meeting", "Won"},
				{"deal.reopen", "somchai@example.com", core.ViaCLI, "stage", "Lost", "Meeting"},
				{"deal.lose", "niran@example.com", core.ViaTelegram, "stage", "Meeting", "Lost"},
				{"deal.move", "niran@example.com", core.ViaTelegram, "stage", "Prospecting", "Meeting"},
			}
			if len(log) != len(want) {
				t.Fatalf("got %d entries: %+v", len(log), log)
			}
			for i, w := range want {
				e := log[i]
				if e.Action != w.action || e.Actor != w.actor || e.Via != w.via || len(e.Changes) == 0 ||
					e.Changes[0].Field != w.field || e.Changes[0].Before != w.before || e.Changes[0].After != w.after {
					t.Errorf("entry %d = %+v, want %+v", i, e, w)
				}
			}
		})
		t.Run("an assignment names the owner before and after, and the qualification the deal", func(t *testing.T) {
			log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Lead: lead})
			if err != nil || len(log) != 3 || log[1].Action != "lead.assign" || log[1].Via != core.ViaSlack || log[1].Changes[0].After != "niran@example.com" ||
				log[0].Action != "lead.qualify" || log[0].Target != d.Ref() || log[2].Action != "lead.capture" {
				t.Fatalf("audit %+v, %v", log, err)
			}
		})
		t.Run("a value change and a disqualification name the fields", func(t *testing.T) {
			if _, err := f.svc.SetValue(f.ctx, f.mgr, d.ID, core.Money{Amount: 250000, Currency: "THB"}); err != nil {
				t.Fatal(err)
			}
			log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Deal: d.ID, Action: "deal.update"})
			if err != nil || len(log) != 1 || len(log[0].Changes) != 1 || log[0].Changes[0].Field != "value" || log[0].Changes[0].After != "2,500.00 THB" {
				t.Fatalf("audit %+v, %v", log, err)
			}
			other := f.newLead(t, "Bangkok", "junk@siam.co.th")
			if _, err := f.svc.Disqualify(f.ctx, f.mgr, other, "spam"); err != nil {
				t.Fatal(err)
			}
			log, err = f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Lead: other, Action: "lead.disq"})
			if err != nil || len(log) != 1 || log[0].Action != "lead.disqualify" {
				t.Fatalf("audit %+v, %v", log, err)
			}
		})
		t.Run("token and user changes are recorded, and a save that changes nothing is not", func(t *testing.T) {
			log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Action: "token."})
			if err != nil || len(log) != 2 || log[0].Action != "token.revoke" || log[0].Target != "zapier" {
				t.Fatalf("tokens %+v, %v", log, err)
			}
			log, err = f.svc.Audit(f.ctx, f.admin, core.AuditFilter{UserEmail: "pim@example.com", Action: "user."})
			if err != nil || len(log) != 2 || log[0].Action != "user.update" || len(log[0].Changes) != 1 || log[0].Changes[0].Field != "role" ||
				log[0].Changes[0].After != "manager" || log[1].Action != "user.create" {
				t.Fatalf("users %+v, %v", log, err)
			}
		})
		t.Run("the configuration's users are recorded as applied by config", func(t *testing.T) {
			log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Action: "user.create"})
			if err != nil || len(log) == 0 || log[0].Actor != "config" || log[0].Via != core.ViaConfig {
				t.Fatalf("users %+v, %v", log, err)
			}
		})
		t.Run("only admins read it, and are told so", func(t *testing.T) {
			for _, u := range []*core.User{f.mgr, f.repA, {ID: 999, Role: core.RoleRep}} {
				_, err := f.svc.Audit(f.ctx, u, core.AuditFilter{})
				wantKind(t, err, core.KindForbidden, "only admins")
			}
		})
	})
}
