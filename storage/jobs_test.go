package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// outcomeJob is a job whose handler answers the outcome it names.
type outcomeJob struct {
	Outcome string `json:"outcome"`
	Text    string `json:"text"`
}

func (outcomeJob) Kind() string { return "test_outcome" }

func TestJobsMapHandlerOutcomesOntoTheQueue(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		h := core.NewHandlers()
		core.Handle(h, func(ctx context.Context, j outcomeJob, info core.JobInfo) error {
			if info.MaxAttempts < 1 || info.CreatedAt.IsZero() {
				return core.Permanent(errors.New("bad job info"))
			}
			if info.Attempt > 1 {
				return nil // an ordinary error was retried
			}
			switch j.Outcome {
			case "retry":
				return core.RetryAfter(time.Hour)
			case "permanent":
				return core.Permanent(errors.New("gone for good"))
			case "error":
				return errors.New("try again")
			}
			return nil
		})
		jobs, err := db.NewJobs(h, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		if err := jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = jobs.Stop(stop)
		})
		want := map[string]rivertype.JobState{"done": rivertype.JobStateCompleted, "retry": rivertype.JobStateScheduled,
			"permanent": rivertype.JobStateCancelled, "error": rivertype.JobStateCompleted}
		if err := db.Update(ctx, func(tx core.Tx) error {
			for outcome := range want {
				if err := tx.Enqueue(ctx, outcomeJob{Outcome: outcome, Text: "ใบเสนอราคา <b>&</b>"}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			res, err := jobs.River().JobList(ctx, river.NewJobListParams().Kinds("test_outcome").States(rivertype.JobStates()...))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]*rivertype.JobRow{}
			for _, j := range res.Jobs {
				var args outcomeJob
				if err := json.Unmarshal(j.EncodedArgs, &args); err != nil || args.Text != "ใบเสนอราคา <b>&</b>" {
					t.Fatalf("args %s stored as %v", j.EncodedArgs, err)
				}
				if j.State == want[args.Outcome] {
					got[args.Outcome] = j
				}
			}
			if len(got) == len(want) {
				if r := got["retry"]; r.ScheduledAt.Before(time.Now().Add(30 * time.Minute)) {
					t.Fatalf("a retry after an hour is scheduled at %v", r.ScheduledAt)
				}
				if e := got["error"]; e.Attempt != 2 || len(e.Errors) == 0 || !strings.Contains(e.Errors[0].Error, "try again") {
					t.Fatalf("an ordinary error is retried once: attempt %d, errors %+v", e.Attempt, e.Errors)
				}
				if d, r := got["done"], got["retry"]; d.Attempt != 1 || len(d.Errors) != 0 || len(r.Errors) != 0 {
					t.Fatalf("done %+v, retry %+v", d, r)
				}
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("jobs in states %v, want %v", got, want)
			}
			time.Sleep(20 * time.Millisecond) // polling the queue, with a deadline
		}
	})
}

func TestJobsRefuseAHandlerThatOutlivesTheRescue(t *testing.T) {
	db := storagetest.SQLite(t)
	h := core.NewHandlers()
	core.Handle(h, func(context.Context, outcomeJob, core.JobInfo) error { return nil }, core.JobTimeout(storage.RescueJobsAfter))
	if _, err := db.NewJobs(h, nil); err == nil || !strings.Contains(err.Error(), "test_outcome") {
		t.Fatalf("got %v, want the handler refused", err)
	}
}
