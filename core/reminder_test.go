package core_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// reminders is a service whose notices go to Slack and Telegram, with a
// rep linked to both and one linked to Slack only.
type reminders struct {
	ctx       context.Context
	svc       *core.Service
	db        *storage.DB
	clock     *clocktest.Clock
	jobs      *river.Client[*sql.Tx]
	both, one *core.User
}

func newReminders(t *testing.T, db *storage.DB) *reminders {
	t.Helper()
	ctx := context.Background()
	// A day ahead of the real time, which River schedules on.
	clock := clocktest.New(time.Now().UTC().Truncate(time.Second).Add(24 * time.Hour))
	settings := core.DefaultSettings()
	settings.Channels = []string{core.ChannelSlack, core.ChannelTelegram}
	svc := core.NewService(db, clock, settings, nil)
	if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: []core.TeamDef{{Name: "Bangkok", Region: "TH"}},
		Users: []core.UserDef{{Email: "niran@example.com", Name: "Niran", Team: "Bangkok", SlackID: "U0NIRAN", TelegramID: 7001},
			{Email: "pim@example.com", Name: "Pim", Team: "Bangkok", SlackID: "U0PIM"}}}); err != nil {
		t.Fatal(err)
	}
	jobs, err := river.NewClient(db.RiverDriver(), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	r := &reminders{ctx: ctx, svc: svc, db: db, clock: clock, jobs: jobs}
	if r.both, err = db.UserByEmail(ctx, "niran@example.com"); err != nil {
		t.Fatal(err)
	}
	if r.one, err = db.UserByEmail(ctx, "pim@example.com"); err != nil {
		t.Fatal(err)
	}
	return r
}

// reminderJobs lists the queued reminder jobs of a task, oldest first,
// with when each runs.
func (r *reminders) reminderJobs(t *testing.T, taskID int64) (jobs []core.ReminderJob, runAt []time.Time) {
	t.Helper()
	res, err := r.jobs.JobList(r.ctx, river.NewJobListParams().Kinds("reminder").First(1000))
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range res.Jobs {
		var j core.ReminderJob
		if err := json.Unmarshal(row.EncodedArgs, &j); err != nil {
			t.Fatal(err)
		}
		if j.TaskID == taskID {
			jobs, runAt = append(jobs, j), append(runAt, row.ScheduledAt.UTC())
		}
	}
	return jobs, runAt
}

// notices lists the queued notify jobs as "channel kind key".
func (r *reminders) notices(t *testing.T) []core.NotifyJob {
	t.Helper()
	res, err := r.jobs.JobList(r.ctx, river.NewJobListParams().Kinds("notify").First(1000))
	if err != nil {
		t.Fatal(err)
	}
	var out []core.NotifyJob
	for _, row := range res.Jobs {
		var j core.NotifyJob
		if err := json.Unmarshal(row.EncodedArgs, &j); err != nil {
			t.Fatal(err)
		}
		out = append(out, j)
	}
	return out
}

func TestReminders(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		r := newReminders(t, db)
		due := r.clock.Now().Add(2 * time.Hour)
		task, err := r.svc.AddTask(r.ctx, r.both, "Call Somsak back", due)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("a new task has a reminder job at its due time", func(t *testing.T) {
			jobs, runAt := r.reminderJobs(t, task.ID)
			if len(jobs) != 1 || !jobs[0].DueAt.Equal(due) || !runAt[0].Equal(due) {
				t.Fatalf("jobs %+v at %v, want one at %v", jobs, runAt, due)
			}
		})
		t.Run("a follow-up on a lead has one too", func(t *testing.T) {
			f, err := r.svc.FollowUp(r.ctx, r.both, core.Ref{Kind: 'L', ID: leadFor(t, r)}, "Send the quote", due.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if jobs, _ := r.reminderJobs(t, f.ID); len(jobs) != 1 {
				t.Fatalf("jobs %+v", jobs)
			}
		})
		t.Run("firing announces the reminder on every linked channel, once", func(t *testing.T) {
			r.clock.Advance(2 * time.Hour)
			fired, err := r.svc.FireReminder(r.ctx, task.ID, due)
			if err != nil || !fired {
				t.Fatalf("fired %v, %v", fired, err)
			}
			again, err := r.svc.FireReminder(r.ctx, task.ID, due)
			if err != nil || again {
				t.Fatalf("fired again: %v, %v", again, err)
			}
			var got []string
			for _, n := range r.notices(t) {
				if n.Notice.TaskID == task.ID {
					got = append(got, n.Channel+" "+n.Notice.Key)
				}
			}
			key := core.ReminderKey(task.ID, due)
			if want := []string{"slack " + key, "telegram " + key}; !slices.Equal(got, want) {
				t.Fatalf("notices %q, want %q", got, want)
			}
		})
		t.Run("a snooze schedules a new reminder and the old job does nothing", func(t *testing.T) {
			until := r.clock.Now().Add(time.Hour)
			if _, err := r.svc.SnoozeTask(r.ctx, r.both, task.ID, until); err != nil {
				t.Fatal(err)
			}
			jobs, runAt := r.reminderJobs(t, task.ID)
			if len(jobs) != 2 || !jobs[1].DueAt.Equal(until) || !runAt[1].Equal(until) {
				t.Fatalf("jobs %+v at %v", jobs, runAt)
			}
			if fired, err := r.svc.FireReminder(r.ctx, task.ID, due); err != nil || fired {
				t.Fatalf("the old due time fired: %v, %v", fired, err)
			}
			r.clock.Advance(time.Hour)
			if fired, err := r.svc.FireReminder(r.ctx, task.ID, until); err != nil || !fired {
				t.Fatalf("the snoozed due time did not fire: %v, %v", fired, err)
			}
		})
		t.Run("completing makes the pending reminder a no-op", func(t *testing.T) {
			until := r.clock.Now().Add(time.Hour)
			if _, err := r.svc.SnoozeTask(r.ctx, r.both, task.ID, until); err != nil {
				t.Fatal(err)
			}
			if _, err := r.svc.CompleteTask(r.ctx, r.both, task.ID); err != nil {
				t.Fatal(err)
			}
			if jobs, _ := r.reminderJobs(t, task.ID); len(jobs) != 3 {
				t.Fatalf("completing enqueued a reminder: %+v", jobs)
			}
			r.clock.Advance(time.Hour)
			if fired, err := r.svc.FireReminder(r.ctx, task.ID, until); err != nil || fired {
				t.Fatalf("a done task fired: %v, %v", fired, err)
			}
		})
		t.Run("a task gone is a no-op", func(t *testing.T) {
			if fired, err := r.svc.FireReminder(r.ctx, 99999, due); err != nil || fired {
				t.Fatalf("fired %v, %v", fired, err)
			}
		})
		t.Run("a failing channel is reported once on the others", func(t *testing.T) {
			n := core.Notice{Kind: core.NoticeReminder, UserID: r.both.ID, TaskID: task.ID, Key: core.ReminderKey(task.ID, due)}
			for range 2 {
				told, err := r.svc.Notices.NoticeFailed(r.ctx, core.ChannelSlack, n, core.Undeliverable(sql.ErrNoRows))
				if err != nil || !slices.Equal(told, []string{core.ChannelTelegram}) {
					t.Fatalf("told %v, %v", told, err)
				}
			}
			var failing []core.NotifyJob
			for _, j := range r.notices(t) {
				if j.Notice.Kind == core.NoticeChannelFailing {
					failing = append(failing, j)
				}
			}
			if len(failing) != 1 || failing[0].Channel != core.ChannelTelegram || failing[0].Notice.UserID != r.both.ID {
				t.Fatalf("channel_failing notices %+v", failing)
			}
			// Pim has no other channel: nobody to tell, and that is fine.
			told, err := r.svc.Notices.NoticeFailed(r.ctx, core.ChannelSlack, core.Notice{Kind: core.NoticeReminder, UserID: r.one.ID, Key: "k"}, nil)
			if err != nil || len(told) != 0 {
				t.Fatalf("told %v, %v", told, err)
			}
		})
	})
}

// leadFor captures a lead and has the user claim it.
func leadFor(t *testing.T, r *reminders) int64 {
	t.Helper()
	res, err := r.svc.Capture(r.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "somsak",
		Email: "somsak@example.com", Name: "Somsak", Team: "Bangkok", ReceivedAt: r.clock.Now()})
	if err != nil || !res.NewLead {
		t.Fatalf("capture: %+v, %v", res, err)
	}
	if _, err := r.svc.Claim(r.ctx, r.both, res.LeadID); err != nil {
		t.Fatal(err)
	}
	return res.LeadID
}
