package main

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"leadwire/core"
	"leadwire/internal/testenv"
	"leadwire/storage"
)

// openPostgres opens (and migrates) the PostgreSQL database at dsn, as a
// replica does.
func openPostgres(t testing.TB, dsn string) *storage.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := storage.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// repDirectory is a team of n reps, each linked to Slack only.
func repDirectory(n int) core.OrgDef {
	dir := core.OrgDef{Teams: []core.TeamDef{{Name: "Bangkok", Region: "TH"}}}
	for i := range n {
		dir.Users = append(dir.Users, core.UserDef{Email: fmt.Sprintf("rep%d@example.com", i), Name: fmt.Sprintf("Rep %d", i),
			Team: "Bangkok", SlackID: fmt.Sprintf("U%05d", i)})
	}
	return dir
}

var reminderOf = regexp.MustCompile(`^done:T(\d+)$`)

// countReminders counts the reminders posted, by task id.
func countReminders(msgs []chatMsg) map[string]int {
	out := map[string]int{}
	for _, m := range msgs {
		for _, a := range m.Actions {
			if sm := reminderOf.FindStringSubmatch(a); sm != nil {
				out[sm[1]]++
			}
		}
	}
	return out
}

// TestRemindersOnTwoReplicasExactlyOnce runs two replicas in this process:
// two storage.DB opened on one PostgreSQL database, each with its own
// River client and Slack notifier, posting to one recording Slack
// stand-in. Each of 1,000 due reminders reaches Slack exactly once.
func TestRemindersOnTwoReplicasExactlyOnce(t *testing.T) {
	t.Parallel()
	dsn := testenv.Postgres(t)
	api := newChatAPI(t)
	dir := repDirectory(200)
	a := newNoticeEnv(t, openPostgres(t, dsn), api, nil, dir)
	b := newNoticeEnv(t, openPostgres(t, dsn), api, nil, dir)
	const n = 1000
	reps := make([]*core.User, len(dir.Users))
	for i := range reps {
		reps[i] = a.user(t, dir.Users[i].Email)
	}
	// Both replicas create reminders, due from now to two seconds on.
	due := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for r, e := range []*noticeEnv{a, b} {
		wg.Go(func() {
			for i := r; i < n; i += 2 {
				if _, err := e.svc.AddTask(e.ctx, reps[i%len(reps)], fmt.Sprintf("Follow-up %d", i), due.Add(time.Duration(i)*2*time.Millisecond)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	waitFor(t, 3*time.Minute, "1,000 reminders", func() bool { return len(countReminders(api.sent(""))) == n })
	// Nothing is left to run that could post again.
	waitFor(t, time.Minute, "every job to finish", func() bool {
		var left int
		err := a.db.SQL().QueryRowContext(a.ctx, `SELECT count(*) FROM river_job WHERE state <> 'completed'`).Scan(&left)
		return err == nil && left == 0
	})
	msgs := api.sent("")
	if len(msgs) != n {
		t.Errorf("%d messages posted, want %d", len(msgs), n)
	}
	for id, c := range countReminders(msgs) {
		if c != 1 {
			t.Errorf("T%s reminded %d times", id, c)
		}
	}
	byA := testutil.ToFloat64(a.metrics.delivered.WithLabelValues("slack", "reminder"))
	byB := testutil.ToFloat64(b.metrics.delivered.WithLabelValues("slack", "reminder"))
	t.Logf("replica A delivered %v, replica B %v", byA, byB)
	if byA+byB != n {
		t.Errorf("delivered %v + %v, want %d", byA, byB, n)
	}
}
