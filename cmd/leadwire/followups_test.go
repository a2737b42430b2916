package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"leadwire/core"
	"leadwire/internal/wait"
	"leadwire/storage"
)

// TestFollowUpsRunOnTheQueue runs the job queue as serve does: the
// periodic unclaimed sweep pings the team and the manager about a lead
// nobody answered, and a capture rule's job scores the lead.
func TestFollowUpsRunOnTheQueue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := storage.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "lw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	settings := core.DefaultSettings()
	settings.Channels = []string{core.ChannelSlack}
	settings.Rules = []core.Rule{{Name: "boost", Trigger: core.TriggerLeadCaptured,
		Actions: []core.RuleAction{{Kind: core.ActionAddScore, Points: 25}}}}
	svc := core.NewService(db, nil, settings, nil)
	if err := svc.Directory.Sync(ctx, core.OrgDef{
		Teams: []core.TeamDef{{Name: "Bangkok", Manager: "somchai@example.com", SlackChannel: "C1"}},
		Users: []core.UserDef{{Email: "somchai@example.com", Role: core.RoleManager, Team: "Bangkok", SlackID: "U1"}},
	}); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Capture(ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "x1",
		Email: "somsak@example.com", Team: "Bangkok", ReceivedAt: time.Now().Add(-time.Hour)})
	if err != nil || !res.NewLead {
		t.Fatalf("capture: %+v, %v", res, err)
	}
	before, err := db.LeadByID(ctx, res.LeadID)
	if err != nil {
		t.Fatal(err)
	}

	log := slog.New(slog.DiscardHandler)
	h := core.NewHandlers()
	addNewLead(h, svc)
	addFollowUps(h, svc)
	jobs, err := db.NewJobs(h, log, core.SweepPeriodic()...)
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { jobs.Stop(context.Background()) })

	kinds := func() map[core.NoticeKind]int {
		list, err := jobs.River().JobList(ctx, river.NewJobListParams().Kinds("notify").First(100))
		if err != nil {
			t.Fatal(err)
		}
		out := map[core.NoticeKind]int{}
		for _, j := range list.Jobs {
			var n core.NotifyJob
			if err := json.Unmarshal(j.EncodedArgs, &n); err != nil {
				t.Fatal(err)
			}
			if n.Notice.LeadID == res.LeadID {
				out[n.Notice.Kind]++
			}
		}
		return out
	}
	var got map[core.NoticeKind]int
	var score int
	if !wait.Until(30*time.Second, func() bool {
		got = kinds()
		l, err := db.LeadByID(ctx, res.LeadID)
		if err != nil {
			t.Fatal(err)
		}
		score = l.Score
		return got[core.NoticeUnclaimed] == 1 && got[core.NoticeUnclaimedManager] == 1 && l.Score == before.Score+25
	}) {
		t.Fatalf("after 30s: notices %v, score %d (was %d)", got, score, before.Score)
	}
}
