package core_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// personRecord is everything stored of and about one contact.
type personRecord struct {
	Contact     *core.Contact
	Leads       []core.Lead
	Deals       []core.Deal
	Activities  []core.Activity
	Tasks       []core.Task
	Enrollments []core.Enrollment
	Marks       []core.PossibleDuplicate
	Holdings    core.Holdings
	Found       []core.SearchHit
	Inbound     *core.CaptureResult
}

func recordOf(t *testing.T, ctx context.Context, db *storage.DB, id int64, search string, key core.InboundKey) personRecord {
	t.Helper()
	var r personRecord
	var err error
	must := func(e error) {
		t.Helper()
		if e != nil {
			t.Fatal(e)
		}
	}
	r.Contact, err = db.ContactByID(ctx, id)
	must(err)
	r.Leads, err = db.ListLeads(ctx, core.LeadFilter{ContactID: id, Limit: 1000})
	must(err)
	r.Deals, err = db.ListDeals(ctx, core.DealFilter{ContactID: id, Limit: 1000})
	must(err)
	r.Activities, err = db.ListActivities(ctx, core.ActivityFilter{ContactID: id, Limit: 1000})
	must(err)
	for _, d := range r.Deals {
		ts, err := db.ListTasks(ctx, core.TaskFilter{DealID: d.ID})
		must(err)
		r.Tasks = append(r.Tasks, ts...)
	}
	r.Enrollments, err = db.ListEnrollments(ctx, core.EnrollmentFilter{ContactID: id})
	must(err)
	r.Marks, err = db.PossibleDuplicates(ctx, id, 0)
	must(err)
	r.Holdings, err = db.ContactHoldings(ctx, id)
	must(err)
	r.Found, err = db.Search(ctx, core.SearchFilter{Query: search, Everyone: true})
	must(err)
	r.Inbound, err = db.InboundResult(ctx, key)
	must(err)
	return r
}

func TestMergeAndUnmerge(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		// Two records of one person: Anong by mail with a deal, a task and
		// a sequence; อนงค์ by form with a phone, and a third person who
		// shares that phone (a mark).
		k1 := core.InboundKey{Channel: core.ChannelEmail, Source: "sales@", ExternalID: "<a1@siam>"}
		a := f.capture(t, core.Inbound{Channel: k1.Channel, Source: k1.Source, ExternalID: k1.ExternalID, Email: "anong@siam.co.th",
			Name: "Anong Wongsa", Company: "Siam Logistics", Team: "Bangkok", Subject: "Quote", Text: "50 trucks"})
		k2 := core.InboundKey{Channel: core.ChannelWebform, Source: "contact", ExternalID: "f-1"}
		b := f.capture(t, core.Inbound{Channel: k2.Channel, Source: k2.Source, ExternalID: k2.ExternalID, Email: "anong.w@gmail.com",
			Phone: "+66 81 234 5678", Name: "อนงค์ วงศ์สา", Team: "Bangkok", Subject: "ติดต่อ", Text: "โทรกลับด้วย"})
		f.clock.Advance(time.Hour)
		f.capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "f-2", Email: "somchai@other.co.th",
			Phone: "+66 81 234 5678", Name: "Somchai Other", Team: "Bangkok", Subject: "Hi"})
		deal, err := f.svc.Qualify(f.ctx, f.mgr, b.LeadID, core.QualifyInput{Value: core.Money{Amount: 5000000, Currency: "THB"}})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(f.ctx, func(tx core.Tx) error {
			if err := tx.CreateTask(f.ctx, &core.Task{Title: "call back", DueAt: f.clock.Now().Add(24 * time.Hour), OwnerID: f.mgr.ID, DealID: deal.ID, CreatedAt: f.clock.Now()}); err != nil {
				return err
			}
			return tx.CreateEnrollment(f.ctx, &core.Enrollment{Sequence: "welcome", DealID: deal.ID, ContactID: b.ContactID, OwnerID: f.mgr.ID,
				Status: core.EnrollmentActive, NextRunAt: f.clock.Now(), CreatedAt: f.clock.Now(), UpdatedAt: f.clock.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
		before := [2]personRecord{recordOf(t, f.ctx, db, a.ContactID, "anong", k1), recordOf(t, f.ctx, db, b.ContactID, "anong.w", k2)}
		if before[1].Holdings.Deals != 1 || before[1].Holdings.Tasks != 1 || before[1].Holdings.Enrollments != 1 || len(before[1].Marks) != 1 {
			t.Fatalf("the merged contact was not seeded in every table: %+v", before[1])
		}

		t.Run("only managers of the team and admins may merge, and a refusal says why", func(t *testing.T) {
			_, err := f.svc.PlanMerge(f.ctx, f.repA, a.ContactID, b.ContactID)
			wantKind(t, err, core.KindForbidden, "only managers")
			_, err = f.svc.Merge(f.ctx, f.repW, a.ContactID, b.ContactID)
			wantKind(t, err, core.KindForbidden, "only managers")
			warsawMgr := &core.User{ID: f.repW.ID, Role: core.RoleManager, TeamID: f.repW.TeamID, Email: f.repW.Email}
			_, err = f.svc.Merge(f.ctx, warsawMgr, a.ContactID, b.ContactID)
			wantKind(t, err, core.KindForbidden, "not a contact of your team")
			_, err = f.svc.Merge(f.ctx, &core.User{ID: 999, Role: core.RoleManager}, a.ContactID, b.ContactID)
			wantKind(t, err, core.KindForbidden, "not a contact of your team")
			_, err = f.svc.Merge(f.ctx, f.mgr, a.ContactID, a.ContactID)
			wantKind(t, err, core.KindInvalid, "one contact")
		})

		t.Run("the plan states the rule and the fields that differ before anything changes", func(t *testing.T) {
			p, err := f.svc.PlanMerge(f.ctx, f.mgr, a.ContactID, b.ContactID)
			if err != nil {
				t.Fatal(err)
			}
			if p.Rule == "" || p.Result.Name != "Anong Wongsa" || len(p.Result.Emails) != 2 || len(p.Result.Phones) != 1 || p.Moves.Deals != 1 {
				t.Fatalf("plan %+v", p)
			}
			var names []string
			for _, fc := range p.Fields {
				names = append(names, fc.Field)
			}
			if len(names) == 0 || names[0] != "name" {
				t.Fatalf("fields %v", names)
			}
			if got := recordOf(t, f.ctx, db, b.ContactID, "anong.w", k2); !cmp.Equal(got, before[1]) {
				t.Fatal("planning changed the contact")
			}
		})

		var merge *core.ContactMerge
		t.Run("a merge moves everything to the survivor in one go", func(t *testing.T) {
			var err error
			merge, err = f.svc.Merge(core.WithVia(f.ctx, core.ViaSlack), f.mgr, a.ContactID, b.ContactID)
			if err != nil {
				t.Fatal(err)
			}
			got := recordOf(t, f.ctx, db, a.ContactID, "anong.w", k2)
			want := before[0].Holdings
			want.Identities += before[1].Holdings.Identities
			want.Leads += before[1].Holdings.Leads
			want.Deals += before[1].Holdings.Deals
			want.Activities += before[1].Holdings.Activities
			want.Tasks += before[1].Holdings.Tasks
			want.Enrollments += before[1].Holdings.Enrollments
			if got.Holdings != want || len(got.Marks) != 1 || got.Inbound.ContactID != a.ContactID {
				t.Fatalf("survivor holds %+v (marks %v, inbound %+v), want %+v", got.Holdings, got.Marks, got.Inbound, want)
			}
			if len(got.Found) != 1 || got.Found[0].ContactID != a.ContactID {
				t.Fatalf("search by the merged phone finds %+v", got.Found)
			}
			gone, _ := db.ContactByID(f.ctx, b.ContactID)
			if gone.MergedInto != a.ContactID {
				t.Fatalf("merged contact %+v", gone)
			}
			log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Contact: a.ContactID, Action: "contact.merge"})
			if err != nil || len(log) != 1 || log[0].Action != "contact.merge" || log[0].Via != core.ViaSlack || log[0].ActorID != f.mgr.ID {
				t.Fatalf("audit %+v, %v", log, err)
			}
			res := f.capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "f-3", Email: "anong.w@gmail.com", Name: "Anong"})
			if res.ContactID != a.ContactID {
				t.Fatalf("a new message from the merged address went to %d", res.ContactID)
			}
		})

		t.Run("a merged contact cannot be merged again", func(t *testing.T) {
			_, err := f.svc.Merge(f.ctx, f.admin, a.ContactID, b.ContactID)
			wantKind(t, err, core.KindConflict, "merged into")
		})

		t.Run("an unmerge restores both contacts exactly", func(t *testing.T) {
			_, err := f.svc.Unmerge(f.ctx, f.repA, merge.ID)
			wantKind(t, err, core.KindForbidden, "only managers")
			// What came after the merge stays with the survivor.
			f3 := core.InboundKey{Channel: core.ChannelWebform, Source: "contact", ExternalID: "f-3"}
			after, err := db.InboundResult(f.ctx, f3)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Unmerge(f.ctx, f.mgr, merge.ID); err != nil {
				t.Fatal(err)
			}
			got := [2]personRecord{recordOf(t, f.ctx, db, a.ContactID, "anong", k1), recordOf(t, f.ctx, db, b.ContactID, "anong.w", k2)}
			// The survivor keeps the activity and lead of the message that
			// came after the merge, and nothing else changed.
			got[0].Activities = dropActivitiesOf(got[0].Activities, after.ActivityID)
			got[0].Leads = dropLead(got[0].Leads, after.LeadID)
			got[0].Holdings = before[0].Holdings
			if diff := cmp.Diff(before[0], got[0]); diff != "" {
				t.Errorf("survivor (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(before[1], got[1]); diff != "" {
				t.Errorf("merged contact (-before +after):\n%s", diff)
			}
			_, err = f.svc.Unmerge(f.ctx, f.mgr, merge.ID)
			wantKind(t, err, core.KindConflict, "undone already")
		})

		t.Run("a merge older than 30 days cannot be undone", func(t *testing.T) {
			m, err := f.svc.Merge(f.ctx, f.admin, a.ContactID, b.ContactID)
			if err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(31 * 24 * time.Hour)
			_, err = f.svc.Unmerge(f.ctx, f.admin, m.ID)
			wantKind(t, err, core.KindConflict, "older than 30 days")
		})
	})
}

func dropActivitiesOf(acts []core.Activity, id int64) []core.Activity {
	var out []core.Activity
	for _, a := range acts {
		if a.ID != id {
			out = append(out, a)
		}
	}
	return out
}

func dropLead(leads []core.Lead, id int64) []core.Lead {
	var out []core.Lead
	for _, l := range leads {
		if l.ID != id {
			out = append(out, l)
		}
	}
	return out
}
