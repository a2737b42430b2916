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

// TestANoticeLeftRunningByADeadReplicaIsDelivered leaves a notice job as
// a replica that died mid-delivery leaves it (running, attempted past
// rescueJobsAfter, nobody working it): the surviving replica's queue runs
// it again and the notice arrives, instead of River's default hour later.
func TestANoticeLeftRunningByADeadReplicaIsDelivered(t *testing.T) {
	if rescueJobsAfter < sweepTimeout || rescueJobsAfter < river.JobTimeoutDefault || rescueJobsAfter < (&digestWorker{}).Timeout(nil) {
		t.Fatalf("rescueJobsAfter %v is shorter than a worker's timeout: a job still running would be run twice", rescueJobsAfter)
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		api := newChatAPI(t)
		e := newNoticeEnv(t, db, api, nil, noticeDirectory)
		niran := e.user(t, "niran@example.com")
		const text = "Kraków office visit moved to Friday"
		// Scheduled far ahead, so the running queue leaves it alone until
		// it is made to look like the dead replica's.
		res, err := e.jobs.Insert(e.ctx, core.NotifyJob{Channel: core.ChannelSlack,
			Notice: core.Notice{Kind: core.NoticeText, UserID: niran.ID, Text: text, Key: "rescue-test"}},
			&river.InsertOpts{Queue: core.NotifyQueue, ScheduledAt: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		stuck := `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = datetime('now', '-10 minutes', 'subsec'), scheduled_at = datetime('now', '-10 minutes', 'subsec') WHERE id = ?`
		if db.Dialect() == "postgres" {
			stuck = `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now() - interval '10 minutes', scheduled_at = now() - interval '10 minutes' WHERE id = $1`
		}
		if _, err := db.SQL().ExecContext(e.ctx, stuck, res.Job.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 90*time.Second, "the rescued notice", func() bool {
			for _, m := range api.sent("slack:U0NIRAN") {
				if strings.Contains(m.Raw, text) {
					return true
				}
			}
			return false
		})
	})
}
