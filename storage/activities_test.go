package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestActivities(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		lead := f.lead(t, db, nil)
		deal := f.deal(t, db, nil)
		acts := []core.Activity{
			{Kind: core.ActivityEmailIn, ContactID: f.contact.ID, LeadID: lead.ID, Subject: "Zapytanie",
				Body: "Dzień dobry, proszę o ofertę.", ExternalRef: "<a1@mail.test>", At: day0},
			{Kind: core.ActivityEmailOut, ContactID: f.contact.ID, LeadID: lead.ID, UserID: f.rep.ID,
				Subject: "Re: Zapytanie", ExternalRef: "<a2@mail.test>", At: at(time.Hour)},
			{Kind: core.ActivityNote, ContactID: f.contact.ID, DealID: deal.ID, UserID: f.rep.ID, Body: "โทรกลับพรุ่งนี้", At: at(2 * time.Hour)},
			{Kind: core.ActivityCall, ContactID: f.contact.ID, DealID: deal.ID, UserID: f.rep.ID, At: at(30 * time.Minute)},
			{Kind: core.ActivitySystem, At: at(time.Minute)},
		}
		update(t, db, func(tx core.Tx) error {
			for i := range acts {
				if err := tx.AddActivity(ctx, &acts[i]); err != nil {
					return err
				}
			}
			return nil
		})
		cases := []struct {
			name   string
			filter core.ActivityFilter
			want   []core.Activity
		}{
			{"a contact's timeline, newest first", core.ActivityFilter{ContactID: f.contact.ID},
				[]core.Activity{acts[2], acts[1], acts[3], acts[0]}},
			{"a lead's timeline", core.ActivityFilter{LeadID: lead.ID}, []core.Activity{acts[1], acts[0]}},
			{"a deal's timeline", core.ActivityFilter{DealID: deal.ID}, []core.Activity{acts[2], acts[3]}},
			{"a deal's timeline, limited", core.ActivityFilter{DealID: deal.ID, Limit: 1}, []core.Activity{acts[2]}},
			{"both a contact's and a lead's", core.ActivityFilter{ContactID: f.contact.ID, LeadID: lead.ID}, []core.Activity{acts[1], acts[0]}},
		}
		for _, tc := range cases {
			t.Run("lists "+tc.name, func(t *testing.T) {
				got, err := db.ListActivities(ctx, tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("activities (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("refuses a listing of everything", func(t *testing.T) {
			_, err := db.ListActivities(ctx, core.ActivityFilter{})
			wantErr(t, err, core.KindInvalid, "give a contact, lead or deal")
		})
		t.Run("finds an activity by its external reference", func(t *testing.T) {
			got, err := db.ActivityByExternalRef(ctx, "<a2@mail.test>")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(acts[1], *got); diff != "" {
				t.Errorf("activity (-want +got):\n%s", diff)
			}
			_, err = db.ActivityByExternalRef(ctx, "<nope@mail.test>")
			wantErr(t, err, core.KindNotFound, `no activity with reference "<nope@mail.test>"`)
			_, err = db.ActivityByExternalRef(ctx, "")
			wantErr(t, err, core.KindNotFound, "no activity")
		})
		t.Run("finds an activity by its id", func(t *testing.T) {
			got, err := db.ActivityByID(ctx, acts[2].ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(acts[2], *got); diff != "" {
				t.Errorf("activity (-want +got):\n%s", diff)
			}
			_, err = db.ActivityByID(ctx, 999)
			wantErr(t, err, core.KindNotFound, "no activity 999")
		})
	})
}

func TestTasks(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		lead := f.lead(t, db, nil)
		deal := f.deal(t, db, nil)
		var outsider core.User
		update(t, db, func(tx core.Tx) error {
			outsider = core.User{Email: "out@acme.test", Role: core.RoleRep}
			return tx.CreateUser(ctx, &outsider)
		})
		tasks := []core.Task{
			{Title: "Call back", DueAt: at(day), OwnerID: f.rep.ID, DealID: deal.ID, CreatedAt: day0},
			{Title: "Send quote", DueAt: at(2 * time.Hour), OwnerID: f.rep.ID, LeadID: lead.ID, CreatedAt: day0},
			{Title: "Done already", DueAt: at(-day), OwnerID: f.rep.ID, DealID: deal.ID, Done: true, DoneAt: day0, CreatedAt: at(-2 * day)},
			{Title: "Review pipeline", DueAt: at(3 * day), OwnerID: f.mgr.ID, SnoozedUntil: at(4 * day), CreatedAt: day0},
			{Title: "Someday", OwnerID: outsider.ID, CreatedAt: day0},
			{Title: "Put off", DueAt: at(time.Hour), SnoozedUntil: at(2 * day), OwnerID: f.rep.ID, CreatedAt: day0},
		}
		update(t, db, func(tx core.Tx) error {
			for i := range tasks {
				if err := tx.CreateTask(ctx, &tasks[i]); err != nil {
					return err
				}
			}
			return nil
		})
		cases := []struct {
			name   string
			filter core.TaskFilter
			want   []int
		}{
			{"every task by due time (a snooze's end when later), undated last", core.TaskFilter{}, []int{2, 1, 0, 5, 3, 4}},
			{"a rep's open tasks", core.TaskFilter{OwnerID: f.rep.ID, OpenOnly: true}, []int{1, 0, 5}},
			{"a team's tasks", core.TaskFilter{TeamID: f.team.ID}, []int{2, 1, 0, 5, 3}},
			{"a deal's tasks", core.TaskFilter{DealID: deal.ID}, []int{2, 0}},
			{"a lead's tasks", core.TaskFilter{LeadID: lead.ID}, []int{1}},
			{"open tasks due before a time, not those snoozed past it", core.TaskFilter{OpenOnly: true, DueBefore: at(day)}, []int{1}},
			{"open tasks due before a time their snooze ended by", core.TaskFilter{OpenOnly: true, DueBefore: at(3 * day)}, []int{1, 0, 5}},
			{"the first two", core.TaskFilter{Limit: 2}, []int{2, 1}},
		}
		for _, tc := range cases {
			t.Run("lists "+tc.name, func(t *testing.T) {
				got, err := db.ListTasks(ctx, tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				want := []core.Task{}
				for _, i := range tc.want {
					want = append(want, tasks[i])
				}
				if diff := cmp.Diff(want, append([]core.Task{}, got...)); diff != "" {
					t.Errorf("tasks (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("completes a task", func(t *testing.T) {
			done := tasks[0]
			done.Done, done.DoneAt, done.SnoozedUntil = true, at(time.Hour), at(2*time.Hour)
			update(t, db, func(tx core.Tx) error { return tx.UpdateTask(ctx, &done) })
			got, err := db.TaskByID(ctx, done.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(done, *got); diff != "" {
				t.Errorf("task (-want +got):\n%s", diff)
			}
		})
		t.Run("says which task is unknown", func(t *testing.T) {
			_, err := db.TaskByID(ctx, 99)
			wantErr(t, err, core.KindNotFound, "task T99 not found")
			err = db.Update(ctx, func(tx core.Tx) error { return tx.UpdateTask(ctx, &core.Task{ID: 99}) })
			wantErr(t, err, core.KindNotFound, "task T99 not found")
		})
	})
}

func TestTargets(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		update(t, db, func(tx core.Tx) error {
			for _, tg := range []core.Target{
				{UserID: f.rep.ID, Month: "2026-11", Amount: core.Money{Amount: 100, Currency: "EUR"}},
				{TeamID: f.team.ID, Month: "2026-11", Amount: core.Money{Amount: 500, Currency: "EUR"}},
				{UserID: f.rep.ID, Month: "2026-12", Amount: core.Money{Amount: 300, Currency: "EUR"}},
				// Setting again replaces.
				{UserID: f.rep.ID, Month: "2026-11", Amount: core.Money{Amount: 200000, Currency: "THB"}},
				{TeamID: f.team.ID, Month: "2026-11", Amount: core.Money{Amount: 900, Currency: "EUR"}},
			} {
				if err := tx.SetTarget(ctx, tg); err != nil {
					return err
				}
			}
			return nil
		})
		got, err := db.ListTargets(ctx, "2026-11")
		if err != nil {
			t.Fatal(err)
		}
		want := []core.Target{
			{TeamID: f.team.ID, Month: "2026-11", Amount: core.Money{Amount: 900, Currency: "EUR"}},
			{UserID: f.rep.ID, Month: "2026-11", Amount: core.Money{Amount: 200000, Currency: "THB"}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("targets (-want +got):\n%s", diff)
		}
		if none, err := db.ListTargets(ctx, "2027-01"); err != nil || len(none) != 0 {
			t.Errorf("targets of an empty month: %v, %v", none, err)
		}
	})
}

func TestInboundResults(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		key := core.InboundKey{Channel: core.ChannelEmail, Source: "sales@acme.test", ExternalID: "<m1@mail.test>"}
		res := core.CaptureResult{ContactID: f.contact.ID, LeadID: 7, ActivityID: 9, NewLead: true}

		_, err := db.InboundResult(ctx, key)
		wantErr(t, err, core.KindNotFound, `email inbound "<m1@mail.test>" from "sales@acme.test" not seen`)

		update(t, db, func(tx core.Tx) error { return tx.PutInboundResult(ctx, key, res) })
		got, err := db.InboundResult(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(res, *got); diff != "" {
			t.Errorf("result (-want +got):\n%s", diff)
		}

		t.Run("a key seen before is a conflict that leaves the transaction usable", func(t *testing.T) {
			update(t, db, func(tx core.Tx) error {
				err := tx.PutInboundResult(ctx, key, core.CaptureResult{})
				wantErr(t, err, core.KindConflict, `email inbound "<m1@mail.test>" from "sales@acme.test" was already captured`)
				return tx.PutInboundResult(ctx, core.InboundKey{Channel: core.ChannelEmail, Source: "other@acme.test", ExternalID: key.ExternalID}, core.CaptureResult{})
			})
		})
	})
}

func TestActivityMessages(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		deal := f.deal(t, db, nil)
		acts := []core.Activity{
			{Kind: core.ActivitySystem, ContactID: f.contact.ID, DealID: deal.ID, UserID: f.rep.ID, At: day0,
				Key: "timeline.lost", Args: core.Args{"From": core.StageArg(f.stage("Proposal").ID), "Reason": {LostReason: "Price too high"}}},
			{Kind: core.ActivitySystem, ContactID: f.contact.ID, DealID: deal.ID, UserID: f.rep.ID, At: at(time.Minute),
				Key: "timeline.value_set", Args: core.Args{"Value": core.MoneyArg(core.Money{Amount: 1234500, Currency: "THB"})}},
			{Kind: core.ActivitySystem, ContactID: f.contact.ID, DealID: deal.ID, UserID: f.rep.ID, At: at(2 * time.Minute),
				Key: "timeline.close_date_set", Args: core.Args{"Date": core.DateArg(day0.AddDate(0, 1, 0))}},
			{Kind: core.ActivityMeeting, ContactID: f.contact.ID, DealID: deal.ID, UserID: f.rep.ID, At: at(3 * time.Minute),
				Key: "timeline.meeting_scheduled", Args: core.Args{"At": core.TimeArg(day0.Add(50 * time.Hour))}, Body: "demo ที่สำนักงาน"},
			{Kind: core.ActivitySystem, ContactID: f.contact.ID, DealID: deal.ID, At: at(4 * time.Minute),
				Key: "timeline.sequence_failing", Args: core.Args{"Sequence": core.TextArg("welcome"), "Step": core.NumberArg(2),
					"To": core.TextArg("anong@siam.example"), "Error": core.TextArg("550 no such user anong@siam.example")}},
			{Kind: core.ActivitySystem, ContactID: f.contact.ID, DealID: deal.ID, UserID: f.rep.ID, At: at(5 * time.Minute),
				Body: "expected close set to 2026-12-15"}, // written before keys were kept
		}
		update(t, db, func(tx core.Tx) error {
			for i := range acts {
				if err := tx.AddActivity(ctx, &acts[i]); err != nil {
					return err
				}
			}
			return nil
		})
		t.Run("a message's key and arguments read back as written, beside the English of old entries", func(t *testing.T) {
			got, err := db.ListActivities(ctx, core.ActivityFilter{DealID: deal.ID})
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(acts)
			slices.Reverse(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("activities (-want +got):\n%s", diff)
			}
			one, err := db.ActivityByID(ctx, acts[1].ID)
			if err != nil || one.Args["Value"].Money == nil || *one.Args["Value"].Money != (core.Money{Amount: 1234500, Currency: "THB"}) {
				t.Errorf("by id: %+v, %v", one, err)
			}
		})
		t.Run("erasing the person clears arguments that may name them and keeps the rest", func(t *testing.T) {
			update(t, db, func(tx core.Tx) error {
				_, err := tx.ErasePerson(ctx, core.Erasure{ContactIDs: []int64{f.contact.ID}, Salt: "s", At: at(time.Hour)})
				return err
			})
			got, err := db.ListActivities(ctx, core.ActivityFilter{DealID: deal.ID})
			if err != nil {
				t.Fatal(err)
			}
			byKey := map[string]core.Activity{}
			for _, a := range got {
				byKey[a.Key] = a
			}
			if a := byKey["timeline.sequence_failing"]; len(a.Args) != 0 {
				t.Errorf("the failing mail's arguments after erasure: %+v", a.Args)
			}
			if a := byKey["timeline.lost"]; a.Args["Reason"].LostReason != "Price too high" || a.Args["From"].Stage == 0 {
				t.Errorf("the lost entry's arguments after erasure: %+v", a.Args)
			}
			if a := byKey["timeline.meeting_scheduled"]; a.Body != "" || a.Args["At"].Time == "" {
				t.Errorf("the meeting after erasure: %+v", a)
			}
		})
	})
}
