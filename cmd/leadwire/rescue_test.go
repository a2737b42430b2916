package main

import (
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestANoticeLeftRunningByADeadReplicaIsDeliveredOnce leaves notice jobs
// as a replica that died mid-delivery leaves them (running, attempted
// past rescueJobsAfter, nobody working them): the surviving replica's
// queue runs them again, instead of River's default hour later. One the
// dead replica had posted before it died is found in the DM's history and
// not posted again; one it had not is posted.
func TestANoticeLeftRunningByADeadReplicaIsDeliveredOnce(t *testing.T) {
	t.Parallel()
	if storage.RescueJobsAfter < core.SweepTimeout || storage.RescueJobsAfter < river.JobTimeoutDefault || storage.RescueJobsAfter < core.DigestTimeout {
		t.Fatalf("storage.RescueJobsAfter %v is shorter than a worker's timeout: a job still running would be run twice", storage.RescueJobsAfter)
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		api := newChatAPI(t)
		e := newNoticeEnv(t, db, api, nil, noticeDirectory)
		niran := e.user(t, "niran@example.com")
		stuck := `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = datetime('now', '-10 minutes', 'subsec'), scheduled_at = datetime('now', '-10 minutes', 'subsec') WHERE id = ?`
		if db.Dialect() == "postgres" {
			stuck = `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now() - interval '10 minutes', scheduled_at = now() - interval '10 minutes' WHERE id = $1`
		}
		// deadReplicasJob is a notice job as the dead replica left it.
		deadReplicasJob := func(key, text string) int64 {
			t.Helper()
			// Scheduled far ahead, so that the running queue leaves it
			// alone until it is made to look like the dead replica's.
			res, err := e.jobs.Insert(e.ctx, core.NotifyJob{Channel: core.ChannelSlack,
				Notice: core.Notice{Kind: core.NoticeText, UserID: niran.ID, Text: text, Key: key}},
				&river.InsertOpts{Queue: core.NotifyQueue, ScheduledAt: time.Now().Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().ExecContext(e.ctx, stuck, res.Job.ID); err != nil {
				t.Fatal(err)
			}
			return res.Job.ID
		}
		posted := func(text string) int {
			n := 0
			for _, m := range api.sent("slack:U0NIRAN") {
				if strings.Contains(m.Raw+m.Text, text) {
					n++
				}
			}
			return n
		}
		completed := func(id int64) bool {
			j, err := e.jobs.JobGet(e.ctx, id)
			return err == nil && j.State == "completed"
		}

		const unsent, sent = "Kraków office visit moved to Friday", "ส่งใบเสนอราคาให้ลูกค้าแล้ว"
		// The dead replica had posted this one: Slack holds it, with its key.
		api.postedBefore("U0NIRAN", sent, "rescue-sent")
		sentJob, unsentJob := deadReplicasJob("rescue-sent", sent), deadReplicasJob("rescue-unsent", unsent)
		waitFor(t, 90*time.Second, "both rescued jobs to complete", func() bool { return completed(sentJob) && completed(unsentJob) })
		if n := posted(unsent); n != 1 {
			t.Errorf("the notice never posted was posted %d times, want 1", n)
		}
		if n := posted(sent); n != 1 {
			t.Errorf("the notice posted before the crash is in the DM %d times, want 1", n)
		}
	})
}
