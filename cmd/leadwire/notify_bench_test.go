package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/testenv"
)

// BenchmarkRemindersDue delivers reminders all due within one minute, on
// PostgreSQL, through one replica's River client to a recording Slack
// stand-in, with the per-channel pacing on: 2,000 reps, so each DM
// channel takes its share at one message a second. It prints the time
// from starting the queue until every reminder has been posted. N is
// $LEADWIRE_BENCH_REMINDERS (default 100,000); run it once:
//
//	scripts/test.sh -run '^$' -bench RemindersDue -benchtime 1x ./cmd/leadwire/
func BenchmarkRemindersDue(b *testing.B) {
	n := 100_000
	if s := os.Getenv("LEADWIRE_BENCH_REMINDERS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	const reps = 2000
	dsn := testenv.Postgres(b)
	ctx := context.Background()
	dir := repDirectory(reps)

	// The reminders are made before the queue runs, due over the minute
	// before now, so they all are due when it starts.
	setup := openPostgres(b, dsn)
	svc := core.NewService(setup, nil, core.DefaultSettings(), nil)
	if err := svc.Sync(ctx, dir); err != nil {
		b.Fatal(err)
	}
	owners := make([]int64, reps)
	for i, u := range dir.Users {
		got, err := setup.UserByEmail(ctx, u.Email)
		if err != nil {
			b.Fatal(err)
		}
		owners[i] = got.ID
	}
	made := time.Now()
	first := made.Add(-time.Minute).UTC().Truncate(time.Microsecond)
	const batch = 1000
	for start := 0; start < n; start += batch {
		err := setup.Update(ctx, func(tx core.Tx) error {
			for i := start; i < min(start+batch, n); i++ {
				due := first.Add(time.Duration(i) * time.Minute / time.Duration(n)).Truncate(time.Microsecond)
				t := &core.Task{Title: fmt.Sprintf("Follow-up %d", i), DueAt: due, OwnerID: owners[i%reps], CreatedAt: made}
				if err := tx.CreateTask(ctx, t); err != nil {
					return err
				}
				if err := tx.Enqueue(ctx, core.ReminderJob{TaskID: t.ID, DueAt: due}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d reminders for %d reps made in %s", n, reps, time.Since(made).Round(time.Millisecond))

	api := newChatAPI(b)
	api.light = true
	b.ResetTimer()
	started := time.Now()
	e := newNoticeEnv(b, openPostgres(b, dsn), api, nil, dir)
	next := time.Now().Add(10 * time.Second)
	waitFor(b, 30*time.Minute, "every reminder", func() bool {
		got := api.count()
		if time.Now().After(next) {
			b.Logf("%s: %d posted", time.Since(started).Round(time.Second), got)
			next = next.Add(10 * time.Second)
		}
		return got >= n
	})
	took := time.Since(started)
	b.StopTimer()
	api.mu.Lock()
	tooSoon := api.tooSoon
	api.mu.Unlock()
	fmt.Printf("BenchmarkRemindersDue: %d reminders due in one minute, %d reps, PostgreSQL, one replica (%d+%d workers): all posted in %s (%.0f/s); posts under 0.9 s apart in one channel: %d\n",
		n, reps, 20, 30, took.Round(time.Millisecond), float64(n)/took.Seconds(), tooSoon)
	b.ReportMetric(took.Seconds(), "s/all")
	if got := len(countReminders(api.sent(""))); got != n {
		b.Errorf("%d tasks reminded, want %d", got, n)
	}
	_ = e
}
