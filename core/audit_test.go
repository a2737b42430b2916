package core_test

import (
	"fmt"
	"testing"
	"time"

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
		t.Run("reps are refused, and told who may read it", func(t *testing.T) {
			for _, u := range []*core.User{f.repA, {ID: 999, Role: core.RoleRep}} {
				_, err := f.svc.Audit(f.ctx, u, core.AuditFilter{})
				wantKind(t, err, core.KindForbidden, "only managers (for their team's records) and admins")
			}
		})
	})
}

func TestManagersReadTheAuditLogOfTheirTeamsRecords(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		bangkok := f.newLead(t, "Bangkok", "somsri@siam.co.th")
		warsaw := f.newLead(t, "Warsaw", "jan@firma.pl")
		if _, err := f.svc.Claim(f.ctx, f.repW, warsaw); err != nil {
			t.Fatal(err)
		}
		dw, err := f.svc.Qualify(f.ctx, f.repW, warsaw, core.QualifyInput{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Note(f.ctx, f.mgr, leadRef(bangkok), "called, wants a demo"); err != nil {
			t.Fatal(err)
		}
		wl, err := db.LeadByID(f.ctx, warsaw)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("a manager's listing holds their team's records only", func(t *testing.T) {
			log, err := f.svc.Audit(f.ctx, f.mgr, core.AuditFilter{})
			if err != nil || len(log) == 0 {
				t.Fatalf("audit %+v, %v", log, err)
			}
			for _, e := range log {
				if e.Lead == warsaw || e.Deal == dw.ID || e.Contact == wl.ContactID || e.Action == "team.create" || e.Action == "pipeline.create" {
					t.Errorf("the Bangkok manager sees %+v", e)
				}
			}
			var note bool
			for _, e := range log {
				note = note || (e.Action == "note.add" && e.Lead == bangkok)
			}
			if !note {
				t.Errorf("the Bangkok manager misses the note on their lead: %+v", log)
			}
		})
		t.Run("a manager reads a record of their team", func(t *testing.T) {
			log, err := f.svc.Audit(f.ctx, f.mgr, core.AuditFilter{Lead: bangkok})
			if err != nil || len(log) != 2 || log[0].Action != "note.add" || log[1].Action != "lead.capture" {
				t.Fatalf("audit %+v, %v", log, err)
			}
		})
		t.Run("a manager asking for another team's record is told why not", func(t *testing.T) {
			_, err := f.svc.Audit(f.ctx, f.mgr, core.AuditFilter{Deal: dw.ID})
			wantKind(t, err, core.KindForbidden, dw.Ref()+" is not a record of your team")
			_, err = f.svc.Audit(f.ctx, f.mgr, core.AuditFilter{Lead: warsaw})
			wantKind(t, err, core.KindForbidden, "is not a record of your team")
			_, err = f.svc.Audit(f.ctx, f.mgr, core.AuditFilter{Contact: wl.ContactID})
			wantKind(t, err, core.KindForbidden, "is not a record of your team")
			_, err = f.svc.Audit(f.ctx, f.mgr, core.AuditFilter{UserEmail: "zofia@example.com"})
			wantKind(t, err, core.KindForbidden, "is not in your team")
		})
		t.Run("an admin reads every team's", func(t *testing.T) {
			log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Deal: dw.ID})
			if err != nil || len(log) == 0 || log[0].Action != "lead.qualify" {
				t.Fatalf("audit %+v, %v", log, err)
			}
		})
		t.Run("a manager of no team and a rep are refused, saying why", func(t *testing.T) {
			_, err := f.svc.Audit(f.ctx, &core.User{ID: 998, Role: core.RoleManager}, core.AuditFilter{})
			wantKind(t, err, core.KindForbidden, "you manage no team")
			_, err = f.svc.Audit(f.ctx, f.repA, core.AuditFilter{Lead: bangkok})
			wantKind(t, err, core.KindForbidden, "you are a rep")
		})
	})
}

func TestEveryKindOfChangeIsAudited(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		one := func(t *testing.T, flt core.AuditFilter) core.AuditEntry {
			t.Helper()
			log, err := f.svc.Audit(f.ctx, f.admin, flt)
			if err != nil || len(log) != 1 {
				t.Fatalf("audit %+v: %+v, %v", flt, log, err)
			}
			return log[0]
		}
		t.Run("a capture names the connector and the way it came in", func(t *testing.T) {
			web := core.WithVia(f.ctx, core.ViaWeb)
			res, err := f.svc.Capture(web, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "w1", Email: "ola@firma.pl", Name: "Ola", Team: "Warsaw"})
			if err != nil {
				t.Fatal(err)
			}
			e := one(t, core.AuditFilter{Lead: res.LeadID})
			if e.Action != "lead.capture" || e.Actor != "connector:webform:contact" || e.Via != core.ViaWeb || e.Contact != res.ContactID ||
				e.Changes[0].Field != "contact" || e.Changes[0].After != core.ContactRef(res.ContactID) {
				t.Fatalf("capture entry %+v", e)
			}
			mail, err := f.svc.Capture(f.ctx, core.Inbound{Channel: core.ChannelEmail, Source: "sales@", ExternalID: "<m1@x>", Email: "ola@firma.pl", Phone: "+48601234567", Text: "hi again"})
			if err != nil {
				t.Fatal(err)
			}
			if e := one(t, core.AuditFilter{Contact: mail.ContactID, Action: "contact.update"}); e.Via != core.ViaEmail || e.Changes[0].Field != "phones" || e.Changes[0].After != "+48601234567" {
				t.Fatalf("contact update entry %+v", e)
			}
		})
		t.Run("a capture in a batch is recorded with the batch, and one that fails leaves no entry", func(t *testing.T) {
			_, errs := f.svc.CaptureBatch(core.WithVia(f.ctx, core.ViaWebhook), []core.Inbound{
				{Channel: core.ChannelWebhook, Source: "zapier", ExternalID: "z1", Email: "b1@firma.pl", Team: "Warsaw"},
				{Channel: core.ChannelWebhook, Source: "zapier", ExternalID: "z2", Email: "b2@firma.pl", Team: "Nowhere"},
			})
			if errs[0] != nil || errs[1] == nil {
				t.Fatalf("errs %v", errs)
			}
			log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Action: "lead.capture"})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range log {
				if e.Actor == "connector:webhook:zapier" {
					n++
					if e.Via != core.ViaWebhook {
						t.Errorf("entry %+v", e)
					}
				}
			}
			if n != 1 {
				t.Fatalf("%d webhook captures recorded: %+v", n, log)
			}
		})
		t.Run("a lead taken in through the API names the token", func(t *testing.T) {
			ctx := core.WithToken(core.WithVia(f.ctx, core.ViaAPI), "crm-sync")
			res, err := f.svc.Capture(ctx, core.Inbound{Channel: core.ChannelWebhook, Source: "api", ExternalID: "api:crm-sync:1", Email: "api@firma.pl", Team: "Warsaw"})
			if err != nil {
				t.Fatal(err)
			}
			if e := one(t, core.AuditFilter{Lead: res.LeadID}); e.Actor != "token:crm-sync" || e.Via != core.ViaAPI {
				t.Fatalf("api capture entry %+v", e)
			}
			lead := f.newLead(t, "Bangkok", "tok@siam.co.th")
			if _, err := f.svc.Claim(ctx, f.repA, lead); err != nil {
				t.Fatal(err)
			}
			if e := one(t, core.AuditFilter{Lead: lead, Action: "lead.claim"}); e.Actor != "token:crm-sync" || e.ActorID != f.repA.ID || e.Via != core.ViaAPI {
				t.Fatalf("api claim entry %+v", e)
			}
		})
		t.Run("notes and tasks created, done and snoozed are recorded", func(t *testing.T) {
			lead := f.newLead(t, "Bangkok", "task@siam.co.th")
			tg := core.WithVia(f.ctx, core.ViaTelegram)
			if _, err := f.svc.Note(tg, f.repA, leadRef(lead), "left a voicemail"); err != nil {
				t.Fatal(err)
			}
			if e := one(t, core.AuditFilter{Lead: lead, Action: "note."}); e.Actor != "niran@example.com" || e.Via != core.ViaTelegram || e.Changes[0].After != "left a voicemail" {
				t.Fatalf("note entry %+v", e)
			}
			due := f.clock.Now().Add(24 * time.Hour)
			task, err := f.svc.FollowUp(tg, f.repA, leadRef(lead), "call back", due)
			if err != nil {
				t.Fatal(err)
			}
			if e := one(t, core.AuditFilter{Lead: lead, Action: "task.create"}); e.Target != fmt.Sprintf("T%d", task.ID) || e.User != f.repA.ID || e.Changes[0].After != "call back" {
				t.Fatalf("task entry %+v", e)
			}
			if _, err := f.svc.SnoozeTask(tg, f.repA, task.ID, due.Add(2*time.Hour)); err != nil {
				t.Fatal(err)
			}
			if e := one(t, core.AuditFilter{Lead: lead, Action: "task.snooze"}); len(e.Changes) != 1 || e.Changes[0].Field != "due" || e.Changes[0].Before == e.Changes[0].After {
				t.Fatalf("snooze entry %+v", e)
			}
			if _, err := f.svc.CompleteTask(f.ctx, f.mgr, task.ID); err != nil {
				t.Fatal(err)
			}
			if e := one(t, core.AuditFilter{Lead: lead, Action: "task.done"}); e.Actor != "somchai@example.com" || e.Changes[0].Field != "status" || e.Changes[0].After != "done" {
				t.Fatalf("done entry %+v", e)
			}
		})
		t.Run("a Telegram link is recorded as the user's own, through Telegram", func(t *testing.T) {
			code, err := f.svc.Directory.NewLinkCode(f.ctx, f.repB)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Directory.RedeemLinkCode(f.ctx, code, 777001); err != nil {
				t.Fatal(err)
			}
			e := one(t, core.AuditFilter{UserEmail: "pim@example.com", Action: "user.link"})
			if e.ActorID != f.repB.ID || e.Via != core.ViaTelegram || e.Changes[0].Field != "telegram" || e.Changes[0].After != "777001" {
				t.Fatalf("link entry %+v", e)
			}
		})
		t.Run("the configuration's teams, pipelines and targets are recorded as applied by config, and again only when they change", func(t *testing.T) {
			for _, action := range []string{"team.create", "pipeline.create", "target.set"} {
				log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Action: action})
				if err != nil || len(log) == 0 || log[0].Actor != "config" || log[0].Via != core.ViaConfig {
					t.Fatalf("%s: %+v, %v", action, log, err)
				}
			}
			def := core.OrgDef{Teams: []core.TeamDef{{Name: "Bangkok", Manager: "somchai@example.com", Region: "TH"},
				{Name: "Warsaw", Region: "PL", ResponseLimit: 45 * time.Minute}}}
			if err := f.svc.Directory.Sync(f.ctx, def); err != nil {
				t.Fatal(err)
			}
			// The first sync set Bangkok's manager; the second changed only
			// Warsaw's response limit.
			log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Action: "team.update"})
			if err != nil || len(log) != 2 || log[1].Target != "Bangkok" || log[1].Changes[0].Field != "manager" {
				t.Fatalf("team updates %+v, %v", log, err)
			}
			if e := log[0]; e.Target != "Warsaw" || len(e.Changes) != 1 || e.Changes[0].Field != "response limit" || e.Changes[0].Before != "30m0s" || e.Changes[0].After != "45m0s" {
				t.Fatalf("team update %+v", e)
			}
		})
		t.Run("BANT answers and a meeting held are recorded", func(t *testing.T) {
			lead := f.newLead(t, "Bangkok", "bant@siam.co.th")
			if _, err := f.svc.Claim(f.ctx, f.repA, lead); err != nil {
				t.Fatal(err)
			}
			deal, err := f.svc.Qualify(f.ctx, f.repA, lead, core.QualifyInput{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.SetQualification(f.ctx, f.repA, deal.ID, core.Qualification{Budget: "20k EUR", Need: "CRM"}); err != nil {
				t.Fatal(err)
			}
			e := one(t, core.AuditFilter{Deal: deal.ID, Action: "deal.qualification"})
			if e.Actor != f.repA.Email || len(e.Changes) != 2 || e.Changes[0] != (core.FieldChange{Field: "budget", After: "20k EUR"}) {
				t.Fatalf("qualification entry %+v", e)
			}
			task, err := f.svc.ScheduleMeeting(f.ctx, f.repA, core.DealRefOf(deal.ID), f.clock.Now().Add(time.Hour), "demo", "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.MeetingHeld(f.ctx, f.repA, core.DealRefOf(deal.ID)); err != nil {
				t.Fatal(err)
			}
			if e := one(t, core.AuditFilter{Deal: deal.ID, Action: "task.held"}); e.Target != fmt.Sprintf("T%d", task.ID) || e.Actor != f.repA.Email {
				t.Fatalf("meeting held entry %+v", e)
			}
		})
	})
}

func TestSequenceEnrolmentsAreAudited(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSeqFixture(t, db)
		d := f.deal(t, "maryam@pars.ir")
		ref := core.Ref{Kind: 'D', ID: d.ID}
		if _, err := f.svc.Sequences.Enroll(core.WithVia(f.ctx, core.ViaSlack), f.repA, ref, "welcome"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Sequences.Unenroll(f.ctx, f.mgr, ref, ""); err != nil {
			t.Fatal(err)
		}
		log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Deal: d.ID, Action: "sequence."})
		if err != nil || len(log) != 2 || log[1].Action != "sequence.enroll" || log[1].Via != core.ViaSlack || log[1].Target != "welcome" ||
			log[0].Action != "sequence.unenroll" || log[0].Actor != "somchai@example.com" || log[0].Changes[0].After != "stopped" {
			t.Fatalf("audit %+v, %v", log, err)
		}
	})
}

func leadRef(id int64) core.Ref { return core.Ref{Kind: 'L', ID: id} }
