package storage_test

import (
	"context"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestMarkReminded(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		task := core.Task{Title: "Call back", DueAt: at(time.Hour), OwnerID: f.rep.ID, CreatedAt: day0}
		update(t, db, func(tx core.Tx) error { return tx.CreateTask(ctx, &task) })
		mark := func(due time.Time) bool {
			t.Helper()
			var ok bool
			update(t, db, func(tx core.Tx) error {
				var err error
				ok, err = tx.MarkReminded(ctx, task.ID, due)
				return err
			})
			return ok
		}
		due := at(time.Hour + 123456789*time.Nanosecond)
		t.Run("the first mark of a due time wins", func(t *testing.T) {
			if !mark(due) {
				t.Fatal("not marked")
			}
			got, err := db.TaskByID(ctx, task.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.RemindedAt.Equal(due.Truncate(time.Microsecond)) {
				t.Fatalf("reminded at %v, want %v", got.RemindedAt, due)
			}
		})
		t.Run("a second mark of the same due time does nothing", func(t *testing.T) {
			if mark(due) {
				t.Fatal("marked twice")
			}
		})
		t.Run("saving the task keeps the mark", func(t *testing.T) {
			task.Title = "Call back about the quote"
			update(t, db, func(tx core.Tx) error { return tx.UpdateTask(ctx, &task) })
			got, _ := db.TaskByID(ctx, task.ID)
			if got.RemindedAt.IsZero() {
				t.Fatal("UpdateTask cleared reminded_at")
			}
		})
		t.Run("a new due time is marked again", func(t *testing.T) {
			if !mark(at(3 * time.Hour)) {
				t.Fatal("not marked")
			}
		})
		t.Run("a done task is not marked", func(t *testing.T) {
			task.Done, task.DoneAt = true, at(4*time.Hour)
			update(t, db, func(tx core.Tx) error { return tx.UpdateTask(ctx, &task) })
			if mark(at(5 * time.Hour)) {
				t.Fatal("marked a done task")
			}
		})
	})
}
