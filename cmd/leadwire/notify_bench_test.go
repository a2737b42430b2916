package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/testenv"
)

// BenchmarkRemindersDue delivers reminders all due within one minute, on
// PostgreSQL, through one replica's River client to a recording Slack
// stand-in, with the per-channel pacing on: 2,000 reps, so each DM
// channel takes its share at one message a second. It prints the time
// from the first due time until every reminder has been posted. N is
// $LEADWIRE_BENCH_REMINDERS (default 100,000); run it once:
//
//	LEADWIRE_TEST_RACE=0 scripts/test.sh -run '^$' -bench RemindersDue -benchtime 1x -timeout 60m ./cmd/leadwire/
func BenchmarkRemindersDue(b *testing.B) {
	n := 100_000
	if s := os.Getenv("LEADWIRE_BENCH_REMINDERS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	const reps = 2000
	dsn := testenv.Postgres(b)
	ctx := context.Background()
	dir := repDirectory(reps)

	// The queue runs first, as in serve; the reminders are made for one
	// minute starting a little later, and the clock runs from the first
	// due time until every reminder has been posted.
	api := newChatAPI(b)
	api.lighten()
	e := newNoticeEnv(b, openPostgres(b, dsn), api, nil, dir)
	owners := make([]int64, reps)
	for i, u := range dir.Users {
		got, err := e.db.UserByEmail(ctx, u.Email)
		if err != nil {
			b.Fatal(err)
		}
		owners[i] = got.ID
	}
	made := time.Now()
	first := made.Add(time.Duration(n/4000+15) * time.Second).UTC().Truncate(time.Second)
	const batch = 1000
	for start := 0; start < n; start += batch {
		err := e.db.Update(ctx, func(tx core.Tx) error {
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
	if time.Now().After(first) {
		b.Logf("making the reminders ran %s past the first due time", time.Since(first).Round(time.Millisecond))
	}
	b.Logf("%d reminders for %d reps made in %s, due from %s", n, reps, time.Since(made).Round(time.Millisecond), first.Format(time.TimeOnly))
	b.ResetTimer()
	started := first
	next := time.Now().Add(10 * time.Second)
	waitFor(b, 30*time.Minute, "every reminder", func() bool {
		got := api.count()
		if time.Now().After(next) {
			b.Logf("%s: %d posted; jobs %s", time.Since(started).Round(time.Second), got, jobCounts(e))
			next = next.Add(10 * time.Second)
		}
		return got >= n
	})
	took := time.Since(started)
	b.StopTimer()
	api.mu.Lock()
	tooSoon := api.tooSoon
	api.mu.Unlock()
	fmt.Printf("BenchmarkRemindersDue: %d reminders due in one minute, %d reps, PostgreSQL, one replica (%d+%d workers): all posted %s after the first fell due (%s after the last); posts under 0.9 s apart in one channel: %d\n",
		n, reps, 20, 30, took.Round(time.Millisecond), (took - time.Minute).Round(time.Millisecond), tooSoon)
	b.ReportMetric(took.Seconds(), "s/all")
	if got := len(countReminders(api.sent(""))); got != n {
		b.Errorf("%d tasks reminded, want %d", got, n)
	}
}

// jobCounts tells the queue's jobs by kind and state.
func jobCounts(e *noticeEnv) string {
	rows, err := e.db.SQL().Query(`SELECT kind, state, count(*) FROM river_job GROUP BY kind, state ORDER BY kind, state`)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind, state string
		var n int
		rows.Scan(&kind, &state, &n)
		out = append(out, fmt.Sprintf("%s/%s=%d", kind, state, n))
	}
	return strings.Join(out, " ")
}
