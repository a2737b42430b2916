package storage_test

import (
	"context"
	"reflect"
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestEnrollments(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		d := f.deal(t, db, nil)
		e := core.Enrollment{Sequence: "welcome", DealID: d.ID, ContactID: f.contact.ID, OwnerID: f.rep.ID,
			Status: core.EnrollmentActive, NextRunAt: at(day), CreatedAt: day0, UpdatedAt: day0}
		update(t, db, func(tx core.Tx) error { return tx.CreateEnrollment(ctx, &e) })

		t.Run("an enrolment reads back as written", func(t *testing.T) {
			e.Step, e.Sending, e.MessageIDs, e.UpdatedAt = 1, "seq.1.1.ab@acme.test", []string{"seq.1.0.cd@acme.test"}, at(day)
			update(t, db, func(tx core.Tx) error { return tx.UpdateEnrollment(ctx, &e) })
			got, err := db.EnrollmentByID(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := e
			want.NextRunAt, want.CreatedAt, want.UpdatedAt = e.NextRunAt.Truncate(1000), e.CreatedAt.Truncate(1000), e.UpdatedAt.Truncate(1000)
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got  %+v\nwant %+v", *got, want)
			}
		})
		t.Run("a second active enrolment of the contact in the sequence is a conflict", func(t *testing.T) {
			dup := e
			err := db.Update(ctx, func(tx core.Tx) error { return tx.CreateEnrollment(ctx, &dup) })
			wantErr(t, err, core.KindConflict, "in the sequence welcome already")
			other := e
			other.Sequence = "renewal"
			update(t, db, func(tx core.Tx) error { return tx.CreateEnrollment(ctx, &other) })
		})
		t.Run("stopping by deal stops the active ones and keeps the send mark", func(t *testing.T) {
			var n int64
			update(t, db, func(tx core.Tx) error {
				var err error
				n, err = tx.StopEnrollments(ctx, 0, d.ID, "the deal was won", at(2*day))
				return err
			})
			if n != 2 {
				t.Fatalf("stopped %d, want 2", n)
			}
			got, _ := db.EnrollmentByID(ctx, e.ID)
			if got.Status != core.EnrollmentStopped || got.StopReason != "the deal was won" || got.Sending != e.Sending {
				t.Errorf("after stopping: %+v", got)
			}
			active, err := db.ListEnrollments(ctx, core.EnrollmentFilter{ContactID: f.contact.ID, Status: core.EnrollmentActive})
			if err != nil || len(active) != 0 {
				t.Errorf("active = %+v, %v", active, err)
			}
			all, _ := db.ListEnrollments(ctx, core.EnrollmentFilter{DealID: d.ID})
			if len(all) != 2 || all[0].ID != e.ID {
				t.Errorf("all = %+v", all)
			}
		})
		t.Run("once stopped, the contact may be enrolled again", func(t *testing.T) {
			again := e
			update(t, db, func(tx core.Tx) error { return tx.CreateEnrollment(ctx, &again) })
			var n int64
			update(t, db, func(tx core.Tx) error {
				var err error
				n, err = tx.StopEnrollments(ctx, f.contact.ID, 0, "unsubscribed", at(3*day))
				return err
			})
			if n != 1 {
				t.Errorf("stopped %d by contact, want 1", n)
			}
		})
		t.Run("a contact keeps its time zone and unsubscribe time", func(t *testing.T) {
			c := f.contact
			c.TimeZone, c.UnsubscribedAt = "Asia/Tehran", at(3*day)
			update(t, db, func(tx core.Tx) error { return tx.UpdateContact(ctx, &c) })
			got, err := db.ContactByID(ctx, c.ID)
			if err != nil || got.TimeZone != "Asia/Tehran" || !got.UnsubscribedAt.Equal(at(3*day).Truncate(1000)) {
				t.Errorf("contact = %+v, %v", got, err)
			}
		})
	})
}

func TestInitSettingKeepsTheFirstValue(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		for _, v := range []string{"first", "second"} {
			var got string
			update(t, db, func(tx core.Tx) error {
				var err error
				got, err = tx.InitSetting(ctx, "sequence_key", v)
				return err
			})
			if got != "first" {
				t.Errorf("InitSetting(%q) = %q, want the first value", v, got)
			}
		}
	})
}
