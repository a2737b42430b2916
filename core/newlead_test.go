package core_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestNewLeadIsANotice: a captured lead is announced to its team as a
// new-lead notice, in the capture's transaction, on each of the team's
// chats once.
func TestNewLeadIsANotice(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		settings := core.DefaultSettings()
		settings.Channels = []string{core.ChannelSlack, core.ChannelTelegram, core.ChannelEmail}
		svc := core.NewService(db, nil, settings, nil)
		if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: []core.TeamDef{
			{Name: "Bangkok", Region: "TH", SlackChannel: "C0BKK", TelegramChat: "-100500"},
			{Name: "Warsaw", Region: "PL"},
			{Name: "Kraków", Region: "PL", Email: "krakow-sales@example.pl"},
		}, Users: []core.UserDef{{Email: "niran@example.com", Name: "Niran", Team: "Bangkok"}}}); err != nil {
			t.Fatal(err)
		}
		jobs, err := river.NewClient(db.RiverDriver(), &river.Config{})
		if err != nil {
			t.Fatal(err)
		}
		queued := func(t *testing.T, kind string) []string {
			t.Helper()
			res, err := jobs.JobList(ctx, river.NewJobListParams().Kinds(kind).First(1000))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, row := range res.Jobs {
				var j core.NotifyJob
				if err := json.Unmarshal(row.EncodedArgs, &j); err != nil {
					t.Fatal(err)
				}
				out = append(out, j.Channel+" "+string(j.Notice.Kind)+" "+j.Notice.Key)
			}
			slices.Sort(out)
			return out
		}
		in := func(id, team string) core.Inbound {
			return core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: id, Name: "Somsak " + id,
				Email: id + "@siam.example", Team: team, Text: "Quote please", ReceivedAt: time.Now()}
		}

		t.Run("a rolled-back capture enqueues nothing", func(t *testing.T) {
			res, errs := svc.CheckCaptureBatch(ctx, []core.Inbound{in("dry", "Bangkok")})
			if errs[0] != nil || !res[0].NewLead {
				t.Fatalf("rehearsal %+v, %v", res, errs)
			}
			if got := queued(t, "notify"); len(got) != 0 {
				t.Fatalf("notices %q", got)
			}
		})
		var lead int64
		t.Run("a team with Slack and Telegram gets one notice on each", func(t *testing.T) {
			res, err := svc.Capture(ctx, in("x1", "Bangkok"))
			if err != nil || !res.NewLead {
				t.Fatalf("capture %+v, %v", res, err)
			}
			lead = res.LeadID
			key := "new_lead:" + core.LeadRef(lead)
			if got, want := queued(t, "notify"), []string{"slack new_lead " + key, "telegram new_lead " + key}; !slices.Equal(got, want) {
				t.Fatalf("notices %q, want %q", got, want)
			}
		})
		t.Run("the inbound delivered again announces nothing more", func(t *testing.T) {
			if res, err := svc.Capture(ctx, in("x1", "Bangkok")); err != nil || !res.Duplicate {
				t.Fatalf("capture %+v, %v", res, err)
			}
			if got := queued(t, "notify"); len(got) != 2 {
				t.Fatalf("notices %q", got)
			}
		})
		t.Run("a new_lead job an earlier version queued announces the same notice, once", func(t *testing.T) {
			if err := svc.HandleNewLead(ctx, core.NewLeadJob{LeadID: lead}, core.JobInfo{Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			if err := svc.HandleNewLead(ctx, core.NewLeadJob{LeadID: lead}, core.JobInfo{Attempt: 2}); err != nil {
				t.Fatal(err)
			}
			if err := svc.HandleTelegramNewLead(ctx, core.TelegramNewLeadJob{LeadID: lead}, core.JobInfo{Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			if got := queued(t, "notify"); len(got) != 2 {
				t.Fatalf("notices %q", got)
			}
		})
		t.Run("an earlier version's job for a lead gone ends for good", func(t *testing.T) {
			if err := svc.HandleNewLead(ctx, core.NewLeadJob{LeadID: 999999}, core.JobInfo{Attempt: 1}); !core.IsPermanent(err) {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("a team without a chat is told nothing, quietly", func(t *testing.T) {
			res, err := svc.Capture(ctx, in("w1", "Warsaw"))
			if err != nil || !res.NewLead {
				t.Fatalf("capture %+v, %v", res, err)
			}
			if err := svc.HandleNewLead(ctx, core.NewLeadJob{LeadID: res.LeadID}, core.JobInfo{Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			if got := queued(t, "notify"); len(got) != 2 {
				t.Fatalf("notices %q", got)
			}
		})
		t.Run("a team with only an address gets the notice by email", func(t *testing.T) {
			res, err := svc.Capture(ctx, in("k1", "Kraków"))
			if err != nil || !res.NewLead {
				t.Fatalf("capture %+v, %v", res, err)
			}
			want := "email new_lead new_lead:" + core.LeadRef(res.LeadID)
			if got := queued(t, "notify"); len(got) != 3 || !slices.Contains(got, want) {
				t.Fatalf("notices %q, want %q among them", got, want)
			}
		})
	})
}
